import { createHash } from 'node:crypto';
import { JsonPatch, Testing } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { KES_CONFIG_HASH_ANNOTATION, MinioSseCharts, MinioSseDeclaration, OperatorRelease } from '../../lib';
import { envListsOf, tenantImagesOf } from '../../lib/k8s/tenant';
import { seedDeclaration } from '../../examples/seed';
import { fixtureCrds, tenantCrdSchema } from '../support/fixtures';
import { validateObject } from '../support/k8s-validate';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const WHERE = 'Tenant minio-tenant-1/minio-tenant-1';
const SECRET = 'Secret minio-tenant-1/minio-tenant-1-kes-config (KES config, after escape-hatch patches)';

function build(decl: MinioSseDeclaration = seedDeclaration({ release: OperatorRelease.V7_1_1 })) {
  return new MinioSseCharts(Testing.app(), { declaration: decl, crds: fixtureCrds() });
}

function synthError(charts: MinioSseCharts): string {
  try {
    Testing.synth(charts.tenantChart);
  } catch (e) {
    return (e as Error).message;
  }
  return '(synth succeeded)';
}

/** The problems of a failed synth, without cdk8s's construct-path prefix. */
function problemsOf(message: string): string[] {
  return message
    .split('\n')
    .slice(1)
    .map((l) => l.trim().replace(/^\[[^\]]*\] /, ''));
}

const objects = (charts: MinioSseCharts) => Testing.synth(charts.tenantChart) as any[];
const tenantOf = (charts: MinioSseCharts) => objects(charts).find((o) => o.kind === 'Tenant');
const secretOf = (charts: MinioSseCharts) => objects(charts).find((o) => o.kind === 'Secret');

/** Path of every `env` array in a CRD's openAPIV3Schema, `spec.sideCars.containers[].env` style. */
function envPathsInSchema(schema: any): string[] {
  const out: string[] = [];
  const walk = (node: any, path: string): void => {
    if (!node || typeof node !== 'object') {
      return;
    }
    for (const [key, child] of Object.entries<any>(node.properties ?? {})) {
      const here = path === '' ? key : `${path}.${key}`;
      if (key === 'env' && child.type === 'array') {
        out.push(here);
      } else {
        walk(child, here);
      }
    }
    if (node.items) {
      walk(node.items, `${path}[]`);
    }
  };
  walk(schema, '');
  return out;
}

describe('the KES config Secret after escape-hatch patches', () => {
  test('a valid patch goes through and the KES pods get the hash of the final bytes, so KES rolls', () => {
    const charts = build();
    const original = charts.tenantChart.kesConfig.configYaml;
    const patched = original.replace(/any: 5m0s/, 'any: 10m0s');
    expect(patched).not.toBe(original);
    charts.tenantChart.kesConfig.apiObject.addJsonPatch(JsonPatch.replace('/stringData/server-config.yaml', patched));
    const tenant = tenantOf(charts);
    expect(secretOf(charts).stringData['server-config.yaml']).toBe(patched);
    expect(tenant.spec.kes.annotations[KES_CONFIG_HASH_ANNOTATION]).toBe(sha256(patched));
    expect(tenant.spec.kes.annotations[KES_CONFIG_HASH_ANNOTATION]).not.toBe(sha256(original));
    expect(charts.tenantChart.kesConfig.finalConfigSha256()).toBe(sha256(patched));
  });

  test("without a patch the hash is the rendered config's", () => {
    const charts = build();
    expect(tenantOf(charts).spec.kes.annotations[KES_CONFIG_HASH_ANNOTATION]).toBe(
      charts.tenantChart.kesConfig.configSha256,
    );
  });

  test('fails when a patch gives KES two Azure auth methods', () => {
    const charts = build();
    const config = parse(charts.tenantChart.kesConfig.configYaml);
    config.keystore.azure.keyvault.managed_identity = { client_id: '${AZURE_CLIENT_ID}' };
    charts.tenantChart.kesConfig.apiObject.addJsonPatch(
      JsonPatch.replace('/stringData/server-config.yaml', stringify(config)),
    );
    expect(problemsOf(synthError(charts))).toEqual([
      `${SECRET}: keystore.azure.keyvault: has both credentials and managed_identity; KES fails with "more than one authentication method specified"`,
      `${SECRET}: keystore.azure.keyvault: has managed_identity but kes.auth is clientSecret (expected credentials)`,
    ]);
  });

  test('fails when the config moves to base64 data and writes a literal client secret there, without showing it', () => {
    const charts = build();
    const config = parse(charts.tenantChart.kesConfig.configYaml);
    config.keystore.azure.keyvault.credentials.client_secret = 'CANARY-literal-client-secret';
    const data = Buffer.from(stringify(config)).toString('base64');
    charts.tenantChart.kesConfig.apiObject.addJsonPatch(
      JsonPatch.remove('/stringData'),
      JsonPatch.add('/data', { 'server-config.yaml': data }),
    );
    const message = synthError(charts);
    expect(problemsOf(message)).toEqual([
      `${SECRET}: keystore.azure.keyvault.credentials.client_secret: is a literal value (not shown); it must be the whole-value reference \${AZURE_CLIENT_SECRET} so that no credential is written into the config`,
    ]);
    expect(message).not.toContain('CANARY');
  });

  test('fails when a patch adds another key, renames the Secret, or drops the config', () => {
    const charts = build();
    charts.tenantChart.kesConfig.apiObject.addJsonPatch(
      JsonPatch.add('/stringData/azure-password', 'CANARY-extra'),
      JsonPatch.remove('/stringData/server-config.yaml'),
      JsonPatch.replace('/metadata/name', 'other-config'),
    );
    const message = synthError(charts);
    expect(problemsOf(message)).toEqual([
      `${SECRET}: metadata must stay minio-tenant-1/minio-tenant-1-kes-config: the Tenant's spec.kes.kesSecret names it (got "minio-tenant-1"/"other-config")`,
      `${SECRET}: has keys other than server-config.yaml (azure-password): the operator mounts only server-config.yaml, and the Secret must hold no credential`,
      `${SECRET}: has no server-config.yaml in stringData or data`,
    ]);
    expect(message).not.toContain('CANARY');
  });

  test('fails when the patched config is not YAML', () => {
    const charts = build();
    charts.tenantChart.kesConfig.apiObject.addJsonPatch(
      JsonPatch.replace('/stringData/server-config.yaml', 'version: [v1'),
    );
    expect(problemsOf(synthError(charts))[0]).toMatch(
      new RegExp(`^${SECRET.replace(/[()]/g, '\\$&')}: server-config\\.yaml is not valid YAML: `),
    );
  });

  test('fails when a patch on the Tenant replaces the config-hash annotation', () => {
    const charts = build();
    charts.tenantChart.tenant.apiObject.addJsonPatch(
      JsonPatch.replace('/spec/kes/annotations', { [KES_CONFIG_HASH_ANNOTATION]: 'pinned' }),
    );
    expect(problemsOf(synthError(charts))).toEqual([
      `${WHERE}: spec.kes.annotations["${KES_CONFIG_HASH_ANNOTATION}"] is "pinned", not the SHA-256 of the final KES config (${charts.tenantChart.kesConfig.configSha256}): KES would not roll when its config changes`,
    ]);
  });
});

