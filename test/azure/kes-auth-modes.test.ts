/**
 * KesAzureIdentity in each auth mode, with Pulumi mocks: the federated credential (issuer, subject, audience), no
 * password in the secretless modes, the principal each vault grant names, and the cloud check that runs before any
 * resource is registered.
 */
import * as pulumi from '@pulumi/pulumi';
import type { KesAzureIdentityArgs } from '../../lib/azure';
import {
  CLIENT_ID,
  SP_OBJECT_ID,
  TENANT_ID,
  TYPES,
  UAMI_CLIENT_ID,
  UAMI_PRINCIPAL_ID,
  dayOffset,
  flush,
  installMocks,
  promiseOf,
  recordChildren,
  settle,
} from './mocks';

const world = installMocks();
type AzureModule = typeof import('../../lib/azure');
let az: AzureModule;

beforeAll(async () => {
  az = await import('../../lib/azure');
});

beforeEach(() => {
  world.reset();
  pulumi.runtime.setAllConfig({});
});

const ISSUER =
  'https://westeurope.oic.prod-aks.azure.com/11111111-1111-4111-8111-111111111111/abcdef01-2345-6789-abcd-ef0123456789/';
const WI = { oidcIssuerUrl: ISSUER, namespace: 'minio-tenant-1', serviceAccountName: 'minio-tenant-1-kes' };
const SUBJECT = 'system:serviceaccount:minio-tenant-1:minio-tenant-1-kes';
const UAMI = { resourceGroupName: 'rg-identities', location: 'westeurope', name: 'minio-kes-id' };

function args(accessMode: 'rbac' | 'accessPolicy', extra: Partial<KesAzureIdentityArgs>): KesAzureIdentityArgs {
  world.existingVault.enableRbacAuthorization = accessMode === 'rbac';
  return {
    existingVault: { resourceGroupName: 'rg-minio', vaultName: 'kv-minio-prod', accessMode: accessMode as any },
    ...extra,
  };
}

async function build(a: KesAzureIdentityArgs) {
  const { seen, transformation } = recordChildren();
  const identity = new az.KesAzureIdentity('kes', a, { transformations: [transformation] });
  await settle([identity, ...seen.map((c) => c.resource)]);
  await promiseOf(pulumi.all([identity.keyVaultUri, identity.clientId, identity.principalId, identity.tenantId]));
  await flush();
  return identity;
}

/** The principal the vault grant names, whichever the mode. */
function grantedPrincipal(accessMode: 'rbac' | 'accessPolicy'): string {
  if (accessMode === 'rbac') {
    const [ra] = world.ofType(TYPES.roleAssignment);
    expect(ra.inputs.principalType).toBe('ServicePrincipal');
    return ra.inputs.principalId;
  }
  const [ap] = world.ofType(TYPES.accessPolicy);
  expect(ap.inputs.policy.permissions).toEqual({ secrets: ['get', 'list', 'set', 'delete', 'purge'] });
  return ap.inputs.policy.objectId;
}

const vaultModes = ['rbac', 'accessPolicy'] as const;

describe.each(vaultModes)('workload identity on the app registration, %s vault', (accessMode) => {
  test('one federated credential with the AKS issuer, the KES service account subject and the token-exchange audience; no password', async () => {
    const identity = await build(args(accessMode, { kesAuth: 'workloadIdentity' as any, workloadIdentity: WI }));
    const [app] = world.ofType(TYPES.application);
    const [fic] = world.ofType(TYPES.appFederatedCredential);
    expect(world.ofType(TYPES.appFederatedCredential)).toHaveLength(1);
    expect(fic.inputs).toMatchObject({
      applicationId: `/applications/44444444-4444-4444-8444-444444444444`,
      issuer: ISSUER,
      subject: SUBJECT,
      audiences: ['api://AzureADTokenExchange'],
      displayName: 'kes-minio-tenant-1-minio-tenant-1-kes',
    });
    expect(app.inputs.displayName).toBe('minio-kes');
    expect(world.ofType(TYPES.password)).toEqual([]);
    expect(world.ofType(TYPES.userAssignedIdentity)).toEqual([]);
    expect(grantedPrincipal(accessMode)).toBe(SP_OBJECT_ID);
    expect(await promiseOf(identity.principalId)).toBe(SP_OBJECT_ID);
    expect(await promiseOf(identity.clientId)).toBe(CLIENT_ID);
    expect(await promiseOf(identity.tenantId)).toBe(TENANT_ID);
    expect(identity.clientSecret).toBeUndefined();
    expect(identity.kesServiceAccount).toEqual({ namespace: 'minio-tenant-1', name: 'minio-tenant-1-kes' });
    expect(await promiseOf(identity.clientSecretEndDates)).toEqual({});
  });
});

