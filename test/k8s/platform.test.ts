import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, JsonPatch, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  CrdSchemaValidator,
  MinioSsePlatform,
  OperatorCrds,
  OperatorRelease,
  SYNTH_MANIFEST,
  synthesizePlatform,
} from '../../lib';
import { platformDeclaration, teamTenant } from '../../examples/platform/platform';
import { fixtureCrds } from '../support/fixtures';
import { CLUSTER_SCOPED, validateObject } from '../support/k8s-validate';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'minio-sse-platform-'));
const read = (file: string) => parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
const OPERATOR_KINDS = ['CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'Deployment'];

describe.each(OperatorRelease.all().map((r) => [r.tag, r] as const))(
  'the platform example synthesized for operator %s',
  (_tag, release) => {
    const outdir = tmp();
    const files = synthesizePlatform({ declaration: platformDeclaration({ release }), outdir, crds: fixtureCrds() });
    const byFile = new Map(files.map((f) => [path.basename(f), read(f)]));
    const all = [...byFile.values()].flat();

    test('one file for the operator and one per tenant, named by chart id, operator first', () => {
      expect([...byFile.keys()]).toEqual([
        'minio-operator.k8s.yaml',
        'tenant-team-a.k8s.yaml',
        'tenant-team-b.k8s.yaml',
        'tenant-team-c.k8s.yaml',
      ]);
      expect(fs.readdirSync(outdir).sort()).toEqual([SYNTH_MANIFEST, ...byFile.keys()]);
    });

    test('the operator objects are emitted exactly once, all in the operator file', () => {
      const ids = all.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
      expect(new Set(ids).size).toBe(ids.length);
      for (const [file, objects] of byFile) {
        const operatorObjects = objects.filter(
          (o) => OPERATOR_KINDS.includes(o.kind) || o.metadata.namespace === 'minio-operator',
        );
        expect(operatorObjects.length > 0).toBe(file === 'minio-operator.k8s.yaml');
      }
      expect(all.filter((o) => o.kind === 'Deployment' && o.metadata.name === 'minio-operator')).toHaveLength(1);
      expect(
        all
          .filter((o) => o.kind === 'CustomResourceDefinition')
          .map((o) => o.metadata.name)
          .sort(),
      ).toEqual(['policybindings.sts.min.io', 'tenants.minio.min.io']);
      expect(
        byFile
          .get('minio-operator.k8s.yaml')!
          .filter((o) => o.kind === 'Namespace')
          .map((o) => o.metadata.name),
      ).toEqual(['minio-operator']);
    });

    test("each tenant file starts with its Namespace and holds only that tenant's objects", () => {
      for (const team of ['team-a', 'team-b', 'team-c']) {
        const objects = byFile.get(`tenant-${team}.k8s.yaml`)!;
        expect(objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: team } });
        expect(objects.slice(1).every((o) => !CLUSTER_SCOPED.has(o.kind) && o.metadata.namespace === team)).toBe(true);
        expect(objects.map((o) => o.kind)).toEqual(['Namespace', 'Secret', 'Tenant', 'ConfigMap', 'Job']);
        expect(objects.find((o) => o.kind === 'Tenant').metadata.name).toBe(team);
      }
    });

    test("every object validates (kubernetes-models, the release's Tenant CRD)", () => {
      expect(all.flatMap((o) => validateObject(o, release))).toEqual([]);
    });

    test('tenants sharing a vault get KES policies limited to their own prefix', () => {
      const config = (team: string) =>
        byFile.get(`tenant-${team}.k8s.yaml`)!.find((o) => o.kind === 'Secret').stringData[
          'server-config.yaml'
        ] as string;
      expect(config('team-a')).toContain('/v1/key/create/team-a-*');
      expect(config('team-a')).not.toContain('team-b-');
      expect(config('team-b')).toContain('/v1/key/create/team-b-*');
      expect(config('team-a')).toContain('minio-kes-shared.vault.azure.net');
      expect(config('team-c')).toContain('minio-kes-team-c.vault.azure.net');
    });
  },
);

