import { Testing } from 'cdk8s';
import { MinioSseCharts, MinioSseDeclaration, OperatorRelease, showValue, validateDeclaration } from '../../lib';
import { seedDeclaration } from '../../examples/seed';
import { fixtureCrds } from '../support/fixtures';
import { validateObject } from '../support/k8s-validate';
import { podTemplatesOf, restrictedViolations } from '../support/pod-security';

const REGISTRY = 'myregistry.azurecr.io/mirror';
const PULL_SECRET = 'acr-pull';
const DIGEST = `sha256:${'0f'.repeat(32)}`;

function synth(decl: MinioSseDeclaration) {
  const charts = new MinioSseCharts(Testing.app(), { declaration: decl, crds: fixtureCrds() });
  return { charts, all: [...Testing.synth(charts.operatorChart), ...Testing.synth(charts.tenantChart)] as any[] };
}

function mirrored(release: OperatorRelease, extra: Partial<MinioSseDeclaration> = {}): MinioSseDeclaration {
  return { ...seedDeclaration({ release }), imageRegistry: REGISTRY, imagePullSecrets: [PULL_SECRET], ...extra };
}

/** Objects that make pods: workloads with a pod template, and the Tenant (the operator makes its StatefulSets). */
function podBearing(all: any[]): any[] {
  return all.filter((o) => podTemplatesOf(o).length > 0 || o.kind === 'Tenant');
}

/** Every image an object names: `image` of any container list, and the operator's sidecar-image env. */
function imagesOf(obj: any): string[] {
  const out: string[] = [];
  const walk = (x: any, key?: string): void => {
    if (Array.isArray(x)) {
      x.forEach((v) => walk(v, key));
    } else if (x && typeof x === 'object') {
      if (typeof x.name === 'string' && /_IMAGE$/.test(x.name) && typeof x.value === 'string') {
        out.push(x.value);
      }
      for (const [k, v] of Object.entries(x)) {
        if (k === 'image' && typeof v === 'string') {
          out.push(v);
        } else {
          walk(v, k);
        }
      }
    }
  };
  walk(obj);
  return out;
}

/** The pull secrets of an object's pods. */
function pullSecretsOf(obj: any): unknown {
  return obj.kind === 'Tenant' ? obj.spec.imagePullSecret : podTemplatesOf(obj)[0].spec.imagePullSecrets;
}

