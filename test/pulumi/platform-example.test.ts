import * as pulumi from '@pulumi/pulumi';
import { installMocks, MockWorld, promiseOf, TYPES } from '../azure/mocks';
import { operatorFixturesDir } from '../support/fixtures';
import { allRegistrations } from './registrations';

const RANDOM_PASSWORD = 'random:index/randomPassword:RandomPassword';
let world: MockWorld;

beforeAll(() => {
  world = installMocks({
    newResource: (args) =>
      args.type === RANDOM_PASSWORD
        ? { id: `${args.name}-id`, state: { ...args.inputs, result: 'rootpw0123456789' } }
        : undefined,
  });
  world.existingVault.enableRbacAuthorization = true; // the example's default access mode is RBAC
  pulumi.runtime.setAllConfig({
    'project:operatorRelease': 'v7.1.1',
    'project:clientSecretStartDate': new Date().toISOString().slice(0, 10),
    'project:operatorCrdsDir': operatorFixturesDir(),
  });
});

test('the Pulumi platform example runs under mocks: one operator, three tenants with their own identities and grants', async () => {
  let program: any;
  await pulumi.runtime.runInPulumiStack(async () => {
    program = require('../../examples/platform/pulumi/index');
    return undefined;
  });
  expect(await promiseOf(program.release as pulumi.Output<string>)).toBe('v7.1.1');
  expect(await promiseOf(program.operatorNamespace as pulumi.Output<string>)).toBe('minio-operator');
  expect(await promiseOf(program.tenantNamespaces as pulumi.Output<string[]>)).toEqual(['team-a', 'team-b', 'team-c']);
  await allRegistrations();
  const groups = world.ofType('kubernetes:yaml/v2:ConfigGroup').map((g) => g.name);
  expect(groups.filter((g) => g.endsWith('-operator'))).toEqual(['minio-platform-operator']);
  expect(
    world
      .ofType(TYPES.application)
      .map((a) => a.inputs.displayName)
      .sort(),
  ).toEqual(['minio-kes-team-a', 'minio-kes-team-b', 'minio-kes-team-c']);
  const grants = world.ofType(TYPES.roleAssignment);
  expect(grants.map((g) => g.name).sort()).toEqual([
    'minio-platform-team-a-azure-secrets-officer',
    'minio-platform-team-b-azure-secrets-officer',
    'minio-platform-team-c-azure-secrets-officer',
  ]);
  expect(grants.map((g) => String(g.inputs.scope).split('/').pop()).sort()).toEqual([
    'minio-kes-shared',
    'minio-kes-shared',
    'minio-kes-team-c',
  ]);
});
