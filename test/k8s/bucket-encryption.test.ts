import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { seedDeclaration } from '../../examples/seed';
import { BucketEncryption, BucketEncryptionProps, bucketEncryptionScript } from '../../lib/k8s/bucket-encryption';
import { bucketEncryptionProps } from '../../lib/k8s/charts';
import {
  BUCKET_ENCRYPTION_MC_RANGE,
  checkDnsLabel,
  MinioSseDeclaration,
  OperatorRelease,
  resolveDeclaration,
  validateDeclaration,
} from '../../lib/declaration';
import { podTemplatesOf, restrictedViolations } from '../support/pod-security';

interface Synth {
  readonly construct: BucketEncryption;
  readonly objects: any[];
  readonly job: any;
  readonly configMap: any;
}

function synth(decl: MinioSseDeclaration): Synth {
  const chart = new Chart(Testing.app(), 'test');
  const construct = new BucketEncryption(chart, 'BucketEncryption', bucketEncryptionProps(resolveDeclaration(decl)));
  const objects = Testing.synth(chart);
  return {
    construct,
    objects,
    job: objects.find((o) => o.kind === 'Job'),
    configMap: objects.find((o) => o.kind === 'ConfigMap'),
  };
}

const seed = (release = OperatorRelease.V5_0_4): MinioSseDeclaration => seedDeclaration({ release });
const envOf = (job: any): Record<string, any> =>
  Object.fromEntries((job.spec.template.spec.containers[0].env as any[]).map((e) => [e.name, e.value ?? e.valueFrom]));

/** The construct's own props, written out (no declaration involved). */
const ownProps = (over: Partial<BucketEncryptionProps> = {}): BucketEncryptionProps => ({
  tenantName: 'store',
  namespace: 'storage',
  release: OperatorRelease.V7_1_1,
  minioHost: 'minio.storage.svc.cluster.local',
  minioPort: 443,
  minioTls: true,
  configurationSecretName: 'store-env',
  defaultKeyName: 'k1',
  encryptionKeys: ['k1', 'k2'],
  buckets: [
    { name: 'a', encryptionKey: 'k1' },
    { name: 'b', encryptionKey: 'k2' },
  ],
  image: OperatorRelease.V7_1_1.mcImage,
  imagePullSecrets: ['pull-1', 'pull-2'],
  caConfigMapName: 'store-ca',
  readinessAttempts: 5,
  readinessIntervalSeconds: 2,
  backoffLimit: 1,
  activeDeadlineSeconds: 600,
  ttlSecondsAfterFinished: 0,
  ...over,
});

function synthOwn(props: BucketEncryptionProps): { construct: BucketEncryption; objects: any[] } {
  const chart = new Chart(Testing.app(), 'alone');
  const construct = new BucketEncryption(chart, 'Job', props);
  return { construct, objects: Testing.synth(chart) };
}

/** The objects with the script and the hash-derived names replaced, so the snapshot pins the shape only. */
function withoutScriptAndHash(objects: any[], construct: BucketEncryption): unknown {
  return JSON.parse(
    JSON.stringify(objects)
      .split(JSON.stringify(bucketEncryptionScript()).slice(1, -1))
      .join('<bucket-encryption.sh>')
      .split(construct.specHash)
      .join('<sha256>')
      .split(construct.jobName)
      .join('<tenant>-sse-<hash>'),
  );
}

