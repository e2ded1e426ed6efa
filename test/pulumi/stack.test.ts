import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parseAllDocuments } from 'yaml';
import {
  CANARY,
  CLIENT_ID,
  installMocks,
  MockWorld,
  promiseOf,
  recordChildren,
  SeenChild,
  SP_OBJECT_ID,
  TENANT_ID,
  TYPES,
} from '../azure/mocks';
import { fixtureCrds, operatorFixturesDir } from '../support/fixtures';
import { allRegistrations } from './registrations';

const ROOT_CANARY = 'CANARYrootpassword0123456789abcdefXYZ';
const RANDOM_PASSWORD = 'random:index/randomPassword:RandomPassword';
const CONFIG_GROUP = 'kubernetes:yaml/v2:ConfigGroup';
const SECRET = 'kubernetes:core/v1:Secret';

let world: MockWorld;

beforeAll(() => {
  world = installMocks({
    newResource: (args) =>
      args.type === RANDOM_PASSWORD
        ? { id: `${args.name}-id`, state: { ...args.inputs, result: ROOT_CANARY } }
        : undefined,
  });
});

/** Options each child was registered with (component transformations run in-process, mocks or not). */
function optsOf(seen: SeenChild[], name: string): pulumi.CustomResourceOptions | undefined {
  return seen.find((c) => c.name === name)?.opts;
}

beforeEach(() => {
  world.reset();
  world.existingVault.enableRbacAuthorization = false; // the seed grants through an access policy
});

function seedStackArgs(overrides: Record<string, unknown> = {}) {
  // Imported lazily: the code under test must load after setMocks.
  const { seedDeclaration } = require('../../examples/seed');
  const { KeyVaultAccessMode } = require('../../lib/azure');
  return {
    declaration: seedDeclaration(),
    azure: {
      existingVault: {
        resourceGroupName: 'rg-minio',
        vaultName: 'minio-kes-example',
        accessMode: KeyVaultAccessMode.ACCESS_POLICY,
      },
      clientSecrets: [{ name: 'primary', startDate: new Date().toISOString().slice(0, 10) }],
    },
    crds: fixtureCrds(),
    ...overrides,
  };
}

/** Every registration (ConfigGroups wait on Secrets, Secrets on the identity's outputs) has reached the mocks. */
const settleAll = allRegistrations;

/** Every string in `value` outside Pulumi secret wrappers. */
function plainStrings(value: unknown, out: string[] = []): string[] {
  if (pulumi.runtime.isRpcSecret(value)) {
    return out;
  }
  if (typeof value === 'string') {
    out.push(value);
  } else if (Array.isArray(value)) {
    value.forEach((v) => plainStrings(v, out));
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach((v) => plainStrings(v, out));
  }
  return out;
}

