import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { OperatorRelease } from '../declaration';
import { standardLabels } from './common';

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
  /** Whether MinIO serves TLS (`https://`); only then is the CA mounted (not with `insecureSkipTlsVerify`). */
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
 * `encryptionKeys` (`mc admin kms key create`, "already exists" is success) and checks it with
 * `mc admin kms key status` (exit 0, neither `encryptionError` nor `decryptionError`: what both pinned mc releases
 * print alike); per bucket runs `mc mb --ignore-existing`, reads the default with `mc encrypt info` and sets it
 * with `mc encrypt set sse-kms <EK>` only when it differs, then proves it: without object lock, with a probe
 * object whose `mc stat` must show SSE-KMS with the EK (removed by version); with object lock (or when the lock
 * state cannot be read) by read-back only, writing nothing a default retention could keep. Every mc call is
 * bounded (`SSE_MC_TIMEOUT_SECONDS`, default 120 s) and SIGTERM ends the Job at once. Exit codes: 0 ok, 1 some
 * EK or bucket failed, 2 MinIO not ready, 3 KMS not ready, 4 bad configuration, 143 SIGTERM.
 *
 * - The alias is built from the Tenant (`minioHost`/`minioPort`/`minioTls`, i.e. `https://minio.<ns>.svc.<domain>:443`
 *   with auto-cert), TLS verified against `caConfigMapName` (the declaration's default is `kube-root-ca.crt`, key
 *   `ca.crt`); `--insecure` only with `insecureSkipTlsVerify`.
 * - Root credentials are read from the mounted `configurationSecretName` (key `config.env`) by the script,
 *   never synthesized, never in argv or logs; the pod spec holds no secret value.
 * - Both objects are named `<tenant>-sse-<hash>`, where `<hash>` is the first 10 hex characters of SHA-256 over
 *   the canonical JSON of both objects as emitted, rendered once with a placeholder name (script, image, env, volumes,
 *   options, every cdk8s-plus default and escape-hatch patch; not the two annotations): a changed
 *   declaration makes a new Job (a Job's pod template is immutable), an unchanged one re-synthesizes
 *   identically. The tenant part is cut to 48 characters so the Job name stays within 63.
 * - The pod meets Pod Security "restricted": uid/gid 1000, non-root, no privilege escalation, all capabilities
 *   dropped, seccomp RuntimeDefault, read-only root filesystem with an in-memory emptyDir at `/tmp`, no service
 *   account token, no service links.
 * - Built with cdk8s-plus-28 (`Job`, `ConfigMap`, `Volume`, `Secret`/`ConfigMap` imports). What it cannot express is
 *   added with the smallest escape hatch, JSON patches on the Job's ApiObject (npm package cdk8s-plus-28 2.5.6,
 *   `lib/pod.d.ts`): the pod-level `seccompProfile` (its `PodSecurityContextProps` has no such field),
 *   `enableServiceLinks: false` (no such prop), more than one `imagePullSecrets` entry (`dockerRegistryAuth` takes
 *   one Secret), and the removal of the `cdk8s.io/metadata.addr` pod label it always adds (derived from the
 *   construct path, it would make the names depend on where the construct sits; a Job created with `select: false`
 *   selects nothing with it), and of `hostNetwork: false` (the API server drops a false value, so the live object
 *   would differ from the one sent). Its other explicit pod defaults equal the Kubernetes defaults and are kept
 *   (`dnsPolicy`, `setHostnameAsFQDN`, `terminationGracePeriodSeconds`, `fsGroupChangePolicy`).
 *
 * Bucket defaults apply to new writes only: existing objects are not re-encrypted; the README section
 * "Bucket-default SSE-KMS" gives the command that rewrites them.
 */
export class BucketEncryption extends Construct {
  /** Name of the Job (`<tenant>-sse-<hash>`). */
  public readonly jobName: string;
  /** Name of the ConfigMap holding the script (same as the Job's). */
  public readonly configMapName: string;
  /** Full SHA-256 (hex) of the canonical objects; its first 10 characters are in the names. */
  public readonly specHash: string;
  /** The Job (escape hatch: `ApiObject.of(job)`; JSON patches applied to it later are not part of the name hash). */
  public readonly job: kplus.Job;
  /** The script ConfigMap (escape hatch). */
  public readonly configMap: kplus.ConfigMap;