describe.each(vaultModes)('workload identity on a user-assigned managed identity, %s vault', (accessMode) => {
  test('the identity and its azure-native federated credential; no app, no service principal, no password; the grant names the principalId', async () => {
    const identity = await build(
      args(accessMode, {
        kesAuth: 'workloadIdentity' as any,
        workloadIdentity: { ...WI, identity: 'userAssignedIdentity' as any },
        userAssignedIdentity: UAMI,
      }),
    );
    const [uami] = world.ofType(TYPES.userAssignedIdentity);
    expect(uami.inputs).toMatchObject({
      resourceGroupName: 'rg-identities',
      location: 'westeurope',
      resourceName: 'minio-kes-id',
    });
    const fics = world.ofType(TYPES.uamiFederatedCredential);
    expect(fics).toHaveLength(1);
    expect(fics[0].inputs).toMatchObject({
      resourceGroupName: 'rg-identities',
      resourceName: 'minio-kes-id',
      issuer: ISSUER,
      subject: SUBJECT,
      audiences: ['api://AzureADTokenExchange'],
    });
    expect(world.ofType(TYPES.application)).toEqual([]);
    expect(world.ofType(TYPES.servicePrincipal)).toEqual([]);
    expect(world.ofType(TYPES.password)).toEqual([]);
    expect(world.ofType(TYPES.appFederatedCredential)).toEqual([]);
    expect(grantedPrincipal(accessMode)).toBe(UAMI_PRINCIPAL_ID);
    expect(await promiseOf(identity.clientId)).toBe(UAMI_CLIENT_ID);
    expect(identity.servicePrincipalObjectId).toBeUndefined();
  });
});

describe.each(vaultModes)('managed identity (no federation), %s vault', (accessMode) => {
  test('only the identity; no federated credential, no app, no password; the grant names its principalId', async () => {
    const identity = await build(args(accessMode, { kesAuth: 'managedIdentity' as any, userAssignedIdentity: UAMI }));
    expect(world.ofType(TYPES.userAssignedIdentity)).toHaveLength(1);
    expect(world.ofType(TYPES.uamiFederatedCredential)).toEqual([]);
    expect(world.ofType(TYPES.appFederatedCredential)).toEqual([]);
    expect(world.ofType(TYPES.application)).toEqual([]);
    expect(world.ofType(TYPES.password)).toEqual([]);
    expect(grantedPrincipal(accessMode)).toBe(UAMI_PRINCIPAL_ID);
    expect(await promiseOf(identity.clientId)).toBe(UAMI_CLIENT_ID);
    expect(identity.kesServiceAccount).toBeUndefined();
  });
});

describe.each(vaultModes)('client secret (default), %s vault', (accessMode) => {
  test('the grant names the service principal, never the app', async () => {
    await build(args(accessMode, { clientSecrets: [{ name: 'a', startDate: dayOffset(-1) }] }));
    expect(world.ofType(TYPES.password)).toHaveLength(1);
    expect(world.ofType(TYPES.appFederatedCredential)).toEqual([]);
    expect(grantedPrincipal(accessMode)).toBe(SP_OBJECT_ID);
  });
});

