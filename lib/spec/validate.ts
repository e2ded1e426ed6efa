import { AzureAuth, AzureAuthMode, EnvSource } from './azure-auth';
import {
  BucketDeclaration,
  BucketEncryptionJobOptions,
  KesAdminMode,
  MinioSseDeclaration,
  PoolDeclaration,
} from './declaration';
import { KesImageInfo, parseKesImage } from './kes-image';
import { OperatorRelease } from './release';
import {
  checkBucketName,
  checkDnsLabel,
  checkDnsSubdomain,
  checkGoDuration,
  checkInteger,
  checkKeyName,
  checkKeyNamePrefix,
  checkKeyVaultEndpoint,
  checkPositiveQuantity,
  checkQualifiedName,
  checkSecretKey,
  checkUuid,
  keyVaultNameOf,
} from './rules';

/** One problem found in a declaration: where, and what is wrong. */
export interface Problem {
  /** Path into the declaration, e.g. `buckets[2].name`. */
  readonly path: string;
  /** What is wrong, with the bad value and the rule, e.g. `"My_Bucket" is not a valid bucket name: …`. */
  readonly message: string;
}

/** Formats problems as one message, one problem per line. */
export function formatProblems(problems: readonly Problem[], what = 'MinIO SSE declaration'): string {
  const n = problems.length;
  return `invalid ${what} (${n} problem${n === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`;
}

/** A fully defaulted, validated declaration: what every renderer and construct consumes. */
export interface ResolvedDeclaration {
  readonly release: OperatorRelease;
  readonly operatorNamespace: string;
  readonly tenant: ResolvedTenant;
  readonly kes: ResolvedKes;
  /** Every EK the Job creates, in order: the default EK, `kes.keys`, then bucket keys; no duplicates. */
  readonly encryptionKeys: readonly string[];
  readonly buckets: readonly BucketDeclaration[];
  readonly job: ResolvedJobOptions;
}

export interface ResolvedPool extends PoolDeclaration {
  readonly name: string;
}

export interface ResolvedTenant {
  readonly name: string;
  readonly namespace: string;
  readonly pools: readonly ResolvedPool[];
  readonly configurationSecretName: string;
  readonly image: string;
  readonly requestAutoCert: boolean;
  readonly clusterDomain: string;
  /** The operator's ClusterIP Service for MinIO; always `minio` (operator `MinIOCIServiceName`). */
  readonly serviceName: string;
  /** `minio.<ns>.svc.<domain>`. */
  readonly serviceHost: string;
  /** 443 with TLS, 80 without (operator Service ports). */
  readonly servicePort: number;
  /** `https://…` or `http://…` URL of the MinIO S3 API inside the cluster. */
  readonly serviceUrl: string;
}

/** One environment variable of the KES container and where its value comes from. */
export interface ResolvedKesEnv {
  readonly name: string;
  readonly source: EnvSource;
}

export interface ResolvedKes {
  readonly endpoint: string;
  readonly vaultName: string;
  readonly auth: AzureAuth;
  readonly defaultKeyName: string;
  /** EKs written to the KES config `keys:` (default EK first). */
  readonly keys: readonly string[];
  readonly keyNamePrefix?: string;
  readonly replicas: number;
  readonly image: string;
  readonly imageInfo: KesImageInfo;
  readonly adminMode: KesAdminMode;
  readonly cacheExpiryAny: string;
  readonly cacheExpiryUnused: string;
  readonly configSecretName: string;
  /** Headless Service the operator creates for KES: `<tenant>-kes-hl-svc`. */
  readonly serviceName: string;
  /** Service account for workload identity, when used. */
  readonly serviceAccountName?: string;
  /** Env vars KES needs for the `${VAR}` references in its config, in a stable order. */
  readonly env: readonly ResolvedKesEnv[];
  /** Extra KES pod annotations. */
  readonly podAnnotations: Readonly<Record<string, string>>;
}

export interface ResolvedJobOptions extends Required<Omit<BucketEncryptionJobOptions, 'ttlSecondsAfterFinished'>> {
  readonly ttlSecondsAfterFinished?: number;
}