  constructor(scope: Construct, id: string, props: BucketEncryptionProps) {
    super(scope, id);
    // The names come from a hash of the objects themselves: render them once with a placeholder name, hash what
    // cdk8s would emit, drop that draft and render them again, under the same ids, with the real name.
    const draft = renderObjects(this, props, '');
    this.specHash = sha256(
      canonicalJson({ configMap: ApiObject.of(draft.configMap).toJson(), job: ApiObject.of(draft.job).toJson() }),
    );
    for (const child of [...this.node.children]) {
      this.node.tryRemoveChild(child.node.id);
    }
    const prefix = props.tenantName.slice(0, MAX_JOB_NAME - '-sse-'.length - HASH_LENGTH).replace(/-+$/, '');
    this.jobName = `${prefix}-sse-${this.specHash.slice(0, HASH_LENGTH)}`;
    this.configMapName = this.jobName;

    const objects = renderObjects(this, props, this.jobName);
    this.configMap = objects.configMap;
    this.job = objects.job;
    this.job.metadata.addAnnotation('minio-sse-azure/spec-sha256', this.specHash);
    // Pulumi's Kubernetes provider awaits a Job until it succeeds (10 minutes by default); let it wait as long as the
    // Job may run. Ignored by kubectl and GitOps tools.
    this.job.metadata.addAnnotation('pulumi.com/timeoutSeconds', String(props.activeDeadlineSeconds + 60));
    ApiObject.of(this.job).addDependency(ApiObject.of(this.configMap));
  }
}

/** uid and gid of the Job's container (the values of `hardenedContainerSecurityContext`). */
const RUN_AS_ID = 1000;

/**
 * The script ConfigMap and the Job, both named `name`, as children of `scope` (ids `Script`, `Job` and the volume
 * and import ids), built with cdk8s-plus and the escape-hatch patches described on {@link BucketEncryption}.
 */
