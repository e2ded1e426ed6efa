import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedDeclaration } from '../spec';
import { hardenedContainerSecurityContext, standardLabels } from './common';

/** Props of {@link BucketEncryption}. */
export interface BucketEncryptionProps {
  /**
   * The validated declaration (`resolveDeclaration`). Used: `tenant` (name, namespace, service URL,
   * configuration Secret), `kes.defaultKeyName`, `encryptionKeys`, `buckets`, `job`, `release`, `images.pullSecrets`.
   */
  readonly spec: ResolvedDeclaration;
}

/** File name of the reconciler script, beside this module and as the ConfigMap key. */
export const BUCKET_ENCRYPTION_SCRIPT_FILE = 'bucket-encryption.sh';

/** Where the pieces are mounted in the Job's container (read-only, except the emptyDir at `/tmp`). */
export const BUCKET_ENCRYPTION_PATHS = {
  /** The script ConfigMap. */
  scriptDir: '/opt/minio-sse-azure',
  /** The tenant configuration Secret, key `config.env` only. */
  tenantConfigDir: '/var/run/minio-sse-azure/tenant-config',
  /** The CA ConfigMap, key `ca.crt` only. */
  caDir: '/var/run/minio-sse-azure/ca',
  /** In-memory emptyDir: mc's config (alias with credentials, CAs). */
  tmpDir: '/tmp',
  /** `MC_CONFIG_DIR`. */
  mcConfigDir: '/tmp/.mc',
} as const;

/** Length of the spec hash in object names (hex characters of SHA-256). */
const HASH_LENGTH = 10;
/** Job names are limited to 63 characters: the Job controller copies the name into a pod label. */
const MAX_JOB_NAME = 63;

let cachedScript: string | undefined;

/**
 * The reconciler script (POSIX sh) as shipped in the Job's ConfigMap. Read once from
 * `lib/k8s/bucket-encryption.sh`: beside this module when run from source (ts-node, ts-jest), or from the
 * package's `lib/k8s/` when run from the compiled `dist-lib/lib/k8s/` (package.json `files` ships `lib/**\/*.sh`).
 * @throws Error when the script file cannot be found in either place
 */
export function bucketEncryptionScript(): string {
  if (cachedScript === undefined) {
    const candidates = [
      path.join(__dirname, BUCKET_ENCRYPTION_SCRIPT_FILE),
      path.resolve(__dirname, '..', '..', '..', 'lib', 'k8s', BUCKET_ENCRYPTION_SCRIPT_FILE),
    ];
    const found = candidates.find((p) => fs.existsSync(p));
    if (!found) {
      throw new Error(`${BUCKET_ENCRYPTION_SCRIPT_FILE} not found: looked in ${candidates.join(', ')}`);
    }
    cachedScript = fs.readFileSync(found, 'utf8');
  }
  return cachedScript;
}

