import * as k8s from '@pulumi/kubernetes';
import { checkResourceArgs, withUserCrds } from './arg-checks';
import * as pulumi from '@pulumi/pulumi';
import { App } from 'cdk8s';
import { OperatorChart, OperatorCrds } from '../k8s';
import {
  checkDnsLabel,
  checkDnsSubdomain,
  formatProblems,
  OperatorRelease,
  Problem,
  ResolvedDeclaration,
  resolveImageOptions,
  showValue,
} from '../declaration';
import { deepFreeze, legacyAliases } from './common';

/** Type token of {@link MinioSseOperator}. */
export const MINIO_SSE_OPERATOR_TYPE = 'minio-sse-azure:pulumi:MinioSseOperator';

/** Arguments of {@link MinioSseOperator}. Plain values: the objects are synthesized before anything is registered. */
export interface MinioSseOperatorArgs {
  /** The operator release to install; every tenant added to this operator must use the same release. */
  readonly release: OperatorRelease;
  /** Namespace of the operator. @default 'minio-operator' */
  readonly operatorNamespace?: string;
  /** The cluster's DNS domain (`CLUSTER_DOMAIN` of the operator). @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** Registry of the operator images (see `MinioSseDeclaration.imageRegistry`). @default - upstream */
  readonly imageRegistry?: string;
  /** Pull Secrets of the operator Deployment (at most one). @default - none */
  readonly imagePullSecrets?: readonly string[];
  /** Where the operator CRDs come from. @default OperatorCrds.fromRelease() (downloaded, SHA-256 checked) */
  readonly crds?: OperatorCrds;
  /** Kubernetes provider. @default - the ambient provider (current kubeconfig) */
  readonly kubernetesProvider?: k8s.Provider;
  /**
   * The single-tenant layout of {@link MinioSseStack}: also emit this tenant's Namespace in the operator group,
   * exactly as the single-tenant `OperatorChart` does. Platforms leave it unset (each tenant creates its own).
   * @default - no tenant Namespace
   */
  readonly singleTenantSpec?: ResolvedDeclaration;
  /**
   * Children keep the URNs they had as direct children of this resource (aliases), so a stack written before the
   * operator/tenant split is not replaced. For {@link MinioSseStack}. @default - none
   */
  readonly legacyParent?: pulumi.Resource;
}

/**
 * The MinIO Operator install, once per cluster: one `yaml/v2` ConfigGroup `${name}-operator` holding the objects
 * the cdk8s `OperatorChart` emits (Namespace and CRDs first, RBAC, Services `operator`/`sts`, Deployment
 * `minio-operator`). A platform stack creates it and exports `release` and `operatorNamespace`; team stacks read
 * them through a `pulumi.StackReference` and add {@link MinioSseTenant}s.
 *
 * @throws Error listing every problem of the arguments, or when the CRDs cannot be loaded, before any resource
 *   is registered
 */
export class MinioSseOperator extends pulumi.ComponentResource {
  /** The objects applied, in order (frozen). */
  public readonly objects: readonly Record<string, any>[];
  /** The operator install. */
  public readonly group: k8s.yaml.v2.ConfigGroup;
  /** The release installed (plain). */
  public readonly releaseInfo: OperatorRelease;
  /** Tag of the release installed, e.g. `v7.1.1`: export it for team stacks. */
  public readonly release: pulumi.Output<string>;
  /** Namespace of the operator. */
  public readonly operatorNamespace: pulumi.Output<string>;

  /**
   * Validate the arguments and synthesize the operator objects in memory, registering nothing.
   * @returns the objects, in apply order (frozen)
   * @throws Error listing every problem of the arguments, or when the CRDs cannot be loaded
   */
  public static prepare(args: MinioSseOperatorArgs): readonly Record<string, any>[] {
    const problems = validateOperatorArgs(args);
    if (problems.length > 0) {
      throw new Error(formatProblems(problems, 'MinioSseOperator arguments'));
    }
    const crds = args.crds ?? OperatorCrds.fromRelease();
    const chart = withUserCrds(crds, 'MinioSseOperator', () =>
      args.singleTenantSpec
        ? new OperatorChart(new App({ outdir: '.' }), 'minio-operator', {
            declaration: args.singleTenantSpec,
            crds,
          })
        : new OperatorChart(new App({ outdir: '.' }), 'minio-operator', {
            release: args.release,
            operatorNamespace: args.operatorNamespace,
            clusterDomain: args.clusterDomain,
            imageRegistry: args.imageRegistry,
            imagePullSecrets: args.imagePullSecrets,
            crds,
          }),
    );
    return deepFreeze(chart.toJson());
  }

  /**
   * @param prepared the result of {@link MinioSseOperator.prepare} for these very `args`; @default - prepared here
   */
  constructor(
    name: string,
    args: MinioSseOperatorArgs,
    opts?: pulumi.ComponentResourceOptions,
    prepared?: readonly Record<string, any>[],
  ) {
    const objects = prepared ?? MinioSseOperator.prepare(args);
    super(MINIO_SSE_OPERATOR_TYPE, name, {}, opts);
    this.objects = objects;
    this.releaseInfo = args.release;
    this.group = new k8s.yaml.v2.ConfigGroup(
      `${name}-operator`,
      { objs: objects as any[] },
      {
        parent: this,
        ...(args.kubernetesProvider ? { provider: args.kubernetesProvider } : {}),
        ...legacyAliases(args.legacyParent),
      },
    );
    this.release = pulumi.output(args.release.tag);
    this.operatorNamespace = pulumi.output(
      args.singleTenantSpec?.operatorNamespace ?? args.operatorNamespace ?? 'minio-operator',
    );
    this.registerOutputs({ release: this.release, operatorNamespace: this.operatorNamespace });
  }
}

/** Every problem of {@link MinioSseOperatorArgs}. Pure; never throws for bad data. */
export function validateOperatorArgs(args: MinioSseOperatorArgs): Problem[] {
  if (args === null || typeof args !== 'object') {
    return [{ path: '(root)', message: 'the arguments must be an object' }];
  }
  const problems: Problem[] = [...checkResourceArgs(args)];
  if (!OperatorRelease.isRelease(args.release)) {
    problems.push({
      path: 'release',
      message: `${showValue(args.release)} is not a supported operator release: use OperatorRelease.fromTag(<tag>)`,
    });
  }
  if (
    args.operatorNamespace !== undefined &&
    (typeof args.operatorNamespace !== 'string' || checkDnsLabel(args.operatorNamespace))
  ) {
    problems.push({
      path: 'operatorNamespace',
      message: `${showValue(args.operatorNamespace)} is not a valid namespace (a DNS-1123 label)`,
    });
  }
  if (
    args.clusterDomain !== undefined &&
    (typeof args.clusterDomain !== 'string' || checkDnsSubdomain(args.clusterDomain))
  ) {
    problems.push({
      path: 'clusterDomain',
      message: `${showValue(args.clusterDomain)} is not a valid cluster domain (a DNS-1123 subdomain)`,
    });
  }
  const images = resolveImageOptions(
    { imageRegistry: args.imageRegistry, imagePullSecrets: args.imagePullSecrets },
    args.release ?? OperatorRelease.V5_0_4,
    checkDnsSubdomain,
  );
  problems.push(...images.problems);
  if (args.singleTenantSpec && args.singleTenantSpec.release !== args.release) {
    problems.push({ path: 'singleTenantSpec', message: 'must be for the same release as `release`' });
  }
  return problems;
}
