/**
 * Pod Security Standards, "restricted" profile (which includes every "baseline" control), as a test helper,
 * plus this repository's rule that pods run with an explicit, non-root uid and gid.
 *
 * Source: Kubernetes "Pod Security Standards" (kubernetes.io/docs/concepts/security/pod-security-standards/,
 * policy version "latest") and the checks in k8s.io/pod-security-admission `policy/`. Every control below names
 * the check it implements. Windows-only pods (`spec.os.name: windows`) are exempt from the capability and
 * seccomp rules upstream; the library emits none, so they are not special-cased here.
 */

/** Options of {@link restrictedViolations}. */
export interface RestrictedCheckOptions {
  /** The pod's (or pod template's) metadata, for the AppArmor annotations. @default - no annotations */
  readonly podMetadata?: { annotations?: Record<string, string> };
  /** Also require `readOnlyRootFilesystem: true` on every container (a repository rule, not PSS). @default false */
  readonly requireReadOnlyRootFilesystem?: boolean;
}

/** Volume types "restricted" allows (check `restrictedVolumes`). */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

/** Sysctls "baseline" allows (check `sysctls`, up to policy version 1.32). */
export const SAFE_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
];

/** SELinux types "baseline" allows (check `seLinuxOptions`). */
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];

const CONTAINER_FIELDS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * Every violation of the Pod Security "restricted" profile (baseline included) in a pod spec, plus the
 * repository rule "explicit uid and gid": `runAsUser` and `runAsGroup` set, non-zero, at pod level or on every
 * container.
 *
 * @param podSpec a `PodSpec` (e.g. `job.spec.template.spec`)
 * @param where prefix of every message, e.g. `Job/minio-tenant-1-sse-0123456789`
 * @returns one message per violation, `<where>: <field path> <problem> (<control>)`; empty when compliant
 */
export function restrictedViolations(podSpec: any, where: string, options: RestrictedCheckOptions = {}): string[] {
  const out: string[] = [];
  const add = (field: string, problem: string, control: string) =>
    out.push(`${where}: ${field} ${problem} (${control})`);
  if (podSpec === null || typeof podSpec !== 'object') {
    return [`${where}: no pod spec`];
  }
  const psc = podSpec.securityContext ?? {};
  const containers: Array<{ c: any; path: string }> = [];
  for (const field of CONTAINER_FIELDS) {
    (podSpec[field] ?? []).forEach((c: any, i: number) => containers.push({ c, path: `spec.${field}[${i}]` }));
  }
  if (!(podSpec.containers ?? []).length) {
    add('spec.containers', 'is empty', 'pod spec');
  }

  // --- baseline ---
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (podSpec[f] === true) {
      add(`spec.${f}`, 'must be unset or false', 'baseline: Host Namespaces');
    }
  }
  if (psc.windowsOptions?.hostProcess === true) {
    add('spec.securityContext.windowsOptions.hostProcess', 'must be unset or false', 'baseline: HostProcess');
  }
  (podSpec.volumes ?? []).forEach((v: any, i: number) => {
    if (v.hostPath !== undefined) {
      add(`spec.volumes[${i}].hostPath`, 'is not allowed', 'baseline: HostPath Volumes');
    }
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type === undefined || !RESTRICTED_VOLUME_TYPES.includes(type)) {
      add(
        `spec.volumes[${i}]`,
        `type ${JSON.stringify(type)} is not one of ${RESTRICTED_VOLUME_TYPES.join(', ')}`,
        'restricted: Volume Types',
      );
    }
  });
  (psc.sysctls ?? []).forEach((s: any, i: number) => {
    if (!SAFE_SYSCTLS.includes(s?.name)) {
      add(`spec.securityContext.sysctls[${i}]`, `${JSON.stringify(s?.name)} is not a safe sysctl`, 'baseline: Sysctls');
    }
  });
  checkSeLinux(psc.seLinuxOptions, 'spec.securityContext.seLinuxOptions', add);
  checkAppArmor(psc.appArmorProfile, 'spec.securityContext.appArmorProfile', add);
  for (const [k, v] of Object.entries(options.podMetadata?.annotations ?? {})) {
    if (
      k.startsWith('container.apparmor.security.beta.kubernetes.io/') &&
      v !== 'runtime/default' &&
      !v.startsWith('localhost/')
    ) {
      add(
        `metadata.annotations[${k}]`,
        `${JSON.stringify(v)} must be runtime/default or localhost/*`,
        'baseline: AppArmor',
      );
    }
  }

  // --- restricted, pod level ---
  const podSeccomp = psc.seccompProfile?.type;
  if (podSeccomp !== undefined && !['RuntimeDefault', 'Localhost'].includes(podSeccomp)) {
    add(
      'spec.securityContext.seccompProfile.type',
      `${JSON.stringify(podSeccomp)} must be RuntimeDefault or Localhost`,
      'restricted: Seccomp',
    );
  }
  if (psc.runAsNonRoot === false) {
    add('spec.securityContext.runAsNonRoot', 'must not be false', 'restricted: Running as Non-root');
  }
  if (psc.runAsUser === 0) {
    add('spec.securityContext.runAsUser', 'must not be 0', 'restricted: Running as Non-root user');
  }

  for (const { c, path } of containers) {
    const sc = c.securityContext ?? {};
    const scPath = `${path}.securityContext`;
    // baseline
    if (sc.privileged === true) {
      add(`${scPath}.privileged`, 'must be unset or false', 'baseline: Privileged Containers');
    }
    if (sc.windowsOptions?.hostProcess === true) {
      add(`${scPath}.windowsOptions.hostProcess`, 'must be unset or false', 'baseline: HostProcess');
    }
    (c.ports ?? []).forEach((port: any, j: number) => {
      if (port?.hostPort !== undefined && port.hostPort !== 0) {
        add(`${path}.ports[${j}].hostPort`, 'must be unset or 0', 'baseline: Host Ports');
      }
    });
    if (sc.procMount !== undefined && sc.procMount !== 'Default') {
      add(
        `${scPath}.procMount`,
        `${JSON.stringify(sc.procMount)} must be unset or Default`,
        'baseline: /proc Mount Type',
      );
    }
    checkSeLinux(sc.seLinuxOptions, `${scPath}.seLinuxOptions`, add);
    checkAppArmor(sc.appArmorProfile, `${scPath}.appArmorProfile`, add);
    // restricted
    if (sc.allowPrivilegeEscalation !== false) {
      add(`${scPath}.allowPrivilegeEscalation`, 'must be false', 'restricted: Privilege Escalation');
    }
    if (sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && psc.runAsNonRoot !== true)) {
      add(
        `${scPath}.runAsNonRoot`,
        'must be true here or at pod level, and not false',
        'restricted: Running as Non-root',
      );
    }
    if (sc.runAsUser === 0) {
      add(`${scPath}.runAsUser`, 'must not be 0', 'restricted: Running as Non-root user');
    }
    const seccomp = sc.seccompProfile?.type;
    if (seccomp !== undefined && !['RuntimeDefault', 'Localhost'].includes(seccomp)) {
      add(
        `${scPath}.seccompProfile.type`,
        `${JSON.stringify(seccomp)} must be RuntimeDefault or Localhost`,
        'restricted: Seccomp',
      );
    } else if (seccomp === undefined && podSeccomp === undefined) {
      add(
        `${scPath}.seccompProfile.type`,
        'must be RuntimeDefault or Localhost here or at pod level',
        'restricted: Seccomp',
      );
    }
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) {
      add(`${scPath}.capabilities.drop`, 'must include ALL', 'restricted: Capabilities');
    }
    const added: string[] = sc.capabilities?.add ?? [];
    for (const cap of added) {
      if (cap !== 'NET_BIND_SERVICE') {
        add(
          `${scPath}.capabilities.add`,
          `${JSON.stringify(cap)} is not allowed; only NET_BIND_SERVICE`,
          'restricted: Capabilities',
        );
      }
    }
    // repository rules
    for (const f of ['runAsUser', 'runAsGroup'] as const) {
      const value = sc[f] ?? psc[f];
      if (value === undefined) {
        add(`${scPath}.${f}`, 'must be set here or at pod level', 'repo: explicit uid/gid');
      } else if (value === 0) {
        add(`${scPath}.${f}`, 'must not be 0', 'repo: explicit uid/gid');
      }
    }
    if (options.requireReadOnlyRootFilesystem && sc.readOnlyRootFilesystem !== true) {
      add(`${scPath}.readOnlyRootFilesystem`, 'must be true', 'repo: read-only root filesystem');
    }
  }
  return out;
}

