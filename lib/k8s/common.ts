import { OperatorRelease } from '../declaration';

/** Value of `app.kubernetes.io/managed-by` on every object the library emits. */
export const MANAGED_BY = 'minio-sse-azure';

/**
 * Labels put on every object the library emits.
 * @param component `app.kubernetes.io/component`, e.g. `operator`, `tenant`, `kes`, `bucket-encryption`
 */
export function standardLabels(component: string, release: OperatorRelease, partOf?: string): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/version': release.version,
    ...(partOf ? { 'app.kubernetes.io/part-of': partOf } : {}),
  };
}

/**
 * Container security context meeting Pod Security "restricted": no privilege escalation, every capability
 * dropped, RuntimeDefault seccomp, non-root, read-only root filesystem.
 */
export function hardenedContainerSecurityContext(): Record<string, unknown> {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: 1000,
    runAsGroup: 1000,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * Operator releases under which every container the operator builds for our Tenant meets Pod Security
 * "restricted", given the pool and KES security contexts the library sets (lib/k8s/tenant.ts):
 * - `v7.1.1`: the MinIO container, its init container `validate-arguments` and its sidecar `sidecar` all take the
 *   pool's `containerSecurityContext` (minio/operator, pkg/resources/statefulsets/minio-statefulset.go,
 *   `poolMinioServerContainer`, `getInitContainer`, `getSideCarContainer`, tag v7.1.1), and the KES container takes
 *   `spec.kes.containerSecurityContext` (same repository, pkg/resources/statefulsets/kes-statefulset.go,
 *   `kesContainerSecurityContext`, tag v7.1.1).
 * - not `v5.0.4`: `validate-arguments` and `sidecar` are built with no securityContext (minio-statefulset.go,
 *   `getInitContainer`, `getSideCarContainer`, tag v5.0.4), nor is the KES container (kes-statefulset.go,
 *   `KESServerContainer`, tag v5.0.4), and the v5.0.4 Tenant CRD has no `spec.kes.containerSecurityContext`: they
 *   lack `allowPrivilegeEscalation: false`, `capabilities.drop: [ALL]` and a seccomp profile, so "restricted"
 *   would refuse the MinIO and KES pods.
 */
const RESTRICTED_ENFORCEABLE_TAGS: ReadonlySet<string> = new Set(['v7.1.1']);

/**
 * Pod Security Admission labels of a tenant Namespace: `warn` and `audit` "restricted" always; `enforce`
 * "restricted" too when every operator-built container of the release meets it (see above), i.e. at `v7.1.1`.
 * @returns `pod-security.kubernetes.io/{enforce,warn,audit}` → `restricted` (enforce only at v7.1.1)
 */
export function tenantNamespaceLabels(release: OperatorRelease): Record<string, string> {
  return {
    ...(RESTRICTED_ENFORCEABLE_TAGS.has(release.tag) ? { 'pod-security.kubernetes.io/enforce': 'restricted' } : {}),
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/audit': 'restricted',
  };
}
