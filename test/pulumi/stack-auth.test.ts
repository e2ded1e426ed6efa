/**
 * MinioSseStack in the secretless modes: the tenant chart's ServiceAccount, pod label and KES env are wired from
 * the identity's outputs; no client secret, no credentials Secret; refusals before anything is registered.
 */
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import {
  CLIENT_ID,
  installMocks,
  MockWorld,
  promiseOf,
  recordChildren,
  TENANT_ID,
  TYPES,
  UAMI_CLIENT_ID,
  UAMI_PRINCIPAL_ID,
} from '../azure/mocks';
import { fixtureCrds } from '../support/fixtures';
import { validateObject } from '../support/k8s-validate';
import { allRegistrations } from './registrations';

const RANDOM_PASSWORD = 'random:index/randomPassword:RandomPassword';
const CONFIG_GROUP = 'kubernetes:yaml/v2:ConfigGroup';
const SECRET = 'kubernetes:core/v1:Secret';
const ISSUER =
  'https://westeurope.oic.prod-aks.azure.com/11111111-1111-4111-8111-111111111111/0f0f0f0f-1111-2222-3333-444444444444/';

let world: MockWorld;

beforeAll(() => {
  world = installMocks({
    newResource: (args) =>
      args.type === RANDOM_PASSWORD
        ? { id: `${args.name}-id`, state: { ...args.inputs, result: 'CANARYroot0123456789abcdefghij' } }
        : undefined,
  });
});

beforeEach(() => {
  world.reset();
  pulumi.runtime.setAllConfig({});
});

/** Every registration has reached the mocks (no fixed sleep: the SDK's registration chain). */
const settleAll = allRegistrations;

/** The seed declaration for a release, without kes.auth (the stack sets it in the secretless modes). */
function declarationWithoutAuth(release: 'v5.0.4' | 'v7.1.1', kes: Record<string, unknown> = {}) {
  const { seedDeclaration } = require('../../examples/seed');
  const { OperatorRelease } = require('../../lib');
  const seed = seedDeclaration({ release: OperatorRelease.fromTag(release) });
  const { auth: _auth, ...rest } = seed.kes;
  return { ...seed, kes: { ...rest, ...kes } };
}

const vault = { resourceGroupName: 'rg-minio', vaultName: 'minio-kes-example', accessMode: 'rbac' };
const workloadIdentity = {
  oidcIssuerUrl: ISSUER,
  namespace: 'minio-tenant-1',
  serviceAccountName: 'minio-tenant-1-kes',
};
const uami = { resourceGroupName: 'rg-id', name: 'minio-kes-id' };

async function tenantObjects(): Promise<any[]> {
  await settleAll();
  const group = world.ofType(CONFIG_GROUP).find((g) => g.name === 'sse-tenant');
  expect(group).toBeDefined();
  return group!.inputs.objs as any[];
}

function kesConfigOf(objs: any[]): any {
  const tenant = objs.find((o) => o.kind === 'Tenant');
  const secret = objs.find((o) => o.kind === 'Secret' && o.metadata.name === tenant.spec.kes.kesSecret.name);
  return parse(secret.stringData['server-config.yaml']);
}

