import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { OperatorRelease } from '../declaration';
import { hardenedContainerSecurityContext, standardLabels } from './common';

/** A bucket the Job creates and gives a default SSE-KMS key. */
export interface BucketEncryptionBucket {
  /** Bucket name (S3 naming rules). */
  readonly name: string;
  /** EK set as the bucket's default SSE-KMS key; must be one of `encryptionKeys`. */
  readonly encryptionKey: string;
}

/**
 * Props of {@link BucketEncryption}: what the Job needs, nothing more. {@link TenantChart} maps a resolved
 * declaration onto them (`bucketEncryptionProps` in `./charts`); the values are not validated again here, so a
 * caller using the construct alone passes values that already meet the declaration's rules (`resolveDeclaration`).
 */
export interface BucketEncryptionProps {
  /** Name of the Tenant: `SSE_TENANT`, the `app.kubernetes.io/part-of` label and the prefix of the object names. */
  readonly tenantName: string;
  /** Namespace of the Tenant, where both objects are created. */
  readonly namespace: string;
  /** Operator release: `app.kubernetes.io/version` on both objects. */
  readonly release: OperatorRelease;
  /** Host of the MinIO S3 API inside the cluster, e.g. `minio.<ns>.svc.cluster.local`. */
  readonly minioHost: string;
  /** Port of the MinIO S3 API (443 with TLS, 80 without, as the operator's Service exposes it). */
  readonly minioPort: number;
  /** Whether MinIO serves TLS (`https://`); the CA ConfigMap is mounted only then (and without `insecureSkipTlsVerify`). */
  readonly minioTls: boolean;
  /** The Tenant's configuration Secret (key `config.env`, the root credentials), mounted read-only. */
  readonly configurationSecretName: string;
  /** KES default EK (`SSE_DEFAULT_KEY`). */
  readonly defaultKeyName: string;
  /** Every EK the Job creates, in order, no duplicates (`SSE_KEYS`, space-separated). */
  readonly encryptionKeys: readonly string[];
  /** The buckets, in order (`SSE_BUCKETS`, `<bucket>=<EK>` space-separated). */
  readonly buckets: readonly BucketEncryptionBucket[];
  /** `mc` image reference (a tag within `BUCKET_ENCRYPTION_MC_RANGE`). */
  readonly image: string;
  /** Pull Secrets of the pod, in order. @default - none */
  readonly imagePullSecrets?: readonly string[];
  /** ConfigMap holding the CA (key `ca.crt`) that MinIO's certificate is verified against, e.g. `kube-root-ca.crt`. */
  readonly caConfigMapName: string;
  /** Pass `--insecure` to mc and mount no CA. @default false */
  readonly insecureSkipTlsVerify?: boolean;
  /** Readiness probes of MinIO, then of KMS, before giving up (`SSE_READINESS_ATTEMPTS`). */
  readonly readinessAttempts: number;
  /** Seconds between readiness probes (`SSE_READINESS_INTERVAL_SECONDS`). */
  readonly readinessIntervalSeconds: number;
  /** Job `backoffLimit` (pod retries). */
  readonly backoffLimit: number;
  /** Job `activeDeadlineSeconds`; Pulumi waits this plus 60 s. */
  readonly activeDeadlineSeconds: number;
  /** Job `ttlSecondsAfterFinished`. @default - unset (the finished Job is kept) */
  readonly ttlSecondsAfterFinished?: number;
}

/** File name of the reconciler script: the ConfigMap key, and the file the Job runs. */
export const BUCKET_ENCRYPTION_SCRIPT_FILE = 'bucket-encryption.sh';

/** Folder, beside this module, of the script's parts (`NN-name.sh`, concatenated in name order). */
export const BUCKET_ENCRYPTION_PARTS_DIR = 'bucket-encryption';

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
 * The folder holding the script parts: `lib/k8s/bucket-encryption/` beside this module when run from source
 * (ts-node, ts-jest), or the package's `lib/k8s/bucket-encryption/` when run from the compiled `dist-lib/lib/k8s/`
 * (package.json `files` ships `lib/**\/*.sh`).
 * @throws Error when the folder cannot be found in either place
 */
