/**
 * The `keys` and `keystore` sections of a KES server config read from arbitrary parsed YAML: EK names, exactly one
 * Azure Key Vault keystore matching the declaration, and its auth block as whole-value `${VAR}` references.
 */
import {
  AZURE_CLOUDS,
  AzureAuthMode,
  AzureCloud,
  MIN_KES_TAG_AZIDENTITY,
  azureCloudOfEndpoint,
} from '../declaration/azure-auth';
import { fieldPath } from '../declaration/problems';
import { checkKeyName, checkKeyVaultEndpoint } from '../declaration/rules';
import { KES_ENV, ResolvedDeclaration } from '../declaration/validate';
import { Add, ENV_REF, isRec, show } from './parsed';

export function checkKeys(keys: unknown, add: Add): void {
  if (keys === undefined) {
    return;
  }
  if (isRec(keys)) {
    add(
      'keys',
      'is a mapping (the keystore section of KES < v0.13.6): keys is a list of {name}; put the keystore under keystore:',
    );
    return;
  }
  if (!Array.isArray(keys)) {
    add('keys', `${show(keys)} must be a list of {name}`);
    return;
  }
  const seen = new Set<string>();
  keys.forEach((k: unknown, i) => {
    const name = isRec(k) ? k.name : undefined;
    if (typeof name !== 'string') {
      add(`keys[${i}]`, `${show(k)} must be a mapping {name: <EK name>}`);
      return;
    }
    for (const field of Object.keys(k as Record<string, unknown>).filter((f) => f !== 'name')) {
      // Field names only (a value may be a pasted credential): KES decodes keys[] entries as {name} and ignores
      // any other field silently (minio/kes kesconf/config.go `Keys []struct{ Name env[string] }`, 2025-03-12T09-35-18Z).
      add(
        fieldPath(`keys[${i}]`, field),
        'is not a KES field (value not shown): KES ignores it silently; keys entries are {name: <EK name>} only',
      );
    }
    const reason = checkKeyName(name);
    if (reason) {
      add(`keys[${i}].name`, `${JSON.stringify(name)} is not a valid EK name: ${reason}`);
    }
    if (seen.has(name)) {
      add(`keys[${i}].name`, `${JSON.stringify(name)} is listed twice (KES refuses duplicate keys)`);
    }
    seen.add(name);
  });
}

