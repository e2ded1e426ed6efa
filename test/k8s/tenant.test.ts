import { createHash } from 'node:crypto';
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { OperatorRelease } from '../../lib/declaration';
import { KesConfigSecret } from '../../lib/k8s/kes-config';
import { KES_CONFIG_HASH_ANNOTATION, Tenant, TenantProps } from '../../lib/k8s/tenant';
import { tenantCrdSchema } from '../support/fixtures';

/** The smallest props of a Tenant: every optional prop at its default. */
function minimalProps(release: OperatorRelease = OperatorRelease.V7_1_1): TenantProps {
  return {
    release,
    name: 'store',
    namespace: 'storage',
    image: 'quay.io/minio/minio:RELEASE.2025-04-08T15-41-24Z',
    pools: [{ name: 'pool-0', servers: 4, volumesPerServer: 1, storageSize: '10Gi' }],
    configurationSecretName: 'store-env',
    kesImage: 'quay.io/minio/kes:2025-03-12T09-35-18Z',
    kesConfigSecretName: 'store-kes-config',
    kesKeyName: 'store-default',
  };
}

function synth(props: TenantProps, patch?: (t: Tenant) => void): { chart: Chart; tenant: Tenant } {
  const chart = Testing.chart();
  const tenant = new Tenant(chart, 'Tenant', props);
  patch?.(tenant);
  return { chart, tenant };
}

/** The one object of a chart holding only a Tenant. */
function tenantObject(props: TenantProps, patch?: (t: Tenant) => void) {
  const objects = Testing.synth(synth(props, patch).chart);
  expect(objects).toHaveLength(1);
  return objects[0];
}

/** The problems of a failing synth, without cdk8s's construct-path prefix. */
function synthProblems(props: TenantProps, patch?: (t: Tenant) => void): string[] {
  try {
    Testing.synth(synth(props, patch).chart);
  } catch (e) {
    return (e as Error).message
      .split('\n')
      .slice(1)
      .map((l) => l.trim().replace(/^\[[^\]]*\] /, ''));
  }
  return ['(synth succeeded)'];
}

const WHERE = 'Tenant storage/store';

