import { ProblemCollector } from './problems';

/**
 * Kubernetes caps the annotations of one object at 256 KiB in total: the sum, over every annotation, of the byte
 * length of its name and of its value (k8s.io/apimachinery `pkg/api/validation/objectmeta.go`,
 * `TotalAnnotationSizeLimitB = 256 * (1 << 10)` and `ValidateAnnotationsSize`, which adds `len(k) + len(v)`, Go
 * byte lengths of UTF-8 strings).
 */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;

/**
 * Record a problem at `path` when the annotations' total size (UTF-8 bytes of names and values) exceeds
 * {@link TOTAL_ANNOTATION_SIZE_LIMIT_B}; non-string entries are skipped (reported elsewhere). Values are not shown.
 */
export function checkTotalAnnotationSize(
  c: ProblemCollector,
  path: string,
  annotations: Record<string, unknown>,
): void {
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) {
    total += Buffer.byteLength(key, 'utf8') + (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) {
    c.add(
      path,
      `total ${total} bytes of annotation names and values; Kubernetes allows at most ${TOTAL_ANNOTATION_SIZE_LIMIT_B} (256 KiB) per object, and the KES pods would be refused`,
    );
  }
}

/**
 * Most drives (servers × volumesPerServer) one pool may have: 2^31 − 1, the range of the two fields themselves
 * (both `format: int32` in the Tenant CRD, minio/operator `resources/base/crds/minio.min.io_tenants.yaml`,
 * `spec.pools[].servers` / `volumesPerServer`, tags v5.0.4 and v7.1.1). A larger product is not a count any
 * int32 consumer of the pool can hold, and as a JavaScript number it is no longer exact.
 */
export const MAX_POOL_DRIVES = 2147483647;

/**
 * Check that a pool's drive count `servers × volumesPerServer` (both valid positive integers) is at most
 * {@link MAX_POOL_DRIVES}, computed exactly (with BigInt: the double product of two int32 is not exact).
 * @returns true when within bounds; otherwise records a problem at `path` and returns false
 */
export function checkPoolDrives(c: ProblemCollector, path: string, servers: number, volumesPerServer: number): boolean {
  const total = BigInt(servers) * BigInt(volumesPerServer);
  if (total > BigInt(MAX_POOL_DRIVES)) {
    c.add(
      path,
      `${servers} servers x ${volumesPerServer} volumes = ${total.toString()} drives, more than the ${MAX_POOL_DRIVES} (2^31 - 1) a pool can have (servers and volumesPerServer are int32 in the Tenant CRD)`,
    );
    return false;
  }
  return true;
}

/**
 * Image pull Secrets are read by the kubelet and their content sent to a registry, so none may be a Secret that
 * holds credentials of MinIO or KES: records a problem at `imagePullSecrets[i]` for each entry equal to one of
 * `credentialSecrets` (`[field, name]` pairs, e.g. `['tenant.configurationSecretName', 'minio-env']`). Names are not
 * shown (they are Secret names).
 */
export function checkPullSecretsAreNotCredentials(
  c: ProblemCollector,
  pullSecrets: unknown,
  credentialSecrets: readonly (readonly [string, unknown])[],
): void {
  if (!Array.isArray(pullSecrets)) {
    return;
  }
  pullSecrets.forEach((name, i) => {
    const clash = credentialSecrets.find(([, secret]) => typeof name === 'string' && name === secret);
    if (clash) {
      c.add(
        `imagePullSecrets[${i}]`,
        `names the Secret of ${clash[0]}, which holds credentials: the kubelet would send it to the registry as a pull secret; give the registry's own docker-registry Secret`,
      );
    }
  });
}
