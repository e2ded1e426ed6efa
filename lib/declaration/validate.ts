/**
 * The declaration's entry points: {@link validateDeclaration}, {@link resolveDeclaration} and
 * {@link tryResolveDeclaration}. The rules live with their part: `validate-tenant.ts`, `validate-kes.ts`,
 * `validate-auth.ts`, `validate-job.ts` (shared pieces in `checks.ts`, the result types in `resolved.ts`).
 */
import { AzureAuth, AzureAuthMode } from './azure-auth';
import { MinioSseDeclaration } from './declaration';
import { parseImageReference, resolveImageOptions, withImageRegistry } from './image';
import { DeclarationCollector, checkOwnNamespace, showValue, unique } from './checks';
import { OperatorRelease } from './release';
import { ResolvedDeclaration } from './resolved';
import { checkDnsSubdomain, keyVaultNameOf } from './rules';
import { Opaque, Problem, describe, formatProblems, isRecord } from './problems';
import { Snapshot, snapshot } from './snapshot';
import { checkKesAuth } from './validate-auth';
import { checkBuckets, checkJob } from './validate-job';
import { checkKes } from './validate-kes';
import { checkTenant } from './validate-tenant';

export type { Problem } from './problems';
export { formatProblems } from './problems';
export type {
  ResolvedDeclaration,
  ResolvedJobOptions,
  ResolvedKes,
  ResolvedKesEnv,
  ResolvedPool,
  ResolvedTenant,
} from './resolved';
export { KES_ENV } from './resolved';
export { showValue } from './checks';

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
  const c = new DeclarationCollector();
  const snap = snapshotDeclaration(input);
  c.addAll(snap.problems);
  if (!isRecord(snap.value)) {
    c.add('(root)', `${describe(snap.value)} is not a declaration: the declaration must be an object`);
    return { problems: c.problems };
  }
  const decl = snap.value as unknown as MinioSseDeclaration;

  checkKnownFields(c, decl);

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

  const tenant = checkTenant(c, decl, operatorNamespace);
  const { t, pools, clusterDomain, requestAutoCert } = tenant;
  const kes = checkKes(c, decl, rel, tenant);
  const { k, image, imageInfo, prefix, declaredKeys, replicas, adminMode, cacheExpiryAny, cacheExpiryUnused } = kes;
  const { podAnnotations, configSecretName } = kes;
  const { auth, env, serviceAccountName } = checkKesAuth(c, tenant, kes);
  const buckets = checkBuckets(c, decl, kes.checkEk);
  const job = checkJob(c, decl, rel);

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

/** Records every field of the declaration and its parts that is not a known one (typos are never ignored). */
function checkKnownFields(c: DeclarationCollector, decl: MinioSseDeclaration): void {
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
}