describe.each(OperatorRelease.all().map((r) => [r.tag, r] as const))(
  'literal credentials in every Tenant env list (operator %s)',
  (_tag, release) => {
    const schemaPaths = envPathsInSchema(tenantCrdSchema(release));

    test("the CRD's env lists are the ones named in the docs (a new one would show here)", () => {
      expect(schemaPaths.sort()).toEqual(
        [
          'spec.env',
          'spec.kes.env',
          'spec.sideCars.containers[].env',
          ...(release === OperatorRelease.V7_1_1 ? ['spec.initContainers[].env'] : []),
        ].sort(),
      );
    });

    test('fails when any env list of the CRD holds a literal credential, naming each, showing none', () => {
      const charts = build(seedDeclaration({ release }));
      const base = tenantOf(build(seedDeclaration({ release }))).spec;
      // Build, from the schema paths, a spec with one literal credential in every env list.
      const spec = structuredClone(base);
      const expected: string[] = [];
      schemaPaths.forEach((p, n) => {
        const segments = p.split('.').slice(1); // drop "spec"
        let node: any = spec;
        let concrete = 'spec';
        segments.forEach((seg, i) => {
          const isArray = seg.endsWith('[]');
          const key = seg.replace('[]', '');
          const last = i === segments.length - 1;
          if (last) {
            node[key] ??= [];
            const index = node[key].length;
            node[key].push({ name: `CANARY_${n}_PASSWORD`, value: `CANARY-literal-${n}` });
            concrete += `.${key}[${index}]`;
            expected.push(
              `${WHERE}: ${concrete} CANARY_${n}_PASSWORD has a literal value (not shown): credentials must come from a Secret (valueFrom.secretKeyRef)`,
            );
          } else if (isArray) {
            node[key] ??= [{ name: `c${n}` }];
            node = node[key][0];
            concrete += `.${key}[0]`;
          } else {
            node[key] ??= {};
            node = node[key];
            concrete += `.${key}`;
          }
        });
      });
      charts.tenantChart.tenant.apiObject.addJsonPatch(JsonPatch.replace('/spec', spec));
      // Nothing else is wrong with the patched Tenant: it matches the release's CRD.
      expect(validateObject({ ...tenantOf(build(seedDeclaration({ release }))), spec }, release)).toEqual([]);
      const message = synthError(charts);
      expect(problemsOf(message).sort()).toEqual(expected.sort());
      expect(message).not.toContain('CANARY-literal');
    });

    test('envListsOf finds env lists at any depth', () => {
      expect(envListsOf({ a: { env: [1] }, b: [{ env: [] }, { c: { env: [2, 3] } }] }).map((l) => l.path)).toEqual([
        'a.env',
        'b[0].env',
        'b[1].c.env',
      ]);
    });
  },
);

