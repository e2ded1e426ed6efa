import { AzureAuth, AzureAuthMode, EnvSource, checkAzureAuthCloud } from './azure-auth';
import {
  BucketDeclaration,
  BucketEncryptionJobOptions,
  KesAdminMode,
  MinioSseDeclaration,
  PoolDeclaration,
} from './declaration';
import { checkPoolDrives, checkPullSecretsAreNotCredentials, checkTotalAnnotationSize } from './limits';
import { parseImageReference, ResolvedImages, resolveImageOptions, withImageRegistry } from './image';
import { KesImageInfo, parseKesImage } from './kes-image';
import { checkBucketEncryptionMcImage, OperatorRelease } from './release';
import {
  checkBucketName,
  checkDnsLabel,
  checkDnsSubdomain,
  checkGoDuration,
  checkKeyName,
  checkKeyNamePrefix,
  checkKeyVaultEndpoint,
  checkPositiveQuantity,
  checkQualifiedName,
  parseQuantity,
  checkSecretKey,
  checkPortableText,
  checkUuid,
  checkYamlScalar,
  keyVaultNameOf,
} from './rules';
import {
  FieldKind,
  Opaque,
  Problem,
  ProblemCollector,
  describe,
  display,
  fieldPath,
  formatProblems,
  isRecord,
} from './problems';
import { Snapshot, snapshot } from './snapshot';

export type { Problem } from './problems';
export { formatProblems } from './problems';

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
  /** `imageRegistry`, `imagePullSecrets` and the operator images (the other images are rewritten in place). */
  readonly images: ResolvedImages;
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
  /**
   * Injected by the operator with the MinIO client certificate identity (minio/operator
   * `pkg/resources/statefulsets/kes-statefulset.go`, tag v5.0.4).
   */
  MINIO_IDENTITY: 'MINIO_KES_IDENTITY',
} as const;

/**
 * A value as shown in a message (a name that is not secret): the quoted, escaped string (at most 40 characters),
 * numbers, booleans and BigInt as written, a type name for anything else. Never throws.
 */
export function showValue(value: unknown): string {
  return display(value, FieldKind.NAME);
}

/** The declaration's collector: every string that passes its rule must also read back as itself in YAML. */
class Collector extends ProblemCollector {
  public override check(
    path: string,
    value: unknown,
    rule: (v: string) => string | undefined,
    what?: string,
    kind = FieldKind.NAME,
  ): boolean {
    return super.check(path, value, (v) => rule(v) ?? checkYamlScalar(v), what, kind);
  }
}

/** Keys under `kes.auth` that look like a secret value was meant to go there. */
function authHint(key: string): string | undefined {
  return /secret|password|key$/i.test(key)
    ? 'secret values are never declared: put the value in the Secret named by secretName'
    : undefined;
}

/**
 * Read a declaration defensively into plain data ({@link snapshot}), keeping {@link OperatorRelease} objects and
 * rebuilding {@link AzureAuth} values from a snapshot of their options. Never throws.
 * @param keepAsIs objects to keep by reference (e.g. Pulumi Outputs and resources in stack arguments)
 */
export function snapshotDeclaration(decl: unknown, keepAsIs?: (value: object) => boolean): Snapshot {
  return snapshot(decl, '', {
    keep: (v, path, inner) => {
      if (OperatorRelease.isRelease(v) || keepAsIs?.(v)) {
        return { value: v };
      }
      if (AzureAuth.isAzureAuth(v)) {
        const mode: unknown = v.mode;
        const options = inner(v.options, path);
        if (!isRecord(options)) {
          return { value: new Opaque('an AzureAuth whose options cannot be read') };
        }
        const plain = { ...options } as never;
        switch (mode) {
          case AzureAuthMode.CLIENT_SECRET:
            return { value: AzureAuth.clientSecret(plain) };
          case AzureAuthMode.MANAGED_IDENTITY:
            return { value: AzureAuth.managedIdentity(plain) };
          case AzureAuthMode.WORKLOAD_IDENTITY:
            return { value: AzureAuth.workloadIdentity(plain) };
          default:
            return { value: new Opaque('an AzureAuth of an unknown mode') };
        }
      }
      return undefined;
    },
  });
}

