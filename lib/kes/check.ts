/**
 * The checks of a KES server config — the typed model from `buildKesConfig`, or any value parsed from YAML, such as
 * the final config Secret after an escape-hatch patch — against every KES image this library supports and against
 * the declaration it was made for. This file holds the entry points and the top-level, admin, TLS, cache and log
 * rules; policies are in `check-policies.ts`, keys and the keystore in `check-keystore.ts`. `kesconf` means
 * `minio/kes` `kesconf/config.go` at tag `2025-03-12T09-35-18Z`.
 */
import { isIP } from 'net';
import { Problem } from '../declaration/problems';
import { KesAdminMode } from '../declaration/declaration';
import { checkGoDuration } from '../declaration/rules';
import { KES_ENV, ResolvedDeclaration } from '../declaration/validate';
import { checkKeys, checkKeystore } from './check-keystore';
import { checkMinioNeeds, checkPolicies } from './check-policies';
import { KES_DISABLED_ADMIN_IDENTITY, KES_MINIO_IDENTITY_REF, KES_TLS_CERT_PATH, KES_TLS_KEY_PATH } from './model';
import { Add, ENV_REF, Rec, isRec, show } from './parsed';

const TOP_LEVEL_FIELDS = ['version', 'address', 'admin', 'tls', 'policy', 'cache', 'log', 'keys', 'keystore', 'api'];
const KEYSTORE_BACKENDS = ['fs', 'vault', 'fortanix', 'gemalto', 'gcp', 'aws', 'azure', 'entrust', 'kes'];
const LOG_LEVELS = ['on', 'off', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/**
 * Check a KES server config — the typed model from {@link buildKesConfig} or any value parsed from YAML — against
 * the rules of every KES image this library supports and against the declaration it was made for. Used by
 * {@link renderKesConfig} and by the k8s layer before it writes the config Secret. Never throws for bad data and
 * never echoes a credential value.
 *
 * Problems found (each `<path>: <reason>`):
 * - legacy or misplaced fields: top-level `root` (ignored since KES v0.17.3, which then exits "no admin identity
 *   specified"), unknown top-level fields (KES ignores them silently; e.g. a keystore block outside `keystore:`),
 *   `keys` as a mapping, policy `paths` or `identity` (minio/kes#111, minio/kes#133, minio/kes#180);
 * - `version` not `v1`; `address` not `ip:port`; `tls.key`/`tls.cert` not the operator mount paths;
 * - `admin.identity` missing, not matching `spec.kes.adminMode`, or also listed in a policy (kesconf);
 * - policies: invalid names, patterns failing {@link checkPolicyPattern}, an allow pattern on `/v1/key/delete/`,
 *   identities that are not `${VAR}` references to `MINIO_KES_IDENTITY` or a `spec.kes.env` variable, an identity
 *   in two policies; unless MinIO is the admin, no policy for `${MINIO_KES_IDENTITY}` or one that does not allow
 *   `/v1/status`, `/v1/key/list/`, and create/generate/decrypt of every EK in `spec.encryptionKeys` (minio/operator#2000,
 *   minio/operator#1283);
 * - `cache.expiry.any`/`.unused` missing or not Go durations; `log.error`/`log.audit` missing or not one of
 *   `on`, `off`, `DEBUG`, `INFO`, `WARN`, `ERROR` (a boolean means an unquoted `on`/`off` read as YAML 1.1);
 * - `keys[].name` invalid for Azure Key Vault ({@link checkKeyName}) or duplicated;
 * - `keystore` not exactly one block `azure.keyvault`; `endpoint` not `spec.kes.endpoint`, or in a non-public cloud
 *   with a KES image before 2024-06-17T15-47-05Z; an auth block that does
 *   not match `spec.kes.auth.mode`, both auth blocks, or neither on a KES image without DefaultAzureCredential;
 *   credential values that are not whole `${VAR}` references to the expected `spec.kes.env` variable.
 *
 * @returns the problems; empty when the config is acceptable
 */
export function checkKesConfig(config: unknown, spec: ResolvedDeclaration): string[] {
  return checkKesConfigProblems(config, spec).map((p) => `${p.path}: ${p.message}`);
}

/**
 * {@link checkKesConfig} as {@link Problem}s (path into the config, message), the form every checker of the
 * library returns; format them with `formatProblems`.
 */
export function checkKesConfigProblems(config: unknown, spec: ResolvedDeclaration): Problem[] {
  const out: Problem[] = [];
  const add = (path: string, message: string): void => {
    out.push({ path, message });
  };
  if (!isRec(config)) {
    add('(root)', 'the KES config must be a mapping');
    return out;
  }
  const knownVars = new Set<string>([KES_ENV.MINIO_IDENTITY, ...spec.kes.env.map((e) => e.name)]);

  // Top level.
  for (const key of Object.keys(config)) {
    if (key === 'root') {
      add(
        'root',
        'is the legacy admin field of KES ≤ v0.17.1; every KES the operator ships ignores it and exits with "no admin identity specified": use admin.identity',
      );
    } else if (KEYSTORE_BACKENDS.includes(key)) {
      add(
        key,
        `is a keystore block outside "keystore:"; KES ignores it and has no persistent keystore: move it to keystore.${key}`,
      );
    } else if (!TOP_LEVEL_FIELDS.includes(key)) {
      add(
        key,
        `is not a KES server config field (KES ignores unknown fields silently); expected ${TOP_LEVEL_FIELDS.join(', ')}`,
      );
    }
  }
  if (config.version !== 'v1') {
    add('version', `${show(config.version)} must be "v1"`);
  }
  checkAddress(config.address, add);

  // Admin.
  const minioIsAdmin = spec.kes.adminMode === KesAdminMode.MINIO_IS_ADMIN;
  const admin = isRec(config.admin) ? config.admin.identity : undefined;
  if (typeof admin !== 'string' || admin.trim() === '') {
    add(
      'admin.identity',
      `${show(admin)}: an admin identity is required by every supported KES ("no admin identity specified")`,
    );
  } else if (minioIsAdmin && admin !== KES_MINIO_IDENTITY_REF) {
    add(
      'admin.identity',
      `${show(admin)} must be ${KES_MINIO_IDENTITY_REF} when kes.adminMode is ${KesAdminMode.MINIO_IS_ADMIN}`,
    );
  } else if (!minioIsAdmin && (/^[0-9a-fA-F]+$/.test(admin.trim()) || ENV_REF.test(admin.trim()))) {
    add(
      'admin.identity',
      `${show(admin)} could name a real identity; with kes.adminMode ${KesAdminMode.DISABLED} use a non-hex value such as "${KES_DISABLED_ADMIN_IDENTITY}"`,
    );
  }

  // TLS.
  const tls = isRec(config.tls) ? config.tls : {};
  if (tls.key !== KES_TLS_KEY_PATH) {
    add('tls.key', `${show(tls.key)} must be ${KES_TLS_KEY_PATH}, where the operator mounts the KES server key`);
  }
  if (tls.cert !== KES_TLS_CERT_PATH) {
    add(
      'tls.cert',
      `${show(tls.cert)} must be ${KES_TLS_CERT_PATH}, where the operator mounts the KES server certificate`,
    );
  }

  // Policies.
  const minioPolicies = checkPolicies(config.policy, typeof admin === 'string' ? admin : undefined, knownVars, add);
  if (minioIsAdmin) {
    for (const name of minioPolicies) {
      add(
        `policy.${name}.identities`,
        `lists ${KES_MINIO_IDENTITY_REF}, the admin identity; KES refuses an identity that is both admin and in a policy`,
      );
    }
  } else if (minioPolicies.length === 0) {
    add('policy', `no policy lists ${KES_MINIO_IDENTITY_REF}; MinIO would get "not authorized" from KES`);
  } else if (minioPolicies.length === 1) {
    checkMinioNeeds(minioPolicies[0], (config.policy as Rec)[minioPolicies[0]] as Rec, spec, add);
  }

  // Cache and log.
  const expiry = isRec(config.cache) && isRec(config.cache.expiry) ? config.cache.expiry : {};
  for (const field of ['any', 'unused']) {
    const v = expiry[field];
    const reason =
      typeof v === 'string' ? checkGoDuration(v) : 'must be set explicitly (KES defaults changed across releases)';
    if (reason) {
      add(`cache.expiry.${field}`, `${show(v)} ${reason}`);
    }
  }
  const log = isRec(config.log) ? config.log : {};
  for (const field of ['error', 'audit']) {
    const v = log[field];
    if (typeof v === 'boolean') {
      add(
        `log.${field}`,
        `${show(v)} is a boolean (an unquoted on/off read as YAML 1.1): write the string "${v ? 'on' : 'off'}"`,
      );
    } else if (typeof v !== 'string' || !LOG_LEVELS.includes(v)) {
      add(
        `log.${field}`,
        `${show(v)} must be one of ${LOG_LEVELS.join(', ')} and set explicitly (unset audit means audit lines on stdout)`,
      );
    }
  }

  // Keys.
  checkKeys(config.keys, add);

  // Keystore.
  checkKeystore(config.keystore, spec, knownVars, add);
  return out;
}

function checkAddress(address: unknown, add: Add): void {
  const m = typeof address === 'string' ? /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(address) : null;
  const host = m ? (m[1] ?? m[2]) : undefined;
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65535 || (host !== '' && isIP(host ?? '') === 0)) {
    add(
      'address',
      `${show(address)} must be <ip>:<port> with an IP literal host; KES ≥ 2023-10-24 refuses host names ("is not a valid IP address")`,
    );
  }
}