describe('MinioSseStack with workload identity (federated credential on the app)', () => {
  test("no password, no credentials Secret; the ServiceAccount carries the app's client and tenant ID; the tenant group waits for the federated credential", async () => {
    const { MinioSseStack } = require('../../lib/pulumi');
    const { OperatorRelease } = require('../../lib');
    const { seen, transformation } = recordChildren();
    const stack = new MinioSseStack(
      'sse',
      {
        declaration: declarationWithoutAuth('v7.1.1'),
        azure: { existingVault: vault, kesAuth: 'workloadIdentity', workloadIdentity },
        crds: fixtureCrds(),
      },
      { transformations: [transformation] },
    );
    const objs = await tenantObjects();
    expect(world.ofType(TYPES.password)).toEqual([]);
    expect(world.ofType(SECRET).map((r) => r.inputs.metadata.name)).toEqual(['minio-tenant-1-env-configuration']);
    expect(stack.kesCredentialsSecret).toBeUndefined();
    const [fic] = world.ofType(TYPES.appFederatedCredential);
    expect(fic.inputs).toMatchObject({
      issuer: ISSUER,
      subject: 'system:serviceaccount:minio-tenant-1:minio-tenant-1-kes',
      audiences: ['api://AzureADTokenExchange'],
    });

    const sa = objs.find((o) => o.kind === 'ServiceAccount');
    expect(sa.metadata).toMatchObject({
      name: 'minio-tenant-1-kes',
      namespace: 'minio-tenant-1',
      annotations: { 'azure.workload.identity/client-id': CLIENT_ID, 'azure.workload.identity/tenant-id': TENANT_ID },
    });
    const tenant = objs.find((o) => o.kind === 'Tenant');
    expect(tenant.spec.kes.serviceAccountName).toBe('minio-tenant-1-kes');
    expect(tenant.spec.kes.labels).toEqual({ 'azure.workload.identity/use': 'true' });
    expect(tenant.spec.kes.env ?? []).toEqual([]);
    expect(kesConfigOf(objs).keystore).toEqual({
      azure: { keyvault: { endpoint: 'https://minio-kes-example.vault.azure.net' } },
    });
    expect(objs.flatMap((o) => validateObject(o, OperatorRelease.V7_1_1))).toEqual([]);
    // the preview synthesized before registration held placeholders; what is applied holds none
    expect(JSON.stringify(objs)).not.toContain('00000000-0000-0000-0000-000000000000');
    expect(JSON.stringify(stack.tenantObjects)).toContain('00000000-0000-0000-0000-000000000000');

    const deps = (seen.find((c) => c.name === 'sse-tenant')?.opts.dependsOn ?? []) as pulumi.Resource[];
    expect(deps).toContain(stack.identity.federatedCredential);
    expect(deps).toContain(stack.identity.roleAssignment);
    expect(await promiseOf(stack.clientSecretEndDate)).toBeUndefined();
  });
});

describe('MinioSseStack with workload identity on a user-assigned managed identity', () => {
  test("the ServiceAccount names the identity's client ID, the grant its principal; no app registration", async () => {
    const { MinioSseStack } = require('../../lib/pulumi');
    new MinioSseStack('sse', {
      declaration: declarationWithoutAuth('v7.1.1'),
      azure: {
        existingVault: vault,
        kesAuth: 'workloadIdentity',
        workloadIdentity: { ...workloadIdentity, identity: 'userAssignedIdentity' },
        userAssignedIdentity: uami,
      },
      crds: fixtureCrds(),
    });
    const objs = await tenantObjects();
    const sa = objs.find((o) => o.kind === 'ServiceAccount');
    expect(sa.metadata.annotations).toEqual({
      'azure.workload.identity/client-id': UAMI_CLIENT_ID,
      'azure.workload.identity/tenant-id': TENANT_ID,
    });
    expect(world.ofType(TYPES.uamiFederatedCredential)[0].inputs.subject).toBe(
      'system:serviceaccount:minio-tenant-1:minio-tenant-1-kes',
    );
    expect(world.ofType(TYPES.roleAssignment)[0].inputs.principalId).toBe(UAMI_PRINCIPAL_ID);
    expect(world.ofType(TYPES.application)).toEqual([]);
  });
});

describe('MinioSseStack with managed identity', () => {
  test("the Tenant's KES env and managed_identity block name the identity's client ID; the grant names its principal", async () => {
    const { MinioSseStack } = require('../../lib/pulumi');
    const { OperatorRelease } = require('../../lib');
    new MinioSseStack('sse', {
      declaration: declarationWithoutAuth('v5.0.4'),
      azure: { existingVault: vault, kesAuth: 'managedIdentity', userAssignedIdentity: uami },
      crds: fixtureCrds(),
    });
    const objs = await tenantObjects();
    const tenant = objs.find((o) => o.kind === 'Tenant');
    expect(tenant.spec.kes.env).toEqual([{ name: 'AZURE_CLIENT_ID', value: UAMI_CLIENT_ID }]);
    expect(tenant.spec.kes.serviceAccountName).toBeUndefined();
    expect(kesConfigOf(objs).keystore.azure.keyvault.managed_identity).toEqual({ client_id: '${AZURE_CLIENT_ID}' });
    expect(world.ofType(TYPES.roleAssignment)[0].inputs.principalId).toBe(UAMI_PRINCIPAL_ID);
    expect(world.ofType(TYPES.application)).toEqual([]);
    expect(world.ofType(TYPES.password)).toEqual([]);
    expect(objs.flatMap((o) => validateObject(o, OperatorRelease.V5_0_4))).toEqual([]);
  });
});