export function bucketEncryptionPartsDir(): string {
  const candidates = [
    path.join(__dirname, BUCKET_ENCRYPTION_PARTS_DIR),
    path.resolve(__dirname, '..', '..', '..', 'lib', 'k8s', BUCKET_ENCRYPTION_PARTS_DIR),
  ];
  const found = candidates.find((p) => fs.existsSync(path.join(p, '00-header.sh')));
  if (!found) {
    throw new Error(`${BUCKET_ENCRYPTION_PARTS_DIR}/00-header.sh not found: looked in ${candidates.join(', ')}`);
  }
  return found;
}

/**
 * The parts of the reconciler script, in the order they are concatenated: every `*.sh` file of
 * {@link bucketEncryptionPartsDir}, sorted by name (`00-header.sh` first, `90-main.sh`, which runs `main`, last).
 * Each part only defines functions and constants, so each can be sourced and tested alone.
 */
export function bucketEncryptionScriptParts(): Array<{ readonly name: string; readonly file: string }> {
  const dir = bucketEncryptionPartsDir();
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.sh'))
    .sort()
    .map((name) => ({ name, file: path.join(dir, name) }));
}

/**
 * The reconciler script (POSIX sh) as shipped in the Job's ConfigMap: the parts of
 * {@link bucketEncryptionScriptParts} concatenated as they are (byte for byte what `cat lib/k8s/bucket-encryption/*.sh`
 * prints, which `npm run lint:sh` checks). Read once.
 * @throws Error when the parts cannot be found
 */
export function bucketEncryptionScript(): string {
  if (cachedScript === undefined) {
    cachedScript = bucketEncryptionScriptParts()
      .map((p) => fs.readFileSync(p.file, 'utf8'))
      .join('');
  }
  return cachedScript;
}