describe('MinioSseStack', () => {
  test('registers the Azure identity, the two Secrets and the two object groups, the tenant group after the others', async () => {
    const { MinioSseStack } = require('../../lib/pulumi');
    const { seen, transformation } = recordChildren();
    const stack = new MinioSseStack('sse', seedStackArgs(), { transformations: [transformation] });
    await promiseOf(stack.tenantGroup.urn);
    await settleAll();
    expect(world.ofType(TYPES.application)).toHaveLength(1);
    expect(world.ofType(TYPES.servicePrincipal)).toHaveLength(1);
    expect(world.ofType(TYPES.password)).toHaveLength(1);
    expect(world.ofType(TYPES.accessPolicy)).toHaveLength(1);
    expect(world.ofType(TYPES.accessPolicy)[0].inputs.policy.objectId).toBe(SP_OBJECT_ID);
    expect(
      world
        .ofType(SECRET)
        .map((r) => r.inputs.metadata.name)
        .sort(),
    ).toEqual(['kes-azure-credentials', 'minio-tenant-1-env-configuration']);
    expect(world.ofType(SECRET).every((r) => r.inputs.metadata.namespace === 'minio-tenant-1')).toBe(true);
    expect(world.ofType(CONFIG_GROUP).map((r) => r.name)).toEqual(['sse-operator', 'sse-tenant']);

    const tenantDeps = (optsOf(seen, 'sse-tenant')?.dependsOn ?? []) as pulumi.Resource[];
    expect(tenantDeps).toEqual([
      stack.operatorGroup,
      stack.kesCredentialsSecret,
      stack.tenantConfigSecret,
      stack.identity.accessPolicy,
    ]);
    for (const secretName of ['sse-kes-azure-credentials', 'sse-tenant-config']) {
      expect(optsOf(seen, secretName)?.dependsOn).toEqual([stack.operatorGroup]);
    }
    const { endpoint, kes, keys, buckets, client } = {
      endpoint: await promiseOf(stack.minioEndpoint),
      kes: await promiseOf(stack.kesService),
      keys: await promiseOf(stack.encryptionKeys),
      buckets: await promiseOf(stack.bucketNames),
      client: await promiseOf(stack.clientId),
    };
    expect(endpoint).toBe('https://minio.minio-tenant-1.svc.cluster.local:443');
    expect(kes).toBe('minio-tenant-1/minio-tenant-1-kes-hl-svc');
    expect(keys).toEqual([
      'minio-encryption-key-alpha',
      'minio-encryption-key-baker',
      'minio-encryption-key-charlie',
      'encrypted-bucket-key',
    ]);
    expect(buckets).toEqual(['encryptedbucket']);
    expect(client).toBe(CLIENT_ID);
  });

  test("the KES credentials Secret carries the app registration's IDs and secret, config.env both export lines", async () => {
    const { MinioSseStack } = require('../../lib/pulumi');
    const stack = new MinioSseStack('sse', seedStackArgs());
    const data = await promiseOf(stack.kesCredentialsSecret.stringData as pulumi.Output<Record<string, string>>);
    expect(data).toEqual({
      AZURE_CLIENT_SECRET: `${CANARY}-primary`,
      AZURE_TENANT_ID: TENANT_ID,
      AZURE_CLIENT_ID: CLIENT_ID,
    });
    const env = await promiseOf(stack.tenantConfigSecret.stringData as pulumi.Output<Record<string, string>>);
    expect(env['config.env']).toBe(
      `export MINIO_ROOT_USER="minio-root"\nexport MINIO_ROOT_PASSWORD="${ROOT_CANARY}"\n`,
    );
    expect(await pulumi.isSecret(stack.kesCredentialsSecret.stringData)).toBe(true);
    expect(await pulumi.isSecret(stack.tenantConfigSecret.stringData)).toBe(true);
  });

  test('the objects passed to Kubernetes are the objects cdk8s synth writes for the same declaration', async () => {
    const { MinioSseStack, ACTIVE_CLIENT_SECRET_ANNOTATION } = require('../../lib/pulumi');
    const { synthesize } = require('../../examples/cdk8s/app');
    const { OperatorCrds } = require('../../lib');
    const stack = new MinioSseStack('sse', seedStackArgs());
    await promiseOf(stack.tenantGroup.urn);
    await settleAll();
    const groups = world.ofType(CONFIG_GROUP);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'minio-sse-pulumi-'));
    const files = synthesize({
      declaration: stack.effectiveDeclaration,
      outdir,
      crds: OperatorCrds.fromDirectory(operatorFixturesDir()),
    });
    const fromDisk = files.map((f: string) => parseAllDocuments(fs.readFileSync(f, 'utf8')).map((d) => d.toJS()));
    expect(groups[0].inputs.objs).toEqual(fromDisk[0]);
    expect(groups[1].inputs.objs).toEqual(fromDisk[1]);
    // the only difference from the plain declaration: the active-slot annotation that rolls KES on a switch
    const plainFiles = synthesize({
      declaration: seedStackArgs().declaration,
      outdir,
      crds: OperatorCrds.fromDirectory(operatorFixturesDir()),
    });
    const plainTenant = parseAllDocuments(fs.readFileSync(plainFiles[1], 'utf8')).map((d) => d.toJS());
    const withoutAnnotation = JSON.parse(JSON.stringify(groups[1].inputs.objs));
    const t = withoutAnnotation.find((o: any) => o.kind === 'Tenant');
    expect(t.spec.kes.annotations[ACTIVE_CLIENT_SECRET_ANNOTATION]).toBe('primary');
    delete t.spec.kes.annotations[ACTIVE_CLIENT_SECRET_ANNOTATION];
    const plainT = plainTenant.find((o: any) => o.kind === 'Tenant');
    // the KES config hash annotation is identical (same config), so the Tenants are now equal
    expect(t).toEqual(plainT);
  });

  test('canary: the generated root password and the client secret appear only inside secret-marked values', async () => {
    const { MinioSseStack } = require('../../lib/pulumi');
    const stack = new MinioSseStack('sse', seedStackArgs());
    await promiseOf(stack.tenantGroup.urn);
    await settleAll();
    for (const r of world.resources) {
      const leaked = plainStrings(r.inputs).filter((s) => s.includes(CANARY) || s.includes(ROOT_CANARY));
      // the password and random resources produce the values; nothing else may hold them in plain form
      expect({ resource: `${r.type} ${r.name}`, leaked }).toEqual({ resource: `${r.type} ${r.name}`, leaked: [] });
    }
    const outputs = [
      stack.tenantNamespace,
      stack.minioEndpoint,
      stack.kesService,
      stack.encryptionKeys,
      stack.bucketNames,
      stack.clientId,
      stack.keyVaultUri,
    ];
    for (const o of outputs) {
      expect(await pulumi.isSecret(o)).toBe(false);
      const text = JSON.stringify(await promiseOf(o));
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain(ROOT_CANARY);
    }
    const groups = JSON.stringify(world.ofType(CONFIG_GROUP).map((g) => g.inputs));
    expect(groups).not.toContain(CANARY);
    expect(groups).not.toContain(ROOT_CANARY);
    expect(await pulumi.isSecret(stack.identity.clientSecret)).toBe(true);
  });

  test.each([
    [
      'a bad bucket name',
      { buckets: [{ name: 'My_Bucket', encryptionKey: 'encrypted-bucket-key' }] },
      /declaration\.buckets\[0\]\.name: "My_Bucket" is not a valid bucket name/,
    ],
    ['a bad EK name', { kesKeys: ['bad_key'] }, /declaration\.kes\.keys\[0\]: "bad_key" is not a valid EK name/],
  ])('fails when the declaration has %s, before any resource is registered', async (_what, change: any, message) => {
    const { MinioSseStack } = require('../../lib/pulumi');
    const args = seedStackArgs();
    const declaration = {
      ...args.declaration,
      ...(change.buckets ? { buckets: change.buckets } : {}),
      kes: { ...args.declaration.kes, ...(change.kesKeys ? { keys: change.kesKeys } : {}) },
    };
    expect(() => new MinioSseStack('sse', { ...args, declaration })).toThrow(message);
    await settleAll();
    expect(world.resources).toHaveLength(0);
  });

  test('fails when the endpoint names another vault or the IDs are given literally, listing both problems', async () => {
    const { MinioSseStack } = require('../../lib/pulumi');
    const { AzureAuth } = require('../../lib');
    const args = seedStackArgs();
    const declaration = {
      ...args.declaration,
      kes: {
        ...args.declaration.kes,
        keyVaultEndpoint: 'https://another-vault.vault.azure.net',
        auth: AzureAuth.clientSecret({ secretName: 'kes-azure-credentials', tenantId: TENANT_ID }),
      },
    };
    let message = '';
    try {
      new MinioSseStack('sse', { ...args, declaration });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/invalid MinioSseStack arguments \(2 problems\)/);
    expect(message).toMatch(/declaration\.kes\.auth\.tenantId: must not be set with MinioSseStack/);
    expect(message).toMatch(
      /declaration\.kes\.keyVaultEndpoint: "https:\/\/another-vault\.vault\.azure\.net" names vault "another-vault" but the Azure arguments grant access to vault "minio-kes-example"/,
    );
    await settleAll();
    expect(world.resources).toHaveLength(0);
  });

  test('fails when unknown fields are passed, or a pasted password in rootPasswordLength, without echoing them', async () => {
    const { MinioSseStack } = require('../../lib/pulumi');
    let message = '';
    try {
      new MinioSseStack('sse', {
        ...seedStackArgs(),
        rootPassword: 'Zx9~CANARY-pasted',
        rootPasswordLength: 'Sup3rS3cretCANARY',
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/rootPassword: is not a known field/);
    expect(message).toMatch(
      /rootPasswordLength: the value \(not shown: it may be a password\) must be an integer between 16 and 128/,
    );
    expect(message).not.toMatch(/CANARY/);
    await settleAll();
    expect(world.resources).toHaveLength(0);
  });

  test('the objects handed to Kubernetes cannot be changed after construction', () => {
    const { MinioSseStack } = require('../../lib/pulumi');
    const stack = new MinioSseStack('sse', seedStackArgs());
    expect(() => stack.tenantObjects.push({})).toThrow();
    expect(() => {
      stack.tenantObjects.find((o: any) => o.kind === 'Tenant').spec.env = [];
    }).toThrow();
  });
});

describe('endpointMismatch', () => {
  const { endpointMismatch } = require('../../lib/pulumi/minio-sse-stack');
  test('accepts the same vault host, whatever the case and trailing slash', () => {
    expect(endpointMismatch('https://Minio-Kes.vault.azure.net', 'https://minio-kes.vault.azure.net/')).toBeUndefined();
  });
  test('fails when the declared endpoint is in another Azure cloud than the vault', () => {
    expect(endpointMismatch('https://minio-kes.vault.azure.cn', 'https://minio-kes.vault.azure.net/')).toMatch(
      /names host "minio-kes\.vault\.azure\.cn" but the vault KES is granted access to is "minio-kes\.vault\.azure\.net"/,
    );
  });
});
