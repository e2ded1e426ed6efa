import * as pulumi from '@pulumi/pulumi';
import { installMocks, MockWorld, promiseOf, recordChildren, SeenChild, TYPES } from '../azure/mocks';
import { fixtureCrds } from '../support/fixtures';
import { allRegistrations } from './registrations';

const RANDOM_PASSWORD = 'random:index/randomPassword:RandomPassword';
const CONFIG_GROUP = 'kubernetes:yaml/v2:ConfigGroup';
const SECRET = 'kubernetes:core/v1:Secret';
let world: MockWorld;

beforeAll(() => {
  world = installMocks({
    newResource: (args) =>
      args.type === RANDOM_PASSWORD
        ? { id: `${args.name}-id`, state: { ...args.inputs, result: 'rootpw0123456789' } }
        : undefined,
  });
});

beforeEach(() => {
  world.reset();
  world.existingVault.enableRbacAuthorization = false; // access policies: one grant resource per identity
});

const today = () => new Date().toISOString().slice(0, 10);

/** The example platform's arguments, with the fixtures' CRDs and access-policy vaults. */
function exampleArgs(release?: any) {
  const { platformStackArgs } = require('../../examples/platform/pulumi/args');
  return platformStackArgs({ release, crds: fixtureCrds(), accessMode: 'accessPolicy', startDate: today() });
}

function azureFor(vaultName: string, displayName: string) {
  return {
    displayName,
    existingVault: { resourceGroupName: 'rg-minio', vaultName, accessMode: 'accessPolicy' },
    clientSecrets: [{ name: 'primary', startDate: today() }],
  };
}

const optsOf = (seen: SeenChild[], name: string) => seen.find((c) => c.name === name)?.opts;
const deps = (seen: SeenChild[], name: string) => (optsOf(seen, name)?.dependsOn ?? []) as pulumi.Resource[];