describe('BucketEncryption alone, with its own props (cdk8s-plus-28)', () => {
  test('emits the ConfigMap and the Job from its props, with the escape-hatch fields in place', () => {
    const { construct, objects } = synthOwn(ownProps());
    const [cm, job] = objects;
    expect(objects.map((o) => o.kind)).toEqual(['ConfigMap', 'Job']);
    expect(cm.immutable).toBe(true);
    expect(construct.jobName).toMatch(/^store-sse-[0-9a-f]{10}$/);
    const pod = job.spec.template.spec;
    expect(job.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 0 });
    expect(job.metadata.annotations['pulumi.com/timeoutSeconds']).toBe('660');
    expect(pod.imagePullSecrets).toEqual([{ name: 'pull-1' }, { name: 'pull-2' }]);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(Object.keys(job.spec.template.metadata.labels)).not.toContain('cdk8s.io/metadata.addr');
    expect(pod).not.toHaveProperty('hostNetwork');
    expect(envOf(job)).toMatchObject({
      SSE_MINIO_URL: 'https://minio.storage.svc.cluster.local:443',
      SSE_KEYS: 'k1 k2',
      SSE_BUCKETS: 'a=k1 b=k2',
      SSE_CA_CONFIGMAP_NAME: 'store-ca',
    });
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['script', 'tenant-config', 'ca', 'tmp']);
    expect(() => new Job(job).validate()).not.toThrow();
    expect(() => new ConfigMap(cm).validate()).not.toThrow();
    const [ref] = podTemplatesOf(job);
    expect(restrictedViolations(ref.spec, ref.where, { requireReadOnlyRootFilesystem: true })).toEqual([]);
    expect(withoutScriptAndHash(objects, construct)).toMatchSnapshot();
  });

  test('the names do not depend on where the construct sits (no path-derived label reaches the hash)', () => {
    const a = synthOwn(ownProps()).construct.jobName;
    const chart = new Chart(Testing.app(), 'elsewhere');
    const b = new BucketEncryption(new Construct(chart, 'Nested'), 'Other', ownProps()).jobName;
    expect(b).toBe(a);
  });

  test('without TLS or pull secrets: http URL, no CA volume, no imagePullSecrets', () => {
    const { objects } = synthOwn(ownProps({ minioTls: false, minioPort: 80, imagePullSecrets: undefined }));
    const job = objects[1];
    expect(envOf(job).SSE_MINIO_URL).toBe('http://minio.storage.svc.cluster.local:80');
    expect(job.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['script', 'tenant-config', 'tmp']);
    expect(job.spec.template.spec).not.toHaveProperty('imagePullSecrets');
    expect(job.spec).toHaveProperty('ttlSecondsAfterFinished', 0);
  });
});

