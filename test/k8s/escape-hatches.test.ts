import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { AzureAuth, MinioSseCharts, MinioSseDeclaration, OperatorRelease, synthesize } from '../../lib';
import { seedDeclaration } from '../../examples/seed';
import { fixtureCrds } from '../support/fixtures';

const WHERE = 'Tenant minio-tenant-1/minio-tenant-1';
const JOB_PREFIX = /^Job minio-tenant-1\/minio-tenant-1-sse-[0-9a-f]{10}: /;
const SECRET = 'Secret minio-tenant-1/minio-tenant-1-kes-config (KES config, after escape-hatch patches)';
const CANARY = 'hunter2-CANARY';

const v7 = (): MinioSseDeclaration => seedDeclaration({ release: OperatorRelease.V7_1_1 });

function build(decl: MinioSseDeclaration = v7()) {
  return new MinioSseCharts(Testing.app(), { declaration: decl, crds: fixtureCrds() });
}

/** The problems of a failed synth of `chart`, without cdk8s's construct-path prefix. */
function problemsOf(synth: () => unknown): string[] {
  let message = '(synth succeeded)';
  try {
    synth();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).not.toContain(CANARY);
  return message
    .split('\n')
    .slice(1)
    .map((l) => l.trim().replace(/^\[[^\]]*\] /, ''));
}

const tenantProblems = (charts: MinioSseCharts) => problemsOf(() => Testing.synth(charts.tenantChart));
const patchTenant = (charts: MinioSseCharts, ...ops: JsonPatch[]) =>
  charts.tenantChart.tenant.apiObject.addJsonPatch(...ops);