function checkSeLinux(o: any, field: string, add: (f: string, p: string, c: string) => void): void {
  if (!o) {
    return;
  }
  if (!SELINUX_TYPES.includes(o.type ?? '')) {
    add(`${field}.type`, `${JSON.stringify(o.type)} is not an allowed SELinux type`, 'baseline: SELinux');
  }
  for (const f of ['user', 'role']) {
    if (o[f] !== undefined && o[f] !== '') {
      add(`${field}.${f}`, 'must be unset', 'baseline: SELinux');
    }
  }
}

function checkAppArmor(o: any, field: string, add: (f: string, p: string, c: string) => void): void {
  if (o?.type !== undefined && !['RuntimeDefault', 'Localhost'].includes(o.type)) {
    add(`${field}.type`, `${JSON.stringify(o.type)} must be RuntimeDefault or Localhost`, 'baseline: AppArmor');
  }
}

/** One pod template found in a synthesized object. */
export interface PodTemplateRef {
  /** `<kind>/<name>`. */
  readonly where: string;
  /** The pod spec. */
  readonly spec: any;
  /** The pod (template) metadata. */
  readonly metadata?: any;
}

/**
 * The pod templates inside a Kubernetes object: a Pod itself; `spec.template` of Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job; `spec.jobTemplate.spec.template` of CronJob. Other kinds
 * (including the Tenant, whose pods the operator builds) yield none.
 */
export function podTemplatesOf(obj: any): PodTemplateRef[] {
  const where = `${obj?.kind}/${obj?.metadata?.name}`;
  switch (obj?.kind) {
    case 'Pod':
      return [{ where, spec: obj.spec, metadata: obj.metadata }];
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job':
      return [{ where, spec: obj.spec?.template?.spec, metadata: obj.spec?.template?.metadata }];
    case 'CronJob':
      return [
        {
          where,
          spec: obj.spec?.jobTemplate?.spec?.template?.spec,
          metadata: obj.spec?.jobTemplate?.spec?.template?.metadata,
        },
      ];
    default:
      return [];
  }
}
