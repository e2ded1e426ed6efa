import * as k8s from '@pulumi/kubernetes';
import { checkResourceArgs } from './arg-checks';
import * as pulumi from '@pulumi/pulumi';
import { OperatorCrds } from '../k8s';
import { formatProblems, OperatorRelease, PlatformTenantDeclaration, Problem, validatePlatform } from '../declaration';
import { MinioSseOperator } from './operator';
import {
  MinioSseTenant,
  MinioSseTenantArgs,
  MinioSseTenantDeclaration,
  prepareTenant,
  PreparedTenant,
  previewTenantDeclaration,
  validateTenantArgs,
} from './tenant';

/** Type token of {@link MinioSsePlatformStack}. */
export const MINIO_SSE_PLATFORM_TYPE = 'minio-sse-azure:pulumi:MinioSsePlatform';

/** One tenant of {@link MinioSsePlatformStack}: its declaration, its own Azure identity, and the shared-vault choice. */
export interface PlatformTenantArgs extends Omit<
  MinioSseTenantArgs,
  'declaration' | 'crds' | 'kubernetesProvider' | 'waitFor' | 'createNamespace' | 'legacyParent'
> {
  /**
   * The tenant; `release` and `operatorNamespace` come from the platform. `kes.auth` as for {@link MinioSseTenant}
   * (left out in the secretless modes).
   */
  readonly declaration: Omit<MinioSseTenantDeclaration, 'release' | 'operatorNamespace'> &
    Pick<PlatformTenantDeclaration, 'release' | 'operatorNamespace'>;
}

/** Arguments of {@link MinioSsePlatformStack}. */
export interface MinioSsePlatformStackArgs {
  /** The operator release every tenant runs under. */
  readonly release: OperatorRelease;
  /** Namespace of the operator. @default 'minio-operator' */
  readonly operatorNamespace?: string;
  /** The cluster's DNS domain (`CLUSTER_DOMAIN`). @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** Registry of every image (see `PlatformDeclaration.imageRegistry`). @default - upstream */
  readonly imageRegistry?: string;
  /** Pull Secrets of the operator and of tenants that set none (see `PlatformDeclaration.imagePullSecrets`). @default - none */
  readonly imagePullSecrets?: string[];
  /**
   * The tenants. Each gets its own KES identity (app registration, service principal, client secret) and its own
   * grant on its vault. Tenants naming the same vault must each set `sharedVault: true` (see
   * {@link MinioSseTenantArgs.sharedVault} for what a shared vault does not isolate); a vault per tenant is the
   * default. @default - none
   */
  readonly tenants?: readonly PlatformTenantArgs[];
  /** Where the operator CRDs come from. @default OperatorCrds.fromRelease() */
  readonly crds?: OperatorCrds;
  /** Kubernetes provider for every Kubernetes object. @default - the ambient provider */
  readonly kubernetesProvider?: k8s.Provider;
  /** Install the operator here (`false`: installed by another stack or tool). @default true */
  readonly installOperator?: boolean;
}

/**
 * A platform in one program: the operator once ({@link MinioSseOperator} `${name}`, unless `installOperator: false`)
 * and one {@link MinioSseTenant} `${name}-<tenant name>` per tenant, each waiting for the operator, each with its
 * own Namespace, KES identity, vault grant, Secrets and ConfigGroup. Validated as a whole first (each tenant, the
 * cross-tenant rules of `validatePlatform`, the shared-vault flags), before any resource is registered.
 *
 * @throws Error listing every problem, before any resource is registered
 */
export class MinioSsePlatformStack extends pulumi.ComponentResource {
  /** The operator (`undefined` with `installOperator: false`). */
  public readonly operator?: MinioSseOperator;
  /** The tenants, by tenant name, in declaration order. */
  public readonly tenants: ReadonlyMap<string, MinioSseTenant>;
  /** Tag of the operator release: export it for team stacks. */
  public readonly release: pulumi.Output<string>;
  /** Namespace of the operator. */
  public readonly operatorNamespace: pulumi.Output<string>;
  /** The tenants' namespaces, in declaration order. */
  public readonly tenantNamespaces: pulumi.Output<string[]>;

  constructor(name: string, args: MinioSsePlatformStackArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validatePlatformStackArgs(args);
    if (problems.length > 0) {
      throw new Error(formatProblems(problems, 'MinioSsePlatformStack arguments'));
    }
    const install = args.installOperator ?? true;
    const operatorArgs = {
      release: args.release,
      operatorNamespace: args.operatorNamespace,
      clusterDomain: args.clusterDomain,
      imageRegistry: args.imageRegistry,
      imagePullSecrets: args.imagePullSecrets,
      crds: args.crds,
      kubernetesProvider: args.kubernetesProvider,
    };
    const operatorObjects = install ? MinioSseOperator.prepare(operatorArgs) : undefined;
    const tenantArgs = (args.tenants ?? []).map((t) => platformTenantArgs(args, t));
    const prepared: PreparedTenant[] = tenantArgs.map((t) => prepareTenant(t));

    super(MINIO_SSE_PLATFORM_TYPE, name, {}, opts);
    this.operator = operatorObjects
      ? new MinioSseOperator(name, operatorArgs, { parent: this }, operatorObjects)
      : undefined;
    const tenants = new Map<string, MinioSseTenant>();
    tenantArgs.forEach((t, i) => {
      const tenantName = prepared[i].spec.tenant.name;
      tenants.set(
        tenantName,
        new MinioSseTenant(
          `${name}-${tenantName}`,
          { ...t, waitFor: this.operator ? [this.operator.group] : undefined },
          { parent: this },
          prepared[i],
        ),
      );
    });
    this.tenants = tenants;
    this.release = pulumi.output(args.release.tag);
    this.operatorNamespace = pulumi.output(args.operatorNamespace ?? 'minio-operator');
    this.tenantNamespaces = pulumi.output(prepared.map((p) => p.spec.tenant.namespace));
    this.registerOutputs({
      release: this.release,
      operatorNamespace: this.operatorNamespace,
      tenantNamespaces: this.tenantNamespaces,
    });
  }
}

