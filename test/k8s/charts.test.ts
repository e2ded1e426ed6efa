import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  KesConfigSecret,
  kesConfigSecretProps,
  MinioSseCharts,
  OperatorChart,
  OperatorRelease,
  resolveDeclaration,
  Tenant,
  TenantChart,
  tenantProps,
} from '../../lib';
import { seedDeclaration } from '../../examples/seed';
import { synthesize } from '../../examples/cdk8s/app';
import { fixtureCrds, operatorFixturesDir } from '../support/fixtures';
import { validateObject } from '../support/k8s-validate';
import { podTemplatesOf, restrictedViolations } from '../support/pod-security';

function synthCharts(release: OperatorRelease) {
  const app = Testing.app();
  const charts = new MinioSseCharts(app, { declaration: seedDeclaration({ release }), crds: fixtureCrds() });
  return {
    charts,
    operator: Testing.synth(charts.operatorChart) as any[],
    tenant: Testing.synth(charts.tenantChart) as any[],
  };
}

const releases = OperatorRelease.all();

describe.each(releases.map((r) => [r.tag, r] as const))(
  'seed scenario synthesized for operator %s',
  (_tag, release) => {
    const { charts, operator, tenant } = synthCharts(release);
    const all = [...operator, ...tenant];
    const find = (kind: string, name?: string) =>
      all.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

    test("every object validates (core kinds with kubernetes-models, the Tenant against this release's CRD)", () => {
      const problems = all.flatMap((o) => validateObject(o, release));
      expect(problems).toEqual([]);
    });

    test('every pod template the library emits meets Pod Security "restricted" with explicit uid/gid', () => {
      const templates = all.flatMap((o) => podTemplatesOf(o).map((t: any) => ({ o, t })));
      expect(templates.map(({ o }) => o.kind).sort()).toEqual(['Deployment', 'Job']);
      for (const { o, t } of templates) {
        expect(restrictedViolations(t.spec, `${o.kind}/${o.metadata.name}`)).toEqual([]);
      }
    });

    test('the operator chart holds the install objects of minio/operator resources/base and the tenant namespace', () => {
      const summary = operator.map((o) => `${o.kind}/${o.metadata.name}`);
      expect(summary).toEqual(
        expect.arrayContaining([
          'Namespace/minio-operator',
          'Namespace/minio-tenant-1',
          'CustomResourceDefinition/tenants.minio.min.io',
          'CustomResourceDefinition/policybindings.sts.min.io',
          'ServiceAccount/minio-operator',
          'ClusterRole/minio-operator-role',
          'ClusterRoleBinding/minio-operator-binding',
          'Service/operator',
          'Service/sts',
          'Deployment/minio-operator',
        ]),
      );
      expect(operator).toHaveLength(10);
      const deployment = find('Deployment', 'minio-operator')[0];
      expect(deployment.metadata.namespace).toBe('minio-operator');
      expect(deployment.spec.template.spec.containers[0].image).toBe(release.operatorImage);
      const sts = deployment.spec.template.spec.containers[0].env.find((e: any) => e.name === 'OPERATOR_STS_ENABLED');
      expect(sts.value).toBe(release.stsEnabled ? 'on' : 'off');
      const rules = find('ClusterRole')[0].rules as any[];
      expect(rules.some((r) => r.apiGroups.includes('policy'))).toBe(release.rbacJobsAndPdbs);
      expect(find('ClusterRoleBinding')[0].subjects).toEqual([
        { kind: 'ServiceAccount', name: 'minio-operator', namespace: 'minio-operator' },
      ]);
    });

    test('CRDs and namespaces come first in the operator chart', () => {
      const firstOther = operator.findIndex((o) => o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition');
      const lastFirst = Math.max(
        ...operator.map((o, i) => (o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition' ? i : -1)),
      );
      expect(lastFirst).toBeLessThan(firstOther);
    });

    test('the tenant chart is ordered after the operator chart and holds no cluster-scoped object', () => {
      expect(charts.tenantChart.node.dependencies).toContain(charts.operatorChart);
      expect(tenant.map((o) => o.kind)).not.toContain('Namespace');
      expect(tenant.map((o) => o.kind)).not.toContain('CustomResourceDefinition');
      expect(tenant.map((o) => o.kind).indexOf('Tenant')).toBeGreaterThan(tenant.map((o) => o.kind).indexOf('Secret'));
      expect(tenant.map((o) => o.kind).indexOf('Job')).toBeGreaterThan(tenant.map((o) => o.kind).indexOf('Tenant'));
    });

    test('the Tenant pins the release images and carries the seed spec', () => {
      const t = find('Tenant')[0];
      expect(t.metadata).toMatchObject({ name: 'minio-tenant-1', namespace: 'minio-tenant-1' });
      expect(t.spec.image).toBe(release.minioImage);
      expect(t.spec.kes.image).toBe(release.kesImage);
      expect(t.spec.requestAutoCert).toBe(true);
      expect(t.spec.pools).toEqual([
        expect.objectContaining({
          name: 'pool-0',
          servers: 4,
          volumesPerServer: 4,
          volumeClaimTemplate: expect.objectContaining({
            spec: expect.objectContaining({ resources: { requests: { storage: '1Ti' } } }),
          }),
        }),
      ]);
      expect(t.spec.kes.keyName).toBe('minio-encryption-key-alpha');
      expect(t.spec.kes.replicas).toBe(2);
      expect(t.spec.credsSecret).toBeUndefined();
    });

    test('cross-references hold: every Secret the Tenant names is in the output or declared pre-existing', () => {
      const declaration = resolveDeclaration(seedDeclaration({ release }));
      const t = find('Tenant')[0];
      const emittedSecrets = new Set(find('Secret').map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
      const preExisting = new Set([
        `${declaration.tenant.namespace}/${declaration.tenant.configurationSecretName}`,
        `${declaration.tenant.namespace}/kes-azure-credentials`,
      ]);
      const referenced = [
        t.spec.kesSecret?.name ?? t.spec.kes.kesSecret.name,
        t.spec.configuration.name,
        ...t.spec.kes.env.filter((e: any) => e.valueFrom).map((e: any) => e.valueFrom.secretKeyRef.name),
      ].map((n) => `${t.metadata.namespace}/${n}`);
      expect(referenced.length).toBeGreaterThanOrEqual(3);
      for (const ref of referenced) {
        expect(emittedSecrets.has(ref) || preExisting.has(ref)).toBe(true);
      }
      // the KES config Secret is emitted; credential Secrets are only referenced
      expect(emittedSecrets.has(`minio-tenant-1/${t.spec.kes.kesSecret.name}`)).toBe(true);
      expect(emittedSecrets.has(`minio-tenant-1/${declaration.tenant.configurationSecretName}`)).toBe(false);
      expect(emittedSecrets.has('minio-tenant-1/kes-azure-credentials')).toBe(false);
    });

    test('the KES env feeds exactly the ${VAR}s the config references', () => {
      const t = find('Tenant')[0];
      const config = find('Secret', t.spec.kes.kesSecret.name)[0].stringData['server-config.yaml'] as string;
      const referenced = new Set([...config.matchAll(/\$\{([A-Z_][A-Z0-9_]*)\}/g)].map((m) => m[1]));
      referenced.delete('MINIO_KES_IDENTITY'); // injected by the operator
      expect(new Set(t.spec.kes.env.map((e: any) => e.name))).toEqual(referenced);
      expect(t.spec.kes.env.map((e: any) => e.name)).not.toContain('MINIO_KES_IDENTITY');
    });

    test('spec.kes.keyName is an EK the Job creates, and the Job targets this tenant', () => {
      const t = find('Tenant')[0];
      const job = find('Job')[0];
      const env = job.spec.template.spec.containers[0].env as any[];
      const values = env
        .filter((e) => typeof e.value === 'string')
        .map((e) => e.value as string)
        .join('\n');
      expect(values).toContain(t.spec.kes.keyName);
      expect(values).toContain('encrypted-bucket-key');
      expect(values).toContain('encryptedbucket');
      expect(values).toContain('minio.minio-tenant-1.svc.cluster.local');
      // Pulumi awaits the Job: its await timeout covers the Job's own deadline (1800 s by default)
      expect(job.metadata.annotations['pulumi.com/timeoutSeconds']).toBe(String(job.spec.activeDeadlineSeconds + 60));
    });

    test('every namespaced object of the tenant chart is in the tenant namespace', () => {
      expect(new Set(tenant.map((o) => o.metadata.namespace))).toEqual(new Set(['minio-tenant-1']));
      const operatorNamespaced = operator.filter((o) => o.metadata.namespace !== undefined);
      expect(new Set(operatorNamespaced.map((o) => o.metadata.namespace))).toEqual(new Set(['minio-operator']));
    });
  },
);

describe('cdk8s synth of the example', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'minio-sse-'));

  test('writes the operator file before the tenant file, and twice gives byte-identical output', () => {
    const a = tmp();
    const b = tmp();
    const filesA = synthesize({ declaration: seedDeclaration(), outdir: a, crds: fixtureCrds() });
    const filesB = synthesize({ declaration: seedDeclaration(), outdir: b, crds: fixtureCrds() });
    expect(filesA.map((f) => path.basename(f))).toEqual([
      '0000-minio-operator.k8s.yaml',
      '0001-minio-tenant-1.k8s.yaml',
    ]);
    for (let i = 0; i < filesA.length; i++) {
      expect(fs.readFileSync(filesB[i])).toEqual(fs.readFileSync(filesA[i]));
    }
    const docs = parseAllDocuments(fs.readFileSync(filesA[1], 'utf8')).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toContain('Tenant');
  });

  test('fails when the declaration is invalid, and writes nothing (an existing dist/ is left as it was)', () => {
    const out = tmp();
    fs.writeFileSync(path.join(out, 'keep.txt'), 'previous output');
    const bad = seedDeclaration();
    const broken = { ...bad, buckets: [{ name: 'My_Bucket', encryptionKey: 'bad_key' }] };
    expect(() => synthesize({ declaration: broken, outdir: out, crds: fixtureCrds() })).toThrow(
      /buckets\[0\]\.name: "My_Bucket" is not a valid bucket name[\s\S]*buckets\[0\]\.encryptionKey: "bad_key"/,
    );
    expect(fs.readdirSync(out)).toEqual(['keep.txt']);
  });

  test('fails when a CRD file does not match its pinned SHA-256', () => {
    const dir = tmp();
    const src = path.join(operatorFixturesDir(), 'v5.0.4');
    fs.mkdirSync(path.join(dir, 'v5.0.4'));
    fs.copyFileSync(
      path.join(src, 'sts.min.io_policybindings.yaml'),
      path.join(dir, 'v5.0.4', 'sts.min.io_policybindings.yaml'),
    );
    fs.writeFileSync(
      path.join(dir, 'v5.0.4', 'minio.min.io_tenants.yaml'),
      fs.readFileSync(path.join(src, 'minio.min.io_tenants.yaml'), 'utf8') + '\n# edited\n',
    );
    const { OperatorCrds } = require('../../lib');
    expect(
      () => new MinioSseCharts(new App(), { declaration: seedDeclaration(), crds: OperatorCrds.fromDirectory(dir) }),
    ).toThrow(/has SHA-256 [0-9a-f]{64}, expected 858ba86e6d1591e3251772f0b83da16e0ffe777de031d3f427b546054c7c00b6/);
  });
});

describe('escape hatch and cluster domain', () => {
  const build = (decl = seedDeclaration({ release: OperatorRelease.V7_1_1 })) => {
    const app = Testing.app();
    return { app, charts: new MinioSseCharts(app, { declaration: decl, crds: fixtureCrds() }) };
  };
  const { JsonPatch } = require('cdk8s');

  test('a JSON patch with a valid field goes through', () => {
    const { charts } = build();
    charts.tenantChart.tenant.apiObject.addJsonPatch(JsonPatch.add('/spec/priorityClassName', 'storage-critical'));
    const t = Testing.synth(charts.tenantChart).find((o: any) => o.kind === 'Tenant');
    expect(t.spec.priorityClassName).toBe('storage-critical');
  });

  test("fails when a JSON patch adds a field the release's Tenant CRD does not have", () => {
    const { charts } = build(seedDeclaration({ release: OperatorRelease.V5_0_4 }));
    // additionalVolumes exists from v6 on, not at v5.0.4
    charts.tenantChart.tenant.apiObject.addJsonPatch(JsonPatch.add('/spec/additionalVolumes', []));
    expect(() => Testing.synth(charts.tenantChart)).toThrow(
      /does not match the v5\.0\.4 Tenant CRD: \/spec: unknown field "additionalVolumes"/,
    );
  });

  test('fails when a JSON patch removes KES or writes a credential as a literal env value, without showing it', () => {
    const { charts } = build();
    charts.tenantChart.tenant.apiObject.addJsonPatch(
      JsonPatch.add('/spec/env', [{ name: 'MINIO_ROOT_PASSWORD', value: 'CANARY-literal-root-password' }]),
      JsonPatch.remove('/spec/kes'),
    );
    let message = '';
    try {
      Testing.synth(charts.tenantChart);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/spec\.kes was removed/);
    expect(message).toMatch(/spec\.env\[0\] MINIO_ROOT_PASSWORD has a literal value \(not shown\)/);
    expect(message).not.toContain('CANARY-literal-root-password');
  });

  test('a non-default cluster domain reaches the operator (CLUSTER_DOMAIN) and the Job', () => {
    const seed = seedDeclaration();
    const { charts } = build({ ...seed, tenant: { ...seed.tenant, clusterDomain: 'corp.example' } });
    const deployment = Testing.synth(charts.operatorChart).find((o: any) => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.containers[0].env).toContainEqual({
      name: 'CLUSTER_DOMAIN',
      value: 'corp.example',
    });
    const job = Testing.synth(charts.tenantChart).find((o: any) => o.kind === 'Job');
    expect(JSON.stringify(job.spec.template.spec.containers[0].env)).toContain('minio.minio-tenant-1.svc.corp.example');
  });
});

describe('one operator, several tenant charts (single-tenant parts)', () => {
  const second = (() => {
    const seed = seedDeclaration();
    return resolveDeclaration({
      ...seed,
      tenant: {
        ...seed.tenant,
        name: 'minio-tenant-2',
        namespace: 'minio-tenant-2',
        configurationSecretName: 'minio-tenant-2-env',
      },
    });
  })();

  test("a second TenantChart on one OperatorChart emits its own Namespace, first; the first tenant's stays in the operator chart", () => {
    const app = Testing.app();
    const charts = new MinioSseCharts(app, { declaration: seedDeclaration(), crds: fixtureCrds() });
    const two = new TenantChart(app, 'minio-tenant-2', {
      spec: second,
      operatorChart: charts.operatorChart,
      tenantCrdSchema: fixtureCrds().tenantSchema(second.release),
    });
    const objects = Testing.synth(two) as any[];
    expect(objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'minio-tenant-2' } });
    expect(objects.filter((o) => o.kind === 'Namespace')).toHaveLength(1);
    expect(two.namespaceObject).toBeDefined();
    expect(charts.tenantChart.namespaceObject).toBeUndefined();
    expect((Testing.synth(charts.tenantChart) as any[]).map((o) => o.kind)).not.toContain('Namespace');
    const operatorNamespaces = (Testing.synth(charts.operatorChart) as any[])
      .filter((o) => o.kind === 'Namespace')
      .map((o) => o.metadata.name);
    expect(operatorNamespaces.sort()).toEqual(['minio-operator', 'minio-tenant-1']);
  });

  test('fails when a second MinioSseCharts (another chart id) would install the operator twice in one App', () => {
    const app = Testing.app();
    new MinioSseCharts(app, { declaration: seedDeclaration(), crds: fixtureCrds() });
    const seed = seedDeclaration();
    const other = { ...seed, tenant: { ...seed.tenant, name: 'minio-tenant-2', namespace: 'minio-tenant-2' } };
    expect(
      () =>
        new MinioSseCharts(app, {
          declaration: other,
          crds: fixtureCrds(),
          operatorChartId: 'minio-operator-2',
          tenantChartId: 't2',
        }),
    ).toThrow(
      'this App already installs the MinIO Operator (chart "minio-operator"): one operator serves a cluster, so a second one would emit the Namespace, CRDs, ClusterRole and Deployment twice. Add tenants with MinioSsePlatform, or TenantChart({ operatorChart }) on the existing chart',
    );
  });

  test('fails when two MinioSseCharts use the same ids (the operator message, not the construct-name clash)', () => {
    const app = Testing.app();
    new MinioSseCharts(app, { declaration: seedDeclaration(), crds: fixtureCrds() });
    expect(() => new MinioSseCharts(app, { declaration: seedDeclaration(), crds: fixtureCrds() })).toThrow(
      /^this App already installs the MinIO Operator/,
    );
  });

  test('fails when an OperatorChart gets neither or both of declaration and release', () => {
    const declaration = resolveDeclaration(seedDeclaration());
    expect(() => new OperatorChart(Testing.app(), 'op', {})).toThrow(
      'OperatorChart needs exactly one of declaration (a resolved declaration) and release',
    );
    for (const both of [
      { declaration, release: declaration.release, crds: fixtureCrds() },
      { spec: declaration, release: declaration.release, crds: fixtureCrds() },
    ]) {
      expect(() => new OperatorChart(Testing.app(), 'op', both)).toThrow(
        'OperatorChart needs exactly one of declaration (a resolved declaration) and release',
      );
    }
  });

  test('fails when a TenantChart gets no declaration', () => {
    expect(() => new TenantChart(Testing.app(), 't', {})).toThrow(
      'TenantChart needs declaration (a resolved declaration, from resolveDeclaration)',
    );
  });

  test('the deprecated spec props and fields still work and give the same output as declaration', () => {
    const declaration = resolveDeclaration(seedDeclaration({ release: OperatorRelease.V7_1_1 }));
    const build = (key: 'declaration' | 'spec') => {
      const app = Testing.app();
      const operatorChart = new OperatorChart(app, 'op', { [key]: declaration, crds: fixtureCrds() });
      const tenantChart = new TenantChart(app, 't', { [key]: declaration, operatorChart });
      return [Testing.synth(operatorChart), Testing.synth(tenantChart)];
    };
    const viaSpec = build('spec');
    expect(viaSpec[1].map((o) => o.kind)).toEqual(['Secret', 'Tenant', 'ConfigMap', 'Job']);
    expect(viaSpec).toEqual(build('declaration'));
    const charts = new MinioSseCharts(Testing.app(), { declaration: seedDeclaration(), crds: fixtureCrds() });
    expect(charts.spec).toBe(charts.declaration);
    expect(charts.declaration.tenant.name).toBe('minio-tenant-1');
  });
});

describe("the charts map the declaration onto the constructs' own props", () => {
  test("a Tenant and a KesConfigSecret built alone from tenantProps / kesConfigSecretProps equal the chart's", () => {
    const declaration = resolveDeclaration(seedDeclaration({ release: OperatorRelease.V7_1_1 }));
    const tenantChart = new TenantChart(Testing.app(), 't', { declaration, emitNamespace: false });
    const chart = Testing.chart();
    const kesConfig = new KesConfigSecret(chart, 'KesConfig', kesConfigSecretProps(declaration));
    new Tenant(chart, 'Tenant', tenantProps(declaration, { kesConfig }));
    const alone = Testing.synth(chart);
    const inChart = Testing.synth(tenantChart);
    expect(alone.map((o) => o.kind)).toEqual(['Secret', 'Tenant']);
    expect(alone).toEqual(inChart.filter((o) => o.kind === 'Secret' || o.kind === 'Tenant'));
    expect(tenantProps(declaration)).toMatchObject({
      name: declaration.tenant.name,
      namespace: declaration.tenant.namespace,
      kesKeyName: declaration.kes.defaultKeyName,
      encryptionKeys: declaration.encryptionKeys,
      kesConfigSecretName: declaration.kes.configSecretName,
    });
  });
});