describe.each(OperatorRelease.all())('BucketEncryption with operator %s', (release) => {
  const s = synth(seed(release));

  test('emits a ConfigMap with the script and a Job, in that order, both valid (kubernetes-models)', () => {
    expect(s.objects.map((o) => o.kind)).toEqual(['ConfigMap', 'Job']);
    expect(() => new Job(s.job).validate()).not.toThrow();
    expect(() => new ConfigMap(s.configMap).validate()).not.toThrow();
    expect(s.configMap.data).toEqual({ 'bucket-encryption.sh': bucketEncryptionScript() });
  });

  test('names both <tenant>-sse-<10 hex>, in the tenant namespace', () => {
    expect(s.construct.jobName).toMatch(/^minio-tenant-1-sse-[0-9a-f]{10}$/);
    expect(s.job.metadata.name).toBe(s.construct.jobName);
    expect(s.configMap.metadata.name).toBe(s.construct.configMapName);
    expect(s.construct.configMapName).toBe(s.construct.jobName);
    expect(s.construct.specHash.startsWith(s.construct.jobName.slice(-10))).toBe(true);
    for (const o of s.objects) {
      expect(o.metadata.namespace).toBe('minio-tenant-1');
      expect(o.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'minio-sse-azure',
        'app.kubernetes.io/component': 'bucket-encryption',
        'app.kubernetes.io/part-of': 'minio-tenant-1',
      });
    }
    expect(s.job.spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/component': 'bucket-encryption' });
  });

  test('runs the script from the ConfigMap in the release mc image from quay.io, with the Job bounds', () => {
    const pod = s.job.spec.template.spec;
    const c = pod.containers[0];
    expect(c.image).toBe(release.mcImage);
    expect(c.image.startsWith('quay.io/minio/mc:RELEASE.')).toBe(true);
    expect(c.command).toEqual(['/bin/sh', '/opt/minio-sse-azure/bucket-encryption.sh']);
    expect(c.args).toBeUndefined();
    expect(pod.volumes).toContainEqual({
      name: 'script',
      configMap: { name: s.construct.configMapName, defaultMode: 0o444 },
    });
    expect(s.job.spec.backoffLimit).toBe(3);
    expect(s.job.spec.activeDeadlineSeconds).toBe(1800);
    expect(s.job.spec).not.toHaveProperty('ttlSecondsAfterFinished');
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(c.resources.requests).toBeDefined();
    expect(c.resources.limits).toBeDefined();
  });

  test('targets the Tenant it belongs to, with its EKs and buckets, through non-secret env', () => {
    expect(envOf(s.job)).toEqual({
      SSE_MINIO_URL: 'https://minio.minio-tenant-1.svc.cluster.local:443',
      SSE_TENANT: 'minio-tenant-1',
      SSE_DEFAULT_KEY: 'minio-encryption-key-alpha',
      SSE_KEYS:
        'minio-encryption-key-alpha minio-encryption-key-baker minio-encryption-key-charlie encrypted-bucket-key',
      SSE_BUCKETS: 'encryptedbucket=encrypted-bucket-key',
      SSE_READINESS_ATTEMPTS: '60',
      SSE_READINESS_INTERVAL_SECONDS: '10',
      SSE_INSECURE: 'false',
      SSE_CONFIG_ENV_FILE: '/var/run/minio-sse-azure/tenant-config/config.env',
      SSE_CONFIG_SECRET_NAME: 'minio-tenant-1-env-configuration',
      SSE_CA_FILE: '/var/run/minio-sse-azure/ca/ca.crt',
      SSE_CA_CONFIGMAP_NAME: 'kube-root-ca.crt',
      SSE_POD_NAME: { fieldRef: { fieldPath: 'metadata.name' } },
      MC_CONFIG_DIR: '/tmp/.mc',
      HOME: '/tmp',
    });
  });

  test('reads the root credentials only as a read-only Secret volume; no secret value or reference in env', () => {
    const pod = s.job.spec.template.spec;
    const c = pod.containers[0];
    expect(pod.volumes).toContainEqual({
      name: 'tenant-config',
      secret: {
        secretName: 'minio-tenant-1-env-configuration',
        items: [{ key: 'config.env', path: 'config.env' }],
        defaultMode: 0o440,
      },
    });
    expect(c.volumeMounts).toContainEqual({
      name: 'tenant-config',
      mountPath: '/var/run/minio-sse-azure/tenant-config',
      readOnly: true,
    });
    for (const e of c.env) {
      expect(e.name).not.toMatch(/PASSWORD|SECRET_KEY|ACCESS_KEY|ROOT_USER|^MC_HOST/);
      expect(e.valueFrom?.secretKeyRef).toBeUndefined();
    }
    expect(c.envFrom).toBeUndefined();
    const text = JSON.stringify(s.objects);
    expect(text).not.toMatch(/MINIO_ROOT_PASSWORD\s*=|minio123/);
    // only one Secret is referenced, and only as that volume
    const secretRefs = [...text.matchAll(/"secretName":"([^"]+)"/g)].map((m) => m[1]);
    expect(secretRefs).toEqual(['minio-tenant-1-env-configuration']);
  });

  test('trusts the cluster CA (kube-root-ca.crt, key ca.crt) and keeps mc config on an in-memory emptyDir', () => {
    const pod = s.job.spec.template.spec;
    expect(pod.volumes).toContainEqual({
      name: 'ca',
      configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 },
    });
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
  });

  test('meets Pod Security "restricted" with explicit uid/gid and a read-only root filesystem', () => {
    const [ref] = podTemplatesOf(s.job);
    expect(
      restrictedViolations(ref.spec, ref.where, { podMetadata: ref.metadata, requireReadOnlyRootFilesystem: true }),
    ).toEqual([]);
    const pod = s.job.spec.template.spec;
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      fsGroupChangePolicy: 'Always', // cdk8s-plus-28 default, the Kubernetes default when unset
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0].securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
    // every pod template in everything this construct emits
    for (const o of s.objects) {
      for (const t of podTemplatesOf(o)) {
        expect(restrictedViolations(t.spec, t.where, { podMetadata: t.metadata })).toEqual([]);
      }
    }
  });
});