export function checkKeystore(keystore: unknown, spec: ResolvedDeclaration, knownVars: Set<string>, add: Add): void {
  if (!isRec(keystore) || Object.keys(keystore).length === 0) {
    add(
      'keystore',
      'no keystore specified: exactly one keystore, azure.keyvault, is required (KES: "no keystore specified")',
    );
    return;
  }
  const backends = Object.keys(keystore);
  if (backends.length > 1) {
    add(
      'keystore',
      `has ${backends.length} keystores (${backends.join(', ')}): KES needs exactly one, azure.keyvault ("more than once keystore specified")`,
    );
  }
  if (!backends.includes('azure')) {
    add(
      'keystore',
      `${backends.join(', ')} is not azure.keyvault: this library refuses any keystore but Azure Key Vault (no fs or in-memory keys)`,
    );
    return;
  }
  const azure = keystore.azure;
  const kv = isRec(azure) ? azure.keyvault : undefined;
  if (!isRec(azure) || Object.keys(azure).length !== 1 || !isRec(kv)) {
    add('keystore.azure', 'must hold exactly one block, keyvault');
    if (!isRec(kv)) {
      return;
    }
  }
  const path = 'keystore.azure.keyvault';
  for (const key of Object.keys(kv)) {
    if (!['endpoint', 'credentials', 'managed_identity'].includes(key)) {
      add(
        `${path}.${key}`,
        'is not a field of the Azure Key Vault keystore; expected endpoint, credentials, managed_identity',
      );
    }
  }
  const endpoint = kv.endpoint;
  if (typeof endpoint !== 'string' || checkKeyVaultEndpoint(endpoint) !== undefined) {
    add(
      `${path}.endpoint`,
      `${show(endpoint)} must be the Key Vault URI https://<vault>.vault.azure.net (or the .cn / usgovcloudapi.net clouds)`,
    );
  } else if (endpoint.replace(/\/$/, '') !== spec.kes.endpoint) {
    add(
      `${path}.endpoint`,
      `${show(endpoint)} differs from the declared kes.keyVaultEndpoint ${JSON.stringify(spec.kes.endpoint)}`,
    );
  } else {
    const cloud = azureCloudOfEndpoint(endpoint);
    if (cloud !== undefined && cloud !== AzureCloud.PUBLIC && !spec.kes.imageInfo.supportsSovereignClouds) {
      add(
        `${path}.endpoint`,
        `is in ${AZURE_CLOUDS[cloud].displayName}, which KES ${spec.kes.imageInfo.tag} cannot authenticate to (public token resource hard-coded); use KES ${MIN_KES_TAG_AZIDENTITY} or later`,
      );
    }
  }

  const hasCreds = kv.credentials !== undefined;
  const hasMi = kv.managed_identity !== undefined;
  if (hasCreds && hasMi) {
    add(
      path,
      'has both credentials and managed_identity; KES fails with "more than one authentication method specified"',
    );
  }
  const mode = spec.kes.auth.mode;
  const expected =
    mode === AzureAuthMode.CLIENT_SECRET
      ? 'credentials'
      : mode === AzureAuthMode.MANAGED_IDENTITY
        ? 'managed_identity'
        : 'no auth block';
  if ((mode === AzureAuthMode.CLIENT_SECRET && !hasCreds) || (mode !== AzureAuthMode.CLIENT_SECRET && hasCreds)) {
    add(path, `${hasCreds ? 'has' : 'lacks'} credentials but kes.auth is ${mode} (expected ${expected})`);
  }
  if ((mode === AzureAuthMode.MANAGED_IDENTITY && !hasMi) || (mode !== AzureAuthMode.MANAGED_IDENTITY && hasMi)) {
    add(path, `${hasMi ? 'has' : 'lacks'} managed_identity but kes.auth is ${mode} (expected ${expected})`);
  }
  if (!hasCreds && !hasMi && !spec.kes.imageInfo.supportsDefaultAzureCredential) {
    add(
      path,
      `has no auth block, which KES ${spec.kes.imageInfo.tag} refuses ("no authentication method specified"); DefaultAzureCredential needs KES 2024-06-17T15-47-05Z or later`,
    );
  }

  const refBlock = (block: string, fields: [string, string][]): void => {
    const b = kv[block];
    if (b === undefined) {
      return;
    }
    if (!isRec(b)) {
      add(`${path}.${block}`, `must be a mapping with ${fields.map(([f]) => f).join(', ')}`);
      return;
    }
    for (const key of Object.keys(b)) {
      if (!fields.some(([f]) => f === key)) {
        add(`${path}.${block}.${key}`, `is not a field of ${block}; expected ${fields.map(([f]) => f).join(', ')}`);
      }
    }
    for (const [field, variable] of fields) {
      const v = b[field];
      const fieldPath = `${path}.${block}.${field}`;
      const ref = typeof v === 'string' ? ENV_REF.exec(v) : null;
      if (v === undefined) {
        add(fieldPath, `is missing: must be \${${variable}}`);
      } else if (!ref) {
        // Never echo the value: it may be a credential.
        add(
          fieldPath,
          `is a literal value (not shown); it must be the whole-value reference \${${variable}} so that no credential is written into the config`,
        );
      } else if (ref[1] !== variable) {
        add(fieldPath, `${show(v)} must be \${${variable}}`);
      } else if (!knownVars.has(ref[1])) {
        add(fieldPath, `${show(v)} references ${variable}, which spec.kes.env does not give the KES container`);
      }
    }
  };
  refBlock('credentials', [
    ['tenant_id', KES_ENV.TENANT_ID],
    ['client_id', KES_ENV.CLIENT_ID],
    ['client_secret', KES_ENV.CLIENT_SECRET],
  ]);
  refBlock('managed_identity', [['client_id', KES_ENV.CLIENT_ID]]);
}