describe("clouds: the providers must target the Key Vault endpoint's cloud", () => {
  const china = 'https://kv-minio-prod.vault.azure.cn';

  test('fails when the endpoint is in Azure China but both providers target the public cloud, before anything is registered', async () => {
    expect(
      () =>
        new az.KesAzureIdentity(
          'kes',
          args('rbac', { kesAuth: 'workloadIdentity' as any, workloadIdentity: WI, keyVaultEndpoint: china }),
        ),
    ).toThrow(
      [
        'invalid KesAzureIdentity "kes" arguments (2 problems):',
        '  - azuread:environment: the azuread provider targets Azure public cloud (environment "public") but the Key Vault endpoint "https://kv-minio-prod.vault.azure.cn" is in Azure China: run `pulumi config set azuread:environment china`',
        '  - azure-native:environment: the azure-native provider targets Azure public cloud (environment "public") but the Key Vault endpoint "https://kv-minio-prod.vault.azure.cn" is in Azure China: run `pulumi config set azure-native:environment china`',
      ].join('\n'),
    );
    await flush();
    expect(world.resources).toEqual([]);
  });

  test('fails when an explicit provider environment names another cloud, with the fix for explicit providers', () => {
    const a = args('rbac', {
      kesAuth: 'managedIdentity' as any,
      userAssignedIdentity: UAMI,
      keyVaultEndpoint: 'https://kv-minio-prod.vault.usgovcloudapi.net',
      providerEnvironments: { azuread: 'usgovernment', azureNative: 'china' },
    });
    expect(az.validateKesAzureIdentityArgs(a).map((p) => `${p.path}: ${p.message}`)).toEqual([
      'providerEnvironments.azureNative: the azure-native provider targets Azure China (environment "china") but the Key Vault endpoint "https://kv-minio-prod.vault.usgovcloudapi.net" is in Azure US Government: set environment: "usgovernment" on your azure-native provider and providerEnvironments.azureNative to match',
    ]);
  });

  test('fails when a provider environment is unknown', () => {
    const a = args('rbac', {
      clientSecrets: [{ name: 'a', startDate: dayOffset(-1) }],
      providerEnvironments: { azuread: 'germany' },
    });
    expect(az.validateKesAzureIdentityArgs(a).map((p) => `${p.path}: ${p.message}`)).toEqual([
      'providerEnvironments.azuread: "germany" is not an environment the azuread provider knows; the default Key Vault endpoint (public cloud) is in Azure public cloud: set environment: "global" on your azuread provider and providerEnvironments.azuread to match',
    ]);
  });

  test("stack config naming the endpoint's cloud passes, and the grant is registered for the China vault", async () => {
    pulumi.runtime.setAllConfig({ 'azuread:environment': 'china', 'azure-native:environment': 'china' });
    world.vaultDnsSuffix = 'vault.azure.cn';
    const identity = await build(
      args('rbac', { kesAuth: 'workloadIdentity' as any, workloadIdentity: WI, keyVaultEndpoint: china }),
    );
    expect(identity.cloud).toBe('china');
    expect(await promiseOf(identity.keyVaultUri)).toBe('https://kv-minio-prod.vault.azure.cn/');
    expect(world.ofType(TYPES.roleAssignment)).toHaveLength(1);
  });

  test('azuread aliases of US Government (usgovernmentl4, dod) are accepted', () => {
    for (const azuread of ['usgovernment', 'usgovernmentl4', 'usgovernmentl5', 'dod']) {
      const a = args('rbac', {
        clientSecrets: [{ name: 'a', startDate: dayOffset(-1) }],
        keyVaultEndpoint: 'https://kv-minio-prod.vault.usgovcloudapi.net/',
        providerEnvironments: { azuread, azureNative: 'usgovernment' },
      });
      expect(az.validateKesAzureIdentityArgs(a)).toEqual([]);
    }
  });
});

