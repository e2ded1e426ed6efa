/**
 * Every auth mode x cloud x operator release, synthesized: the KES config keystore block, spec.kes (service
 * account, labels, env) and the KES ServiceAccount, every object valid against the release's Tenant CRD and the
 * Kubernetes core schemas; and the combinations no KES image of that release can run, refused with the message.
 */
import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { seedDeclaration } from '../../examples/seed';
import { MinioSseCharts, MinioSseDeclaration, OperatorRelease } from '../../lib';
import {
  AzureAuth,
  AzureAuthMode,
  AzureCloud,
  AZURE_CLOUDS,
  azureCloudOfEndpoint,
  checkAzureAuthCloud,
  validateDeclaration,
} from '../../lib/declaration';
import { fixtureCrds } from '../support/fixtures';
import { validateObject } from '../support/k8s-validate';

const TENANT_ID = '11111111-2222-4333-8444-555555555555';
const CLIENT_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const NEW_KES = 'quay.io/minio/kes:2025-03-12T09-35-18Z';
const OLD_KES = 'quay.io/minio/kes:2023-04-18T19-36-09Z';

const SUFFIX: Record<AzureCloud, string> = {
  [AzureCloud.PUBLIC]: 'vault.azure.net',
  [AzureCloud.CHINA]: 'vault.azure.cn',
  [AzureCloud.US_GOVERNMENT]: 'vault.usgovcloudapi.net',
};
const AUTHORITY: Record<AzureCloud, string | undefined> = {
  [AzureCloud.PUBLIC]: undefined,
  [AzureCloud.CHINA]: 'https://login.chinacloudapi.cn/',
  [AzureCloud.US_GOVERNMENT]: 'https://login.microsoftonline.us/',
};

function authOf(mode: AzureAuthMode): AzureAuth {
  switch (mode) {
    case AzureAuthMode.CLIENT_SECRET:
      return AzureAuth.clientSecret({ secretName: 'kes-azure-credentials' });
    case AzureAuthMode.MANAGED_IDENTITY:
      return AzureAuth.managedIdentity({ clientId: CLIENT_ID });
    case AzureAuthMode.WORKLOAD_IDENTITY:
      return AzureAuth.workloadIdentity({ clientId: CLIENT_ID, tenantId: TENANT_ID });
  }
}

function declarationFor(
  release: OperatorRelease,
  mode: AzureAuthMode,
  cloud: AzureCloud,
  image?: string,
): MinioSseDeclaration {
  const seed = seedDeclaration({ release });
  return {
    ...seed,
    kes: {
      ...seed.kes,
      keyVaultEndpoint: `https://minio-kes-example.${SUFFIX[cloud]}`,
      auth: authOf(mode),
      ...(image ? { image } : {}),
    },
  };
}

function synth(decl: MinioSseDeclaration) {
  const app = Testing.app();
  const charts = new MinioSseCharts(app, { declaration: decl, crds: fixtureCrds() });
  return [...(Testing.synth(charts.operatorChart) as any[]), ...(Testing.synth(charts.tenantChart) as any[])];
}

const modes = Object.values(AzureAuthMode);
const clouds = Object.values(AzureCloud);

/** Releases with the KES image each runs: its default, and (v5.0.4) the newest image set explicitly. */
const variants: [string, OperatorRelease, string | undefined][] = [
  ['v5.0.4, default KES 2023-04-18', OperatorRelease.V5_0_4, undefined],
  ['v5.0.4, kes.image 2025-03-12', OperatorRelease.V5_0_4, NEW_KES],
  ['v7.1.1, default KES 2025-03-12', OperatorRelease.V7_1_1, undefined],
];

/** Whether KES of this image can run the mode in the cloud (facts: minio/kes kesconf/file.go, key-vault.go per tag). */
function runnable(
  release: OperatorRelease,
  image: string | undefined,
  mode: AzureAuthMode,
  cloud: AzureCloud,
): boolean {
  const newImage = (image ?? release.kesImage) === NEW_KES;
  return newImage || (mode !== AzureAuthMode.WORKLOAD_IDENTITY && cloud === AzureCloud.PUBLIC);
}

const matrix = variants.flatMap(([label, release, image]) =>
  modes.flatMap((mode) => clouds.map((cloud) => [label, mode, cloud, release, image] as const)),
);

