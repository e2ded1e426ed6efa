import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AzureAuthMode, MinioSseDeclaration, OperatorRelease, ResolvedDeclaration } from '../declaration';
import { BucketEncryption } from './bucket-encryption';
import { resolveChartsProps } from './charts-props';
import { standardLabels } from './common';
import { KesConfigSecret } from './kes-config';
import { MinioOperator } from './operator';
import { OperatorCrds } from './operator-crds';
import { Tenant } from './tenant';

/** Props of {@link OperatorChart}. Give `spec` (one tenant) or `release` (an operator for a platform). */
export interface OperatorChartProps {
  /**
   * The validated declaration of the single tenant: its release, operator namespace and cluster domain; that
   * tenant's Namespace is emitted here too (ahead of everything else). @default - give `release` instead
   */
  readonly spec?: ResolvedDeclaration;
  /** Release to install when there is no `spec` (no tenant Namespace is emitted then). @default - `spec.release` */
  readonly release?: OperatorRelease;
  /** Namespace of the operator when there is no `spec`. @default 'minio-operator' */
  readonly operatorNamespace?: string;
  /** The cluster's DNS domain when there is no `spec` (`CLUSTER_DOMAIN`). @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** Registry of the operator images when there is no `spec` (see `MinioSseDeclaration.imageRegistry`). @default - upstream */
  readonly imageRegistry?: string;
  /** Pull Secrets of the operator Deployment when there is no `spec`. @default - none */
  readonly imagePullSecrets?: readonly string[];
  /** Where the operator CRDs come from. @default OperatorCrds.fromRelease() */
  readonly crds?: OperatorCrds;
}

/**
 * Everything that must exist before a Tenant can be applied: the operator install (CRDs first) and, for the
 * single-tenant API, the Tenant namespace. Cluster-scoped objects live here, in a chart without a default
 * namespace, because a chart namespace would be stamped onto them (research cdk8s.md §1). Applied first.
 *
 * One per App: one operator serves a cluster, so a second OperatorChart in the same App is refused (add tenants
 * with {@link MinioSsePlatform}, or with more {@link TenantChart}s that name this chart).
 *
 * @throws Error when neither or both of `spec` and `release` are given, or when the App already has an OperatorChart
 */
export class OperatorChart extends Chart {
  /** The operator install. */
  public readonly operator: MinioOperator;
  /** The single tenant's Namespace (`undefined` when built from `release`, as in a platform). */
  public readonly tenantNamespace?: ApiObject;
  /** Where the CRDs came from. */
  public readonly crdSource: OperatorCrds;
  /** The release installed. */
  public readonly release: OperatorRelease;

  constructor(scope: Construct, id: string, props: OperatorChartProps) {
    if ((props.spec === undefined) === (props.release === undefined)) {
      throw new Error('OperatorChart needs exactly one of spec (a resolved declaration) and release');
    }
    const existing = existingOperatorChart(scope);
    if (existing) {
      throw new Error(
        `this App already installs the MinIO Operator (chart ${JSON.stringify(existing.node.path)}): one operator serves a cluster, so a second one would emit the Namespace, CRDs, ClusterRole and Deployment twice. Add tenants with MinioSsePlatform, or TenantChart({ operatorChart }) on the existing chart`,
      );
    }
    super(scope, id, { disableResourceNameHashes: true });
    Object.defineProperty(this, OPERATOR_CHART, { value: true });
    const { spec } = props;
    this.crdSource = props.crds ?? OperatorCrds.fromRelease();
    this.release = spec?.release ?? props.release!;
    // Created first so it is emitted with the other Namespaces and the CRDs, ahead of everything else.
    this.tenantNamespace = spec ? tenantNamespaceObject(this, 'TenantNamespace', spec) : undefined;
    this.operator = new MinioOperator(this, 'Operator', {
      release: this.release,
      crds: this.crdSource,
      namespace: spec?.operatorNamespace ?? props.operatorNamespace,
      clusterDomain: spec?.tenant.clusterDomain ?? props.clusterDomain,
      imageRegistry: spec ? spec.images.registry : props.imageRegistry,
      imagePullSecrets: [...(spec ? spec.images.pullSecrets : (props.imagePullSecrets ?? []))],
    });
  }
}

/** Marks an OperatorChart (a symbol, so that two copies of the library in one App still see each other). */
const OPERATOR_CHART = Symbol.for('minio-sse-azure.OperatorChart');

/** The Namespace of a tenant, labelled as the library labels its objects. */
function tenantNamespaceObject(scope: Construct, id: string, spec: ResolvedDeclaration): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: spec.tenant.namespace, labels: standardLabels('tenant', spec.release, spec.tenant.name) },
  });
}

/** The OperatorChart already in the App of `scope`, if any (charts are children of the App or nested in one). */
function existingOperatorChart(scope: Construct): Construct | undefined {
  const root = scope.node.root;
  const stack: Construct[] = [root as Construct];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (c instanceof Chart && OPERATOR_CHART in c) {
      return c;
    }
    // Only descend through non-ApiObject constructs that may hold charts: charts never nest inside an ApiObject.
    for (const child of c.node.children) {
      if (!(child instanceof ApiObject)) {
        stack.push(child as Construct);
      }
    }
  }
  return undefined;
}

