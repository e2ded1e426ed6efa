/**
 * The Pulumi example (examples/pulumi/index.ts) as the template configures it for AKS workload identity:
 * kesAuth=workloadIdentity and aksOidcIssuerUrl, operator v7.1.1 (KES 2025-03-12). And every config key the
 * example reads is declared in Pulumi.yaml's template.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { CLIENT_ID, installMocks, MockWorld, promiseOf, SP_OBJECT_ID, TYPES } from '../azure/mocks';
import { operatorFixturesDir } from '../support/fixtures';
import { allRegistrations } from './registrations';

const RANDOM_PASSWORD = 'random:index/randomPassword:RandomPassword';
const ISSUER =
  'https://eastus.oic.prod-aks.azure.com/11111111-1111-4111-8111-111111111111/12345678-1234-4234-8234-123456789012/';
let world: MockWorld;

beforeAll(() => {
  world = installMocks({
    newResource: (args) =>
      args.type === RANDOM_PASSWORD
        ? { id: `${args.name}-id`, state: { ...args.inputs, result: 'rootpw' } }
        : undefined,
  });
  pulumi.runtime.setAllConfig({
    'project:vaultName': 'minio-kes-example',
    'project:resourceGroupName': 'rg-minio',
    'project:vaultAccessMode': 'rbac',
    'project:operatorRelease': 'v7.1.1',
    'project:kesAuth': 'workloadIdentity',
    'project:aksOidcIssuerUrl': ISSUER,
    'project:operatorCrdsDir': operatorFixturesDir(),
  });
});

test("kesAuth=workloadIdentity: a federated credential for the tenant's KES service account, no password, no credentials Secret", async () => {
  let program: any;
  await pulumi.runtime.runInPulumiStack(async () => {
    program = require('../../examples/pulumi/index');
    return undefined;
  });
  expect(await promiseOf(program.tenantNamespace as pulumi.Output<string>)).toBe('minio-tenant-1');
  expect(await promiseOf(program.kesPrincipalId as pulumi.Output<string>)).toBe(SP_OBJECT_ID);
  await allRegistrations();
  const fics = world.ofType(TYPES.appFederatedCredential);
  expect(fics).toHaveLength(1);
  expect(fics[0].inputs).toMatchObject({
    issuer: ISSUER,
    subject: 'system:serviceaccount:minio-tenant-1:minio-tenant-1-kes',
    audiences: ['api://AzureADTokenExchange'],
  });
  expect(world.ofType(TYPES.password)).toEqual([]);
  expect(world.ofType('kubernetes:core/v1:Secret').map((r) => r.inputs.metadata.name)).toEqual([
    'minio-tenant-1-env-configuration',
  ]);
  expect(world.ofType(TYPES.roleAssignment)[0].inputs.principalId).toBe(SP_OBJECT_ID);
  const tenantGroup = world.ofType('kubernetes:yaml/v2:ConfigGroup').find((g) => g.name === 'minio-sse-tenant');
  const sa = (tenantGroup!.inputs.objs as any[]).find((o) => o.kind === 'ServiceAccount');
  expect(sa.metadata.annotations['azure.workload.identity/client-id']).toBe(CLIENT_ID);
  expect(await promiseOf(program.clientSecretEndDate as pulumi.Output<string | undefined>)).toBeUndefined();
});

test('every config key the example reads is declared in the Pulumi.yaml template, and none is declared that it does not read', () => {
  const root = path.resolve(__dirname, '../..');
  const source = fs.readFileSync(path.join(root, 'examples/pulumi/index.ts'), 'utf8');
  const read = new Set(
    [
      ...source.matchAll(
        /config\.(?:get|require|getBoolean|getNumber|getObject|getSecret)(?:<[^>]*>)?\('([A-Za-z]+)'\)/g,
      ),
    ].map((m) => m[1]),
  );
  const template = parse(fs.readFileSync(path.join(root, 'Pulumi.yaml'), 'utf8'));
  const declared = Object.keys(template.template.config).filter((k) => !k.includes(':'));
  expect([...read].sort()).toEqual(declared.sort());
  expect(template.template.config.kesAuth.default).toBe('clientSecret');
  expect(read.has('kesAuth') && read.has('aksOidcIssuerUrl')).toBe(true);
});
