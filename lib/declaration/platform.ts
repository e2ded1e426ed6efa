import { MinioSseDeclaration } from './declaration';
import { resolveImageOptions, ResolvedImages } from './image';
import { OperatorRelease } from './release';
import { checkDnsSubdomain } from './rules';
import {
  formatProblems,
  Problem,
  ResolvedDeclaration,
  showValue,
  snapshotDeclaration,
  tryResolveDeclaration,
} from './validate';

/**
 * One tenant of a platform: a {@link MinioSseDeclaration} whose `release` and `operatorNamespace` come from the
 * platform. When a tenant still sets them, they must equal the platform's (one operator serves every tenant).
 */
export type PlatformTenantDeclaration = Omit<MinioSseDeclaration, 'release' | 'operatorNamespace'> & {
  /** Must be the platform's release when set. @default - the platform's release */
  readonly release?: OperatorRelease;
  /** Must be the platform's operator namespace when set. @default - the platform's operator namespace */
  readonly operatorNamespace?: string;
};

/** One MinIO Operator per cluster and the tenants it serves. */
export interface PlatformDeclaration {
  /** The operator release every tenant runs under. */
  readonly release: OperatorRelease;
  /** Namespace of the operator install. @default 'minio-operator' */
  readonly operatorNamespace?: string;
  /**
   * The cluster's DNS domain. The operator has one `CLUSTER_DOMAIN` for every tenant, so a tenant's
   * `tenant.clusterDomain`, when set, must equal it. @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /**
   * Registry every image is pulled from (see `MinioSseDeclaration.imageRegistry`): the operator's, and every
   * tenant's (the v7 operator injects its sidecar image into every tenant). A tenant that sets `imageRegistry` must
   * set this one. @default - the upstream registries of the release table
   */
  readonly imageRegistry?: string;
  /**
   * Pull Secrets of the operator Deployment, and of each tenant that does not set its own `imagePullSecrets`
   * (the Secret must exist in the operator namespace and in each such tenant namespace). @default - none
   */
  readonly imagePullSecrets?: string[];
  /** The tenants, each in its own namespace; order does not matter (nothing is numbered). @default - none */
  readonly tenants?: readonly PlatformTenantDeclaration[];
}

/** A validated platform: every tenant resolved under the platform's release, operator namespace and domain. */
export interface ResolvedPlatform {
  readonly release: OperatorRelease;
  readonly operatorNamespace: string;
  readonly clusterDomain: string;
  /** The operator's images, registry and pull Secrets. */
  readonly images: ResolvedImages;
  /** The tenants, in declaration order. */
  readonly tenants: readonly ResolvedDeclaration[];
}

const PLATFORM_KEYS = ['release', 'operatorNamespace', 'clusterDomain', 'imageRegistry', 'imagePullSecrets', 'tenants'];

/**
 * Check a platform and return every problem, each with its path (`tenants[1].kes.keyNamePrefix`): each tenant's
 * own problems (as `validateDeclaration` reports them, under the platform's release), then the cross-tenant rules:
 *
 * - tenant names are unique, and so are namespaces (each tenant has its own namespace, file, KES and Services);
 * - `release`, `operatorNamespace` and `tenant.clusterDomain`, when a tenant sets them, equal the platform's;
 * - tenants whose `kes.keyVaultEndpoint` names the same vault (host compared case-insensitively) each declare a
 *   `kes.keyNamePrefix`, no prefix is a prefix of another, and no EK is declared by two of them — compared
 *   case-insensitively, because Key Vault object names are case-insensitive and KES stores each EK as a Key Vault
 *   secret of the same name (minio/kes, internal/keystore/azure);
 * - Secret names (`tenant.configurationSecretName`, `kes.configSecretName`, `kes.auth.secretName`) are unique per
 *   namespace across tenants.
 *
 * Linear in the number of tenants (maps; the prefix check sorts the prefixes of each vault). Pure; never throws.
 */
export function validatePlatform(decl: PlatformDeclaration): Problem[] {
  return resolvePlatformInternal(decl).problems;
}

/**
 * Validate a platform and resolve every tenant.
 * @throws Error listing every problem, one per line with its path, in the format of `resolveDeclaration`
 *   (`invalid MinIO SSE platform (N problems): …`)
 */
export function resolvePlatform(decl: PlatformDeclaration): ResolvedPlatform {
  const { problems, resolved } = resolvePlatformInternal(decl);
  if (problems.length > 0 || !resolved) {
    throw new Error(formatProblems(problems, 'MinIO SSE platform'));
  }
  return resolved;
}