/**
 * The bucket-encryption reconciler: one Job per Tenant (and the ConfigMap holding its script) that turns on
 * bucket-default SSE-KMS, which the Tenant CRD cannot express (research/bug-log.md B10–B14, DESIGN.md decision 8).
 *
 * The Job, running the release's `mc` image (`quay.io/minio/mc`, overridable with `bucketEncryptionJob.image`):
 * waits (bounded by `readinessAttempts` x `readinessIntervalSeconds`) for MinIO and then for KMS; creates every
 * EK of `spec.encryptionKeys` (`mc admin kms key create`, "already exists" is success) and checks it with
 * `mc admin kms key status`; per bucket runs `mc mb --ignore-existing`, `mc encrypt set sse-kms <EK>`, reads the
 * setting back with `mc encrypt info`, and proves it with a probe object whose `mc stat` must show SSE-KMS with the
 * EK. Exit codes: 0 ok, 1 some EK or bucket failed, 2 MinIO not ready, 3 KMS not ready, 4 bad configuration.
 *
 * - The alias is built from the Tenant (`tenant.serviceUrl`, i.e. `https://minio.<ns>.svc.<domain>:443` with
 *   auto-cert), TLS verified against `job.caConfigMapName` (default `kube-root-ca.crt`, key `ca.crt`);
 *   `--insecure` only with `job.insecureSkipTlsVerify`.
 * - Root credentials are read from the mounted `tenant.configurationSecretName` (key `config.env`) by the script,
 *   never synthesized, never in argv or logs; the pod spec holds no secret value.
 * - Both objects are named `<tenant>-sse-<hash>`, where `<hash>` is the first 10 hex characters of SHA-256 over
 *   the canonical JSON of everything that defines them (script, image, env, volumes, options): a changed
 *   declaration makes a new Job (no "field is immutable", bug-log B13), an unchanged one re-synthesizes
 *   identically. The tenant part is cut to 48 characters so the Job name stays within 63.
 * - The pod meets Pod Security "restricted": uid/gid 1000, non-root, no privilege escalation, all capabilities
 *   dropped, seccomp RuntimeDefault, read-only root filesystem with an in-memory emptyDir at `/tmp`, no service
 *   account token.
 *
 * Bucket defaults apply to new writes only: existing objects are not re-encrypted (bug-log B12); see
 * lib/k8s/README-bucket-encryption.md for the command that rewrites them.
 */
export class BucketEncryption extends Construct {
  /** Name of the Job (`<tenant>-sse-<hash>`). */
  public readonly jobName: string;
  /** Name of the ConfigMap holding the script (same as the Job's). */
  public readonly configMapName: string;
  /** Full SHA-256 (hex) of the canonical spec; its first 10 characters are in the names. */
  public readonly specHash: string;
  /** The Job (escape hatch; JSON patches applied to it are not part of the name hash). */
  public readonly job: ApiObject;
  /** The script ConfigMap (escape hatch). */
  public readonly configMap: ApiObject;

  constructor(scope: Construct, id: string, props: BucketEncryptionProps) {
    super(scope, id);
    const { spec } = props;
    const script = bucketEncryptionScript();
    const labels = {
      'app.kubernetes.io/name': 'minio-sse-azure',
      ...standardLabels('bucket-encryption', spec.release, spec.tenant.name),
    };

    const configMapBody = (name: string) => ({
      metadata: { name, namespace: spec.tenant.namespace, labels },
      data: { [BUCKET_ENCRYPTION_SCRIPT_FILE]: script },
    });
    const jobBody = (name: string) => ({
      metadata: { name, namespace: spec.tenant.namespace, labels },
      spec: jobSpec(spec, name, labels),
    });

    // The names are derived from a hash of the objects themselves, rendered with a placeholder name.
    this.specHash = sha256(canonicalJson({ configMap: configMapBody(''), job: jobBody('') }));
    const prefix = spec.tenant.name.slice(0, MAX_JOB_NAME - '-sse-'.length - HASH_LENGTH).replace(/-+$/, '');
    this.jobName = `${prefix}-sse-${this.specHash.slice(0, HASH_LENGTH)}`;
    this.configMapName = this.jobName;

    const cm = configMapBody(this.configMapName);
    this.configMap = new ApiObject(this, 'Script', { apiVersion: 'v1', kind: 'ConfigMap', ...cm });
    const job = jobBody(this.configMapName);
    this.job = new ApiObject(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        ...job.metadata,
        name: this.jobName,
        annotations: {
          'minio-sse-azure/spec-sha256': this.specHash,
          // Pulumi's Kubernetes provider awaits a Job until it succeeds (10 minutes by default); let it wait as
          // long as the Job may run. Ignored by kubectl and GitOps tools.
          'pulumi.com/timeoutSeconds': String(spec.job.activeDeadlineSeconds + 60),
        },
      },
      spec: job.spec,
    });
    this.job.addDependency(this.configMap);
  }
}

