import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AzureAuthMode, MinioSseDeclaration, ResolvedDeclaration, resolveDeclaration } from '../spec';
import { BucketEncryption } from './bucket-encryption';
import { standardLabels } from './common';
import { KesConfigSecret } from './kes-config';
import { MinioOperator } from './operator';
import { OperatorCrds } from './operator-crds';
import { Tenant } from './tenant';

/** Props of {@link OperatorChart}. */
export interface OperatorChartProps {
  /** The validated declaration. */
  readonly spec: ResolvedDeclaration;
  /** Where the operator CRDs come from. @default OperatorCrds.fromRelease() */
  readonly crds?: OperatorCrds;
}

/**
 * Everything that must exist before a Tenant can be applied: the operator install (CRDs first) and the Tenant
 * namespace. Cluster-scoped objects live here, in a chart without a default namespace, because a chart
 * namespace would be stamped onto them (research cdk8s.md §1). Applied first.
 */
export class OperatorChart extends Chart {
  /** The operator install. */
  public readonly operator: MinioOperator;
  /** The Tenant's Namespace. */
  public readonly tenantNamespace: ApiObject;
  /** Where the CRDs came from. */
  public readonly crdSource: OperatorCrds;

  constructor(scope: Construct, id: string, props: OperatorChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { spec } = props;
    this.crdSource = props.crds ?? OperatorCrds.fromRelease();
    // Created first so it is emitted with the other Namespaces and the CRDs, ahead of everything else.
    this.tenantNamespace = new ApiObject(this, 'TenantNamespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: spec.tenant.namespace, labels: standardLabels('tenant', spec.release, spec.tenant.name) },
    });
    this.operator = new MinioOperator(this, 'Operator', {
      release: spec.release,
      crds: this.crdSource,
      namespace: spec.operatorNamespace,
      clusterDomain: spec.tenant.clusterDomain,
      imageRegistry: spec.images.registry,
      imagePullSecrets: [...spec.images.pullSecrets],
    });
  }
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
}

/**
 * The Tenant side, in its namespace: KES config Secret, (workload identity) KES ServiceAccount, the Tenant, and
 * the bucket-encryption Job. Depends on the {@link OperatorChart}, so `cdk8s synth` numbers its file after it.
 * References, never creates, the Secrets that hold credentials (`tenant.configurationSecretName`, the Azure
 * client-secret Secret).
 */
export class TenantChart extends Chart {
  /** The KES config Secret. */
  public readonly kesConfig: KesConfigSecret;
  /** The Tenant. */
  public readonly tenant: Tenant;
  /** The bucket-encryption reconciler Job. */
  public readonly bucketEncryption: BucketEncryption;

  constructor(scope: Construct, id: string, props: TenantChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { spec } = props;
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
    this.spec = resolveDeclaration(props.declaration);
    const crds = props.crds ?? OperatorCrds.fromRelease();
    crds.load(this.spec.release); // fail before adding anything when the CRDs are unavailable
    this.operatorChart = new OperatorChart(app, props.operatorChartId ?? 'minio-operator', { spec: this.spec, crds });
    this.tenantChart = new TenantChart(app, props.tenantChartId ?? this.spec.tenant.name, {
      spec: this.spec,
      operatorChart: this.operatorChart,
      tenantCrdSchema: crds.tenantSchema(this.spec.release),
    });
  }
}