describe('MinioSsePlatformStack', () => {
  test('registers the operator once and, per tenant, one identity, one vault grant, one namespace, two Secrets, one group', async () => {
    const { MinioSsePlatformStack } = require('../../lib/pulumi');
    const { seen, transformation } = recordChildren();
    const platform = new MinioSsePlatformStack('p', exampleArgs(), { transformations: [transformation] });
    await allRegistrations();

    const groups = world.ofType(CONFIG_GROUP);
    expect(groups.map((g) => g.name).sort()).toEqual([
      'p-operator',
      'p-team-a-namespace',
      'p-team-a-tenant',
      'p-team-b-namespace',
      'p-team-b-tenant',
      'p-team-c-namespace',
      'p-team-c-tenant',
    ]);
    const holding = (kind: string, name: string) =>
      groups
        .filter((g) => (g.inputs.objs as any[]).some((o) => o.kind === kind && o.metadata.name === name))
        .map((g) => g.name);
    expect(holding('Deployment', 'minio-operator')).toEqual(['p-operator']);
    expect(holding('CustomResourceDefinition', 'tenants.minio.min.io')).toEqual(['p-operator']);
    expect(holding('ClusterRole', 'minio-operator-role')).toEqual(['p-operator']);
    for (const team of ['team-a', 'team-b', 'team-c']) {
      expect(groups.find((g) => g.name === `p-${team}-namespace`)!.inputs.objs).toEqual([
        expect.objectContaining({ kind: 'Namespace', metadata: expect.objectContaining({ name: team }) }),
      ]);
      expect(holding('Tenant', team)).toEqual([`p-${team}-tenant`]);
    }

    expect(
      world
        .ofType(TYPES.application)
        .map((a) => a.inputs.displayName)
        .sort(),
    ).toEqual(['minio-kes-team-a', 'minio-kes-team-b', 'minio-kes-team-c']);
    expect(world.ofType(TYPES.servicePrincipal)).toHaveLength(3);
    expect(world.ofType(TYPES.password)).toHaveLength(3);
    const policies = world.ofType(TYPES.accessPolicy);
    expect(policies.map((p) => `${p.name} ${p.inputs.vaultName}`).sort()).toEqual([
      'p-team-a-azure-access-policy minio-kes-shared',
      'p-team-b-azure-access-policy minio-kes-shared',
      'p-team-c-azure-access-policy minio-kes-team-c',
    ]);
    expect(
      world
        .ofType(SECRET)
        .map((s) => `${s.inputs.metadata.namespace}/${s.inputs.metadata.name}`)
        .sort(),
    ).toEqual([
      'team-a/kes-azure-credentials',
      'team-a/team-a-env-configuration',
      'team-b/kes-azure-credentials',
      'team-b/team-b-env-configuration',
      'team-c/kes-azure-credentials',
      'team-c/team-c-env-configuration',
    ]);

    // order: namespace after the operator; Secrets after the namespace; the tenant group after all and the grant
    const a = platform.tenants.get('team-a');
    expect(deps(seen, 'p-team-a-namespace')).toEqual([platform.operator.group]);
    expect(deps(seen, 'p-team-a-kes-azure-credentials')).toEqual([platform.operator.group, a.namespaceGroup]);
    expect(deps(seen, 'p-team-a-tenant')).toEqual([
      platform.operator.group,
      a.namespaceGroup,
      a.kesCredentialsSecret,
      a.tenantConfigSecret,
      a.identity.accessPolicy,
    ]);
    expect(await promiseOf(platform.tenantNamespaces)).toEqual(['team-a', 'team-b', 'team-c']);
    expect(await promiseOf(platform.release)).toBe('v5.0.4');
  });

  test('the tenant groups hold the objects the cdk8s platform writes for the same tenants (plus the slot annotation)', async () => {
    const { MinioSsePlatformStack } = require('../../lib/pulumi');
    const { MinioSsePlatform, ACTIVE_CLIENT_SECRET_ANNOTATION } = require('../../lib');
    const { App } = require('cdk8s');
    const { platformDeclaration } = require('../../examples/platform/platform');
    const platform = new MinioSsePlatformStack('p', exampleArgs());
    const cdk8s = new MinioSsePlatform(new App(), {
      declaration: platformDeclaration(),
      crds: fixtureCrds(),
    }).manifests();
    const fromCdk8s = cdk8s.find((m: any) => m.fileName === 'tenant-team-c.k8s.yaml').objects;
    const tenantObjects = JSON.parse(JSON.stringify(platform.tenants.get('team-c').tenantObjects));
    const t = tenantObjects.find((o: any) => o.kind === 'Tenant');
    expect(t.spec.kes.annotations[ACTIVE_CLIENT_SECRET_ANNOTATION]).toBe('primary');
    delete t.spec.kes.annotations[ACTIVE_CLIENT_SECRET_ANNOTATION];
    expect(tenantObjects).toEqual(fromCdk8s.slice(1)); // the Namespace is in its own group
    expect(platform.operator.objects).toEqual(cdk8s[0].objects);
    await allRegistrations();
  });

  test('fails when two tenants share a vault without sharedVault, before any resource is registered', async () => {
    const { MinioSsePlatformStack } = require('../../lib/pulumi');
    const args = exampleArgs();
    const tenants = args.tenants.map((t: any) => ({ ...t, sharedVault: undefined }));
    expect(() => new MinioSsePlatformStack('p', { ...args, tenants })).toThrow(
      'invalid MinioSsePlatformStack arguments (2 problems):\n' +
        '  - tenants[0].sharedVault: must be true: tenants[0], tenants[1] share vault "minio-kes-shared", and then every one of their KES identities can read, overwrite and delete every one of their EKs (see sharedVault); or give each tenant its own vault\n' +
        '  - tenants[1].sharedVault: must be true: tenants[0], tenants[1] share vault "minio-kes-shared", and then every one of their KES identities can read, overwrite and delete every one of their EKs (see sharedVault); or give each tenant its own vault',
    );
    await allRegistrations();
    expect(world.resources).toHaveLength(0);
  });

  test('fails when cross-tenant rules break, with paths under tenants[i].declaration', async () => {
    const { MinioSsePlatformStack } = require('../../lib/pulumi');
    const args = exampleArgs();
    const [a, b, c] = args.tenants;
    const { teamTenant } = require('../../examples/platform/platform');
    const bSamePrefix = { ...b, declaration: teamTenant('team-b', 'minio-kes-shared', 'team-a-b-') };
    const cSameName = { ...c, declaration: { ...c.declaration, tenant: { ...c.declaration.tenant, name: 'team-a' } } };
    let message = '';
    try {
      new MinioSsePlatformStack('p', { ...args, tenants: [a, bSamePrefix, cSameName] });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^invalid MinioSsePlatformStack arguments \(2 problems\):\n/);
    expect(message).toContain(
      '  - tenants[2].declaration.tenant.name: "team-a" is also the name of tenants[0]: tenant names must be unique (each tenant has its own file, KES and Services)',
    );
    expect(message).toContain(
      '  - tenants[1].declaration.kes.keyNamePrefix: "team-a-b-" overlaps "team-a-" of tenants[0] in the shared vault "minio-kes-shared": no prefix may be a prefix of another (compared case-insensitively, as Key Vault names are)',
    );
    await allRegistrations();
    expect(world.resources).toHaveLength(0);
  });

  test('with installOperator: false, registers no operator and the tenants wait for nothing', async () => {
    const { MinioSsePlatformStack } = require('../../lib/pulumi');
    const { seen, transformation } = recordChildren();
    const platform = new MinioSsePlatformStack(
      'p',
      { ...exampleArgs(), installOperator: false },
      { transformations: [transformation] },
    );
    await allRegistrations();
    expect(platform.operator).toBeUndefined();
    expect(world.ofType(CONFIG_GROUP).map((g) => g.name)).not.toContain('p-operator');
    expect(deps(seen, 'p-team-a-namespace')).toEqual([]);
  });
});