describe('GitOps diff hygiene', () => {
  test('removing a tenant leaves every other file byte-identical and deletes only its file', () => {
    const outdir = path.join(tmp(), 'dist-platform');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'README.txt'), 'not ours');
    synthesizePlatform({ declaration: platformDeclaration(), outdir, crds: fixtureCrds() });
    const before = new Map(fs.readdirSync(outdir).map((f) => [f, fs.readFileSync(path.join(outdir, f))]));
    synthesizePlatform({ declaration: platformDeclaration({ without: ['team-b'] }), outdir, crds: fixtureCrds() });
    const after = fs.readdirSync(outdir).sort();
    expect(after).toEqual([
      SYNTH_MANIFEST,
      'README.txt',
      'minio-operator.k8s.yaml',
      'tenant-team-a.k8s.yaml',
      'tenant-team-c.k8s.yaml',
    ]);
    for (const f of after.filter((x) => x !== SYNTH_MANIFEST)) {
      expect(fs.readFileSync(path.join(outdir, f)).equals(before.get(f)!)).toBe(true);
    }
  });

  test('adding a tenant in front of the others (or reordering) changes no byte of the other files', () => {
    const a = tmp();
    const b = tmp();
    const decl = platformDeclaration();
    synthesizePlatform({ declaration: decl, outdir: a, crds: fixtureCrds() });
    const extra = teamTenant('team-0', 'minio-kes-team-0');
    synthesizePlatform({
      declaration: { ...decl, tenants: [extra, ...[...decl.tenants!].reverse()] },
      outdir: b,
      crds: fixtureCrds(),
    });
    for (const f of fs.readdirSync(a).filter((x) => x !== SYNTH_MANIFEST)) {
      expect(fs.readFileSync(path.join(b, f)).equals(fs.readFileSync(path.join(a, f)))).toBe(true);
    }
    expect(fs.readdirSync(b)).toContain('tenant-team-0.k8s.yaml');
  });

  test('platform.synth writes the very bytes app.synth() writes (and leaves other files alone)', () => {
    const a = tmp();
    const b = tmp();
    new MinioSsePlatform(new App({ outdir: a }), { declaration: platformDeclaration(), crds: fixtureCrds() }).synth();
    const app = new App({ outdir: b });
    new MinioSsePlatform(app, { declaration: platformDeclaration(), crds: fixtureCrds() });
    app.synth();
    expect(fs.readdirSync(b).sort()).toEqual(fs.readdirSync(a).sort());
    for (const f of fs.readdirSync(a)) {
      expect(fs.readFileSync(path.join(b, f), 'utf8')).toBe(fs.readFileSync(path.join(a, f), 'utf8'));
    }
  });
});