describe('BucketEncryption naming', () => {
  const base = seed();
  const nameOf = (decl: MinioSseDeclaration) => synth(decl).construct.jobName;
  const baseName = nameOf(base);

  test('synthesizing the same declaration twice gives identical objects and names', () => {
    const a = synth(seed());
    const b = synth(seed());
    expect(a.construct.jobName).toBe(b.construct.jobName);
    expect(a.objects).toEqual(b.objects);
  });

  test('the hash does not depend on the order of object keys in the declaration', () => {
    const reordered: MinioSseDeclaration = JSON.parse(JSON.stringify({ buckets: base.buckets, tenant: base.tenant }));
    expect(nameOf({ ...reordered, release: base.release, kes: base.kes })).toBe(baseName);
  });

  test.each<[string, (d: MinioSseDeclaration) => MinioSseDeclaration]>([
    [
      'a bucket is renamed',
      (d) => ({ ...d, buckets: [{ name: 'otherbucket', encryptionKey: 'encrypted-bucket-key' }] }),
    ],
    [
      'a bucket gets another EK',
      (d) => ({ ...d, buckets: [{ name: 'encryptedbucket', encryptionKey: 'minio-encryption-key-baker' }] }),
    ],
    [
      'a bucket is added',
      (d) => ({ ...d, buckets: [...(d.buckets ?? []), { name: 'logs', encryptionKey: 'logs-key' }] }),
    ],
    [
      'an EK is added',
      (d) => ({ ...d, kes: { ...d.kes, keys: [...(d.kes.keys ?? []), 'minio-encryption-key-delta'] } }),
    ],
    ['the default EK changes', (d) => ({ ...d, kes: { ...d.kes, defaultKeyName: 'minio-encryption-key-baker' } })],
    [
      'the image changes',
      (d) => ({ ...d, bucketEncryptionJob: { image: 'quay.io/minio/mc:RELEASE.2025-04-16T18-13-26Z' } }),
    ],
    ['the release changes', (d) => ({ ...d, release: OperatorRelease.V7_1_1 })],
    ['readiness bounds change', (d) => ({ ...d, bucketEncryptionJob: { readinessAttempts: 5 } })],
    ['backoffLimit changes', (d) => ({ ...d, bucketEncryptionJob: { backoffLimit: 1 } })],
    ['ttlSecondsAfterFinished is set', (d) => ({ ...d, bucketEncryptionJob: { ttlSecondsAfterFinished: 600 } })],
    ['TLS verification is turned off', (d) => ({ ...d, bucketEncryptionJob: { insecureSkipTlsVerify: true } })],
    ['the CA ConfigMap changes', (d) => ({ ...d, bucketEncryptionJob: { caConfigMapName: 'minio-ca' } })],
    [
      'the configuration Secret changes',
      (d) => ({ ...d, tenant: { ...d.tenant, configurationSecretName: 'other-env' } }),
    ],
  ])('the Job name changes when %s', (_what, change) => {
    expect(nameOf(change(base))).not.toBe(baseName);
  });

  test('the longest tenant name (48 characters) gives a Job name of exactly 63 characters (a valid label value)', () => {
    const tenantName = `t${'x'.repeat(46)}1`;
    const pools = [{ ...base.tenant.pools[0], name: 'p0' }]; // "<tenant>-<pool>" must stay within 52
    const s = synth({ ...base, tenant: { ...base.tenant, name: tenantName, pools } });
    expect(s.construct.jobName).toHaveLength(63);
    expect(checkDnsLabel(s.construct.jobName)).toBeUndefined();
    expect(s.construct.jobName).toMatch(/^tx{46}1-sse-[0-9a-f]{10}$/);
  });

  test('a tenant name ending in a dash-separated part is kept whole', () => {
    const tenantName = `${'a'.repeat(44)}-bcd`;
    const pools = [{ ...base.tenant.pools[0], name: 'p0' }];
    const s = synth({ ...base, tenant: { ...base.tenant, name: tenantName, pools } });
    expect(s.construct.jobName).toMatch(/^a{44}-bcd-sse-[0-9a-f]{10}$/);
  });
});