describe.each(matrix.filter(([, mode, cloud, release, image]) => runnable(release, image, mode, cloud)))(
  '%s, %s, %s cloud',
  (_label, mode, cloud, release, image) => {
    const objects = synth(declarationFor(release, mode, cloud, image));
    const tenant = objects.find((o) => o.kind === 'Tenant');
    const configSecret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === tenant.spec.kes.kesSecret.name);
    const kesConfig = parse(configSecret.stringData['server-config.yaml']);
    const keyvault = kesConfig.keystore.azure.keyvault;

    test("every object validates against this release's Tenant CRD and the core schemas", () => {
      expect(objects.flatMap((o) => validateObject(o, release))).toEqual([]);
    });

    test('the KES config keystore block has the endpoint and exactly the auth block of the mode', () => {
      expect(keyvault.endpoint).toBe(`https://minio-kes-example.${SUFFIX[cloud]}`);
      const expected: Record<AzureAuthMode, Record<string, unknown>> = {
        [AzureAuthMode.CLIENT_SECRET]: {
          credentials: {
            tenant_id: '${AZURE_TENANT_ID}',
            client_id: '${AZURE_CLIENT_ID}',
            client_secret: '${AZURE_CLIENT_SECRET}',
          },
        },
        [AzureAuthMode.MANAGED_IDENTITY]: { managed_identity: { client_id: '${AZURE_CLIENT_ID}' } },
        [AzureAuthMode.WORKLOAD_IDENTITY]: {},
      };
      expect(keyvault).toEqual({ endpoint: keyvault.endpoint, ...expected[mode] });
    });

    test("spec.kes env: the mode's variables, plus AZURE_AUTHORITY_HOST outside the public cloud except with managed identity (IMDS)", () => {
      const env = tenant.spec.kes.env ?? [];
      const byName = Object.fromEntries(env.map((e: any) => [e.name, e]));
      const authority = mode === AzureAuthMode.MANAGED_IDENTITY ? undefined : AUTHORITY[cloud];
      const names = {
        [AzureAuthMode.CLIENT_SECRET]: ['AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_TENANT_ID'],
        [AzureAuthMode.MANAGED_IDENTITY]: ['AZURE_CLIENT_ID'],
        [AzureAuthMode.WORKLOAD_IDENTITY]: [],
      }[mode];
      expect(Object.keys(byName).sort()).toEqual([...names, ...(authority ? ['AZURE_AUTHORITY_HOST'] : [])].sort());
      if (authority) {
        expect(byName.AZURE_AUTHORITY_HOST).toEqual({ name: 'AZURE_AUTHORITY_HOST', value: authority });
      }
      if (mode === AzureAuthMode.CLIENT_SECRET) {
        expect(byName.AZURE_CLIENT_SECRET).toEqual({
          name: 'AZURE_CLIENT_SECRET',
          valueFrom: { secretKeyRef: { name: 'kes-azure-credentials', key: 'AZURE_CLIENT_SECRET' } },
        });
      }
      if (mode === AzureAuthMode.MANAGED_IDENTITY) {
        expect(byName.AZURE_CLIENT_ID).toEqual({ name: 'AZURE_CLIENT_ID', value: CLIENT_ID });
      }
    });

    test('workload identity only: service account, pod label and the annotated ServiceAccount', () => {
      const accounts = objects.filter((o) => o.kind === 'ServiceAccount' && o.metadata.namespace === 'minio-tenant-1');
      if (mode === AzureAuthMode.WORKLOAD_IDENTITY) {
        expect(tenant.spec.kes.serviceAccountName).toBe('minio-tenant-1-kes');
        expect(tenant.spec.kes.labels).toEqual({ 'azure.workload.identity/use': 'true' });
        expect(accounts).toHaveLength(1);
        expect(accounts[0].metadata.name).toBe('minio-tenant-1-kes');
        expect(accounts[0].metadata.annotations).toEqual({
          'azure.workload.identity/client-id': CLIENT_ID,
          'azure.workload.identity/tenant-id': TENANT_ID,
        });
      } else {
        expect(tenant.spec.kes.serviceAccountName).toBeUndefined();
        expect(tenant.spec.kes.labels).toBeUndefined();
        expect(accounts).toEqual([]);
      }
    });
  },
);

