/** Validation of `tenant` (name, namespace, pools, Secret, image, TLS, cluster domain). */
import { MinioSseDeclaration } from './declaration';
import {
  DeclarationCollector,
  ERASURE_SET_SIZES,
  INT32_MAX,
  STATEFULSET_NAME_MAX,
  checkOwnNamespace,
  checkPinnedImage,
  checkStorageSize,
  checkTenantName,
  showValue,
} from './checks';
import { checkPoolDrives } from './limits';
import { FieldKind } from './problems';
import { ResolvedPool } from './resolved';
import { checkDnsLabel, checkDnsSubdomain } from './rules';

/** What the later parts need of the tenant: its (unchecked) input, whether its name is valid, and its defaults. */
export interface TenantPart {
  /** `decl.tenant`, or an empty object when missing (already reported). */
  readonly t: MinioSseDeclaration['tenant'];
  /** `tenant.name` passed its rule (names derived from it may be built and checked). */
  readonly tenantNameOk: boolean;
  readonly pools: ResolvedPool[];
  readonly clusterDomain: string;
  readonly requestAutoCert: boolean;
}

/**
 * Check `decl.tenant` into `c`.
 * @param operatorNamespace the operator namespace (the tenant namespace must differ)
 */
export function checkTenant(
  c: DeclarationCollector,
  decl: MinioSseDeclaration,
  operatorNamespace: unknown,
): TenantPart {
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
  return { t, tenantNameOk, pools, clusterDomain, requestAutoCert };
}
