/**
 * What every part of the declaration's validation shares: the collector, the value display for names, the limits
 * and the string rules of names and images that only the declaration applies.
 */
import { parseImageReference } from './image';
import { FieldKind, ProblemCollector, display } from './problems';
import { checkDnsLabel, checkPositiveQuantity, checkYamlScalar, parseQuantity } from './rules';

/**
 * A value as shown in a message (a name that is not secret): the quoted, escaped string (at most 40 characters),
 * numbers, booleans and BigInt as written, a type name for anything else. Never throws.
 */
export function showValue(value: unknown): string {
  return display(value, FieldKind.NAME);
}

/** The declaration's collector: every string that passes its rule must also read back as itself in YAML. */
export class DeclarationCollector extends ProblemCollector {
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

/** `xs` without repeats, first occurrence kept. */
export function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** Largest value of a Kubernetes int32 field. */
export const INT32_MAX = 2147483647;
/** StatefulSet names above this break the `controller-revision-hash` pod label (kubernetes/kubernetes#64023). */
export const STATEFULSET_NAME_MAX = 52;
/** Erasure set sizes of at least 4 drives that MinIO can split a pool into (minio cmd/endpoint-ellipses.go). */
export const ERASURE_SET_SIZES = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
/** Seconds the Job needs after both readiness waits, for creating EKs and configuring buckets. */
export const JOB_WORK_MARGIN_SECONDS = 300;
/** Annotation prefix the library writes on KES pods: no declared annotation may use it (see {@link ownAnnotation}). */
export const RESERVED_ANNOTATION_PREFIX = 'minio-sse-azure.io/';

/** Annotations under {@link RESERVED_ANNOTATION_PREFIX} that a layer above the declaration sets and owns. */
const LAYER_ANNOTATIONS = new Set<string>();

/**
 * @internal For a layer above the declaration (the Azure/Pulumi layer's client-secret slot annotation): the
 * annotation `key` under {@link RESERVED_ANNOTATION_PREFIX} is the layer's own, so a declaration that layer produced
 * (its `effectiveDeclaration`) reads back. The layer sets the value itself, overwriting any declared one.
 * @returns `key`
 */
export function ownAnnotation(key: string): string {
  LAYER_ANNOTATIONS.add(key);
  return key;
}

/** `key` is under {@link RESERVED_ANNOTATION_PREFIX} and no layer owns it: a declaration may not set it. */
export function isReservedAnnotation(key: string): boolean {
  return key.startsWith(RESERVED_ANNOTATION_PREFIX) && !LAYER_ANNOTATIONS.has(key);
}
/** Namespaces the library must not emit as its own Namespace objects. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * Tenant name: a DNS-1035 label (the operator creates Services `<t>-hl` and `<t>-kes-hl-svc`, which must start
 * with a letter) of at most 48 characters (the KES StatefulSet `<t>-kes` must stay within 52).
 */
export function checkTenantName(value: string): string | undefined {
  if (!/^[a-z]/.test(value)) {
    return 'must start with a lowercase letter (the operator derives Service names from it)';
  }
  return checkDnsLabel(value, STATEFULSET_NAME_MAX - '-kes'.length);
}

/** A namespace this library creates: a DNS label that is not a Kubernetes system namespace. */
export function checkOwnNamespace(value: string): string | undefined {
  if (SYSTEM_NAMESPACES.includes(value)) {
    return `must not be a system namespace (${SYSTEM_NAMESPACES.join(', ')}): the library creates and labels its namespaces`;
  }
  return checkDnsLabel(value);
}

/** Volume size: a Kubernetes quantity of at least 1Gi. */
export function checkStorageSize(value: string): string | undefined {
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
export function checkPinnedImage(value: string): string | undefined {
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
export function checkImage(value: string): string | undefined {
  const ref = parseImageReference(value);
  return typeof ref === 'string' ? ref : undefined;
}