describe('images and pull secrets after escape-hatch patches', () => {
  const mirrored = (release = OperatorRelease.V7_1_1): MinioSseDeclaration => ({
    ...seedDeclaration({ release }),
    imageRegistry: 'myregistry.azurecr.io',
    imagePullSecrets: ['acr-pull'],
  });

  test('a sidecar from the mirror goes through', () => {
    const charts = build(mirrored());
    charts.tenantChart.tenant.apiObject.addJsonPatch(
      JsonPatch.add('/spec/sideCars', {
        containers: [{ name: 'log', image: 'myregistry.azurecr.io/fluent/fluent-bit:3.1.0' }],
      }),
    );
    expect(tenantOf(charts).spec.sideCars.containers[0].image).toBe('myregistry.azurecr.io/fluent/fluent-bit:3.1.0');
  });

  test('fails when a patch adds a sidecar or init container from another registry, or drops the pull secret', () => {
    const charts = build(mirrored());
    charts.tenantChart.tenant.apiObject.addJsonPatch(
      JsonPatch.add('/spec/sideCars', { containers: [{ name: 'log', image: 'fluent/fluent-bit:3.1.0' }] }),
      JsonPatch.add('/spec/initContainers', [{ name: 'init', image: 'quay.io/minio/operator-sidecar:v7.0.1' }]),
      JsonPatch.remove('/spec/imagePullSecret'),
    );
    expect(problemsOf(synthError(charts))).toEqual([
      `${WHERE}: spec.sideCars.containers[0].image "fluent/fluent-bit:3.1.0" is not under imageRegistry "myregistry.azurecr.io": mirror the image there and reference the mirrored copy`,
      `${WHERE}: spec.initContainers[0].image "quay.io/minio/operator-sidecar:v7.0.1" is not under imageRegistry "myregistry.azurecr.io": mirror the image there and reference the mirrored copy`,
      `${WHERE}: spec.imagePullSecret no longer names the declared imagePullSecrets[0]: the MinIO and KES pods could not pull from the registry`,
    ]);
  });

  test('fails when a patch points the operator or its sidecar env at another registry', () => {
    const charts = build(mirrored());
    const deployment = charts.operatorChart.operator.deployment;
    deployment.addJsonPatch(
      JsonPatch.replace('/spec/template/spec/containers/0/image', 'quay.io/minio/operator:v7.1.1'),
      JsonPatch.replace('/spec/template/spec/containers/0/env/1/value', 'quay.io/minio/operator-sidecar:v7.0.1'),
    );
    let message = '';
    try {
      Testing.synth(charts.operatorChart);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(problemsOf(message)).toEqual([
      'Deployment minio-operator/minio-operator: spec.template.spec.containers[0].image "quay.io/minio/operator:v7.1.1" is not under imageRegistry "myregistry.azurecr.io": mirror the image there and reference the mirrored copy',
      'Deployment minio-operator/minio-operator: spec.template.spec.containers[0].env[1] OPERATOR_SIDECAR_IMAGE "quay.io/minio/operator-sidecar:v7.0.1" is not under imageRegistry "myregistry.azurecr.io": mirror the image there and reference the mirrored copy',
    ]);
  });

  test('tenantImagesOf names every container image field of both CRDs', () => {
    // Fields named "image" beside "imagePullPolicy" are container images; "image" objects with "reference" are
    // OCI image volumes. (rbd.image is a Ceph image name, not a container image.)
    const found = new Set<string>();
    for (const release of OperatorRelease.all()) {
      const walk = (node: any, path: string): void => {
        if (!node || typeof node !== 'object') {
          return;
        }
        const props = node.properties ?? {};
        for (const [key, child] of Object.entries<any>(props)) {
          const here = `${path}.${key}`;
          if (key === 'image' && child.type === 'string' && props.imagePullPolicy) {
            found.add(here);
          } else if (key === 'image' && child.type === 'object' && child.properties?.reference) {
            found.add(`${here}.reference`);
          }
          walk(child, here);
        }
        if (node.items) {
          walk(node.items, `${path}[]`);
        }
      };
      walk(tenantCrdSchema(release), '');
    }
    const sample = {
      spec: {
        image: 'a',
        kes: { image: 'b' },
        sideCars: { containers: [{ image: 'c' }], volumes: [{ image: { reference: 'd' } }] },
        initContainers: [{ image: 'e' }],
        additionalVolumes: [{ image: { reference: 'f' } }],
      },
    };
    const covered = tenantImagesOf(sample).map((i) => `.${i.path.replace(/\[\d+\]/g, '[]')}`);
    expect(covered.sort()).toEqual([...found].sort());
  });
});