/**
 * The bucket-encryption reconciler: one Job per Tenant (and the ConfigMap holding its script) that turns on
 * bucket-default SSE-KMS, which the Tenant CRD cannot express (its `spec.buckets` items carry a name, region and
 * object lock only).
 *
 * The Job, running the release's `mc` image (`quay.io/minio/mc`, overridable with `bucketEncryptionJob.image`
 * within the mc range the script is tested against, `BUCKET_ENCRYPTION_MC_RANGE`): waits (bounded by
 * `readinessAttempts` x `readinessIntervalSeconds`) for MinIO and then for KMS; creates every EK of
 * `spec.encryptionKeys` (`mc admin kms key create`, "already exists" is success) and checks it with
 * `mc admin kms key status` (exit 0, neither `encryptionError` nor `decryptionError`: what both pinned mc releases
 * print alike); per bucket runs `mc mb --ignore-existing`, reads the default with `mc encrypt info` and sets it
 * with `mc encrypt set sse-kms <EK>` only when it differs, then proves it: without object lock, with a probe
 * object whose `mc stat` must show SSE-KMS with the EK (removed by version); with object lock (or when the lock
 * state cannot be read) by read-back only, writing nothing a default retention could keep. Every mc call is
 * bounded (`SSE_MC_TIMEOUT_SECONDS`, default 120 s) and SIGTERM ends the Job at once. Exit codes: 0 ok, 1 some
 * EK or bucket failed, 2 MinIO not ready, 3 KMS not ready, 4 bad configuration, 143 SIGTERM.
 *
 * - The alias is built from the Tenant (`tenant.serviceUrl`, i.e. `https://minio.<ns>.svc.<domain>:443` with
 *   auto-cert), TLS verified against `job.caConfigMapName` (default `kube-root-ca.crt`, key `ca.crt`);
 *   `--insecure` only with `job.insecureSkipTlsVerify`.
 * - Root credentials are read from the mounted `tenant.configurationSecretName` (key `config.env`) by the script,
 *   never synthesized, never in argv or logs; the pod spec holds no secret value.
 * - Both objects are named `<tenant>-sse-<hash>`, where `<hash>` is the first 10 hex characters of SHA-256 over
 *   the canonical JSON of everything that defines them (script, image, env, volumes, options): a changed
 *   declaration makes a new Job (a Job's pod template is immutable), an unchanged one re-synthesizes
 *   identically. The tenant part is cut to 48 characters so the Job name stays within 63.
 * - The pod meets Pod Security "restricted": uid/gid 1000, non-root, no privilege escalation, all capabilities
 *   dropped, seccomp RuntimeDefault, read-only root filesystem with an in-memory emptyDir at `/tmp`, no service
 *   account token.
 *
 * Bucket defaults apply to new writes only: existing objects are not re-encrypted; the README section
 * "Bucket-default SSE-KMS" gives the command that rewrites them.
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
    const script = bucketEncryptionScript();
    const labels = {
      'app.kubernetes.io/name': 'minio-sse-azure',
      ...standardLabels('bucket-encryption', props.release, props.tenantName),
    };

    const configMapBody = (name: string) => ({
      metadata: { name, namespace: props.namespace, labels },
      data: { [BUCKET_ENCRYPTION_SCRIPT_FILE]: script },
    });
    const jobBody = (name: string) => ({
      metadata: { name, namespace: props.namespace, labels },
      spec: jobSpec(props, name, labels),
    });

    // The names are derived from a hash of the objects themselves, rendered with a placeholder name.
    this.specHash = sha256(canonicalJson({ configMap: configMapBody(''), job: jobBody('') }));
    const prefix = props.tenantName.slice(0, MAX_JOB_NAME - '-sse-'.length - HASH_LENGTH).replace(/-+$/, '');
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
          'pulumi.com/timeoutSeconds': String(props.activeDeadlineSeconds + 60),
        },
      },
      spec: job.spec,
    });
    this.job.addDependency(this.configMap);
  }
}

/** The Job's `spec`, referencing the script ConfigMap `configMapName`. */
function jobSpec(
  props: BucketEncryptionProps,
  configMapName: string,
  labels: Record<string, string>,
): Record<string, unknown> {
  const p = BUCKET_ENCRYPTION_PATHS;
  const insecure = props.insecureSkipTlsVerify ?? false;
  const mountCa = !insecure && props.minioTls;
  const pullSecrets = props.imagePullSecrets ?? [];
  const env: Array<Record<string, unknown>> = [
    { name: 'SSE_MINIO_URL', value: `${props.minioTls ? 'https' : 'http'}://${props.minioHost}:${props.minioPort}` },
    { name: 'SSE_TENANT', value: props.tenantName },
    { name: 'SSE_DEFAULT_KEY', value: props.defaultKeyName },
    { name: 'SSE_KEYS', value: props.encryptionKeys.join(' ') },
    { name: 'SSE_BUCKETS', value: props.buckets.map((b) => `${b.name}=${b.encryptionKey}`).join(' ') },
    { name: 'SSE_READINESS_ATTEMPTS', value: String(props.readinessAttempts) },
    { name: 'SSE_READINESS_INTERVAL_SECONDS', value: String(props.readinessIntervalSeconds) },
    { name: 'SSE_INSECURE', value: insecure ? 'true' : 'false' },
    { name: 'SSE_CONFIG_ENV_FILE', value: `${p.tenantConfigDir}/config.env` },
    { name: 'SSE_CONFIG_SECRET_NAME', value: props.configurationSecretName },
    { name: 'SSE_CA_FILE', value: `${p.caDir}/ca.crt` },
    { name: 'SSE_CA_CONFIGMAP_NAME', value: props.caConfigMapName },
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
      secret: {
        secretName: props.configurationSecretName,
        items: [{ key: 'config.env', path: 'config.env' }],
        defaultMode: 0o440,
      },
    },
    ...(mountCa
      ? [
          {
            name: 'ca',
            configMap: { name: props.caConfigMapName, items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 },
          },
        ]
      : []),
    // In memory: mc's config.json holds the root credentials while the Job runs.
    { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
  ];
  const containerSecurityContext = hardenedContainerSecurityContext();
  return {
    backoffLimit: props.backoffLimit,
    activeDeadlineSeconds: props.activeDeadlineSeconds,
    ...(props.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: props.ttlSecondsAfterFinished } : {}),
    template: {
      metadata: { labels },
      spec: {
        restartPolicy: 'Never',
        ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map((name) => ({ name })) } : {}),
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
            image: props.image,
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
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    }
    return v;
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