describe('MinioSseStack refuses before anything is registered', () => {
  async function refusal(args: Record<string, unknown>): Promise<string> {
    const { MinioSseStack } = require('../../lib/pulumi');
    let message = '';
    try {
      new MinioSseStack('sse', { crds: fixtureCrds(), ...args });
    } catch (e) {
      message = (e as Error).message;
    }
    await settleAll();
    expect(world.resources).toEqual([]);
    return message;
  }

  test('fails when the declaration also names an auth method (two methods)', async () => {
    const { seedDeclaration } = require('../../examples/seed');
    const message = await refusal({
      declaration: seedDeclaration(),
      azure: { existingVault: vault, kesAuth: 'workloadIdentity', workloadIdentity },
    });
    expect(message).toContain(
      '  - declaration.kes.auth: must be left out with azure.kesAuth "workloadIdentity": the stack sets it from the identity it creates ("clientSecret" given); give one authentication method',
    );
  });

  test('fails when client secrets are asked for but the declaration has no kes.auth', async () => {
    const message = await refusal({
      declaration: declarationWithoutAuth('v7.1.1'),
      azure: { existingVault: vault, clientSecrets: [{ name: 'a', startDate: new Date().toISOString().slice(0, 10) }] },
    });
    expect(message).toBe(
      'invalid MinioSseStack arguments (1 problem):\n  - declaration.kes.auth: is required with azure.kesAuth "clientSecret": AzureAuth.clientSecret({ secretName }), the Secret the stack creates',
    );
  });

  test("fails when the federated subject names another namespace than the tenant's", async () => {
    const message = await refusal({
      declaration: declarationWithoutAuth('v7.1.1'),
      azure: {
        existingVault: vault,
        kesAuth: 'workloadIdentity',
        workloadIdentity: { ...workloadIdentity, namespace: 'other' },
      },
    });
    expect(message).toBe(
      'invalid MinioSseStack arguments (1 problem):\n  - azure.workloadIdentity.namespace: "other" is not the tenant namespace "minio-tenant-1": the federated credential would trust a service account KES does not run as',
    );
  });

  test('fails when workload identity runs the 2023 KES image of operator v5.0.4', async () => {
    const message = await refusal({
      declaration: declarationWithoutAuth('v5.0.4'),
      azure: { existingVault: vault, kesAuth: 'workloadIdentity', workloadIdentity },
    });
    expect(message).toBe(
      'invalid MinioSseStack arguments (1 problem):\n  - declaration.kes.auth: workload identity needs a KES image from 2024-06-17T15-47-05Z on (DefaultAzureCredential); "quay.io/minio/kes:2023-04-18T19-36-09Z" only supports client-secret or managed-identity auth: set kes.image',
    );
  });

  test('fails when the China endpoint meets the 2023 image and providers of the public cloud, naming every fix', async () => {
    const message = await refusal({
      declaration: declarationWithoutAuth('v5.0.4', { keyVaultEndpoint: 'https://minio-kes-example.vault.azure.cn' }),
      azure: { existingVault: vault, kesAuth: 'managedIdentity', userAssignedIdentity: uami },
    });
    expect(message.split('\n')).toEqual([
      'invalid MinioSseStack arguments (3 problems):',
      '  - declaration.kes.image: "quay.io/minio/kes:2023-04-18T19-36-09Z" cannot authenticate to Azure China (kes.keyVaultEndpoint ends in .vault.azure.cn): KES images before 2024-06-17T15-47-05Z request tokens for the public cloud only; set kes.image to quay.io/minio/kes:2024-06-17T15-47-05Z or later',
      '  - azuread:environment: the azuread provider targets Azure public cloud (environment "public") but the Key Vault endpoint "https://minio-kes-example.vault.azure.cn" is in Azure China: run `pulumi config set azuread:environment china`',
      '  - azure-native:environment: the azure-native provider targets Azure public cloud (environment "public") but the Key Vault endpoint "https://minio-kes-example.vault.azure.cn" is in Azure China: run `pulumi config set azure-native:environment china`',
    ]);
  });

  test('a China stack with matching providers and a 2025 image registers, and KES gets the China authority host', async () => {
    pulumi.runtime.setAllConfig({ 'azuread:environment': 'china', 'azure-native:environment': 'china' });
    world.vaultDnsSuffix = 'vault.azure.cn';
    const { MinioSseStack } = require('../../lib/pulumi');
    new MinioSseStack('sse', {
      declaration: declarationWithoutAuth('v7.1.1', { keyVaultEndpoint: 'https://minio-kes-example.vault.azure.cn' }),
      azure: { existingVault: vault, kesAuth: 'workloadIdentity', workloadIdentity },
      crds: fixtureCrds(),
    });
    const objs = await tenantObjects();
    const tenant = objs.find((o) => o.kind === 'Tenant');
    expect(tenant.spec.kes.env).toEqual([{ name: 'AZURE_AUTHORITY_HOST', value: 'https://login.chinacloudapi.cn/' }]);
  });
});