describe('the final Tenant after escape-hatch patches', () => {
  test('an unpatched Tenant and a harmless patch go through', () => {
    const charts = build();
    patchTenant(charts, JsonPatch.add('/spec/env', [{ name: 'MINIO_BROWSER', value: 'off' }]));
    expect(tenantProblems(charts)).toEqual([]);
  });

  test('fails when a patch moves or renames the Tenant or its configuration Secret', () => {
    const charts = build();
    patchTenant(
      charts,
      JsonPatch.replace('/metadata/namespace', 'minio-operator'),
      JsonPatch.replace('/metadata/name', 'other'),
      JsonPatch.replace('/spec/configuration/name', 'other-config'),
    );
    expect(tenantProblems(charts)).toEqual([
      `${WHERE}: metadata.namespace is "minio-operator", not the declared "minio-tenant-1": set tenant.namespace in the declaration`,
      `${WHERE}: metadata.name is "other", not the declared "minio-tenant-1": set tenant.name in the declaration (the Job and the KES Service derive from it)`,
      `${WHERE}: spec.configuration.name is "other-config", not the declared "minio-tenant-1-env-configuration": set tenant.configurationSecretName in the declaration (the Job reads the root credentials from it)`,
    ]);
  });

  test.each([
    [
      'quay.io/minio/kes:2023-10-24T20-26-51Z',
      'spec.kes.image "quay.io/minio/kes:2023-10-24T20-26-51Z" is not a usable KES image: tag "2023-10-24T20-26-51Z" has broken policy matching and keystore reload (minio/kes kes-go v0.2.0); use 2023-11-09T17-35-47Z or later',
    ],
    [
      'quay.io/minio/kes:latest',
      'spec.kes.image "quay.io/minio/kes:latest" is not a usable KES image: tag "latest" is not a KES date tag (YYYY-MM-DDTHH-MM-SSZ); semver and floating tags use other config formats',
    ],
  ])('fails when a patch sets spec.kes.image to %s', (image, expected) => {
    const charts = build();
    patchTenant(charts, JsonPatch.replace('/spec/kes/image', image));
    expect(tenantProblems(charts)).toEqual([`${WHERE}: ${expected}`]);
  });

  test('fails when a patch gives a China-cloud vault a KES image before 2024-06-17', () => {
    const seed = v7();
    const charts = build({
      ...seed,
      kes: { ...seed.kes, keyVaultEndpoint: 'https://minio-kes-example.vault.azure.cn' },
    });
    patchTenant(charts, JsonPatch.replace('/spec/kes/image', 'quay.io/minio/kes:2023-04-18T19-36-09Z'));
    const problems = tenantProblems(charts);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^Tenant minio-tenant-1\/minio-tenant-1: spec\.kes\.image: "quay\.io\/minio\/kes:2023-04-18T19-36-09Z" cannot authenticate to .+ \(kes\.keyVaultEndpoint ends in \.vault\.azure\.cn\): KES images before 2024-06-17T15-47-05Z request tokens for the public cloud only; set kes\.image to quay\.io\/minio\/kes:2024-06-17T15-47-05Z or later$/,
    );
  });

  test('fails when a patch gives workload identity a KES image without DefaultAzureCredential', () => {
    const seed = v7();
    const auth = AzureAuth.workloadIdentity({
      clientId: '11111111-2222-4333-8444-555555555555',
      tenantId: '66666666-7777-4888-9999-000000000000',
    });
    const charts = build({ ...seed, kes: { ...seed.kes, auth } });
    patchTenant(charts, JsonPatch.replace('/spec/kes/image', 'quay.io/minio/kes:2024-04-12T13-50-00Z'));
    expect(tenantProblems(charts)).toEqual([
      `${WHERE}: spec.kes.image "quay.io/minio/kes:2024-04-12T13-50-00Z": workload identity needs a KES image from 2024-06-17T15-47-05Z on (DefaultAzureCredential)`,
    ]);
  });

  test('fails when spec.env sets a MINIO_KMS_KES_* variable, a lowercase credential or a URL with user-info', () => {
    const charts = build();
    patchTenant(
      charts,
      JsonPatch.add('/spec/env', [
        { name: 'MINIO_KMS_KES_KEY_NAME', value: 'other-key' },
        { name: 'MINIO_KMS_KES_ENDPOINT', value: 'https://evil:7373' },
        { name: 'minio_root_password', value: CANARY },
        { name: 'MINIO_NOTIFY_AMQP_URL', value: `amqp://u:${CANARY}@h` },
      ]),
    );
    expect(tenantProblems(charts)).toEqual([
      `${WHERE}: spec.env[2] minio_root_password has a literal value (not shown): credentials must come from a Secret (valueFrom.secretKeyRef)`,
      `${WHERE}: spec.env[0] "MINIO_KMS_KES_KEY_NAME" is set by the operator from spec.kes (endpoint, client certificate, CA, default EK): the library owns MINIO_KMS_KES_*; declare kes.* instead`,
      `${WHERE}: spec.env[1] "MINIO_KMS_KES_ENDPOINT" is set by the operator from spec.kes (endpoint, client certificate, CA, default EK): the library owns MINIO_KMS_KES_*; declare kes.* instead`,
      `${WHERE}: spec.env[3] "MINIO_NOTIFY_AMQP_URL" is a URL with user-info (value not shown): a credential in a URL must come from a Secret (valueFrom.secretKeyRef)`,
    ]);
  });

  test('fails when a patch removes spec.kes.env: every ${VAR} of the KES config must still be provided', () => {
    const charts = build();
    patchTenant(charts, JsonPatch.remove('/spec/kes/env'));
    expect(tenantProblems(charts)).toEqual(
      ['AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_TENANT_ID'].map(
        (n) =>
          `${WHERE}: spec.kes.env no longer has ${n}: the KES config references \${${n}} and KES exits when it is unset`,
      ),
    );
  });

  test('fails when a patch points AZURE_CLIENT_SECRET at the root Secret or adds a literal value to AZURE_CLIENT_ID', () => {
    const charts = build();
    patchTenant(
      charts,
      JsonPatch.add('/spec/kes/env/0/value', CANARY),
      JsonPatch.replace('/spec/kes/env/1/valueFrom/secretKeyRef', {
        name: 'minio-tenant-1-env-configuration',
        key: 'config.env',
      }),
      JsonPatch.add('/spec/kes/env/-', { name: 'AZURE_AUTHORITY_HOST', value: 'https://login.example/' }),
    );
    expect(tenantProblems(charts)).toEqual([
      `${WHERE}: spec.kes.env[0] AZURE_CLIENT_ID has a literal value (not shown): it must come from Secret "kes-azure-credentials" key "AZURE_CLIENT_ID" (valueFrom.secretKeyRef) as declared`,
      `${WHERE}: spec.kes.env[1] AZURE_CLIENT_SECRET reads Secret "minio-tenant-1-env-configuration" key "config.env", not the declared credentials Secret "kes-azure-credentials" key "AZURE_CLIENT_SECRET"`,
      `${WHERE}: spec.kes.env[3] "AZURE_AUTHORITY_HOST" has a literal value (not shown): Azure settings come from the declaration (kes.auth), credentials from a Secret`,
    ]);
  });

  test('fails when a patched KES config references a variable spec.kes.env does not provide', () => {
    const charts = build();
    const config = parse(charts.tenantChart.kesConfig.configYaml);
    config.address = '${KES_ADDRESS}';
    charts.tenantChart.kesConfig.apiObject.addJsonPatch(
      JsonPatch.replace('/stringData/server-config.yaml', stringify(config)),
    );
    expect(tenantProblems(charts)).toContain(
      `${WHERE}: spec.kes.env does not provide KES_ADDRESS: the final KES config references \${KES_ADDRESS} and KES exits when it is unset`,
    );
  });

  test('fails when a patch empties the pools or makes a pool that cannot be split into erasure sets', () => {
    const empty = build();
    patchTenant(empty, JsonPatch.replace('/spec/pools', []));
    expect(tenantProblems(empty)).toContain(
      `${WHERE}: spec.pools is empty: a Tenant needs at least one pool (declare tenant.pools)`,
    );
    const odd = build();
    patchTenant(
      odd,
      JsonPatch.replace('/spec/pools/0/servers', 1),
      JsonPatch.replace('/spec/pools/0/volumesPerServer', 17),
    );
    expect(tenantProblems(odd)).toEqual([
      `${WHERE}: spec.pools[0] has 17 drives (servers x volumesPerServer), which cannot be split into equal erasure sets of 4 to 16 drives; use a drive count divisible by one of 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16`,
    ]);
  });
});