describe('MinioSseOperator and MinioSseTenant apart (platform stack, team stack)', () => {
  test('the operator component alone registers one group and nothing in Azure', async () => {
    const { MinioSseOperator } = require('../../lib/pulumi');
    const { OperatorRelease } = require('../../lib');
    const op = new MinioSseOperator('platform', { release: OperatorRelease.V7_1_1, crds: fixtureCrds() });
    await allRegistrations();
    expect(
      world.resources
        .filter((r) => r.type !== 'minio-sse-azure:pulumi:MinioSseOperator')
        .map((r) => `${r.type} ${r.name}`),
    ).toEqual([`${CONFIG_GROUP} platform-operator`]);
    expect(op.objects.filter((o: any) => o.kind === 'Namespace').map((o: any) => o.metadata.name)).toEqual([
      'minio-operator',
    ]);
    expect(await promiseOf(op.release)).toBe('v7.1.1');
    expect(await promiseOf(op.operatorNamespace)).toBe('minio-operator');
  });

  test('a tenant component in a team stack (release from a stack reference) brings its own namespace, identity and grant', async () => {
    const { MinioSseTenant } = require('../../lib/pulumi');
    const { OperatorRelease } = require('../../lib');
    const { teamTenant } = require('../../examples/platform/platform');
    const { seen, transformation } = recordChildren();
    const releaseFromReference = 'v7.1.1'; // what `await ref.requireOutputValue('release')` returns
    const tenant = new MinioSseTenant(
      'team-d',
      {
        declaration: {
          ...teamTenant('team-d', 'minio-kes-team-d'),
          release: OperatorRelease.fromTag(releaseFromReference),
        },
        azure: azureFor('minio-kes-team-d', 'minio-kes-team-d'),
        crds: fixtureCrds(),
      },
      { transformations: [transformation] },
    );
    await allRegistrations();
    expect(world.ofType(CONFIG_GROUP).map((g) => g.name)).toEqual(['team-d-namespace', 'team-d-tenant']);
    expect(world.ofType(TYPES.application)).toHaveLength(1);
    expect(world.ofType(TYPES.accessPolicy).map((p) => p.inputs.vaultName)).toEqual(['minio-kes-team-d']);
    expect(deps(seen, 'team-d-namespace')).toEqual([]);
    expect(deps(seen, 'team-d-tenant-config')).toEqual([tenant.namespaceGroup]);
    expect(deps(seen, 'team-d-tenant')).toEqual([
      tenant.namespaceGroup,
      tenant.kesCredentialsSecret,
      tenant.tenantConfigSecret,
      tenant.identity.accessPolicy,
    ]);
    const t = tenant.tenantObjects.find((o: any) => o.kind === 'Tenant');
    expect(t.spec.image).toBe(OperatorRelease.V7_1_1.minioImage);
  });

  test('a tenant component waits for an operator of the same program', async () => {
    const { MinioSseOperator, MinioSseTenant } = require('../../lib/pulumi');
    const { OperatorRelease } = require('../../lib');
    const { teamTenant } = require('../../examples/platform/platform');
    const { seen, transformation } = recordChildren();
    const op = new MinioSseOperator('platform', { release: OperatorRelease.V5_0_4, crds: fixtureCrds() });
    const tenant = new MinioSseTenant(
      'team-e',
      {
        declaration: { ...teamTenant('team-e', 'minio-kes-team-e'), release: OperatorRelease.V5_0_4 },
        azure: azureFor('minio-kes-team-e', 'e'),
        crds: fixtureCrds(),
        waitFor: [op],
      },
      { transformations: [transformation] },
    );
    await allRegistrations();
    expect(deps(seen, 'team-e-namespace')).toEqual([op]);
    expect(deps(seen, 'team-e-tenant')[0]).toBe(op);
    expect(tenant.namespaceGroup).toBeDefined();
  });

  test('fails when sharedVault is set without a key-name prefix or on a vault the tenant would create', async () => {
    const { MinioSseTenant } = require('../../lib/pulumi');
    const { OperatorRelease } = require('../../lib');
    const { teamTenant } = require('../../examples/platform/platform');
    const azure = {
      ...azureFor('minio-kes-shared', 'x'),
      existingVault: undefined,
      newVault: { resourceGroupName: 'rg', vaultName: 'minio-kes-shared' },
    };
    expect(
      () =>
        new MinioSseTenant('t', {
          declaration: { ...teamTenant('team-f', 'minio-kes-shared'), release: OperatorRelease.V5_0_4 },
          azure,
          sharedVault: true,
          crds: fixtureCrds(),
        }),
    ).toThrow(
      'invalid MinioSseTenant arguments (2 problems):\n' +
        "  - declaration.kes.keyNamePrefix: is required with sharedVault: true: the prefix limits this tenant's MinIO (its KES policy) to its own EKs in the shared vault\n" +
        '  - azure.newVault: a shared vault is not created by one of its tenants: create it once elsewhere and use azure.existingVault with sharedVault: true',
    );
    await allRegistrations();
    expect(world.resources).toHaveLength(0);
  });
});

