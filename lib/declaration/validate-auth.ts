/**
 * Validation of `kes.auth` (client secret, managed identity, workload identity) and of the Azure cloud its endpoint
 * names; the result is the environment KES needs for its config.
 */
import { AzureAuth, AzureAuthMode, checkAzureAuthCloud } from './azure-auth';
import { DeclarationCollector, showValue } from './checks';
import { FieldKind } from './problems';
import { KES_ENV, ResolvedKesEnv } from './resolved';
import { checkDnsSubdomain, checkKeyVaultEndpoint, checkSecretKey, checkUuid } from './rules';
import { KesPart } from './validate-kes';
import { TenantPart } from './validate-tenant';

/** What the resolved KES needs of `kes.auth`. */
export interface AuthPart {
  /** `kes.auth` (an {@link AzureAuth} when the declaration is valid). */
  readonly auth: unknown;
  /** Env vars KES needs for the `${VAR}` references in its config, in a stable order. */
  readonly env: ResolvedKesEnv[];
  /** Service account for workload identity, when used. */
  readonly serviceAccountName?: string;
}

/** Keys under `kes.auth` that look like a secret value was meant to go there. */
function authHint(key: string): string | undefined {
  return /secret|password|key$/i.test(key)
    ? 'secret values are never declared: put the value in the Secret named by secretName'
    : undefined;
}

/** Check `kes.auth` and the cloud of `kes.keyVaultEndpoint` into `c`. */
export function checkKesAuth(c: DeclarationCollector, tenant: TenantPart, kes: KesPart): AuthPart {
  const { t, tenantNameOk } = tenant;
  const { k, image, imageInfo, configSecretName } = kes;
  const env: ResolvedKesEnv[] = [];
  let serviceAccountName: string | undefined;
  const auth = k.auth;
  if (!AzureAuth.isAzureAuth(auth)) {
    c.add(
      'kes.auth',
      'is required: use AzureAuth.clientSecret(…), AzureAuth.managedIdentity(…) or AzureAuth.workloadIdentity(…)',
    );
  } else if (auth.mode === AzureAuthMode.CLIENT_SECRET) {
    const o = auth.clientSecretOptions!;
    c.knownKeys(
      'kes.auth',
      o,
      ['secretName', 'tenantId', 'clientId', 'clientSecretKey', 'tenantIdKey', 'clientIdKey'],
      authHint,
    );
    const secretName = o.secretName;
    c.check('kes.auth.secretName', secretName, checkDnsSubdomain, 'Secret name', FieldKind.SECRET);
    const keyOf = (field: string, value: string | undefined, dflt: string): string => {
      const key = value ?? dflt;
      c.check(`kes.auth.${field}`, key, checkSecretKey, 'Secret key', FieldKind.SECRET);
      return key;
    };
    const tenantKey = keyOf('tenantIdKey', o.tenantIdKey, KES_ENV.TENANT_ID);
    const clientKey = keyOf('clientIdKey', o.clientIdKey, KES_ENV.CLIENT_ID);
    const secretKey = keyOf('clientSecretKey', o.clientSecretKey, KES_ENV.CLIENT_SECRET);
    if (o.tenantId !== undefined) {
      c.check('kes.auth.tenantId', o.tenantId, checkUuid, 'tenant ID', FieldKind.SECRET);
    }
    if (o.clientId !== undefined) {
      c.check('kes.auth.clientId', o.clientId, checkUuid, 'client ID', FieldKind.SECRET);
    }
    // Keys read from the same Secret must differ, or one value would overwrite another.
    const fromSecret = [
      ['clientSecretKey', secretKey],
      ...(o.tenantId === undefined ? [['tenantIdKey', tenantKey]] : []),
      ...(o.clientId === undefined ? [['clientIdKey', clientKey]] : []),
    ];
    fromSecret.forEach(([field, key], i) => {
      const earlier = fromSecret.slice(0, i).find(([, k2]) => k2 === key);
      if (earlier) {
        // Neither the key nor the Secret name is shown: both name where a credential is kept.
        c.add(
          `kes.auth.${field}`,
          `is the same key as kes.auth.${earlier[0]}; each value needs its own key in the credentials Secret`,
        );
      }
    });
    // The KES config Secret and the tenant's configuration Secret are other objects: sharing a name would
    // overwrite the credentials.
    if (typeof secretName === 'string' && secretName === t.configurationSecretName) {
      c.add('kes.auth.secretName', 'must differ from tenant.configurationSecretName (two different Secrets)');
    }
    if (typeof secretName === 'string' && secretName === configSecretName) {
      c.add(
        'kes.configSecretName',
        'must differ from kes.auth.secretName: the KES config Secret is generated and would replace the credentials Secret',
      );
    }
    env.push(
      {
        name: KES_ENV.CLIENT_ID,
        source: o.clientId !== undefined ? { value: o.clientId } : { secretName, secretKey: clientKey },
      },
      { name: KES_ENV.CLIENT_SECRET, source: { secretName, secretKey } },
      {
        name: KES_ENV.TENANT_ID,
        source: o.tenantId !== undefined ? { value: o.tenantId } : { secretName, secretKey: tenantKey },
      },
    );
  } else if (auth.mode === AzureAuthMode.MANAGED_IDENTITY) {
    const o = auth.managedIdentityOptions!;
    c.knownKeys('kes.auth', o, ['clientId'], authHint);
    c.check('kes.auth.clientId', o.clientId, checkUuid, 'client ID', FieldKind.SECRET);
    env.push({ name: KES_ENV.CLIENT_ID, source: { value: o.clientId } });
  } else {
    const o = auth.workloadIdentityOptions!;
    c.knownKeys('kes.auth', o, ['clientId', 'tenantId', 'serviceAccountName'], authHint);
    c.check('kes.auth.clientId', o.clientId, checkUuid, 'client ID', FieldKind.SECRET);
    c.check('kes.auth.tenantId', o.tenantId, checkUuid, 'tenant ID', FieldKind.SECRET);
    serviceAccountName = o.serviceAccountName ?? `${tenantNameOk ? t.name : 'tenant'}-kes`;
    c.check(
      'kes.auth.serviceAccountName',
      serviceAccountName,
      checkDnsSubdomain,
      'service account name',
      FieldKind.SECRET,
    );
    if (imageInfo && !imageInfo.supportsDefaultAzureCredential) {
      c.add(
        'kes.auth',
        `workload identity needs a KES image from 2024-06-17T15-47-05Z on (DefaultAzureCredential); ${showValue(image)} only supports client-secret or managed-identity auth: set kes.image`,
      );
    }
    // No env: the AKS workload-identity webhook injects AZURE_CLIENT_ID, AZURE_TENANT_ID and
    // AZURE_FEDERATED_TOKEN_FILE from the service account's annotations; KES's DefaultAzureCredential reads them.
  }
  // Sovereign clouds: the endpoint's suffix decides the cloud; old images cannot reach it, new ones need the authority.
  if (
    AzureAuth.isAzureAuth(auth) &&
    imageInfo &&
    typeof k.keyVaultEndpoint === 'string' &&
    !checkKeyVaultEndpoint(k.keyVaultEndpoint)
  ) {
    const cloud = checkAzureAuthCloud(k.keyVaultEndpoint, auth.mode, imageInfo.tag, imageInfo.image);
    cloud.problems.forEach((p) => c.add(p.path, p.message));
    env.push(...cloud.env);
  }
  return { auth, env, serviceAccountName };
}