describe('Tenant alone', () => {
  test('minimal props: the defaults (auto-cert, 2 KES replicas, no pull secret, no KES labels or annotations)', () => {
    const { chart, tenant } = synth(minimalProps());
    const [t] = Testing.synth(chart);
    expect(t).toMatchObject({
      apiVersion: 'minio.min.io/v2',
      kind: 'Tenant',
      metadata: {
        name: 'store',
        namespace: 'storage',
        labels: {
          'app.kubernetes.io/managed-by': 'minio-sse-azure',
          'app.kubernetes.io/component': 'tenant',
          'app.kubernetes.io/version': '7.1.1',
          'app.kubernetes.io/part-of': 'store',
        },
      },
      spec: {
        image: 'quay.io/minio/minio:RELEASE.2025-04-08T15-41-24Z',
        configuration: { name: 'store-env' },
        requestAutoCert: true,
        pools: [
          {
            name: 'pool-0',
            servers: 4,
            volumesPerServer: 1,
            volumeClaimTemplate: { metadata: { name: 'data' }, spec: { resources: { requests: { storage: '10Gi' } } } },
          },
        ],
        kes: {
          image: 'quay.io/minio/kes:2025-03-12T09-35-18Z',
          replicas: 2,
          kesSecret: { name: 'store-kes-config' },
          keyName: 'store-default',
          env: [],
        },
      },
    });
    expect(t.spec).not.toHaveProperty('imagePullSecret');
    expect(t.spec.pools[0].volumeClaimTemplate.spec).not.toHaveProperty('storageClassName');
    for (const key of ['serviceAccountName', 'labels', 'annotations']) {
      expect(t.spec.kes).not.toHaveProperty(key);
    }
    expect([tenant.name, tenant.namespace, tenant.serviceName, tenant.kesServiceName]).toEqual([
      'store',
      'storage',
      'minio',
      'store-kes-hl-svc',
    ]);
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('every optional prop reaches its field; KES env sorted by name, Secret-held values as secretKeyRef', () => {
    const props: TenantProps = {
      ...minimalProps(),
      requestAutoCert: false,
      imagePullSecret: 'regcred',
      kesReplicas: 3,
      pools: [{ name: 'fast', servers: 2, volumesPerServer: 2, storageSize: '1Ti', storageClassName: 'premium' }],
      kesEnv: [
        { name: 'AZURE_TENANT_ID', source: { value: 'tenant-guid' } },
        { name: 'AZURE_CLIENT_SECRET', source: { secretName: 'kes-azure', secretKey: 'client-secret' } },
      ],
      kesServiceAccountName: 'store-kes',
      kesWorkloadIdentity: true,
      kesPodAnnotations: { 'example.com/team': 'a' },
      kesConfigSha256: 'abc123',
    };
    const t = tenantObject(props);
    expect(t.spec.requestAutoCert).toBe(false);
    expect(t.spec.imagePullSecret).toEqual({ name: 'regcred' });
    expect(t.spec.pools[0].volumeClaimTemplate.spec.storageClassName).toBe('premium');
    expect(t.spec.kes).toMatchObject({
      replicas: 3,
      serviceAccountName: 'store-kes',
      labels: { 'azure.workload.identity/use': 'true' },
      annotations: { 'example.com/team': 'a', [KES_CONFIG_HASH_ANNOTATION]: 'abc123' },
    });
    expect(t.spec.kes.env).toEqual([
      { name: 'AZURE_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: 'kes-azure', key: 'client-secret' } } },
      { name: 'AZURE_TENANT_ID', value: 'tenant-guid' },
    ]);
    expect(t).toMatchSnapshot();
  });

  test('the KES container security context is set only where the release CRD has it (v7.1.1, not v5.0.4)', () => {
    const v7 = tenantObject(minimalProps(OperatorRelease.V7_1_1));
    const v5 = tenantObject(minimalProps(OperatorRelease.V5_0_4));
    expect(v7.spec.kes.containerSecurityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      runAsNonRoot: true,
    });
    expect(v5.spec.kes).not.toHaveProperty('containerSecurityContext');
    expect(v5.metadata.labels['app.kubernetes.io/version']).toBe('5.0.4');
  });

  test("with kesConfig, the KES pods carry the SHA-256 of the Secret's final config", () => {
    const chart = Testing.chart();
    const kesConfig = new KesConfigSecret(chart, 'KesConfig', {
      release: OperatorRelease.V7_1_1,
      secretName: 'store-kes-config',
      namespace: 'storage',
      tenantName: 'store',
      config: 'address: 0.0.0.0:7373\n',
    });
    new Tenant(chart, 'Tenant', { ...minimalProps(), kesConfig, kesConfigSha256: 'ignored' });
    const t = Testing.synth(chart).find((o) => o.kind === 'Tenant');
    expect(t.spec.kes.annotations[KES_CONFIG_HASH_ANNOTATION]).toBe(
      createHash('sha256').update('address: 0.0.0.0:7373\n').digest('hex'),
    );
  });

  test('with crdSchema, a valid patched field goes through', () => {
    const props = { ...minimalProps(), crdSchema: tenantCrdSchema(OperatorRelease.V7_1_1) };
    const t = tenantObject(props, (tenant) =>
      tenant.apiObject.addJsonPatch(JsonPatch.add('/spec/priorityClassName', 'high')),
    );
    expect(t.spec.priorityClassName).toBe('high');
  });

  test("fails when, with crdSchema, a patch adds a field the release's Tenant CRD does not have", () => {
    const props = { ...minimalProps(), crdSchema: tenantCrdSchema(OperatorRelease.V7_1_1) };
    const problems = synthProblems(props, (tenant) =>
      tenant.apiObject.addJsonPatch(JsonPatch.add('/spec/notAField', true)),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${WHERE} does not match the v7.1.1 Tenant CRD: .*notAField`));
  });

  test('fails when a pool has fewer than 4 drives', () => {
    const props = { ...minimalProps(), pools: [{ name: 'p', servers: 1, volumesPerServer: 3, storageSize: '1Gi' }] };
    expect(synthProblems(props)).toEqual([
      `${WHERE}: spec.pools[0] has fewer than 4 drives (servers x volumesPerServer)`,
    ]);
  });

  test('fails when kesKeyName is not one of encryptionKeys', () => {
    const props = { ...minimalProps(), encryptionKeys: ['other-a', 'other-b'] };
    expect(synthProblems(props)).toEqual([
      `${WHERE}: spec.kes.keyName "store-default" is not an EK the bucket-encryption Job creates (other-a, other-b)`,
    ]);
  });

  test('fails when a credential env var of KES is a literal value, without showing it', () => {
    const props = { ...minimalProps(), kesEnv: [{ name: 'AZURE_CLIENT_SECRET', source: { value: 's3cr3t-value' } }] };
    const problems = synthProblems(props);
    expect(problems).toEqual([
      `${WHERE}: spec.kes.env[0] AZURE_CLIENT_SECRET has a literal value (not shown): credentials must come from a Secret (valueFrom.secretKeyRef)`,
    ]);
    expect(problems.join('\n')).not.toContain('s3cr3t-value');
  });

  test('fails when, with imageRegistry, an image is not under it; and when a patch drops the pull secret', () => {
    const props = { ...minimalProps(), imageRegistry: 'mirror.example.com', imagePullSecret: 'regcred' };
    const problems = synthProblems(props, (tenant) =>
      tenant.apiObject.addJsonPatch(JsonPatch.remove('/spec/imagePullSecret')),
    );
    expect(problems).toEqual([
      `${WHERE}: spec.image "quay.io/minio/minio:RELEASE.2025-04-08T15-41-24Z" is not under imageRegistry "mirror.example.com": mirror the image there and reference the mirrored copy`,
      `${WHERE}: spec.kes.image "quay.io/minio/kes:2025-03-12T09-35-18Z" is not under imageRegistry "mirror.example.com": mirror the image there and reference the mirrored copy`,
      `${WHERE}: spec.imagePullSecret no longer names the declared imagePullSecrets[0]: the MinIO and KES pods could not pull from the registry`,
    ]);
  });

  test('fails when a patch removes spec.kes or points kesSecret at another Secret', () => {
    expect(synthProblems(minimalProps(), (t) => t.apiObject.addJsonPatch(JsonPatch.remove('/spec/kes')))).toEqual([
      `${WHERE}: spec.kes was removed: bucket-default SSE-KMS needs KES (without it MinIO reports "KMS is not configured", minio/minio#14586)`,
    ]);
    expect(
      synthProblems(minimalProps(), (t) =>
        t.apiObject.addJsonPatch(JsonPatch.replace('/spec/kes/kesSecret/name', 'x')),
      ),
    ).toEqual([`${WHERE}: spec.kes.kesSecret must name the generated KES config Secret "store-kes-config"`]);
  });

  test('fails at construction when a prop breaks its rule, listing every bad prop, the pull Secret not shown', () => {
    const bad: TenantProps = {
      ...minimalProps(),
      name: 'Store_1',
      image: 'quay.io/minio/minio:bad tag',
      imagePullSecret: 'Reg_Cred',
      pools: [{ name: 'p', servers: 0, volumesPerServer: 1.5, storageSize: '1Gi' }],
      kesReplicas: 0,
    };
    const chart = Testing.chart();
    expect(() => new Tenant(chart, 'Tenant', bad)).toThrow(
      /^invalid Tenant props:\n {2}- name "Store_1" must be a DNS-1123 label[^\n]*\n {2}- image "quay.io\/minio\/minio:bad tag" is not a valid image: [^\n]*\n {2}- imagePullSecret \(value not shown\) must be a DNS-1123 subdomain[^\n]*\n {2}- pools\[0\].servers 0 must be at least 1\n {2}- pools\[0\].volumesPerServer 1.5 must be an integer\n {2}- kesReplicas 0 must be at least 1$/,
    );
    expect(chart.node.children).toHaveLength(0);
    expect(() => new Tenant(Testing.chart(), 'Tenant', { ...minimalProps(), pools: [] })).toThrow(
      'invalid Tenant props:\n  - pools must list at least one pool',
    );
  });
});