/**
 * Check a declaration and return every problem found, each with its path. Pure; never throws for bad data.
 * @returns an empty list when the declaration is valid
 */
export function validateDeclaration(decl: MinioSseDeclaration | unknown): Problem[] {
  return resolveGuarded(decl).problems;
}

/**
 * Validate and fill in every default. Accepts any JavaScript value: the input is first read defensively
 * ({@link snapshotDeclaration}), so wrong types, getters or proxies that throw, cycles, BigInt, symbols and class
 * instances all end in the one listing error.
 * @throws Error listing every problem (one per line, with its path) when the declaration is invalid, e.g.
 *   `invalid MinIO SSE declaration (1 problem):\n  - tenant.name: "My" is not a valid tenant name: …`
 */
export function resolveDeclaration(decl: MinioSseDeclaration | unknown): ResolvedDeclaration {
  const { problems, resolved } = resolveGuarded(decl);
  if (problems.length > 0 || !resolved) {
    throw new Error(formatProblems(problems));
  }
  return resolved;
}

/**
 * {@link resolveInternal} with a last line of defence: a rule that throws (a bug: the fuzz suite looks for this
 * message) is reported as a problem, never as a raw exception, and its text (which may quote a value) is not shown.
 */
function resolveGuarded(decl: unknown): { problems: Problem[]; resolved?: ResolvedDeclaration } {
  try {
    return resolveInternal(decl);
  } catch {
    return {
      problems: [
        {
          path: '(root)',
          message: 'internal error while validating the declaration (a bug in minio-sse-azure: please report it)',
        },
      ],
    };
  }
}

/**
 * Validate and fill in every default in one pass, without throwing: every problem (with its path), and the
 * resolved declaration when there is none. Pure; accepts any JavaScript value; used by the platform's cross-tenant
 * validation.
 */
export function tryResolveDeclaration(decl: MinioSseDeclaration | unknown): {
  problems: Problem[];
  resolved?: ResolvedDeclaration;
} {
  return resolveGuarded(decl);
}