describe('BucketEncryption options', () => {
  test('backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished and image are overridable', () => {
    const s = synth({
      ...seed(),
      bucketEncryptionJob: {
        backoffLimit: 0,
        activeDeadlineSeconds: 7200,
        ttlSecondsAfterFinished: 3600,
        image: 'registry.example.com/mc:RELEASE.2024-10-08T09-37-26Z',
      },
    });
    expect(s.job.spec.backoffLimit).toBe(0);
    expect(s.job.spec.activeDeadlineSeconds).toBe(7200);
    expect(s.job.spec.ttlSecondsAfterFinished).toBe(3600);
    expect(s.job.spec.template.spec.containers[0].image).toBe('registry.example.com/mc:RELEASE.2024-10-08T09-37-26Z');
    expect(() => new Job(s.job).validate()).not.toThrow();
  });

  test('insecureSkipTlsVerify: SSE_INSECURE=true and no CA volume', () => {
    const s = synth({ ...seed(), bucketEncryptionJob: { insecureSkipTlsVerify: true } });
    expect(envOf(s.job).SSE_INSECURE).toBe('true');
    expect(s.job.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['script', 'tenant-config', 'tmp']);
    expect(s.job.spec.template.spec.containers[0].volumeMounts.map((v: any) => v.name)).toEqual([
      'script',
      'tenant-config',
      'tmp',
    ]);
  });

  test('requestAutoCert: false targets http://…:80 and mounts no CA', () => {
    const d = seed();
    const s = synth({ ...d, tenant: { ...d.tenant, requestAutoCert: false } });
    expect(envOf(s.job).SSE_MINIO_URL).toBe('http://minio.minio-tenant-1.svc.cluster.local:80');
    expect(s.job.spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('ca');
  });

  test('a custom CA ConfigMap and cluster domain reach the Job', () => {
    const d = seed();
    const s = synth({
      ...d,
      tenant: { ...d.tenant, clusterDomain: 'corp.internal' },
      bucketEncryptionJob: { caConfigMapName: 'minio-ca' },
    });
    expect(envOf(s.job).SSE_MINIO_URL).toBe('https://minio.minio-tenant-1.svc.corp.internal:443');
    expect(s.job.spec.template.spec.volumes).toContainEqual({
      name: 'ca',
      configMap: { name: 'minio-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 },
    });
  });

  test('works inside an App with other charts (the construct root is an App)', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const chart = new Chart(app, 'tenant');
    const be = new BucketEncryption(chart, 'BucketEncryption', bucketEncryptionProps(resolveDeclaration(seed())));
    expect(app.synthYaml()).toContain(`name: ${be.jobName}`);
  });
});

describe('restrictedViolations (the checker itself)', () => {
  const good = () => synth(seed()).job.spec.template.spec;
  const violations = (mutate: (pod: any) => void, opts = {}) => {
    const pod = JSON.parse(JSON.stringify(good()));
    mutate(pod);
    return restrictedViolations(pod, 'Pod/bad', opts);
  };
  const c0 = (pod: any) => pod.containers[0];

  test.each<[string, (pod: any) => void, RegExp]>([
    [
      'a privileged container',
      (p) => (c0(p).securityContext.privileged = true),
      /containers\[0\]\.securityContext\.privileged must be unset or false \(baseline: Privileged Containers\)/,
    ],
    [
      'no seccomp profile anywhere',
      (p) => {
        delete p.securityContext.seccompProfile;
        delete c0(p).securityContext.seccompProfile;
      },
      /seccompProfile\.type must be RuntimeDefault or Localhost here or at pod level \(restricted: Seccomp\)/,
    ],
    [
      'an Unconfined seccomp profile',
      (p) => (p.securityContext.seccompProfile = { type: 'Unconfined' }),
      /spec\.securityContext\.seccompProfile\.type "Unconfined" must be RuntimeDefault or Localhost/,
    ],
    [
      'a root user',
      (p) => (c0(p).securityContext.runAsUser = 0),
      /containers\[0\]\.securityContext\.runAsUser must not be 0 \(restricted: Running as Non-root user\)/,
    ],
    [
      'runAsNonRoot false',
      (p) => (p.securityContext.runAsNonRoot = false),
      /spec\.securityContext\.runAsNonRoot must not be false/,
    ],
    [
      'runAsNonRoot set nowhere',
      (p) => {
        delete p.securityContext.runAsNonRoot;
        delete c0(p).securityContext.runAsNonRoot;
      },
      /runAsNonRoot must be true here or at pod level/,
    ],
    [
      'a hostPath volume',
      (p) => p.volumes.push({ name: 'host', hostPath: { path: '/' } }),
      /spec\.volumes\[4\]\.hostPath is not allowed \(baseline: HostPath Volumes\)/,
    ],
    [
      'a volume type outside the restricted list',
      (p) => p.volumes.push({ name: 'nfs', nfs: { server: 'x', path: '/' } }),
      /spec\.volumes\[4\] type "nfs" is not one of/,
    ],
    [
      'capabilities without drop ALL',
      (p) => (c0(p).securityContext.capabilities = { drop: ['NET_RAW'] }),
      /capabilities\.drop must include ALL \(restricted: Capabilities\)/,
    ],
    [
      'an added capability other than NET_BIND_SERVICE',
      (p) => (c0(p).securityContext.capabilities.add = ['SYS_ADMIN']),
      /capabilities\.add "SYS_ADMIN" is not allowed/,
    ],
    [
      'allowPrivilegeEscalation unset',
      (p) => delete c0(p).securityContext.allowPrivilegeEscalation,
      /allowPrivilegeEscalation must be false \(restricted: Privilege Escalation\)/,
    ],
    [
      'host networking',
      (p) => (p.hostNetwork = true),
      /spec\.hostNetwork must be unset or false \(baseline: Host Namespaces\)/,
    ],
    ['host PID', (p) => (p.hostPID = true), /spec\.hostPID must be unset or false/],
    [
      'a host port',
      (p) => (c0(p).ports = [{ containerPort: 80, hostPort: 8080 }]),
      /ports\[0\]\.hostPort must be unset or 0 \(baseline: Host Ports\)/,
    ],
    [
      'an unsafe sysctl',
      (p) => (p.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }]),
      /"kernel\.msgmax" is not a safe sysctl/,
    ],
    [
      'an unmasked /proc',
      (p) => (c0(p).securityContext.procMount = 'Unmasked'),
      /procMount "Unmasked" must be unset or Default/,
    ],
    [
      'an unconfined AppArmor profile',
      (p) => (c0(p).securityContext.appArmorProfile = { type: 'Unconfined' }),
      /appArmorProfile\.type "Unconfined"/,
    ],
    [
      'a custom SELinux user',
      (p) => (p.securityContext.seLinuxOptions = { user: 'system_u' }),
      /seLinuxOptions\.user must be unset \(baseline: SELinux\)/,
    ],
    [
      'a privileged SELinux type',
      (p) => (c0(p).securityContext.seLinuxOptions = { type: 'spc_t' }),
      /seLinuxOptions\.type "spc_t" is not an allowed SELinux type/,
    ],
    [
      'no explicit gid',
      (p) => {
        delete p.securityContext.runAsGroup;
        delete c0(p).securityContext.runAsGroup;
      },
      /runAsGroup must be set here or at pod level \(repo: explicit uid\/gid\)/,
    ],
    ['gid 0', (p) => (c0(p).securityContext.runAsGroup = 0), /runAsGroup must not be 0 \(repo: explicit uid\/gid\)/],
    [
      'a violating init container',
      (p) => (p.initContainers = [{ name: 'init', image: 'x' }]),
      /spec\.initContainers\[0\]\.securityContext\.allowPrivilegeEscalation must be false/,
    ],
    [
      'a hostProcess pod',
      (p) => (p.securityContext.windowsOptions = { hostProcess: true }),
      /windowsOptions\.hostProcess must be unset or false \(baseline: HostProcess\)/,
    ],
  ])('fails on %s', (_what, mutate, message) => {
    const v = violations(mutate);
    expect(v.length).toBeGreaterThan(0);
    expect(v.every((m) => m.startsWith('Pod/bad: '))).toBe(true);
    expect(v.join('\n')).toMatch(message);
  });

  test('fails on an AppArmor unconfined annotation', () => {
    const v = violations(() => undefined, {
      podMetadata: {
        annotations: { 'container.apparmor.security.beta.kubernetes.io/bucket-encryption': 'unconfined' },
      },
    });
    expect(v).toEqual([
      'Pod/bad: metadata.annotations[container.apparmor.security.beta.kubernetes.io/bucket-encryption] "unconfined" must be runtime/default or localhost/* (baseline: AppArmor)',
    ]);
  });

  test('requires a read-only root filesystem only when asked', () => {
    const mutate = (p: any) => (c0(p).securityContext.readOnlyRootFilesystem = false);
    expect(violations(mutate)).toEqual([]);
    expect(violations(mutate, { requireReadOnlyRootFilesystem: true })).toEqual([
      'Pod/bad: spec.containers[0].securityContext.readOnlyRootFilesystem must be true (repo: read-only root filesystem)',
    ]);
  });

  test.each<[string, (pod: any) => void]>([
    ['NET_BIND_SERVICE added', (p) => (c0(p).securityContext.capabilities.add = ['NET_BIND_SERVICE'])],
    [
      'seccomp Localhost',
      (p) => (p.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'x.json' }),
    ],
    [
      'seccomp and runAsNonRoot only per container',
      (p) => {
        delete p.securityContext.seccompProfile;
        delete p.securityContext.runAsNonRoot;
      },
    ],
    [
      'uid/gid only at pod level',
      (p) => {
        delete c0(p).securityContext.runAsUser;
        delete c0(p).securityContext.runAsGroup;
      },
    ],
    [
      'a safe sysctl',
      (p) => (p.securityContext.sysctls = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]),
    ],
    [
      'container_t SELinux type',
      (p) => (p.securityContext.seLinuxOptions = { type: 'container_t', level: 's0:c1,c2' }),
    ],
    ['hostPort 0', (p) => (c0(p).ports = [{ containerPort: 80, hostPort: 0 }])],
    [
      'a projected, a PVC and a CSI volume',
      (p) =>
        p.volumes.push(
          { name: 'a', projected: { sources: [] } },
          { name: 'b', persistentVolumeClaim: { claimName: 'c' } },
          { name: 'd', csi: { driver: 'x' } },
        ),
    ],
  ])('passes with %s', (_what, mutate) => {
    expect(violations(mutate)).toEqual([]);
  });

  test('podTemplatesOf finds pod specs in Pods, workloads and CronJobs, and none elsewhere', () => {
    const spec = { containers: [] };
    expect(podTemplatesOf({ kind: 'Pod', metadata: { name: 'p' }, spec })).toEqual([
      { where: 'Pod/p', spec, metadata: { name: 'p' } },
    ]);
    expect(podTemplatesOf({ kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec } } })[0].spec).toBe(
      spec,
    );
    expect(
      podTemplatesOf({
        kind: 'CronJob',
        metadata: { name: 'c' },
        spec: { jobTemplate: { spec: { template: { spec } } } },
      })[0].where,
    ).toBe('CronJob/c');
    expect(podTemplatesOf({ kind: 'Tenant', metadata: { name: 't' }, spec: {} })).toEqual([]);
  });
});