describe('invalid auth combinations, refused with exact messages before anything is registered', () => {
  const slot = { name: 'a', startDate: dayOffset(-1) };
  const cases: [string, Partial<KesAzureIdentityArgs>, string[]][] = [
    [
      'client secrets with workload identity (two methods)',
      { kesAuth: 'workloadIdentity' as any, workloadIdentity: WI, clientSecrets: [slot], activeClientSecret: 'a' },
      [
        'clientSecrets: is set but kesAuth is "workloadIdentity": give one authentication method only; remove clientSecrets, or set kesAuth to "clientSecret" to use client secrets',
        'activeClientSecret: is set but kesAuth is "workloadIdentity": give one authentication method only; remove activeClientSecret, or set kesAuth to "clientSecret" to use client secrets',
      ],
    ],
    [
      'workload identity arguments with managed identity (two methods)',
      { kesAuth: 'managedIdentity' as any, workloadIdentity: WI, userAssignedIdentity: UAMI },
      [
        'workloadIdentity: is set but kesAuth is "managedIdentity": give one authentication method only; remove workloadIdentity, or set kesAuth to "workloadIdentity"',
      ],
    ],
    [
      'workload identity arguments with client secrets (two methods)',
      { clientSecrets: [slot], workloadIdentity: WI },
      [
        'workloadIdentity: is set but kesAuth is "clientSecret": give one authentication method only; remove workloadIdentity, or set kesAuth to "workloadIdentity"',
      ],
    ],
    [
      'a managed identity with client secrets',
      { clientSecrets: [slot], userAssignedIdentity: UAMI },
      [
        'userAssignedIdentity: is set but kesAuth is "clientSecret": a managed identity is only used with kesAuth "managedIdentity" or workload identity of kind "userAssignedIdentity"; remove it',
      ],
    ],
    [
      'a managed identity with workload identity on the app',
      { kesAuth: 'workloadIdentity' as any, workloadIdentity: WI, userAssignedIdentity: UAMI },
      [
        'userAssignedIdentity: is set but workloadIdentity.identity is "application" (the federated credential goes on the app registration); remove it, or set workloadIdentity.identity to "userAssignedIdentity"',
      ],
    ],
    [
      'managed identity without the identity',
      { kesAuth: 'managedIdentity' as any },
      [
        'userAssignedIdentity: required with kesAuth "managedIdentity": the managed identity KES uses, { resourceGroupName, location?, name?, tags? }',
      ],
    ],
    [
      'workload identity of kind userAssignedIdentity without the identity',
      { kesAuth: 'workloadIdentity' as any, workloadIdentity: { ...WI, identity: 'userAssignedIdentity' as any } },
      [
        'userAssignedIdentity: required with kesAuth "workloadIdentity" and workloadIdentity.identity "userAssignedIdentity": the managed identity KES uses, { resourceGroupName, location?, name?, tags? }',
      ],
    ],
    [
      'workload identity without its arguments',
      { kesAuth: 'workloadIdentity' as any },
      [
        'workloadIdentity: required with kesAuth "workloadIdentity": { oidcIssuerUrl, namespace, serviceAccountName, identity? }',
      ],
    ],
    [
      'an issuer URL that is not https',
      {
        kesAuth: 'workloadIdentity' as any,
        workloadIdentity: { ...WI, oidcIssuerUrl: 'http://westeurope.oic.prod-aks.azure.com/x/' },
      },
      [
        'workloadIdentity.oidcIssuerUrl: "http://westeurope.oic.prod-aks.azure.com"... (43 characters) must use https:// (got http://): Entra ID trusts only https OIDC issuers, and the AKS issuer is https',
      ],
    ],
    [
      'an issuer that is not a URL',
      { kesAuth: 'workloadIdentity' as any, workloadIdentity: { ...WI, oidcIssuerUrl: 'oic.prod-aks' } },
      [
        'workloadIdentity.oidcIssuerUrl: "oic.prod-aks" is not a URL; expected the AKS OIDC issuer URL, https://<region>.oic.prod-aks.azure.com/<tenant-id>/<guid>/ (az aks show --query oidcIssuerProfile.issuerUrl)',
      ],
    ],
    [
      'an issuer with a query',
      { kesAuth: 'workloadIdentity' as any, workloadIdentity: { ...WI, oidcIssuerUrl: 'https://issuer.example/?a=1' } },
      [
        'workloadIdentity.oidcIssuerUrl: "https://issuer.example/?a=1" must be a plain https URL of at most 600 characters, without query, fragment or user info',
      ],
    ],
    [
      'a bad namespace and service account name',
      {
        kesAuth: 'workloadIdentity' as any,
        workloadIdentity: { ...WI, namespace: 'Minio_NS', serviceAccountName: undefined as any },
      },
      [
        'workloadIdentity.namespace: a string of 8 characters (value not shown) must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit (a namespace)',
        'workloadIdentity.serviceAccountName: required: the KES service account; it is part of the federated subject',
      ],
    ],
    [
      'an unknown kesAuth',
      { kesAuth: 'federated' as any, clientSecrets: [slot] },
      [
        'kesAuth: "federated" is not a KesAuthMode; expected one of "clientSecret", "workloadIdentity", "managedIdentity"',
      ],
    ],
    [
      'an endpoint of another vault',
      { clientSecrets: [slot], keyVaultEndpoint: 'https://other-vault.vault.azure.net' },
      [
        'keyVaultEndpoint: "https://other-vault.vault.azure.net" names vault "other-vault" but the vault granted is "kv-minio-prod"',
      ],
    ],
  ];

  test.each(cases)('fails when %s', async (_what, extra, expected) => {
    const a = args('rbac', extra);
    expect(az.validateKesAzureIdentityArgs(a).map((p) => `${p.path}: ${p.message}`)).toEqual(expected);
    expect(() => new az.KesAzureIdentity('kes', a)).toThrow(
      `invalid KesAzureIdentity "kes" arguments (${expected.length} problem`,
    );
    await flush();
    expect(world.resources).toEqual([]);
  });
});