/** The Job's `spec`, referencing the script ConfigMap `configMapName`. */
function jobSpec(spec: ResolvedDeclaration, configMapName: string, labels: Record<string, string>): Record<string, unknown> {
  const { tenant, job } = spec;
  const p = BUCKET_ENCRYPTION_PATHS;
  const mountCa = !job.insecureSkipTlsVerify && tenant.serviceUrl.startsWith('https://');
  const env: Array<Record<string, unknown>> = [
    { name: 'SSE_MINIO_URL', value: tenant.serviceUrl },
    { name: 'SSE_TENANT', value: tenant.name },
    { name: 'SSE_DEFAULT_KEY', value: spec.kes.defaultKeyName },
    { name: 'SSE_KEYS', value: spec.encryptionKeys.join(' ') },
    { name: 'SSE_BUCKETS', value: spec.buckets.map((b) => `${b.name}=${b.encryptionKey}`).join(' ') },
    { name: 'SSE_READINESS_ATTEMPTS', value: String(job.readinessAttempts) },
    { name: 'SSE_READINESS_INTERVAL_SECONDS', value: String(job.readinessIntervalSeconds) },
    { name: 'SSE_INSECURE', value: job.insecureSkipTlsVerify ? 'true' : 'false' },
    { name: 'SSE_CONFIG_ENV_FILE', value: `${p.tenantConfigDir}/config.env` },
    { name: 'SSE_CONFIG_SECRET_NAME', value: tenant.configurationSecretName },
    { name: 'SSE_CA_FILE', value: `${p.caDir}/ca.crt` },
    { name: 'SSE_CA_CONFIGMAP_NAME', value: job.caConfigMapName },
    { name: 'SSE_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'MC_CONFIG_DIR', value: p.mcConfigDir },
    { name: 'HOME', value: p.tmpDir },
  ];
  const volumeMounts: Array<Record<string, unknown>> = [
    { name: 'script', mountPath: p.scriptDir, readOnly: true },
    { name: 'tenant-config', mountPath: p.tenantConfigDir, readOnly: true },
    ...(mountCa ? [{ name: 'ca', mountPath: p.caDir, readOnly: true }] : []),
    { name: 'tmp', mountPath: p.tmpDir },
  ];
  const volumes: Array<Record<string, unknown>> = [
    { name: 'script', configMap: { name: configMapName, defaultMode: 0o444 } },
    {
      name: 'tenant-config',
      secret: { secretName: tenant.configurationSecretName, items: [{ key: 'config.env', path: 'config.env' }], defaultMode: 0o440 },
    },
    ...(mountCa ? [{ name: 'ca', configMap: { name: job.caConfigMapName, items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } }] : []),
    // In memory: mc's config.json holds the root credentials while the Job runs.
    { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
  ];
  const containerSecurityContext = hardenedContainerSecurityContext();
  return {
    backoffLimit: job.backoffLimit,
    activeDeadlineSeconds: job.activeDeadlineSeconds,
    ...(job.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: job.ttlSecondsAfterFinished } : {}),
    template: {
      metadata: { labels },
      spec: {
        restartPolicy: 'Never',
        ...(spec.images.pullSecrets.length > 0 ? { imagePullSecrets: spec.images.pullSecrets.map((name) => ({ name })) } : {}),
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: containerSecurityContext.runAsUser,
          runAsGroup: containerSecurityContext.runAsGroup,
          fsGroup: containerSecurityContext.runAsGroup,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        containers: [
          {
            name: 'bucket-encryption',
            image: job.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['/bin/sh', `${p.scriptDir}/${BUCKET_ENCRYPTION_SCRIPT_FILE}`],
            env,
            resources: {
              requests: { cpu: '50m', memory: '64Mi' },
              limits: { cpu: '500m', memory: '256Mi' },
            },
            securityContext: containerSecurityContext,
            volumeMounts,
          },
        ],
        volumes,
      },
    },
  };
}

/** JSON with object keys sorted at every level, so equal values always hash equally. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