/** The tenant component's arguments for one platform tenant. */
function platformTenantArgs(args: MinioSsePlatformStackArgs, t: PlatformTenantArgs): MinioSseTenantArgs {
  const d = t.declaration;
  const declaration: MinioSseTenantDeclaration = {
    ...d,
    release: args.release,
    operatorNamespace: args.operatorNamespace ?? 'minio-operator',
    imageRegistry: args.imageRegistry,
    imagePullSecrets: d?.imagePullSecrets ?? args.imagePullSecrets,
    tenant:
      d?.tenant && typeof d.tenant === 'object'
        ? { ...d.tenant, clusterDomain: args.clusterDomain ?? 'cluster.local' }
        : d?.tenant,
  };
  return { ...t, declaration, crds: args.crds, kubernetesProvider: args.kubernetesProvider };
}

const PLATFORM_STACK_KEYS = [
  'release',
  'operatorNamespace',
  'clusterDomain',
  'imageRegistry',
  'imagePullSecrets',
  'tenants',
  'crds',
  'kubernetesProvider',
  'installOperator',
];
const PLATFORM_TENANT_KEYS = ['declaration', 'azure', 'sharedVault', 'rootUser', 'rootPasswordLength'];

/**
 * Every problem of the platform stack arguments: the cross-tenant rules and each tenant's own problems (under
 * `tenants[i].declaration` and `tenants[i].azure`), and the shared-vault flags: tenants whose endpoints name the
 * same vault must each set `sharedVault: true`. Pure; never throws for bad data.
 */
export function validatePlatformStackArgs(args: MinioSsePlatformStackArgs): Problem[] {
  if (args === null || typeof args !== 'object') {
    return [{ path: '(root)', message: 'the arguments must be an object' }];
  }
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (p: Problem) => {
    const key = `${p.path}\n${p.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(p);
    }
  };
  for (const key of Object.keys(args)) {
    if (!PLATFORM_STACK_KEYS.includes(key) && (args as unknown as Record<string, unknown>)[key] !== undefined) {
      add({
        path: /^[A-Za-z0-9_]{1,40}$/.test(key) ? key : '(a field)',
        message: `is not a known field (expected one of ${PLATFORM_STACK_KEYS.join(', ')})`,
      });
    }
  }
  checkResourceArgs(args).forEach(add);
  const tenants = args.tenants ?? [];
  // Each declaration with kes.auth bound as the tenant component will bind it (preview IDs), so the cross-tenant
  // rules see complete declarations in every auth mode.
  const declarations = Array.isArray(tenants)
    ? tenants.map((t) =>
        t && typeof t === 'object' && t.declaration && typeof t.declaration === 'object'
          ? previewTenantDeclaration(t.declaration as MinioSseTenantDeclaration, t.azure)
          : (t?.declaration ?? t),
      )
    : tenants;
  for (const p of validatePlatform({
    release: args.release,
    operatorNamespace: args.operatorNamespace,
    clusterDomain: args.clusterDomain,
    imageRegistry: args.imageRegistry,
    imagePullSecrets: args.imagePullSecrets,
    tenants: declarations as PlatformTenantDeclaration[],
  })) {
    add({ path: p.path.replace(/^(tenants\[\d+\])\./, '$1.declaration.'), message: p.message });
  }
  if (!Array.isArray(tenants) || !OperatorRelease.isRelease(args.release)) {
    return problems;
  }
  const byVault = new Map<string, number[]>();
  tenants.forEach((t, i) => {
    if (t === null || typeof t !== 'object' || t.declaration === null || typeof t.declaration !== 'object') {
      return;
    }
    for (const p of validateTenantArgs(
      { ...t, declaration: platformTenantArgs(args, t).declaration },
      PLATFORM_TENANT_KEYS,
      'MinioSsePlatformStack',
    )) {
      if (p.path === 'crds' || p.path === 'kubernetesProvider') {
        continue; // the stack's own arguments, reported once above
      }
      add({ path: `tenants[${i}].${p.path}`, message: p.message });
    }
    const endpoint = t.declaration.kes?.keyVaultEndpoint;
    if (typeof endpoint === 'string') {
      let host: string;
      try {
        host = new URL(endpoint).host.toLowerCase();
      } catch {
        return; // reported by the declaration's validation
      }
      byVault.set(host, [...(byVault.get(host) ?? []), i]);
    }
  });
  for (const [host, members] of byVault) {
    if (members.length < 2) {
      continue;
    }
    for (const i of members) {
      if (tenants[i].sharedVault !== true) {
        add({
          path: `tenants[${i}].sharedVault`,
          message: `must be true: ${members.map((m) => `tenants[${m}]`).join(', ')} share vault "${host.split('.')[0]}", and then every one of their KES identities can read, overwrite and delete every one of their EKs (see sharedVault); or give each tenant its own vault`,
        });
      }
    }
  }
  return problems;
}