describe('provider environments when none are passed', () => {
  const saved = process.env.ARM_ENVIRONMENT;
  afterEach(() => {
    if (saved === undefined) {
      delete process.env.ARM_ENVIRONMENT;
    } else {
      process.env.ARM_ENVIRONMENT = saved;
    }
  });

  test('stack config first, then ARM_ENVIRONMENT for azuread only (as the SDKs read them), else public', () => {
    delete process.env.ARM_ENVIRONMENT;
    expect(az.configuredProviderEnvironments()).toEqual({ azuread: 'public', azureNative: 'public' });
    process.env.ARM_ENVIRONMENT = 'china';
    expect(az.configuredProviderEnvironments()).toEqual({ azuread: 'china', azureNative: 'public' });
    pulumi.runtime.setAllConfig({ 'azuread:environment': 'usgovernment', 'azure-native:environment': 'usgovernment' });
    expect(az.configuredProviderEnvironments()).toEqual({ azuread: 'usgovernment', azureNative: 'usgovernment' });
  });
});

describe('federated credential names', () => {
  test('letters, digits, "-" and "_" only, at most 120 characters, no trailing "-"', () => {
    expect(az.federatedCredentialName('minio-tenant-1', 'minio-tenant-1-kes')).toBe(
      'kes-minio-tenant-1-minio-tenant-1-kes',
    );
    expect(az.federatedCredentialName('ns', 'kes.sa')).toBe('kes-ns-kes-sa');
    const long = az.federatedCredentialName('n'.repeat(63), `${'s'.repeat(53)}.${'t'.repeat(100)}`);
    expect(long).toHaveLength(120);
    expect(long).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/);
    expect(az.federatedCredentialName('n'.repeat(63), `${'s'.repeat(52)}.x`)).toBe(
      `kes-${'n'.repeat(63)}-${'s'.repeat(52)}`,
    );
  });
});