/** Env var names used by the rendered KES config. */
export const KES_ENV = {
  TENANT_ID: 'AZURE_TENANT_ID',
  CLIENT_ID: 'AZURE_CLIENT_ID',
  CLIENT_SECRET: 'AZURE_CLIENT_SECRET',
  /** Injected by the operator with the MinIO client certificate identity (research minio-operator.md §3.3). */
  MINIO_IDENTITY: 'MINIO_KES_IDENTITY',
} as const;

class Collector {
  public readonly problems: Problem[] = [];
  public add(path: string, message: string): void {
    this.problems.push({ path, message });
  }
  /** Runs a rule; records `"<value>" <reason>` when it fails. Returns true when valid. */
  public check(path: string, value: unknown, rule: (v: string) => string | undefined, what?: string): boolean {
    if (typeof value !== 'string') {
      this.add(path, `${JSON.stringify(value)} must be a string`);
      return false;
    }
    const reason = rule(value);
    if (reason) {
      this.add(path, `${JSON.stringify(value)} ${what ? `is not a valid ${what}: ` : ''}${reason}`);
      return false;
    }
    return true;
  }
  /** Records every key of `obj` not in `allowed` (typos would otherwise be ignored silently). */
  public knownKeys(path: string, obj: unknown, allowed: readonly string[]): void {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      return;
    }
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key) && (obj as Record<string, unknown>)[key] !== undefined) {
        const where = path === '' ? key : `${path}.${key}`;
        const secretHint = /secret|password|key$/i.test(key) && path.endsWith('auth')
          ? '; secret values are never declared: put the value in the Secret named by secretName'
          : '';
        this.add(where, `is not a known field (expected one of ${allowed.join(', ')})${secretHint}`);
      }
    }
  }
  public int(path: string, value: unknown, min: number, max?: number): boolean {
    const reason = checkInteger(value, min, max);
    if (reason) {
      this.add(path, `${JSON.stringify(value)} ${reason}`);
      return false;
    }
    return true;
  }
}

/**
 * Check a declaration and return every problem found, each with its path. Pure; never throws for bad data.
 * @returns an empty list when the declaration is valid
 */
export function validateDeclaration(decl: MinioSseDeclaration): Problem[] {
  return resolveInternal(decl).problems;
}

/**
 * Validate and fill in every default.
 * @throws Error listing every problem (one per line, with its path) when the declaration is invalid
 */
export function resolveDeclaration(decl: MinioSseDeclaration): ResolvedDeclaration {
  const { problems, resolved } = resolveInternal(decl);
  if (problems.length > 0 || !resolved) {
    throw new Error(formatProblems(problems));
  }
  return resolved;
}