describe('MinioSsePlatform', () => {
  test('validates each Tenant against the CRD exactly once per synthesis', () => {
    const platform = new MinioSsePlatform(Testing.app(), { declaration: platformDeclaration(), crds: fixtureCrds() });
    const spy = jest.spyOn(CrdSchemaValidator.prototype, 'validate');
    try {
      platform.manifests();
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
    }
  });

  test('app.synth() (cdk8s validates the App once per chart) still checks each Tenant against the CRD once', () => {
    const app = new App({ outdir: tmp() });
    new MinioSsePlatform(app, { declaration: platformDeclaration(), crds: fixtureCrds() });
    const spy = jest.spyOn(CrdSchemaValidator.prototype, 'validate');
    try {
      app.synth();
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
    }
  });

  test("with the operator installed elsewhere: no operator file, Tenants still validated against the release's CRD", () => {
    const platform = new MinioSsePlatform(Testing.app(), {
      declaration: platformDeclaration(),
      crds: fixtureCrds(),
      installOperator: false,
    });
    expect(platform.operatorChart).toBeUndefined();
    expect(platform.manifests().map((m) => m.fileName)).toEqual([
      'tenant-team-a.k8s.yaml',
      'tenant-team-b.k8s.yaml',
      'tenant-team-c.k8s.yaml',
    ]);
    platform.tenantCharts.get('team-b')!.tenant.apiObject.addJsonPatch(JsonPatch.add('/spec/additionalVolumes', []));
    expect(() => platform.manifests()).toThrow(
      /\[tenant-team-b\/Tenant\] Tenant team-b\/team-b does not match the v5\.0\.4 Tenant CRD: \/spec: unknown field "additionalVolumes"/,
    );
  });

  test('fails when the operator is installed elsewhere and the CRD source holds no Tenant CRD', () => {
    expect(
      () =>
        new MinioSsePlatform(Testing.app(), {
          declaration: platformDeclaration(),
          crds: OperatorCrds.alreadyInstalled(),
          installOperator: false,
        }),
    ).toThrow(
      "installOperator: false needs a CRD source that reads the release's CRDs (OperatorCrds.fromRelease(), fromDirectory(), fromFiles(), or alreadyInstalled({ schema })) to validate every Tenant; OperatorCrds.alreadyInstalled() without a schema has none",
    );
    // alreadyInstalled with a schema source: no CRDs emitted, Tenants still validated
    const p = new MinioSsePlatform(Testing.app(), {
      declaration: platformDeclaration(),
      crds: OperatorCrds.alreadyInstalled({ schema: fixtureCrds() }),
      installOperator: false,
    });
    expect(p.tenantCrdSchema).toBe(fixtureCrds().tenantSchema(OperatorRelease.V5_0_4));
  });

  test('fails when a platform is added to an App that already installs the operator', () => {
    const app = Testing.app();
    new MinioSsePlatform(app, {
      declaration: platformDeclaration({ without: ['team-b', 'team-c'] }),
      crds: fixtureCrds(),
    });
    expect(
      () =>
        new MinioSsePlatform(app, {
          declaration: platformDeclaration({ without: ['team-a'] }),
          crds: fixtureCrds(),
          operatorChartId: 'op2',
        }),
    ).toThrow(/^this App already installs the MinIO Operator \(chart "minio-operator"\)/);
  });

  test('fails when synthesizePlatform meets a validation problem, and leaves outdir as it was', () => {
    const outdir = path.join(tmp(), 'dist-platform');
    synthesizePlatform({ declaration: platformDeclaration(), outdir, crds: fixtureCrds() });
    const before = fs.readdirSync(outdir).map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]);
    expect(() =>
      synthesizePlatform({
        declaration: platformDeclaration(),
        outdir,
        crds: fixtureCrds(),
        configure: (p) => p.tenantCharts.get('team-c')!.tenant.apiObject.addJsonPatch(JsonPatch.remove('/spec/kes')),
      }),
    ).toThrow(/\[tenant-team-c\/Tenant\] Tenant team-c\/team-c: spec\.kes was removed/);
    expect(fs.readdirSync(outdir).map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')])).toEqual(before);
  });

  test('fails when a validation problem exists, and writes nothing', () => {
    const outdir = tmp();
    fs.writeFileSync(path.join(outdir, 'old.k8s.yaml'), 'previous');
    const app = new App({ outdir });
    const platform = new MinioSsePlatform(app, { declaration: platformDeclaration(), crds: fixtureCrds() });
    platform.tenantCharts.get('team-a')!.tenant.apiObject.addJsonPatch(JsonPatch.remove('/spec/kes'));
    expect(() => platform.synth()).toThrow(/\[tenant-team-a\/Tenant\] Tenant team-a\/team-a: spec\.kes was removed/);
    expect(fs.readdirSync(outdir)).toEqual(['old.k8s.yaml']);
  });

  test('a tenant of a non-default cluster domain platform gets the operator CLUSTER_DOMAIN and its endpoints', () => {
    const decl = { ...platformDeclaration({ without: ['team-b', 'team-c'] }), clusterDomain: 'corp.example' };
    const platform = new MinioSsePlatform(Testing.app(), { declaration: decl, crds: fixtureCrds() });
    const [operator, tenant] = platform.manifests();
    const deployment = operator.objects.find((o) => o.kind === 'Deployment')!;
    expect(deployment.spec.template.spec.containers[0].env).toContainEqual({
      name: 'CLUSTER_DOMAIN',
      value: 'corp.example',
    });
    expect(JSON.stringify(tenant.objects.find((o) => o.kind === 'Job'))).toContain('minio.team-a.svc.corp.example');
  });
});

describe('images of a platform', () => {
  const imagesOf = (o: any): string[] => {
    const out: string[] = [];
    const walk = (v: any, key?: string) => {
      if (typeof v === 'string' && (key === 'image' || /_IMAGE$/.test(key ?? ''))) {
        out.push(v);
      } else if (Array.isArray(v)) {
        v.forEach((x) => walk(x));
      } else if (v && typeof v === 'object') {
        if (typeof v.name === 'string' && /_IMAGE$/.test(v.name) && typeof v.value === 'string') {
          out.push(v.value);
        }
        Object.entries(v).forEach(([k, x]) => walk(x, k));
      }
    };
    walk(o);
    return out;
  };

  test.each(OperatorRelease.all().map((r) => [r.tag, r] as const))(
    'the platform imageRegistry and pull Secret reach the operator and every tenant (%s)',
    (_tag, release) => {
      const decl = {
        ...platformDeclaration({ release }),
        imageRegistry: 'myregistry.azurecr.io',
        imagePullSecrets: ['regcred'],
      };
      const manifests = new MinioSsePlatform(Testing.app(), { declaration: decl, crds: fixtureCrds() }).manifests();
      const all = manifests.flatMap((m) => m.objects);
      const images = all.flatMap(imagesOf);
      expect(images.length).toBeGreaterThanOrEqual(1 + 3 * 3);
      expect(images.filter((i) => !i.startsWith('myregistry.azurecr.io/'))).toEqual([]);
      const deployment = all.find((o) => o.kind === 'Deployment')!;
      expect(deployment.spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
      for (const t of all.filter((o) => o.kind === 'Tenant')) {
        expect(t.spec.imagePullSecret).toEqual({ name: 'regcred' });
      }
    },
  );
});