/** @internal The rules without the guard, for the fuzz suite's report of a failing case. */
export function resolveInternal(input: unknown): { problems: Problem[]; resolved?: ResolvedDeclaration } {
  const c = new Collector();
  const snap = snapshotDeclaration(input);
  c.addAll(snap.problems);
  if (!isRecord(snap.value)) {
    c.add('(root)', `${describe(snap.value)} is not a declaration: the declaration must be an object`);
    return { problems: c.problems };
  }
  const decl = snap.value as unknown as MinioSseDeclaration;

  c.knownKeys('', decl, [
    'release',
    'operatorNamespace',
    'tenant',
    'kes',
    'buckets',
    'bucketEncryptionJob',
    'imageRegistry',
    'imagePullSecrets',
  ]);
  c.knownKeys('tenant', decl.tenant, [
    'name',
    'namespace',
    'pools',
    'configurationSecretName',
    'image',
    'requestAutoCert',
    'clusterDomain',
  ]);
  c.knownKeys('kes', decl.kes, [
    'keyVaultEndpoint',
    'auth',
    'defaultKeyName',
    'keys',
    'keyNamePrefix',
    'replicas',
    'image',
    'adminMode',
    'cacheExpiryAny',
    'cacheExpiryUnused',
    'configSecretName',
    'podAnnotations',
  ]);
  c.knownKeys('bucketEncryptionJob', decl.bucketEncryptionJob, [
    'image',
    'backoffLimit',
    'activeDeadlineSeconds',
    'ttlSecondsAfterFinished',
    'readinessAttempts',
    'readinessIntervalSeconds',
    'insecureSkipTlsVerify',
    'caConfigMapName',
  ]);
  if (Array.isArray(decl.tenant?.pools)) {
    decl.tenant.pools.forEach((p, i) =>
      c.knownKeys(`tenant.pools[${i}]`, p, ['name', 'servers', 'volumesPerServer', 'storageSize', 'storageClassName']),
    );
  }
  if (Array.isArray(decl.buckets)) {
    decl.buckets.forEach((b, i) => c.knownKeys(`buckets[${i}]`, b, ['name', 'encryptionKey']));
  }

  // release
  const release = decl.release;
  if (release === undefined || release === null) {
    c.add('release', 'is required: OperatorRelease.V5_0_4 or OperatorRelease.V7_1_1');
  } else if (!OperatorRelease.isRelease(release)) {
    const hint = typeof release === 'string' ? ` (for a tag, use OperatorRelease.fromTag(${showValue(release)}))` : '';
    c.add(
      'release',
      `${showValue(release)} is not a supported operator release: use OperatorRelease.V5_0_4 or OperatorRelease.V7_1_1${hint}; a release object from another copy of the library is not accepted either`,
    );
  }
  const rel = OperatorRelease.isRelease(release) ? release : OperatorRelease.V7_1_1;

  const images = resolveImageOptions(decl, rel, checkDnsSubdomain);
  images.problems.forEach((p) => c.add(p.path, p.message));
  const registry = images.images?.registry;

  const operatorNamespace = decl.operatorNamespace ?? 'minio-operator';
  c.check('operatorNamespace', operatorNamespace, checkOwnNamespace, 'namespace');

  // tenant
  const t = decl.tenant ?? ({} as MinioSseDeclaration['tenant']);
  if (!decl.tenant) {
    c.add('tenant', 'is required');
  }
  const tenantNameOk = c.check('tenant.name', t.name, checkTenantName, 'tenant name');
  c.check('tenant.namespace', t.namespace, checkOwnNamespace, 'namespace');
  if (typeof t.namespace === 'string' && t.namespace === operatorNamespace) {
    c.add('tenant.namespace', `${showValue(t.namespace)} must differ from the operator namespace`);
  }
  c.check(
    'tenant.configurationSecretName',
    t.configurationSecretName,
    checkDnsSubdomain,
    'Secret name',
    FieldKind.SECRET,
  );
  const clusterDomain = t.clusterDomain ?? 'cluster.local';
  c.check('tenant.clusterDomain', clusterDomain, checkDnsSubdomain, 'cluster domain');
  if (t.image !== undefined) {
    c.check('tenant.image', t.image, checkPinnedImage, 'image');
  }
  const requestAutoCert = t.requestAutoCert ?? true;
  c.bool('tenant.requestAutoCert', requestAutoCert);
  const pools: ResolvedPool[] = [];
  if (!Array.isArray(t.pools) || t.pools.length === 0) {
    c.add('tenant.pools', 'at least one pool is required');
  } else {
    const seen = new Set<string>();
    t.pools.forEach((pool, i) => {
      const path = `tenant.pools[${i}]`;
      if (pool === null || typeof pool !== 'object' || Array.isArray(pool)) {
        c.add(path, `${showValue(pool)} must be a pool object ({ servers, volumesPerServer, storageSize })`);
        return;
      }
      const p = pool;
      const name = p.name ?? `pool-${i}`;
      // The operator names the pool's StatefulSet `<tenant>-<pool>`; StatefulSet names longer than 52 break
      // the `controller-revision-hash` pod label (kubernetes/kubernetes#64023).
      const maxPool = tenantNameOk ? STATEFULSET_NAME_MAX - t.name.length - 1 : 63;
      if (
        c.check(
          `${path}.name`,
          name,
          (v) => checkDnsLabel(v, maxPool),
          `pool name (with tenant ${tenantNameOk ? showValue(t.name) : 'name'}, the StatefulSet "<tenant>-<pool>" must stay within ${STATEFULSET_NAME_MAX} characters)`,
        )
      ) {
        if (seen.has(name)) {
          c.add(`${path}.name`, `${showValue(name)} is used by another pool; pool names must be unique`);
        }
        seen.add(name);
      }
      const okServers = c.int(`${path}.servers`, p.servers, 1, INT32_MAX);
      const okVolumes = c.int(`${path}.volumesPerServer`, p.volumesPerServer, 1, INT32_MAX);
      if (okServers && okVolumes && checkPoolDrives(c, path, p.servers, p.volumesPerServer)) {
        const total = p.servers * p.volumesPerServer;
        const layout = `${p.servers} ${p.servers === 1 ? 'server' : 'servers'} x ${p.volumesPerServer} ${p.volumesPerServer === 1 ? 'volume' : 'volumes'} = ${total} ${total === 1 ? 'drive' : 'drives'}`;
        // Operator Pool.Validate (v5.0.4): 2 servers need ≥ 4 volumes, 3 servers ≥ 6. MinIO erasure coding needs
        // an erasure set of at least 4 drives; fewer means no parity, so SSE would sit on unprotected data.
        if (total < 4) {
          c.add(path, `${layout} is below the erasure-coding minimum of 4 drives per pool`);
        } else if (!ERASURE_SET_SIZES.some((size) => total % size === 0)) {
          // MinIO splits a pool into equal erasure sets of 2 to 16 drives (minio cmd/endpoint-ellipses.go
          // getSetIndexes); we require a set size of at least 4 to divide the pool.
          c.add(
            path,
            `${layout} cannot be split into equal erasure sets of 4 to 16 drives; use a drive count divisible by one of ${ERASURE_SET_SIZES.join(', ')}`,
          );
        }
      }
      c.check(`${path}.storageSize`, p.storageSize, checkStorageSize, 'storage size');
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
    c.add('kes.image', `${showValue(image)} must be a string`);
  } else {
    const parsed = checkImage(image) ?? parseKesImage(image);
    if (typeof parsed === 'string') {
      c.add('kes.image', `${showValue(image)} is not a usable KES image: ${parsed}`);
    } else {
      imageInfo = parsed;
    }
  }
  const prefixInput = k.keyNamePrefix;
  const prefix =
    prefixInput !== undefined && c.check('kes.keyNamePrefix', prefixInput, checkKeyNamePrefix, 'key-name prefix')
      ? prefixInput
      : undefined;
  // Key Vault secret names are case-insensitive: `alpha` and `Alpha` would be one secret, hence one key.
  const ekByLowerCase = new Map<string, { name: string; path: string }>();
  const checkEk = (path: string, name: unknown): boolean => {
    if (!c.check(path, name, checkKeyName, 'EK name')) {
      return false;
    }
    const ek = name as string;
    if (prefix !== undefined && !ek.startsWith(prefix)) {
      c.add(
        path,
        `${showValue(ek)} does not start with kes.keyNamePrefix ${showValue(prefix)}; the KES policy would refuse it`,
      );
      return false;
    }
    const other = ekByLowerCase.get(ek.toLowerCase());
    if (other && other.name !== ek) {
      c.add(
        path,
        `${showValue(ek)} differs from ${showValue(other.name)} (${other.path}) only in letter case; Key Vault secret names are case-insensitive, so both would be the same key`,
      );
      return false;
    }
    ekByLowerCase.set(ek.toLowerCase(), { name: ek, path });
    return true;
  };
  checkEk('kes.defaultKeyName', k.defaultKeyName);
  const declaredKeys = k.keys ?? [];
  if (!Array.isArray(declaredKeys)) {
    c.add('kes.keys', 'must be a list of EK names');
  } else {
    const seen = new Set<string>();
    Array.from(declaredKeys).forEach((name, i) => {
      if (checkEk(`kes.keys[${i}]`, name)) {
        if (seen.has(name)) {
          c.add(`kes.keys[${i}]`, `${showValue(name)} is listed twice`);
        }
        seen.add(name);
      }
    });
  }
  const replicas = k.replicas ?? 2;
  c.int('kes.replicas', replicas, 1, 64);
  const adminMode = k.adminMode ?? KesAdminMode.DISABLED;
  c.oneOf('kes.adminMode', adminMode, Object.values(KesAdminMode));
  const cacheExpiryAny = k.cacheExpiryAny ?? '5m0s';
  const cacheExpiryUnused = k.cacheExpiryUnused ?? '20s';
  c.check('kes.cacheExpiryAny', cacheExpiryAny, checkGoDuration, 'Go duration');
  c.check('kes.cacheExpiryUnused', cacheExpiryUnused, checkGoDuration, 'Go duration');
  const podAnnotations = k.podAnnotations ?? {};
  if (!isRecord(podAnnotations)) {
    c.add('kes.podAnnotations', `${describe(podAnnotations)} must be a map of annotation names to string values`);
  } else {
    for (const [key, value] of Object.entries(podAnnotations)) {
      const path = fieldPath('kes.podAnnotations', key, true);
      if (c.check(path, key, checkQualifiedName, 'annotation name')) {
        if (key.startsWith(RESERVED_ANNOTATION_PREFIX) && key !== ACTIVE_CLIENT_SECRET_ANNOTATION) {
          c.add(path, `is reserved: the library sets annotations under ${RESERVED_ANNOTATION_PREFIX}`);
        } else if (key === 'constructor') {
          // cdk8s sanitizeValue reads `obj.constructor.name` of every map it writes (cdk8s `src/_util.ts`,
          // v2.70.106): a map with this key fails serialization after validation.
          c.add(path, 'is refused: cdk8s cannot serialize a map with a key named "constructor"');
        }
      }
      // Annotation values are free text: never shown (a token or password may be pasted there by mistake).
      c.check(path, value, checkPortableText, 'annotation value', FieldKind.SECRET);
    }
    checkTotalAnnotationSize(c, 'kes.podAnnotations', podAnnotations);
  }
  const configSecretName = k.configSecretName ?? `${tenantNameOk ? t.name : 'tenant'}-kes-config`;
  if (k.configSecretName !== undefined || tenantNameOk) {
    c.check('kes.configSecretName', configSecretName, checkDnsSubdomain, 'Secret name', FieldKind.SECRET);
  }

  // The operator creates these Secrets in the tenant namespace (minio/operator `pkg/apis/minio.min.io/v2/helper.go`
  // MinIOTLSSecretName, KESTLSSecretName, MinIOClientTLSSecretName, tag v5.0.4).
  if (tenantNameOk) {
    const operatorOwned = [`${t.name}-tls`, `${t.name}-kes-tls`, `${t.name}-client-tls`];
    const named: [string, unknown][] = [
      ['tenant.configurationSecretName', t.configurationSecretName],
      ['kes.configSecretName', configSecretName],
      ['kes.auth.secretName', AzureAuth.isAzureAuth(k.auth) ? k.auth.clientSecretOptions?.secretName : undefined],
    ];
    for (const [path, name] of named) {
      if (typeof name === 'string' && operatorOwned.includes(name)) {
        c.add(
          path,
          'names a Secret the operator creates for this tenant (<tenant>-tls, <tenant>-kes-tls or <tenant>-client-tls); choose another name',
        );
      }
    }
  }
  checkPullSecretsAreNotCredentials(c, decl.imagePullSecrets, [
    ['tenant.configurationSecretName', t.configurationSecretName],
    ['kes.configSecretName', configSecretName],
    ['kes.auth.secretName', AzureAuth.isAzureAuth(k.auth) ? k.auth.clientSecretOptions?.secretName : undefined],
  ]);
  if (typeof configSecretName === 'string' && configSecretName === t.configurationSecretName) {
    c.add(
      'kes.configSecretName',
      'must differ from tenant.configurationSecretName: the KES config Secret is generated and would replace the root credentials',
    );
  }

  // auth
  const env: ResolvedKesEnv[] = [];
  let serviceAccountName: string | undefined;
  const auth = k.auth;
  if (!AzureAuth.isAzureAuth(auth)) {
    c.add(
      'kes.auth',
      'is required: use AzureAuth.clientSecret(…), AzureAuth.managedIdentity(…) or AzureAuth.workloadIdentity(…)',
    );
  } else if (auth.mode === AzureAuthMode.CLIENT_SECRET) {
    const o = auth.clientSecretOptions!;
    c.knownKeys(
      'kes.auth',
      o,
      ['secretName', 'tenantId', 'clientId', 'clientSecretKey', 'tenantIdKey', 'clientIdKey'],
      authHint,
    );
    const secretName = o.secretName;
    c.check('kes.auth.secretName', secretName, checkDnsSubdomain, 'Secret name', FieldKind.SECRET);
    const keyOf = (field: string, value: string | undefined, dflt: string): string => {
      const key = value ?? dflt;
      c.check(`kes.auth.${field}`, key, checkSecretKey, 'Secret key', FieldKind.SECRET);
      return key;
    };
    const tenantKey = keyOf('tenantIdKey', o.tenantIdKey, KES_ENV.TENANT_ID);
    const clientKey = keyOf('clientIdKey', o.clientIdKey, KES_ENV.CLIENT_ID);
    const secretKey = keyOf('clientSecretKey', o.clientSecretKey, KES_ENV.CLIENT_SECRET);
    if (o.tenantId !== undefined) {
      c.check('kes.auth.tenantId', o.tenantId, checkUuid, 'tenant ID', FieldKind.SECRET);
    }
    if (o.clientId !== undefined) {
      c.check('kes.auth.clientId', o.clientId, checkUuid, 'client ID', FieldKind.SECRET);
    }
    // Keys read from the same Secret must differ, or one value would overwrite another.
    const fromSecret = [
      ['clientSecretKey', secretKey],
      ...(o.tenantId === undefined ? [['tenantIdKey', tenantKey]] : []),
      ...(o.clientId === undefined ? [['clientIdKey', clientKey]] : []),
    ];
    fromSecret.forEach(([field, key], i) => {
      const earlier = fromSecret.slice(0, i).find(([, k2]) => k2 === key);
      if (earlier) {
        // Neither the key nor the Secret name is shown: both name where a credential is kept.
        c.add(
          `kes.auth.${field}`,
          `is the same key as kes.auth.${earlier[0]}; each value needs its own key in the credentials Secret`,
        );
      }
    });
    // The KES config Secret and the tenant's configuration Secret are other objects: sharing a name would
    // overwrite the credentials.
    if (typeof secretName === 'string' && secretName === t.configurationSecretName) {
      c.add('kes.auth.secretName', 'must differ from tenant.configurationSecretName (two different Secrets)');
    }
    if (typeof secretName === 'string' && secretName === configSecretName) {
      c.add(
        'kes.configSecretName',
        'must differ from kes.auth.secretName: the KES config Secret is generated and would replace the credentials Secret',
      );
    }
    env.push(
      {
        name: KES_ENV.CLIENT_ID,
        source: o.clientId !== undefined ? { value: o.clientId } : { secretName, secretKey: clientKey },
      },
      { name: KES_ENV.CLIENT_SECRET, source: { secretName, secretKey } },
      {
        name: KES_ENV.TENANT_ID,
        source: o.tenantId !== undefined ? { value: o.tenantId } : { secretName, secretKey: tenantKey },
      },
    );
  } else if (auth.mode === AzureAuthMode.MANAGED_IDENTITY) {
    const o = auth.managedIdentityOptions!;
    c.knownKeys('kes.auth', o, ['clientId'], authHint);
    c.check('kes.auth.clientId', o.clientId, checkUuid, 'client ID', FieldKind.SECRET);
    env.push({ name: KES_ENV.CLIENT_ID, source: { value: o.clientId } });
  } else {
    const o = auth.workloadIdentityOptions!;
    c.knownKeys('kes.auth', o, ['clientId', 'tenantId', 'serviceAccountName'], authHint);
    c.check('kes.auth.clientId', o.clientId, checkUuid, 'client ID', FieldKind.SECRET);
    c.check('kes.auth.tenantId', o.tenantId, checkUuid, 'tenant ID', FieldKind.SECRET);
    serviceAccountName = o.serviceAccountName ?? `${tenantNameOk ? t.name : 'tenant'}-kes`;
    c.check(
      'kes.auth.serviceAccountName',
      serviceAccountName,
      checkDnsSubdomain,
      'service account name',
      FieldKind.SECRET,
    );
    if (imageInfo && !imageInfo.supportsDefaultAzureCredential) {
      c.add(
        'kes.auth',
        `workload identity needs a KES image from 2024-06-17T15-47-05Z on (DefaultAzureCredential); ${showValue(image)} only supports client-secret or managed-identity auth: set kes.image`,
      );
    }
    // No env: the AKS workload-identity webhook injects AZURE_CLIENT_ID, AZURE_TENANT_ID and
    // AZURE_FEDERATED_TOKEN_FILE from the service account's annotations; KES's DefaultAzureCredential reads them.
  }
  // Sovereign clouds: the endpoint's suffix decides the cloud; old images cannot reach it, new ones need the authority.
  if (
    AzureAuth.isAzureAuth(auth) &&
    imageInfo &&
    typeof k.keyVaultEndpoint === 'string' &&
    !checkKeyVaultEndpoint(k.keyVaultEndpoint)
  ) {
    const cloud = checkAzureAuthCloud(k.keyVaultEndpoint, auth.mode, imageInfo.tag, imageInfo.image);
    cloud.problems.forEach((p) => c.add(p.path, p.message));
    env.push(...cloud.env);
  }

  // buckets
  const buckets = decl.buckets ?? [];
  if (!Array.isArray(buckets)) {
    c.add('buckets', 'must be a list');
  } else {
    const seen = new Set<string>();
    Array.from(buckets).forEach((b, i) => {
      if (b === null || typeof b !== 'object' || Array.isArray(b)) {
        c.add(`buckets[${i}]`, `${showValue(b)} must be a bucket object ({ name, encryptionKey })`);
        return;
      }
      if (c.check(`buckets[${i}].name`, b.name, checkBucketName, 'bucket name')) {
        if (seen.has(b.name)) {
          c.add(`buckets[${i}].name`, `${showValue(b.name)} is declared twice`);
        }
        seen.add(b.name);
      }
      checkEk(`buckets[${i}].encryptionKey`, b.encryptionKey);
    });
  }

  // job
  const jobArg = decl.bucketEncryptionJob ?? {};
  if (!isRecord(jobArg)) {
    c.add('bucketEncryptionJob', `${describe(jobArg)} must be an options object`);
  }
  const j: BucketEncryptionJobOptions = isRecord(jobArg) ? jobArg : {};
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
  if (c.check('bucketEncryptionJob.image', job.image, checkPinnedImage, 'image')) {
    c.check('bucketEncryptionJob.image', job.image, checkBucketEncryptionMcImage, 'image');
  }
  c.int('bucketEncryptionJob.backoffLimit', job.backoffLimit, 0, 100);
  c.int('bucketEncryptionJob.activeDeadlineSeconds', job.activeDeadlineSeconds, 60, INT32_MAX);
  if (job.ttlSecondsAfterFinished !== undefined) {
    c.int('bucketEncryptionJob.ttlSecondsAfterFinished', job.ttlSecondsAfterFinished, 0, INT32_MAX);
  }
  c.int('bucketEncryptionJob.readinessAttempts', job.readinessAttempts, 1, 10000);
  c.int('bucketEncryptionJob.readinessIntervalSeconds', job.readinessIntervalSeconds, 1, 3600);
  c.bool('bucketEncryptionJob.insecureSkipTlsVerify', job.insecureSkipTlsVerify);
  c.check('bucketEncryptionJob.caConfigMapName', job.caConfigMapName, checkDnsSubdomain, 'ConfigMap name');
  const waitBound = 2 * job.readinessAttempts * job.readinessIntervalSeconds;
  const needed = waitBound + JOB_WORK_MARGIN_SECONDS;
  if (
    Number.isInteger(waitBound) &&
    Number.isInteger(job.activeDeadlineSeconds) &&
    job.activeDeadlineSeconds < needed
  ) {
    c.add(
      'bucketEncryptionJob.activeDeadlineSeconds',
      `${job.activeDeadlineSeconds} must be at least ${needed} s: the readiness wait bound of ${waitBound} s (2 stages x ${job.readinessAttempts} attempts x ${job.readinessIntervalSeconds} s) plus ${JOB_WORK_MARGIN_SECONDS} s for the EK and bucket work, or the Job is killed before it finishes`,
    );
  }

  // Rewritten images must still be valid references (e.g. within 255 characters with a long registry path).
  for (const [path, img] of [
    ['tenant.image', t.image ?? rel.minioImage],
    ['kes.image', image],
    ['bucketEncryptionJob.image', job.image],
  ] as const) {
    if (registry !== undefined && typeof img === 'string' && typeof parseImageReference(img) !== 'string') {
      const rewritten = withImageRegistry(img, registry);
      const problem = parseImageReference(rewritten);
      if (typeof problem === 'string') {
        c.add(path, `${showValue(rewritten)} (under imageRegistry) ${problem}`);
      }
    }
  }

  if (c.problems.length > 0 || !imageInfo || !images.images) {
    return { problems: c.problems };
  }

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
      image: withImageRegistry(t.image ?? rel.minioImage, registry),
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
      image: withImageRegistry(image, registry),
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
    job: { ...job, image: withImageRegistry(job.image, registry) },
    images: images.images,
  };
  return { problems: [], resolved };
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** Largest value of a Kubernetes int32 field. */
const INT32_MAX = 2147483647;
/** StatefulSet names above this break the `controller-revision-hash` pod label (kubernetes/kubernetes#64023). */
const STATEFULSET_NAME_MAX = 52;
/** Erasure set sizes of at least 4 drives that MinIO can split a pool into (minio cmd/endpoint-ellipses.go). */
const ERASURE_SET_SIZES = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
/** Seconds the Job needs after both readiness waits, for creating EKs and configuring buckets. */
const JOB_WORK_MARGIN_SECONDS = 300;
/** Annotation prefix the library writes on KES pods. */
const RESERVED_ANNOTATION_PREFIX = 'minio-sse-azure.io/';
/**
 * KES pod annotation naming the active Azure client-secret slot: the one reserved annotation a caller (the Pulumi
 * stack) may set; switching slots then rolls KES.
 */
export const ACTIVE_CLIENT_SECRET_ANNOTATION = 'minio-sse-azure.io/azure-client-secret-slot';
/** Namespaces the library must not emit as its own Namespace objects. */
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * Tenant name: a DNS-1035 label (the operator creates Services `<t>-hl` and `<t>-kes-hl-svc`, which must start
 * with a letter) of at most 48 characters (the KES StatefulSet `<t>-kes` must stay within 52).
 */
function checkTenantName(value: string): string | undefined {
  if (!/^[a-z]/.test(value)) {
    return 'must start with a lowercase letter (the operator derives Service names from it)';
  }
  return checkDnsLabel(value, STATEFULSET_NAME_MAX - '-kes'.length);
}

/** A namespace this library creates: a DNS label that is not a Kubernetes system namespace. */
function checkOwnNamespace(value: string): string | undefined {
  if (SYSTEM_NAMESPACES.includes(value)) {
    return `must not be a system namespace (${SYSTEM_NAMESPACES.join(', ')}): the library creates and labels its namespaces`;
  }
  return checkDnsLabel(value);
}

/** Volume size: a Kubernetes quantity of at least 1Gi. */
function checkStorageSize(value: string): string | undefined {
  const problem = checkPositiveQuantity(value);
  if (problem) {
    return problem;
  }
  const bytes = parseQuantity(value) ?? NaN;
  if (!(bytes >= 2 ** 30) || !Number.isFinite(bytes)) {
    return 'must be at least 1Gi';
  }
  return undefined;
}

/** An image pinned by a version tag or a digest: not untagged, not `latest`. */
function checkPinnedImage(value: string): string | undefined {
  const problem = checkImage(value);
  if (problem) {
    return problem;
  }
  const withoutDigest = value.split('@')[0];
  const hasDigest = value.includes('@sha256:');
  const tag =
    withoutDigest.lastIndexOf(':') > withoutDigest.lastIndexOf('/')
      ? withoutDigest.slice(withoutDigest.lastIndexOf(':') + 1)
      : undefined;
  if (!hasDigest && (tag === undefined || tag === 'latest' || tag === 'edge')) {
    return 'must be pinned by a version tag or a digest (not untagged, latest or edge)';
  }
  return undefined;
}

/** Container image reference: `[host[:port]/]path[:tag][@sha256:digest]` (see `parseImageReference`). */
function checkImage(value: string): string | undefined {
  const ref = parseImageReference(value);
  return typeof ref === 'string' ? ref : undefined;
}
