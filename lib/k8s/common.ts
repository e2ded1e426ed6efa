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