function resolvePlatformInternal(input: PlatformDeclaration): { problems: Problem[]; resolved?: ResolvedPlatform } {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  // Any JavaScript value: read defensively first (getters, proxies, cycles, BigInt), so the rules see plain data.
  const snap = snapshotDeclaration(input);
  if (snap.problems.length > 0) {
    return { problems: [...snap.problems] };
  }
  const decl = snap.value as PlatformDeclaration;
  if (decl === null || typeof decl !== 'object' || Array.isArray(decl)) {
    return { problems: [{ path: '(root)', message: 'the platform declaration must be an object' }] };
  }
  for (const key of Object.keys(decl)) {
    if (!PLATFORM_KEYS.includes(key) && (decl as unknown as Record<string, unknown>)[key] !== undefined) {
      add(
        /^[A-Za-z0-9_]{1,40}$/.test(key) ? key : '(a field)',
        `is not a known field (expected one of ${PLATFORM_KEYS.join(', ')})`,
      );
    }
  }
  const release = decl.release;
  if (!OperatorRelease.isRelease(release)) {
    add(
      'release',
      `${showValue(release)} is not a supported operator release: use one of ${OperatorRelease.all()
        .map((r) => `OperatorRelease.fromTag("${r.tag}")`)
        .join(', ')}`,
    );
    return { problems };
  }
  const operatorNamespace = decl.operatorNamespace ?? 'minio-operator';
  const clusterDomain = decl.clusterDomain ?? 'cluster.local';
  const images = resolveImageOptions(decl, release, checkDnsSubdomain);
  images.problems.forEach((p) => add(p.path, p.message));
  const tenantsArg = decl.tenants ?? [];
  if (!Array.isArray(tenantsArg)) {
    add('tenants', `${showValue(tenantsArg)} must be a list of tenant declarations`);
    return { problems };
  }

  // Each tenant, under the platform's release, operator namespace and cluster domain. Problems of the platform
  // fields themselves (reported by every tenant) are reported once, at the platform's path.
  const resolvedTenants: (ResolvedDeclaration | undefined)[] = [];
  const platformFieldProblems = new Map<string, string>();
  tenantsArg.forEach((t, i) => {
    const at = `tenants[${i}]`;
    if (t === null || typeof t !== 'object' || Array.isArray(t)) {
      add(at, `${showValue(t)} must be a tenant declaration object`);
      resolvedTenants.push(undefined);
      return;
    }
    if (t.release !== undefined && t.release !== release) {
      add(
        `${at}.release`,
        `${OperatorRelease.isRelease(t.release) ? `"${t.release.tag}"` : showValue(t.release)} differs from the platform's operator release "${release.tag}": one operator serves every tenant`,
      );
    }
    if (t.operatorNamespace !== undefined && t.operatorNamespace !== operatorNamespace) {
      add(
        `${at}.operatorNamespace`,
        `${showValue(t.operatorNamespace)} differs from the platform's operator namespace ${showValue(operatorNamespace)}`,
      );
    }
    if (t.imageRegistry !== undefined && t.imageRegistry !== decl.imageRegistry) {
      add(
        `${at}.imageRegistry`,
        `${showValue(t.imageRegistry)} differs from the platform's imageRegistry ${showValue(decl.imageRegistry)}: the one operator pulls its images, and injects its sidecar into every tenant, from one registry`,
      );
    }
    const tenantDomain = t.tenant && typeof t.tenant === 'object' ? t.tenant.clusterDomain : undefined;
    if (tenantDomain !== undefined && tenantDomain !== clusterDomain) {
      add(
        `${at}.tenant.clusterDomain`,
        `${showValue(tenantDomain)} differs from the platform's cluster domain ${showValue(clusterDomain)}: the one operator builds every tenant's endpoints with it (CLUSTER_DOMAIN)`,
      );
    }
    const full: MinioSseDeclaration = {
      ...t,
      release,
      operatorNamespace,
      imageRegistry: decl.imageRegistry,
      imagePullSecrets: t.imagePullSecrets ?? decl.imagePullSecrets,
      tenant: t.tenant && typeof t.tenant === 'object' ? { ...t.tenant, clusterDomain } : t.tenant,
    };
    const own = tryResolveDeclaration(full);
    for (const p of own.problems) {
      if (p.path === 'operatorNamespace' && t.operatorNamespace === undefined) {
        platformFieldProblems.set('operatorNamespace', p.message);
      } else if (p.path === 'tenant.clusterDomain' && tenantDomain === undefined) {
        platformFieldProblems.set('clusterDomain', p.message);
      } else if (
        p.path.startsWith('imageRegistry') ||
        (p.path.startsWith('imagePullSecrets') && t.imagePullSecrets === undefined)
      ) {
        // the platform's own value: reported once above, by the platform's image options
      } else {
        add(p.path === '(root)' ? at : `${at}.${p.path}`, p.message);
      }
    }
    resolvedTenants.push(own.resolved);
  });
  for (const [path, message] of platformFieldProblems) {
    problems.unshift({ path, message });
  }

  crossTenantProblems(tenantsArg, resolvedTenants, add);

  if (problems.length > 0 || !images.images) {
    return { problems };
  }
  return {
    problems: [],
    resolved: {
      release,
      operatorNamespace,
      clusterDomain,
      images: images.images,
      tenants: resolvedTenants as ResolvedDeclaration[],
    },
  };
}