function renderObjects(
  scope: Construct,
  props: BucketEncryptionProps,
  name: string,
): { configMap: kplus.ConfigMap; job: kplus.Job } {
  const p = BUCKET_ENCRYPTION_PATHS;
  const labels = {
    'app.kubernetes.io/name': 'minio-sse-azure',
    ...standardLabels('bucket-encryption', props.release, props.tenantName),
  };
  const metadata = { name, namespace: props.namespace, labels };
  const insecure = props.insecureSkipTlsVerify ?? false;
  const mountCa = !insecure && props.minioTls;
  const pullSecrets = props.imagePullSecrets ?? [];

  // Immutable: the name changes with the content, so the object is never updated in place (and the kubelet need
  // not watch it).
  const configMap = new kplus.ConfigMap(scope, 'Script', {
    metadata,
    data: { [BUCKET_ENCRYPTION_SCRIPT_FILE]: bucketEncryptionScript() },
    immutable: true,
  });
  const scriptVolume = kplus.Volume.fromConfigMap(scope, 'ScriptVolume', configMap, {
    name: 'script',
    defaultMode: 0o444,
  });
  const tenantConfigVolume = kplus.Volume.fromSecret(
    scope,
    'TenantConfigVolume',
    kplus.Secret.fromSecretName(scope, 'TenantConfig', props.configurationSecretName),
    { name: 'tenant-config', items: { 'config.env': { path: 'config.env' } }, defaultMode: 0o440 },
  );
  const caVolume = mountCa
    ? kplus.Volume.fromConfigMap(
        scope,
        'CaVolume',
        kplus.ConfigMap.fromConfigMapName(scope, 'Ca', props.caConfigMapName),
        { name: 'ca', items: { 'ca.crt': { path: 'ca.crt' } }, defaultMode: 0o444 },
      )
    : undefined;
  // In memory: mc's config.json holds the root credentials while the Job runs.
  const tmpVolume = kplus.Volume.fromEmptyDir(scope, 'TmpVolume', 'tmp', {
    medium: kplus.EmptyDirMedium.MEMORY,
    sizeLimit: Size.mebibytes(16),
  });

  const value = (v: string) => kplus.EnvValue.fromValue(v);
  const job = new kplus.Job(scope, 'Job', {
    metadata,
    podMetadata: { labels },
    backoffLimit: props.backoffLimit,
    activeDeadline: Duration.seconds(props.activeDeadlineSeconds),
    ttlAfterFinished:
      props.ttlSecondsAfterFinished !== undefined ? Duration.seconds(props.ttlSecondsAfterFinished) : undefined,
    restartPolicy: kplus.RestartPolicy.NEVER,
    automountServiceAccountToken: false,
    securityContext: { ensureNonRoot: true, user: RUN_AS_ID, group: RUN_AS_ID, fsGroup: RUN_AS_ID },
    containers: [
      {
        name: 'bucket-encryption',
        image: props.image,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: ['/bin/sh', `${p.scriptDir}/${BUCKET_ENCRYPTION_SCRIPT_FILE}`],
        envVariables: {
          SSE_MINIO_URL: value(`${props.minioTls ? 'https' : 'http'}://${props.minioHost}:${props.minioPort}`),
          SSE_TENANT: value(props.tenantName),
          SSE_DEFAULT_KEY: value(props.defaultKeyName),
          SSE_KEYS: value(props.encryptionKeys.join(' ')),
          SSE_BUCKETS: value(props.buckets.map((b) => `${b.name}=${b.encryptionKey}`).join(' ')),
          SSE_READINESS_ATTEMPTS: value(String(props.readinessAttempts)),
          SSE_READINESS_INTERVAL_SECONDS: value(String(props.readinessIntervalSeconds)),
          SSE_INSECURE: value(insecure ? 'true' : 'false'),
          SSE_CONFIG_ENV_FILE: value(`${p.tenantConfigDir}/config.env`),
          SSE_CONFIG_SECRET_NAME: value(props.configurationSecretName),
          SSE_CA_FILE: value(`${p.caDir}/ca.crt`),
          SSE_CA_CONFIGMAP_NAME: value(props.caConfigMapName),
          SSE_POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
          MC_CONFIG_DIR: value(p.mcConfigDir),
          HOME: value(p.tmpDir),
        },
        resources: {
          cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(500) },
          memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
        },
        securityContext: {
          ensureNonRoot: true,
          user: RUN_AS_ID,
          group: RUN_AS_ID,
          privileged: false,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: [kplus.Capability.ALL] },
          seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
        },
        volumeMounts: [
          { path: p.scriptDir, volume: scriptVolume, readOnly: true },
          { path: p.tenantConfigDir, volume: tenantConfigVolume, readOnly: true },
          ...(caVolume ? [{ path: p.caDir, volume: caVolume, readOnly: true }] : []),
          { path: p.tmpDir, volume: tmpVolume },
        ],
      },
    ],
  });

  // What cdk8s-plus-28 cannot express (see the class docstring).
  const jobObject = ApiObject.of(job);
  jobObject.addJsonPatch(
    JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
    JsonPatch.add('/spec/template/spec/enableServiceLinks', false),
    JsonPatch.remove(`/spec/template/metadata/labels/${jsonPointerToken(kplus.Pod.ADDRESS_LABEL)}`),
    // Always emitted as false; the API server drops a false hostNetwork (a plain bool, omitted when false), so the
    // live Job would differ from the one sent.
    JsonPatch.remove('/spec/template/spec/hostNetwork'),
  );
  if (pullSecrets.length > 0) {
    jobObject.addJsonPatch(
      JsonPatch.add(
        '/spec/template/spec/imagePullSecrets',
        pullSecrets.map((n) => ({ name: n })),
      ),
    );
  }
  return { configMap, job };
}

/** `token` escaped for a JSON Pointer (RFC 6901: `~` as `~0`, `/` as `~1`). */
function jsonPointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
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