function resolveInternal(decl: MinioSseDeclaration): { problems: Problem[]; resolved?: ResolvedDeclaration } {
  const c = new Collector();
  if (decl === null || typeof decl !== 'object') {
    c.add('(root)', 'the declaration must be an object');
    return { problems: c.problems };
  }

  c.knownKeys('', decl, ['release', 'operatorNamespace', 'tenant', 'kes', 'buckets', 'bucketEncryptionJob']);
  c.knownKeys('tenant', decl.tenant, ['name', 'namespace', 'pools', 'configurationSecretName', 'image', 'requestAutoCert', 'clusterDomain']);
  c.knownKeys('kes', decl.kes, [
    'keyVaultEndpoint', 'auth', 'defaultKeyName', 'keys', 'keyNamePrefix', 'replicas', 'image', 'adminMode',
    'cacheExpiryAny', 'cacheExpiryUnused', 'configSecretName', 'podAnnotations',
  ]);
  c.knownKeys('bucketEncryptionJob', decl.bucketEncryptionJob, [
    'image', 'backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished', 'readinessAttempts',
    'readinessIntervalSeconds', 'insecureSkipTlsVerify', 'caConfigMapName',
  ]);
  if (Array.isArray(decl.tenant?.pools)) {
    decl.tenant.pools.forEach((p, i) => c.knownKeys(`tenant.pools[${i}]`, p, ['name', 'servers', 'volumesPerServer', 'storageSize', 'storageClassName']));
  }
  if (Array.isArray(decl.buckets)) {
    decl.buckets.forEach((b, i) => c.knownKeys(`buckets[${i}]`, b, ['name', 'encryptionKey']));
  }

  // release
  const release = decl.release;
  if (!OperatorRelease.isRelease(release)) {
    c.add('release', `${JSON.stringify(String(release))} is not a supported operator release: use OperatorRelease.V5_0_4 or OperatorRelease.V7_1_1`);
  }
  const rel = OperatorRelease.isRelease(release) ? release : OperatorRelease.V7_1_1;

  const operatorNamespace = decl.operatorNamespace ?? 'minio-operator';
  c.check('operatorNamespace', operatorNamespace, (v) => checkDnsLabel(v), 'namespace');

  // tenant
  const t = decl.tenant ?? ({} as MinioSseDeclaration['tenant']);
  if (!decl.tenant) {
    c.add('tenant', 'is required');
  }
  c.check('tenant.name', t.name, (v) => checkDnsLabel(v, 52), 'tenant name');
  c.check('tenant.namespace', t.namespace, (v) => checkDnsLabel(v), 'namespace');
  if (t.namespace !== undefined && t.namespace === operatorNamespace) {
    c.add('tenant.namespace', `${JSON.stringify(t.namespace)} must differ from the operator namespace`);
  }
  c.check('tenant.configurationSecretName', t.configurationSecretName, checkDnsSubdomain, 'Secret name');
  const clusterDomain = t.clusterDomain ?? 'cluster.local';
  c.check('tenant.clusterDomain', clusterDomain, checkDnsSubdomain, 'cluster domain');
  if (t.image !== undefined) {
    c.check('tenant.image', t.image, checkImage, 'image');
  }
  const pools: ResolvedPool[] = [];
  if (!Array.isArray(t.pools) || t.pools.length === 0) {
    c.add('tenant.pools', 'at least one pool is required');
  } else {
    const seen = new Set<string>();
    t.pools.forEach((p, i) => {
      const path = `tenant.pools[${i}]`;
      const name = p.name ?? `pool-${i}`;
      if (c.check(`${path}.name`, name, (v) => checkDnsLabel(v, 63 - (t.name?.length ?? 0) - 1), 'pool name')) {
        if (seen.has(name)) {
          c.add(`${path}.name`, `${JSON.stringify(name)} is used by another pool; pool names must be unique`);
        }
        seen.add(name);
      }
      const okServers = c.int(`${path}.servers`, p.servers, 1);
      const okVolumes = c.int(`${path}.volumesPerServer`, p.volumesPerServer, 1);
      if (okServers && okVolumes) {
        const total = p.servers * p.volumesPerServer;
        // Operator Pool.Validate (v5.0.4): 2 servers need ≥ 4 volumes, 3 servers ≥ 6. MinIO erasure coding needs
        // an erasure set of at least 4 drives; fewer means no parity, so SSE would sit on unprotected data.
        if (total < 4) {
          c.add(
            path,
            `${p.servers} ${p.servers === 1 ? 'server' : 'servers'} x ${p.volumesPerServer} ${p.volumesPerServer === 1 ? 'volume' : 'volumes'} = ${total} ${total === 1 ? 'drive' : 'drives'} is below the erasure-coding minimum of 4 drives per pool`,
          );
        }
      }
      c.check(`${path}.storageSize`, p.storageSize, checkPositiveQuantity, 'storage size');
      if (p.storageClassName !== undefined) {
        c.check(`${path}.storageClassName`, p.storageClassName, checkDnsSubdomain, 'StorageClass name');
      }
      pools.push({ ...p, name });
    });
  }

  // kes
  const k = decl.kes ?? ({} as MinioSseDeclaration['kes']);
  if (!decl.kes) {
    c.add('kes', 'is required');
  }
  c.check('kes.keyVaultEndpoint', k.keyVaultEndpoint, checkKeyVaultEndpoint, 'Key Vault endpoint');
  const image = k.image ?? rel.kesImage;
  let imageInfo: KesImageInfo | undefined;
  if (typeof image !== 'string') {
    c.add('kes.image', `${JSON.stringify(image)} must be a string`);
  } else {
    const parsed = checkImage(image) ?? parseKesImage(image);
    if (typeof parsed === 'string') {
      c.add('kes.image', `${JSON.stringify(image)} is not a usable KES image: ${parsed}`);
    } else {
      imageInfo = parsed;
    }
  }
  const prefix = k.keyNamePrefix;
  if (prefix !== undefined) {
    c.check('kes.keyNamePrefix', prefix, checkKeyNamePrefix, 'key-name prefix');
  }
  const checkEk = (path: string, name: unknown): boolean => {
    if (!c.check(path, name, checkKeyName, 'EK name')) {
      return false;
    }
    if (prefix !== undefined && !(name as string).startsWith(prefix)) {
      c.add(path, `${JSON.stringify(name)} does not start with kes.keyNamePrefix ${JSON.stringify(prefix)}; the KES policy would refuse it`);
      return false;
    }
    return true;
  };
  checkEk('kes.defaultKeyName', k.defaultKeyName);
  const declaredKeys = k.keys ?? [];
  if (!Array.isArray(declaredKeys)) {
    c.add('kes.keys', 'must be a list of EK names');
  } else {
    const seen = new Set<string>();
    declaredKeys.forEach((name, i) => {
      if (checkEk(`kes.keys[${i}]`, name)) {
        if (seen.has(name)) {
          c.add(`kes.keys[${i}]`, `${JSON.stringify(name)} is listed twice`);
        }
        seen.add(name);
      }
    });
  }
  const replicas = k.replicas ?? 2;
  c.int('kes.replicas', replicas, 1, 64);
  const adminMode = k.adminMode ?? KesAdminMode.DISABLED;
  if (!Object.values(KesAdminMode).includes(adminMode)) {
    c.add('kes.adminMode', `${JSON.stringify(adminMode)} must be one of ${Object.values(KesAdminMode).join(', ')}`);
  }
  const cacheExpiryAny = k.cacheExpiryAny ?? '5m0s';
  const cacheExpiryUnused = k.cacheExpiryUnused ?? '20s';
  c.check('kes.cacheExpiryAny', cacheExpiryAny, checkGoDuration, 'duration');
  c.check('kes.cacheExpiryUnused', cacheExpiryUnused, checkGoDuration, 'duration');
  const podAnnotations = k.podAnnotations ?? {};
  if (podAnnotations === null || typeof podAnnotations !== 'object' || Array.isArray(podAnnotations)) {
    c.add('kes.podAnnotations', 'must be a map of annotation names to string values');
  } else {
    for (const [key, value] of Object.entries(podAnnotations)) {
      c.check(`kes.podAnnotations[${JSON.stringify(key)}]`, key, checkQualifiedName, 'annotation name');
      if (typeof value !== 'string') {
        c.add(`kes.podAnnotations[${JSON.stringify(key)}]`, `${JSON.stringify(value)} must be a string`);
      }
    }
  }
  const configSecretName = k.configSecretName ?? `${t.name}-kes-config`;
  c.check('kes.configSecretName', configSecretName, checkDnsSubdomain, 'Secret name');

  // auth
  const env: ResolvedKesEnv[] = [];
  let serviceAccountName: string | undefined;
  const auth = k.auth;
  if (!AzureAuth.isAzureAuth(auth)) {
    c.add('kes.auth', 'is required: use AzureAuth.clientSecret(…), AzureAuth.managedIdentity(…) or AzureAuth.workloadIdentity(…)');
  } else if (auth.mode === AzureAuthMode.CLIENT_SECRET) {
    const o = auth.clientSecretOptions!;
    c.knownKeys('kes.auth', o, ['secretName', 'tenantId', 'clientId', 'clientSecretKey', 'tenantIdKey', 'clientIdKey']);
    const secretName = o.secretName;
    c.check('kes.auth.secretName', secretName, checkDnsSubdomain, 'Secret name');
    const keyOf = (field: string, value: string | undefined, dflt: string): string => {
      const key = value ?? dflt;
      c.check(`kes.auth.${field}`, key, checkSecretKey, 'Secret key');
      return key;
    };
    const tenantKey = keyOf('tenantIdKey', o.tenantIdKey, KES_ENV.TENANT_ID);
    const clientKey = keyOf('clientIdKey', o.clientIdKey, KES_ENV.CLIENT_ID);
    const secretKey = keyOf('clientSecretKey', o.clientSecretKey, KES_ENV.CLIENT_SECRET);
    if (o.tenantId !== undefined) {
      c.check('kes.auth.tenantId', o.tenantId, checkUuid, 'tenant ID');
    }
    if (o.clientId !== undefined) {
      c.check('kes.auth.clientId', o.clientId, checkUuid, 'client ID');
    }
    env.push(
      { name: KES_ENV.CLIENT_ID, source: o.clientId !== undefined ? { value: o.clientId } : { secretName, secretKey: clientKey } },
      { name: KES_ENV.CLIENT_SECRET, source: { secretName, secretKey } },
      { name: KES_ENV.TENANT_ID, source: o.tenantId !== undefined ? { value: o.tenantId } : { secretName, secretKey: tenantKey } },
    );
  } else if (auth.mode === AzureAuthMode.MANAGED_IDENTITY) {
    const o = auth.managedIdentityOptions!;
    c.knownKeys('kes.auth', o, ['clientId']);
    c.check('kes.auth.clientId', o.clientId, checkUuid, 'client ID');
    env.push({ name: KES_ENV.CLIENT_ID, source: { value: o.clientId } });
  } else {
    const o = auth.workloadIdentityOptions!;
    c.knownKeys('kes.auth', o, ['clientId', 'tenantId', 'serviceAccountName']);
    c.check('kes.auth.clientId', o.clientId, checkUuid, 'client ID');
    c.check('kes.auth.tenantId', o.tenantId, checkUuid, 'tenant ID');
    serviceAccountName = o.serviceAccountName ?? `${t.name}-kes`;
    c.check('kes.auth.serviceAccountName', serviceAccountName, checkDnsSubdomain, 'service account name');
    if (imageInfo && !imageInfo.supportsDefaultAzureCredential) {
      c.add(
        'kes.auth',
        `workload identity needs a KES image from 2024-06-17T15-47-05Z on (DefaultAzureCredential); ${JSON.stringify(image)} only supports client-secret or managed-identity auth: set kes.image`,
      );
    }
    // No env: the AKS workload-identity webhook injects AZURE_CLIENT_ID, AZURE_TENANT_ID and
    // AZURE_FEDERATED_TOKEN_FILE from the service account's annotations; KES's DefaultAzureCredential reads them.
  }

  // buckets
  const buckets = decl.buckets ?? [];
  if (!Array.isArray(buckets)) {
    c.add('buckets', 'must be a list');
  } else {
    const seen = new Set<string>();
    buckets.forEach((b, i) => {
      if (c.check(`buckets[${i}].name`, b?.name, checkBucketName, 'bucket name')) {
        if (seen.has(b.name)) {
          c.add(`buckets[${i}].name`, `${JSON.stringify(b.name)} is declared twice`);
        }
        seen.add(b.name);
      }
      checkEk(`buckets[${i}].encryptionKey`, b?.encryptionKey);
    });
  }

  // job
  const j = decl.bucketEncryptionJob ?? {};
  const job: ResolvedJobOptions = {
    image: j.image ?? rel.mcImage,
    backoffLimit: j.backoffLimit ?? 3,
    activeDeadlineSeconds: j.activeDeadlineSeconds ?? 1800,
    ttlSecondsAfterFinished: j.ttlSecondsAfterFinished,
    readinessAttempts: j.readinessAttempts ?? 60,
    readinessIntervalSeconds: j.readinessIntervalSeconds ?? 10,
    insecureSkipTlsVerify: j.insecureSkipTlsVerify ?? false,
    caConfigMapName: j.caConfigMapName ?? 'kube-root-ca.crt',
  };
  c.check('bucketEncryptionJob.image', job.image, checkImage, 'image');
  c.int('bucketEncryptionJob.backoffLimit', job.backoffLimit, 0, 100);
  c.int('bucketEncryptionJob.activeDeadlineSeconds', job.activeDeadlineSeconds, 60);
  if (job.ttlSecondsAfterFinished !== undefined) {
    c.int('bucketEncryptionJob.ttlSecondsAfterFinished', job.ttlSecondsAfterFinished, 0);
  }
  c.int('bucketEncryptionJob.readinessAttempts', job.readinessAttempts, 1, 10000);
  c.int('bucketEncryptionJob.readinessIntervalSeconds', job.readinessIntervalSeconds, 1, 3600);
  if (typeof job.insecureSkipTlsVerify !== 'boolean') {
    c.add('bucketEncryptionJob.insecureSkipTlsVerify', `${JSON.stringify(job.insecureSkipTlsVerify)} must be a boolean`);
  }
  c.check('bucketEncryptionJob.caConfigMapName', job.caConfigMapName, checkDnsSubdomain, 'ConfigMap name');
  const waitBound = 2 * job.readinessAttempts * job.readinessIntervalSeconds;
  if (Number.isInteger(waitBound) && Number.isInteger(job.activeDeadlineSeconds) && job.activeDeadlineSeconds <= waitBound) {
    c.add(
      'bucketEncryptionJob.activeDeadlineSeconds',
      `${job.activeDeadlineSeconds} must exceed the readiness wait bound of ${waitBound} s (2 stages x ${job.readinessAttempts} attempts x ${job.readinessIntervalSeconds} s), or the Job is killed while still waiting`,
    );
  }

  if (c.problems.length > 0 || !imageInfo) {
    return { problems: c.problems };
  }

  const requestAutoCert = t.requestAutoCert ?? true;
  const keys = unique([k.defaultKeyName, ...declaredKeys]);
  const encryptionKeys = unique([...keys, ...buckets.map((b) => b.encryptionKey)]);
  const serviceHost = `minio.${t.namespace}.svc.${clusterDomain}`;
  const servicePort = requestAutoCert ? 443 : 80;
  const resolved: ResolvedDeclaration = {
    release: rel,
    operatorNamespace,
    tenant: {
      name: t.name,
      namespace: t.namespace,
      pools,
      configurationSecretName: t.configurationSecretName,
      image: t.image ?? rel.minioImage,
      requestAutoCert,
      clusterDomain,
      serviceName: 'minio',
      serviceHost,
      servicePort,
      serviceUrl: `${requestAutoCert ? 'https' : 'http'}://${serviceHost}:${servicePort}`,
    },
    kes: {
      endpoint: k.keyVaultEndpoint.replace(/\/$/, ''),
      vaultName: keyVaultNameOf(k.keyVaultEndpoint),
      auth: auth as AzureAuth,
      defaultKeyName: k.defaultKeyName,
      keys,
      keyNamePrefix: prefix,
      replicas,
      image,
      imageInfo,
      adminMode,
      cacheExpiryAny,
      cacheExpiryUnused,
      configSecretName,
      serviceName: `${t.name}-kes-hl-svc`,
      serviceAccountName,
      env,
      podAnnotations: { ...podAnnotations },
    },
    encryptionKeys,
    buckets: buckets.map((b) => ({ name: b.name, encryptionKey: b.encryptionKey })),
    job,
  };
  return { problems: [], resolved };
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** Container image reference: `[registry/]repo[:tag][@sha256:digest]`, no whitespace. */
function checkImage(value: string): string | undefined {
  if (!/^[a-z0-9]+([._/-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/.test(value)) {
    return 'must be an image reference such as quay.io/minio/mc:RELEASE.2025-04-16T18-13-26Z';
  }
  return undefined;
}