describe.each(OperatorRelease.all().map((r) => [r.tag, r] as const))(
  'imageRegistry and imagePullSecrets at operator %s',
  (_tag, release) => {
    const { charts, all } = synth(mirrored(release));
    const pods = podBearing(all);

    test('the pod-bearing objects are the operator Deployment, the Tenant and the Job', () => {
      expect(pods.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
        [
          'Deployment/minio-operator',
          'Tenant/minio-tenant-1',
          `Job/${charts.tenantChart.bucketEncryption.jobName}`,
        ].sort(),
      );
    });

    test('every image of every object is under imageRegistry, path and tag kept', () => {
      const images = all.flatMap(imagesOf).sort();
      const expected = [
        release.operatorImage,
        release.minioImage,
        release.kesImage,
        release.mcImage,
        ...(release.operatorSidecarImage ? [release.operatorSidecarImage] : []),
      ].map((i) => i.replace(/^quay\.io\//, `${REGISTRY}/`));
      expect(images).toEqual(expected.sort());
      expect(images.every((i) => i.startsWith(`${REGISTRY}/minio/`))).toBe(true);
    });

    test('the operator is told the sidecar image (v7.1.1: OPERATOR_SIDECAR_IMAGE; v5.0.4: its own image)', () => {
      const deployment = all.find((o) => o.kind === 'Deployment');
      const env = deployment.spec.template.spec.containers[0].env as any[];
      const sidecarEnv = env.find((e) => e.name === 'OPERATOR_SIDECAR_IMAGE');
      if (release === OperatorRelease.V7_1_1) {
        expect(sidecarEnv).toEqual({
          name: 'OPERATOR_SIDECAR_IMAGE',
          value: `${REGISTRY}/minio/operator-sidecar:v7.0.1`,
        });
        expect(charts.operatorChart.operator.sidecarImage).toBe(`${REGISTRY}/minio/operator-sidecar:v7.0.1`);
      } else {
        // v5.0.4 reads the image of container "minio-operator" of Deployment "minio-operator" for the sidecar.
        expect(sidecarEnv).toBeUndefined();
        expect(deployment.spec.template.spec.containers[0].name).toBe('minio-operator');
        expect(charts.operatorChart.operator.sidecarImage).toBe(`${REGISTRY}/minio/operator:v5.0.4`);
      }
    });

    test('the pull secret reaches every pod-bearing object', () => {
      for (const o of pods) {
        expect([o.kind, pullSecretsOf(o)]).toEqual([
          o.kind,
          o.kind === 'Tenant' ? { name: PULL_SECRET } : [{ name: PULL_SECRET }],
        ]);
      }
    });

    test('every object still validates (core kinds, the Tenant against this release\'s CRD) and pods stay "restricted"', () => {
      expect(all.flatMap((o) => validateObject(o, release))).toEqual([]);
      for (const o of all) {
        for (const t of podTemplatesOf(o)) {
          expect(restrictedViolations(t.spec, `${o.kind}/${o.metadata.name}`)).toEqual([]);
        }
      }
    });

    test('without the settings, the release images are emitted as they are and no pull secret is set', () => {
      const plain = synth(seedDeclaration({ release })).all;
      const images = plain.flatMap(imagesOf);
      expect(images.every((i) => i.startsWith('quay.io/minio/'))).toBe(true);
      expect(images).toContain(release.minioImage);
      for (const o of podBearing(plain)) {
        expect(pullSecretsOf(o)).toBeUndefined();
      }
    });

    test('digests are accepted for MinIO, KES (with its date tag) and mc, kept under imageRegistry, and valid against the CRD', () => {
      const seed = mirrored(release);
      const kesImage = `quay.io/minio/kes:2025-03-12T09-35-18Z@${DIGEST}`;
      const decl: MinioSseDeclaration = {
        ...seed,
        tenant: { ...seed.tenant, image: `quay.io/minio/minio@${DIGEST}` },
        kes: { ...seed.kes, image: kesImage },
        bucketEncryptionJob: { image: `quay.io/minio/mc:${release.mcImage.split(':')[1]}@${DIGEST}` },
      };
      const out = synth(decl).all;
      const tenant = out.find((o) => o.kind === 'Tenant');
      expect(tenant.spec.image).toBe(`${REGISTRY}/minio/minio@${DIGEST}`);
      expect(tenant.spec.kes.image).toBe(`${REGISTRY}/minio/kes:2025-03-12T09-35-18Z@${DIGEST}`);
      const job = out.find((o) => o.kind === 'Job');
      expect(job.spec.template.spec.containers[0].image).toBe(
        `${REGISTRY}/minio/mc:${release.mcImage.split(':')[1]}@${DIGEST}`,
      );
      expect(out.flatMap((o) => validateObject(o, release))).toEqual([]);
    });
  },
);

describe('image settings are validated', () => {
  const seed = seedDeclaration({ release: OperatorRelease.V7_1_1 });

  test('fails when imageRegistry has a scheme, naming the field and the rule', () => {
    expect(validateDeclaration({ ...seed, imageRegistry: 'https://myregistry.azurecr.io' })).toEqual([
      {
        path: 'imageRegistry',
        message:
          '"https://myregistry.azurecr.io" is not a valid image registry: must not include a scheme (https://): give host[:port][/path], such as myregistry.azurecr.io (runtimes always pull over HTTPS unless the node trusts the registry as insecure)',
      },
    ]);
  });

  test('fails when imageRegistry carries a tag or has no registry host', () => {
    expect(validateDeclaration({ ...seed, imageRegistry: 'myregistry.azurecr.io/mirror:v1' })).toEqual([
      {
        path: 'imageRegistry',
        message:
          '"myregistry.azurecr.io/mirror:v1" is not a valid image registry: must not include a tag ("mirror:v1"): it is a registry (host[:port][/path]); tags belong on each image',
      },
    ]);
    expect(validateDeclaration({ ...seed, imageRegistry: 'mirror' })[0].message).toBe(
      '"mirror" is not a valid image registry: host "mirror" must contain a "." or a port, or be localhost: otherwise runtimes read it as a path on Docker Hub (docker.io/mirror/…)',
    );
  });

  test('fails when imageRegistry is not a string', () => {
    expect(validateDeclaration({ ...seed, imageRegistry: 5000 as any })).toEqual([
      { path: 'imageRegistry', message: '5000 must be a string (host[:port][/path], such as myregistry.azurecr.io)' },
    ]);
  });

  test('fails when more than one pull secret is given (the Tenant CRD holds one)', () => {
    expect(validateDeclaration({ ...seed, imagePullSecrets: ['a', 'b'] })).toEqual([
      {
        path: 'imagePullSecrets',
        message:
          'has 2 entries: at most one, because the Tenant CRD holds a single spec.imagePullSecret (used for the MinIO and the KES pods)',
      },
    ]);
  });

  test('fails when a pull secret name is not a Secret name, without showing it', () => {
    const pasted = 'CANARY+Pasted/Registry=Password';
    const problems = validateDeclaration({ ...seed, imagePullSecrets: [pasted] });
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('imagePullSecrets[0]');
    expect(problems[0].message).toMatch(
      /^the 31-character value \(not shown: it may be a secret pasted by mistake\) is not a valid Secret name: /,
    );
    expect(JSON.stringify(problems)).not.toContain('CANARY');
    expect(validateDeclaration({ ...seed, imagePullSecrets: 'acr-pull' as any })).toEqual([
      { path: 'imagePullSecrets', message: 'must be a list of Secret names' },
    ]);
  });

  test('fails when a KES image is pinned by digest only: its date tag states the KES release', () => {
    const image = `quay.io/minio/kes@${DIGEST}`;
    expect(validateDeclaration({ ...seed, kes: { ...seed.kes, image } })).toEqual([
      {
        path: 'kes.image',
        message: `${showValue(image)} is not a usable KES image: is pinned by digest only: write it as <repository>:<KES date tag>@sha256:<digest> (e.g. quay.io/minio/kes:2025-03-12T09-35-18Z@sha256:…) so the library knows which KES release it is; the runtime pulls by the digest`,
      },
    ]);
  });

  test('fails when an image under a long imageRegistry path exceeds the 255-character repository limit', () => {
    const registry = `r.example.com/${'m'.repeat(240)}`;
    const problems = validateDeclaration({ ...seed, imageRegistry: registry });
    expect(problems.map((p) => p.path)).toEqual(['tenant.image', 'kes.image', 'bucketEncryptionJob.image']);
    expect(problems[0].message).toMatch(/\(under imageRegistry\) repository name is longer than 255 characters$/);
  });

  test('fails when a MinioOperator is given a bad image or registry directly', () => {
    const { MinioOperator } = require('../../lib');
    const chart = Testing.chart();
    expect(
      () =>
        new MinioOperator(chart, 'Op', {
          release: OperatorRelease.V7_1_1,
          crds: fixtureCrds(),
          image: 'quay.io/minio/operator:v7.1.1 ',
          imageRegistry: 'registry.example.com/',
        }),
    ).toThrow(
      'invalid MinioOperator props:\n  - imageRegistry "registry.example.com/" is not a valid image registry: must not end with "/": give host[:port][/path], such as myregistry.azurecr.io/mirror\n  - image "quay.io/minio/operator:v7.1.1 " is not a valid image: must not contain whitespace',
    );
  });
});