describe('the final Job and operator Deployment after escape-hatch patches', () => {
  const mirrored = (): MinioSseDeclaration => ({ ...v7(), imageRegistry: 'myregistry.azurecr.io' });

  test('fails when a Job patch adds a literal credential, an image or an init container from another registry', () => {
    const charts = build(mirrored());
    ApiObject.of(charts.tenantChart.bucketEncryption.job).addJsonPatch(
      JsonPatch.add('/spec/template/spec/containers/0/env/-', { name: 'MINIO_ROOT_PASSWORD', value: CANARY }),
      JsonPatch.add('/spec/template/spec/containers/0/env/-', { name: 'SSE_HOOK', value: `https://a:${CANARY}@h/x` }),
      JsonPatch.add('/spec/template/spec/initContainers', [{ name: 'init', image: 'docker.io/evil:1' }]),
      JsonPatch.replace('/spec/template/spec/containers/0/image', 'docker.io/evil:1'),
    );
    const problems = tenantProblems(charts);
    expect(problems.every((p) => JOB_PREFIX.test(p))).toBe(true);
    expect(problems.map((p) => p.replace(JOB_PREFIX, ''))).toEqual([
      'spec.template.spec.containers[0].env[15] "MINIO_ROOT_PASSWORD" has a literal value (not shown): credentials must come from a Secret (valueFrom.secretKeyRef)',
      'spec.template.spec.containers[0].env[16] "SSE_HOOK" is a URL with user-info (value not shown): a credential in a URL must come from a Secret (valueFrom.secretKeyRef)',
      'spec.template.spec.initContainers[0].image "docker.io/evil:1" is not under imageRegistry "myregistry.azurecr.io": mirror the image there and reference the mirrored copy',
      'spec.template.spec.containers[0].image "docker.io/evil:1" is not under imageRegistry "myregistry.azurecr.io": mirror the image there and reference the mirrored copy',
    ]);
  });

  test('fails when an operator Deployment patch adds a literal credential env', () => {
    const charts = build();
    charts.operatorChart.operator.deployment.addJsonPatch(
      JsonPatch.add('/spec/template/spec/containers/0/env/-', { name: 'MINIO_OPERATOR_TOKEN', value: CANARY }),
    );
    const problems = problemsOf(() => Testing.synth(charts.operatorChart));
    expect(problems).toEqual([
      expect.stringMatching(
        /^Deployment minio-operator\/minio-operator: spec\.template\.spec\.containers\[0\]\.env\[\d+\] "MINIO_OPERATOR_TOKEN" has a literal value \(not shown\): credentials must come from a Secret \(valueFrom\.secretKeyRef\)$/,
      ),
    ]);
  });
});

describe('the KES config Secret after escape-hatch patches', () => {
  test('fails when a keys entry has a field other than name, or admin.identity is a hex identity with spaces', () => {
    const charts = build();
    const config = parse(charts.tenantChart.kesConfig.configYaml);
    config.keys[0].secret = CANARY;
    config.admin.identity = ` ${'ab'.repeat(32)}`;
    charts.tenantChart.kesConfig.apiObject.addJsonPatch(
      JsonPatch.replace('/stringData/server-config.yaml', stringify(config)),
    );
    const problems = tenantProblems(charts).filter((p) => p.startsWith(SECRET));
    expect(problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${SECRET.replace(/[()]/g, '\\$&')}: admin\\.identity: .* could name a real identity; with kes\\.adminMode disabled use a non-hex value such as "disabled"$`,
        ),
      ),
      `${SECRET}: keys[0].secret: is not a KES field (value not shown): KES ignores it silently; keys entries are {name: <EK name>} only`,
    ]);
  });
});

describe('synthesize() lists problems found after patches', () => {
  test('fails with one "invalid MinIO SSE manifests" listing and writes nothing', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'escape-')), 'dist');
    let message = '';
    try {
      synthesize({
        declaration: v7(),
        outdir,
        crds: fixtureCrds(),
        configure: (charts) =>
          charts.tenantChart.tenant.apiObject.addJsonPatch(
            JsonPatch.replace('/metadata/namespace', 'minio-operator'),
            JsonPatch.replace('/spec/kes/image', 'quay.io/minio/kes:latest'),
          ),
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'invalid MinIO SSE manifests (final objects, after escape-hatch patches) (2 problems):',
      `  - [minio-tenant-1/Tenant] ${WHERE}: metadata.namespace is "minio-operator", not the declared "minio-tenant-1": set tenant.namespace in the declaration`,
      `  - [minio-tenant-1/Tenant] ${WHERE}: spec.kes.image "quay.io/minio/kes:latest" is not a usable KES image: tag "latest" is not a KES date tag (YYYY-MM-DDTHH-MM-SSZ); semver and floating tags use other config formats`,
    ]);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