describe('combinations a KES image cannot run are refused before anything is written', () => {
  const refused = matrix.filter(([, mode, cloud, release, image]) => !runnable(release, image, mode, cloud));

  test('exactly the 2023 image with workload identity or a non-public cloud is refused', () => {
    expect(refused.map(([, mode, cloud]) => `${mode}/${cloud}`)).toEqual([
      'clientSecret/china',
      'clientSecret/usGovernment',
      'managedIdentity/china',
      'managedIdentity/usGovernment',
      'workloadIdentity/public',
      'workloadIdentity/china',
      'workloadIdentity/usGovernment',
    ]);
  });

  test.each(refused.map(([, mode, cloud, release]) => [mode, cloud, release] as const))(
    'fails when %s in the %s cloud runs the 2023-04-18 image',
    (mode, cloud, release) => {
      const decl = declarationFor(release, mode, cloud);
      const messages = validateDeclaration(decl).map((p) => `${p.path}: ${p.message}`);
      const expected: string[] = [];
      if (mode === AzureAuthMode.WORKLOAD_IDENTITY) {
        expected.push(
          `kes.auth: workload identity needs a KES image from 2024-06-17T15-47-05Z on (DefaultAzureCredential); "${OLD_KES}" only supports client-secret or managed-identity auth: set kes.image`,
        );
      }
      if (cloud !== AzureCloud.PUBLIC) {
        expected.push(
          `kes.image: "${OLD_KES}" cannot authenticate to ${AZURE_CLOUDS[cloud].displayName} (kes.keyVaultEndpoint ends in .${SUFFIX[cloud]}): KES images before 2024-06-17T15-47-05Z request tokens for the public cloud only; set kes.image to quay.io/minio/kes:2024-06-17T15-47-05Z or later`,
        );
      }
      expect(messages).toEqual(expected);
      expect(() => synth(decl)).toThrow(expected[0]);
    },
  );

  test('fails when the first azidentity image is one release too old (2024-04-12) for China', () => {
    const decl = declarationFor(
      OperatorRelease.V7_1_1,
      AzureAuthMode.CLIENT_SECRET,
      AzureCloud.CHINA,
      'quay.io/minio/kes:2024-04-12T13-50-00Z',
    );
    expect(validateDeclaration(decl).map((p) => p.path)).toEqual(['kes.image']);
    const ok = declarationFor(
      OperatorRelease.V7_1_1,
      AzureAuthMode.CLIENT_SECRET,
      AzureCloud.CHINA,
      'quay.io/minio/kes:2024-06-17T15-47-05Z',
    );
    expect(validateDeclaration(ok)).toEqual([]);
  });

  test('fails when managed identity has no client ID', () => {
    const seed = seedDeclaration({ release: OperatorRelease.V7_1_1 });
    const decl = { ...seed, kes: { ...seed.kes, auth: AzureAuth.managedIdentity({} as { clientId: string }) } };
    expect(validateDeclaration(decl).map((p) => `${p.path}: ${p.message}`)).toEqual([
      'kes.auth.clientId: is required (a client ID)',
    ]);
  });
});

describe('the cloud of an endpoint', () => {
  test.each([
    ['https://kv.vault.azure.net', AzureCloud.PUBLIC],
    ['https://KV.Vault.Azure.CN/', AzureCloud.CHINA],
    ['https://kv.vault.usgovcloudapi.net', AzureCloud.US_GOVERNMENT],
    ['https://kv.vault.example.com', undefined],
    ['not a url', undefined],
  ])('%s is %s', (endpoint, cloud) => {
    expect(azureCloudOfEndpoint(endpoint)).toBe(cloud);
  });

  test('managed identity outside the public cloud needs no authority host; client secret does', () => {
    const tag = '2025-03-12T09-35-18Z';
    expect(checkAzureAuthCloud('https://kv.vault.azure.cn', AzureAuthMode.MANAGED_IDENTITY, tag, NEW_KES)).toEqual({
      problems: [],
      env: [],
    });
    expect(checkAzureAuthCloud('https://kv.vault.azure.cn', AzureAuthMode.CLIENT_SECRET, tag, NEW_KES).env).toEqual([
      { name: 'AZURE_AUTHORITY_HOST', source: { value: 'https://login.chinacloudapi.cn/' } },
    ]);
    expect(checkAzureAuthCloud('https://kv.vault.azure.net', AzureAuthMode.WORKLOAD_IDENTITY, tag, NEW_KES)).toEqual({
      problems: [],
      env: [],
    });
  });
});
