import * as pulumi from '@pulumi/pulumi';
import { installMocks, MockWorld, promiseOf, SP_OBJECT_ID, TYPES } from '../azure/mocks';
import { allRegistrations } from '../pulumi/registrations';
import { operatorFixturesDir } from '../support/fixtures';

const RANDOM_PASSWORD = 'random:index/randomPassword:RandomPassword';
let world: MockWorld;
const seenOpts = new Map<string, pulumi.CustomResourceOptions>();

beforeAll(() => {
  world = installMocks({
    newResource: (args) =>
      args.type === RANDOM_PASSWORD
        ? { id: `${args.name}-id`, state: { ...args.inputs, result: 'rootpw' } }
        : undefined,
  });
  world.existingVault.enableRbacAuthorization = false; // the vault of this test uses access policies
  pulumi.runtime.setAllConfig({
    'project:vaultName': 'minio-kes-example',
    'project:resourceGroupName': 'rg-minio',
    'project:vaultAccessMode': 'accessPolicy',
    'project:clientSecretStartDate': new Date().toISOString().slice(0, 10),
    'project:operatorCrdsDir': operatorFixturesDir(),
  });
});

test('the Pulumi example runs under mocks and registers the whole stack in order', async () => {
  // Run the program the way the Pulumi runtime does: inside the root stack, where stack transformations apply
  // (they record each resource's options, which mocks do not see).
  let program: { tenantNamespace: pulumi.Output<string>; bucketNames: pulumi.Output<string[]> } | undefined;
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((t) => {
      seenOpts.set(t.name, t.opts as pulumi.CustomResourceOptions);
      return undefined;
    });

    program = require('../../examples/pulumi/index') as typeof program;
    return undefined;
  });
  const namespace = await promiseOf(program!.tenantNamespace);
  expect(namespace).toBe('minio-tenant-1');
  expect(await promiseOf(program!.bucketNames)).toEqual(['encryptedbucket']);
  await allRegistrations();
  expect(world.ofType(TYPES.application)).toHaveLength(1);
  expect(world.ofType(TYPES.servicePrincipal)).toHaveLength(1);
  expect(world.ofType(TYPES.password)).toHaveLength(1);
  const policies = world.ofType(TYPES.accessPolicy);
  expect(policies).toHaveLength(1);
  expect(policies[0].inputs.policy.objectId).toBe(SP_OBJECT_ID);
  const secrets = world
    .ofType('kubernetes:core/v1:Secret')
    .map((r) => r.name)
    .sort();
  expect(secrets).toEqual(['minio-sse-kes-azure-credentials', 'minio-sse-tenant-config']);
  const secretNames = world
    .ofType('kubernetes:core/v1:Secret')
    .map((r) => r.inputs.metadata.name)
    .sort();
  expect(secretNames).toEqual(['kes-azure-credentials', 'minio-tenant-1-env-configuration']); // the seed's names
  const groups = world.ofType('kubernetes:yaml/v2:ConfigGroup').map((r) => r.name);
  expect(groups).toEqual(['minio-sse-operator', 'minio-sse-tenant']);
  const deps = (seenOpts.get('minio-sse-tenant')?.dependsOn ?? []) as pulumi.Resource[];
  expect(deps).toHaveLength(4);
  const depNames = await Promise.all(deps.map((d) => promiseOf(d.urn)));
  expect(depNames.map((u) => u.split('::').pop()).sort()).toEqual([
    'minio-sse-azure-access-policy', // KES starts only once it may read the vault
    'minio-sse-kes-azure-credentials',
    'minio-sse-operator',
    'minio-sse-tenant-config',
  ]);
});