describe('MinioSseStack on the components', () => {
  test('its direct children keep their pre-split URNs through aliases under the stack', async () => {
    const { MinioSseStack } = require('../../lib/pulumi');
    const { seedDeclaration } = require('../../examples/seed');
    const { seen, transformation } = recordChildren();
    const stack = new MinioSseStack(
      'sse',
      { declaration: seedDeclaration(), azure: azureFor('minio-kes-example', 'minio-kes'), crds: fixtureCrds() },
      { transformations: [transformation] },
    );
    await allRegistrations();
    for (const child of [
      'sse-operator',
      'sse-azure',
      'sse-kes-azure-credentials',
      'sse-root-password',
      'sse-tenant-config',
      'sse-tenant',
    ]) {
      expect({ child, aliases: optsOf(seen, child)?.aliases }).toEqual({ child, aliases: [{ parent: stack }] });
    }
    expect(world.ofType(CONFIG_GROUP).map((g) => g.name)).toEqual(['sse-operator', 'sse-tenant']);
  });
});

describe('MinioSsePlatformStack with a secretless tenant', () => {
  test('a managed-identity tenant beside client-secret tenants: no password and no credentials Secret for it, its own grant', async () => {
    const { MinioSsePlatformStack } = require('../../lib/pulumi');
    const { UAMI_CLIENT_ID, UAMI_PRINCIPAL_ID } = require('../azure/mocks');
    const args = exampleArgs();
    const [a, b, c] = args.tenants;
    const { auth: _auth, ...kes } = c.declaration.kes;
    const cManaged = {
      ...c,
      declaration: { ...c.declaration, kes },
      azure: {
        existingVault: { resourceGroupName: 'rg-minio', vaultName: 'minio-kes-team-c', accessMode: 'accessPolicy' },
        kesAuth: 'managedIdentity',
        userAssignedIdentity: { resourceGroupName: 'rg-id', name: 'minio-kes-team-c' },
      },
    };
    const platform = new MinioSsePlatformStack('p', { ...args, tenants: [a, b, cManaged] });
    await allRegistrations();
    expect(world.ofType(TYPES.password)).toHaveLength(2);
    expect(
      world
        .ofType(SECRET)
        .filter((s) => s.inputs.metadata.namespace === 'team-c')
        .map((s) => s.inputs.metadata.name),
    ).toEqual(['team-c-env-configuration']);
    const grant = world.ofType(TYPES.accessPolicy).find((p) => p.name === 'p-team-c-azure-access-policy')!;
    expect(grant.inputs.policy.objectId).toBe(UAMI_PRINCIPAL_ID);
    expect(world.ofType(TYPES.accessPolicy)).toHaveLength(3);
    const objs = await promiseOf(platform.tenants.get('team-c').appliedTenantObjects as pulumi.Output<any[]>);
    expect(objs.find((o: any) => o.kind === 'Tenant').spec.kes.env).toEqual([
      { name: 'AZURE_CLIENT_ID', value: UAMI_CLIENT_ID },
    ]);
  });
});