describe('bucketEncryptionJob.image: the mc range the script is proven against', () => {
  const range =
    'the bucket-encryption script is proven against mc RELEASE.2023-04-12T02-21-51Z to RELEASE.2025-04-16T18-13-26Z';
  const problemsOf = (image: string) =>
    validateDeclaration({ ...seed(), bucketEncryptionJob: { image } }).filter(
      (p) => p.path === 'bucketEncryptionJob.image',
    );

  test('the range spans exactly the mc images of the supported releases, each with a fake-mc profile', () => {
    const tags = OperatorRelease.all()
      .map((r) => r.mcImage.split(':').pop() as string)
      .sort();
    expect(BUCKET_ENCRYPTION_MC_RANGE).toEqual({ oldest: tags[0], newest: tags[tags.length - 1] });
    for (const tag of tags) {
      expect(fs.existsSync(path.resolve(__dirname, `../support/fake-mc/profiles/${tag}.sh`))).toBe(true);
    }
  });

  test.each([
    'quay.io/minio/mc:RELEASE.2023-04-12T02-21-51Z',
    'quay.io/minio/mc:RELEASE.2025-04-16T18-13-26Z',
    'myregistry.azurecr.io/minio/mc:RELEASE.2024-10-08T09-37-26Z',
    `myregistry.azurecr.io/minio/mc:RELEASE.2025-04-16T18-13-26Z@sha256:${'a'.repeat(64)}`,
  ])('accepts %s', (image) => {
    expect(problemsOf(image)).toEqual([]);
  });

  test.each([
    ['an older mc', 'quay.io/minio/mc:RELEASE.2023-03-23T20-03-04Z', `${range}, not RELEASE.2023-03-23T20-03-04Z`],
    ['a newer mc', 'quay.io/minio/mc:RELEASE.2025-07-16T15-35-03Z', `${range}, not RELEASE.2025-07-16T15-35-03Z`],
  ])('fails when the image is %s, naming the range', (_what, image, reason) => {
    const problems = problemsOf(image);
    expect(problems).toHaveLength(1);
    // the value itself is shown as the shared display policy cuts it
    expect(problems[0].message.startsWith(`"${image.slice(0, 30)}`)).toBe(true);
    expect(problems[0].message.slice(problems[0].message.indexOf(' is not a valid image: '))).toBe(
      ` is not a valid image: ${reason}; use an mc image with a release tag in that range, e.g. quay.io/minio/mc:RELEASE.2025-04-16T18-13-26Z`,
    );
  });

  test.each([
    ['a tag that is not an mc release', 'registry.example.com/mc:pinned'],
    ['a digest without a tag', `quay.io/minio/mc@sha256:${'b'.repeat(64)}`],
  ])('fails when the image has %s, naming the range', (_what, image) => {
    const problems = problemsOf(image);
    expect(problems).toHaveLength(1);
    // the value itself is shown as the shared display policy cuts it
    expect(problems[0].message.startsWith(`"${image.slice(0, 30)}`)).toBe(true);
    expect(problems[0].message.slice(problems[0].message.indexOf(' is not a valid image: '))).toBe(
      ` is not a valid image: ${range}, and this image's tag is not an mc release tag (RELEASE.YYYY-MM-DDTHH-MM-SSZ); use e.g. quay.io/minio/mc:RELEASE.2025-04-16T18-13-26Z, or your mirror's copy with that tag (a digest may follow: repo:tag@sha256:…)`,
    );
    expect(() => resolveDeclaration({ ...seed(), bucketEncryptionJob: { image } })).toThrow(range);
  });
});