function crossTenantProblems(
  decls: readonly PlatformTenantDeclaration[],
  tenants: readonly (ResolvedDeclaration | undefined)[],
  add: (path: string, message: string) => void,
): void {
  const names = new Map<string, number>();
  const namespaces = new Map<string, number>();
  const vaults = new Map<string, { vault: string; members: number[] }>();
  const secrets = new Map<string, { tenant: number; field: string }>();
  tenants.forEach((t, i) => {
    if (!t) {
      return;
    }
    const at = `tenants[${i}]`;
    const sameName = names.get(t.tenant.name);
    if (sameName !== undefined) {
      add(
        `${at}.tenant.name`,
        `${showValue(t.tenant.name)} is also the name of tenants[${sameName}]: tenant names must be unique (each tenant has its own file, KES and Services)`,
      );
    } else {
      names.set(t.tenant.name, i);
    }
    const sameNs = namespaces.get(t.tenant.namespace);
    if (sameNs !== undefined) {
      add(
        `${at}.tenant.namespace`,
        `${showValue(t.tenant.namespace)} is also the namespace of tenants[${sameNs}]: each tenant needs its own namespace`,
      );
    } else {
      namespaces.set(t.tenant.namespace, i);
    }
    const fields: [string, string | undefined][] = [
      ['tenant.configurationSecretName', t.tenant.configurationSecretName],
      ['kes.configSecretName', t.kes.configSecretName],
      ['kes.auth.secretName', t.kes.auth.clientSecretOptions?.secretName],
    ];
    for (const [field, secretName] of fields) {
      if (secretName === undefined) {
        continue;
      }
      const key = `${t.tenant.namespace}/${secretName}`;
      const other = secrets.get(key);
      if (other === undefined) {
        secrets.set(key, { tenant: i, field });
      } else if (other.tenant !== i) {
        add(
          `${at}.${field}`,
          `${showValue(secretName)} is also tenants[${other.tenant}].${other.field} in namespace ${showValue(t.tenant.namespace)}: Secret names must be unique per namespace`,
        );
      }
    }
    const host = vaultHost(t.kes.endpoint);
    const group = vaults.get(host) ?? { vault: t.kes.vaultName, members: [] };
    group.members.push(i);
    vaults.set(host, group);
  });

  for (const { vault, members } of vaults.values()) {
    if (members.length < 2) {
      continue;
    }
    const shared = `${members.map((m) => `tenants[${m}]`).join(', ')} share vault ${showValue(vault)}`;
    const withPrefix: { i: number; prefix: string }[] = [];
    for (const i of members) {
      const prefix = tenants[i]!.kes.keyNamePrefix;
      if (prefix === undefined) {
        add(
          `tenants[${i}].kes.keyNamePrefix`,
          `is required: ${shared}; each tenant in a shared vault needs its own key-name prefix, or its KES policy covers the other tenants' EKs`,
        );
      } else {
        withPrefix.push({ i, prefix: prefix.toLowerCase() });
      }
    }
    // Sorted, a prefix comes right before the names that start with it, so adjacent pairs find every overlap.
    withPrefix.sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : a.i - b.i));
    for (let n = 1; n < withPrefix.length; n++) {
      const prev = withPrefix[n - 1];
      const cur = withPrefix[n];
      if (cur.prefix.startsWith(prev.prefix)) {
        const [first, second] = prev.i < cur.i ? [prev, cur] : [cur, prev];
        add(
          `tenants[${second.i}].kes.keyNamePrefix`,
          `${showValue(tenants[second.i]!.kes.keyNamePrefix)} overlaps ${showValue(tenants[first.i]!.kes.keyNamePrefix)} of tenants[${first.i}] in the shared vault ${showValue(vault)}: no prefix may be a prefix of another (compared case-insensitively, as Key Vault names are)`,
        );
      }
    }
    const eks = new Map<string, number>();
    for (const i of members) {
      for (const ek of tenants[i]!.encryptionKeys) {
        const key = ek.toLowerCase();
        const other = eks.get(key);
        if (other === undefined) {
          eks.set(key, i);
        } else if (other !== i) {
          add(
            `tenants[${i}].${ekPath(decls[i], ek)}`,
            `EK ${showValue(ek)} is also an EK of tenants[${other}] in the shared vault ${showValue(vault)} (Key Vault names are case-insensitive): each EK belongs to one tenant`,
          );
        }
      }
    }
  }
}

/** Where a tenant declares an EK first: the default EK, `kes.keys[i]`, or `buckets[i].encryptionKey`. */
function ekPath(decl: PlatformTenantDeclaration, ek: string): string {
  if (decl.kes.defaultKeyName === ek) {
    return 'kes.defaultKeyName';
  }
  const k = (decl.kes.keys ?? []).indexOf(ek);
  if (k >= 0) {
    return `kes.keys[${k}]`;
  }
  const b = (decl.buckets ?? []).findIndex((x) => x.encryptionKey === ek);
  return b >= 0 ? `buckets[${b}].encryptionKey` : 'kes';
}

function vaultHost(endpoint: string): string {
  try {
    return new URL(endpoint).host.toLowerCase();
  } catch {
    return endpoint.toLowerCase();
  }
}