/** Props of {@link TenantChart}. */
export interface TenantChartProps {
  /** The validated declaration. */
  readonly spec: ResolvedDeclaration;
  /** The chart that installs the operator and the namespace; this chart is ordered after it. @default - none */
  readonly operatorChart?: OperatorChart;
  /**
   * `openAPIV3Schema` of the release's Tenant CRD, to validate the Tenant at synth time.
   * @default - the schema loaded by `operatorChart`'s CRD source, if any
   */
  readonly tenantCrdSchema?: Record<string, any>;
  /**
   * Emit the tenant's Namespace in this chart, ahead of every other object.
   * @default - true, unless `operatorChart` already emits this tenant's namespace (the single-tenant layout)
   */
  readonly emitNamespace?: boolean;
}

/**
 * The Tenant side, in its namespace: KES config Secret, (workload identity) KES ServiceAccount, the Tenant, and
 * the bucket-encryption Job. Depends on the {@link OperatorChart}, so `cdk8s synth` numbers its file after it.
 * References, never creates, the Secrets that hold credentials (`tenant.configurationSecretName`, the Azure
 * client-secret Secret).
 */
export class TenantChart extends Chart {
  /** The tenant's Namespace object, when this chart emits it (first). */
  public readonly namespaceObject?: ApiObject;
  /** The KES config Secret. */
  public readonly kesConfig: KesConfigSecret;
  /** The Tenant. */
  public readonly tenant: Tenant;
  /** The bucket-encryption reconciler Job. */
  public readonly bucketEncryption: BucketEncryption;

  constructor(scope: Construct, id: string, props: TenantChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { spec } = props;
    const operatorHasNamespace =
      props.operatorChart?.tenantNamespace !== undefined &&
      props.operatorChart.tenantNamespace.name === spec.tenant.namespace;
    if (props.emitNamespace ?? !operatorHasNamespace) {
      this.namespaceObject = tenantNamespaceObject(this, 'Namespace', spec);
    }
    this.kesConfig = new KesConfigSecret(this, 'KesConfig', { spec });

    let kesServiceAccount: ApiObject | undefined;
    if (spec.kes.auth.mode === AzureAuthMode.WORKLOAD_IDENTITY) {
      const wi = spec.kes.auth.workloadIdentityOptions!;
      kesServiceAccount = new ApiObject(this, 'KesServiceAccount', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {
          name: spec.kes.serviceAccountName,
          namespace: spec.tenant.namespace,
          labels: standardLabels('kes', spec.release, spec.tenant.name),
          annotations: {
            'azure.workload.identity/client-id': wi.clientId,
            'azure.workload.identity/tenant-id': wi.tenantId,
          },
        },
      });
    }

    const schema = props.tenantCrdSchema ?? props.operatorChart?.crdSource?.tenantSchema(spec.release);
    this.tenant = new Tenant(this, 'Tenant', {
      spec,
      kesConfigSecretName: this.kesConfig.secretName,
      kesConfig: this.kesConfig,
      crdSchema: schema,
    });
    this.tenant.node.addDependency(this.kesConfig);
    if (kesServiceAccount) {
      this.tenant.node.addDependency(kesServiceAccount);
    }

    this.bucketEncryption = new BucketEncryption(this, 'BucketEncryption', { spec });
    this.bucketEncryption.node.addDependency(this.tenant);

    if (props.operatorChart) {
      this.addDependency(props.operatorChart);
    }
    // The Namespace first: every other object of this chart depends on it.
    if (this.namespaceObject) {
      for (const c of this.node.findAll()) {
        if (c instanceof ApiObject && c !== this.namespaceObject) {
          c.addDependency(this.namespaceObject);
        }
      }
    }
  }
}

/** Props of {@link MinioSseCharts}. */
export interface MinioSseChartsProps {
  /** The declaration; validated before any chart is created. */
  readonly declaration: MinioSseDeclaration;
  /** Where the operator CRDs come from. @default OperatorCrds.fromRelease() */
  readonly crds?: OperatorCrds;
  /** Id of the operator chart (its file name with `cdk8s synth`). @default 'minio-operator' */
  readonly operatorChartId?: string;
  /** Id of the tenant chart. @default - the tenant name */
  readonly tenantChartId?: string;
}

/**
 * The whole Kubernetes side for one declaration: validates it (throwing one Error listing every problem, before
 * any construct is added), then adds an {@link OperatorChart} and a {@link TenantChart} that depends on it.
 */
export class MinioSseCharts {
  /** The validated declaration with every default filled in. */
  public readonly spec: ResolvedDeclaration;
  /** Operator + namespace chart (applied first). */
  public readonly operatorChart: OperatorChart;
  /** Tenant chart (applied second). */
  public readonly tenantChart: TenantChart;

  /**
   * @throws Error listing every problem of the declaration (see `resolveDeclaration`), or when the CRDs cannot be
   *   loaded or do not match their pinned digest
   */
  constructor(app: App, props: MinioSseChartsProps) {
    // Any JavaScript value: bad props or declaration end in one listing error before anything is added.
    const resolved = resolveChartsProps(app, props);
    this.spec = resolved.spec;
    const crds = resolved.crds;
    crds.load(this.spec.release); // fail before adding anything when the CRDs are unavailable
    this.operatorChart = new OperatorChart(app, resolved.operatorChartId, { spec: this.spec, crds });
    this.tenantChart = new TenantChart(app, resolved.tenantChartId, {
      spec: this.spec,
      operatorChart: this.operatorChart,
      tenantCrdSchema: crds.tenantSchema(this.spec.release),
    });
  }
}
