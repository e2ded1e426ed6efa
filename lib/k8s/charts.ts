import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AzureAuthMode, MinioSseDeclaration, OperatorRelease, ResolvedDeclaration } from '../declaration';
import { checkKesConfig, renderKesConfig } from '../kes';
import { BucketEncryption, BucketEncryptionProps } from './bucket-encryption';
import { checkOperatorChartProps, checkTenantChartProps } from './chart-props-check';
import { resolveChartsProps } from './charts-props';
import { standardLabels, tenantNamespaceLabels } from './common';
import { finalJobProblems, finalTenantChecks } from './final-checks';
import { KesConfigSecret, KesConfigSecretProps } from './kes-config';
import { MinioOperator } from './operator';
import { OperatorCrds } from './operator-crds';
import { Tenant, TenantProps } from './tenant';

/**
 * Props of {@link OperatorChart}. Give `declaration` (one tenant) or `release` (an operator for a platform).
 */
export interface OperatorChartProps {
  /**
   * The validated declaration of the single tenant (from `resolveDeclaration`): its release, operator namespace
   * and cluster domain; that tenant's Namespace is emitted here too (ahead of everything else).
   * @default - give `release` instead
   */
  readonly declaration?: ResolvedDeclaration;
  /**
   * @deprecated use `declaration` (same value; kept so existing code keeps working)
   * @default - `declaration`
   */
  readonly spec?: ResolvedDeclaration;
  /**
   * Release to install when there is no `declaration` (no tenant Namespace is emitted then).
   * @default - `declaration.release`
   */
  readonly release?: OperatorRelease;
  /** Namespace of the operator when there is no `declaration`. @default 'minio-operator' */
  readonly operatorNamespace?: string;
  /** The cluster's DNS domain when there is no `declaration` (`CLUSTER_DOMAIN`). @default 'cluster.local' */
  readonly clusterDomain?: string;
  /**
   * Registry of the operator images when there is no `declaration` (see `MinioSseDeclaration.imageRegistry`).
   * @default - upstream
   */
  readonly imageRegistry?: string;
  /** Pull Secrets of the operator Deployment when there is no `declaration`. @default - none */
  readonly imagePullSecrets?: readonly string[];
  /** Where the operator CRDs come from. @default OperatorCrds.fromRelease() */
  readonly crds?: OperatorCrds;
}

/**
 * Everything that must exist before a Tenant can be applied: the operator install (CRDs first) and, for the
 * single-tenant API, the Tenant namespace. Cluster-scoped objects live here, in a chart without a default
 * namespace, because a chart namespace would be stamped onto them (cdk8s-team/cdk8s-core#731). Applied first.
 *
 * One per App: one operator serves a cluster, so a second OperatorChart in the same App is refused (add tenants
 * with {@link MinioSsePlatform}, or with more {@link TenantChart}s that name this chart).
 *
 * @throws Error when neither or both of `declaration` (or `spec`) and `release` are given, or when the App already
 *   has an OperatorChart
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
    checkOperatorChartProps(props);
    const declaration = props.declaration ?? props.spec;
    if ((declaration === undefined) === (props.release === undefined)) {
      throw new Error('OperatorChart needs exactly one of declaration (a resolved declaration) and release');
    }
    const existing = existingOperatorChart(scope);
    if (existing) {
      throw new Error(
        `this App already installs the MinIO Operator (chart ${JSON.stringify(existing.node.path)}): one operator serves a cluster, so a second one would emit the Namespace, CRDs, ClusterRole and Deployment twice. Add tenants with MinioSsePlatform, or TenantChart({ operatorChart }) on the existing chart`,
      );
    }
    super(scope, id, { disableResourceNameHashes: true });
    Object.defineProperty(this, OPERATOR_CHART, { value: true });
    this.crdSource = props.crds ?? OperatorCrds.fromRelease();
    this.release = declaration?.release ?? props.release!;
    // Created first so it is emitted with the other Namespaces and the CRDs, ahead of everything else.
    this.tenantNamespace = declaration ? tenantNamespaceObject(this, 'TenantNamespace', declaration) : undefined;
    this.operator = new MinioOperator(this, 'Operator', {
      release: this.release,
      crds: this.crdSource,
      namespace: declaration?.operatorNamespace ?? props.operatorNamespace,
      clusterDomain: declaration?.tenant.clusterDomain ?? props.clusterDomain,
      imageRegistry: declaration ? declaration.images.registry : props.imageRegistry,
      imagePullSecrets: [...(declaration ? declaration.images.pullSecrets : (props.imagePullSecrets ?? []))],
    });
  }
}

/** Marks an OperatorChart (a symbol, so that two copies of the library in one App still see each other). */
const OPERATOR_CHART = Symbol.for('minio-sse-azure.OperatorChart');

/** The Namespace of a tenant, labelled as the library labels its objects. */
function tenantNamespaceObject(scope: Construct, id: string, declaration: ResolvedDeclaration): ApiObject {
  const { tenant, release } = declaration;
  return new ApiObject(scope, id, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: tenant.namespace,
      labels: {
        ...standardLabels('tenant', release, tenant.name),
        // Pod Security Admission "restricted" (enforce only where every operator-built container meets it).
        ...tenantNamespaceLabels(release),
      },
    },
  });
}

/**
 * The {@link KesConfigSecret} props of a validated declaration: the config rendered by `renderKesConfig` (which
 * throws on a broken KES rule), and `checkKesConfig` for a patched config.
 * @throws Error when the KES config breaks a KES rule (from `renderKesConfig`)
 */
export function kesConfigSecretProps(declaration: ResolvedDeclaration): KesConfigSecretProps {
  return {
    release: declaration.release,
    secretName: declaration.kes.configSecretName,
    namespace: declaration.tenant.namespace,
    tenantName: declaration.tenant.name,
    config: renderKesConfig(declaration),
    checkConfig: (config) => checkKesConfig(config, declaration),
  };
}

/** The {@link Tenant} props of a validated declaration (every image already under `imageRegistry`). */
export function tenantProps(
  declaration: ResolvedDeclaration,
  extra: Pick<TenantProps, 'kesConfig' | 'kesConfigSha256' | 'crdSchema'> = {},
): TenantProps {
  const { tenant, kes, images, release } = declaration;
  return {
    release,
    name: tenant.name,
    namespace: tenant.namespace,
    image: tenant.image,
    pools: tenant.pools.map((p) => ({
      name: p.name,
      servers: p.servers,
      volumesPerServer: p.volumesPerServer,
      storageSize: p.storageSize,
      storageClassName: p.storageClassName,
    })),
    configurationSecretName: tenant.configurationSecretName,
    requestAutoCert: tenant.requestAutoCert,
    imagePullSecret: images.pullSecrets[0],
    imageRegistry: images.registry,
    kesImage: kes.image,
    kesReplicas: kes.replicas,
    kesConfigSecretName: kes.configSecretName,
    kesKeyName: kes.defaultKeyName,
    encryptionKeys: declaration.encryptionKeys,
    kesEnv: kes.env,
    kesServiceAccountName: kes.serviceAccountName,
    kesWorkloadIdentity: kes.auth.mode === AzureAuthMode.WORKLOAD_IDENTITY,
    kesPodAnnotations: kes.podAnnotations,
    ...extra,
  };
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
  /** The validated declaration (from `resolveDeclaration`). One of `declaration` and `spec` is required. */
  readonly declaration?: ResolvedDeclaration;
  /**
   * @deprecated use `declaration` (same value; kept so existing code keeps working)
   * @default - `declaration`
   */
  readonly spec?: ResolvedDeclaration;
  /** The chart that installs the operator and the namespace; this chart is ordered after it. @default - none */
  readonly operatorChart?: OperatorChart;
  /**
   * `openAPIV3Schema` of the release's Tenant CRD, to validate the Tenant at synth time.
   * @default - the schema loaded by `operatorChart`'s CRD source, if any
   */
  readonly tenantCrdSchema?: Record<string, unknown>;
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

  /** @throws Error when neither `declaration` nor `spec` is given, or when the KES config breaks a KES rule */
  constructor(scope: Construct, id: string, props: TenantChartProps) {
    checkTenantChartProps(props);
    const declaration = props.declaration ?? props.spec;
    if (declaration === undefined) {
      throw new Error('TenantChart needs declaration (a resolved declaration, from resolveDeclaration)');
    }
    super(scope, id, { disableResourceNameHashes: true });
    const { tenant, kes, release } = declaration;
    const operatorHasNamespace =
      props.operatorChart?.tenantNamespace !== undefined &&
      props.operatorChart.tenantNamespace.name === tenant.namespace;
    if (props.emitNamespace ?? !operatorHasNamespace) {
      this.namespaceObject = tenantNamespaceObject(this, 'Namespace', declaration);
    }
    this.kesConfig = new KesConfigSecret(this, 'KesConfig', kesConfigSecretProps(declaration));

    let kesServiceAccount: ApiObject | undefined;
    if (kes.auth.mode === AzureAuthMode.WORKLOAD_IDENTITY) {
      const wi = kes.auth.workloadIdentityOptions!;
      kesServiceAccount = new ApiObject(this, 'KesServiceAccount', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {
          name: kes.serviceAccountName,
          namespace: tenant.namespace,
          labels: standardLabels('kes', release, tenant.name),
          annotations: {
            'azure.workload.identity/client-id': wi.clientId,
            'azure.workload.identity/tenant-id': wi.tenantId,
          },
        },
      });
    }

    const schema = props.tenantCrdSchema ?? props.operatorChart?.crdSource?.tenantSchema(release);
    this.tenant = new Tenant(
      this,
      'Tenant',
      tenantProps(declaration, { kesConfig: this.kesConfig, crdSchema: schema }),
    );
    this.tenant.node.addDependency(this.kesConfig);
    this.tenant.node.addValidation({ validate: () => finalTenantChecks(this.tenant, declaration, this.kesConfig) });
    if (kesServiceAccount) {
      this.tenant.node.addDependency(kesServiceAccount);
    }

    this.bucketEncryption = new BucketEncryption(this, 'BucketEncryption', bucketEncryptionProps(declaration));
    this.bucketEncryption.node.addDependency(this.tenant);
    const job = ApiObject.of(this.bucketEncryption.job);
    this.bucketEncryption.node.addValidation({ validate: () => finalJobProblems(job.toJson(), declaration) });

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
  public readonly declaration: ResolvedDeclaration;
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
    const declaration = (this.declaration = resolved.declaration);
    const crds = resolved.crds;
    crds.load(declaration.release); // fail before adding anything when the CRDs are unavailable
    this.operatorChart = new OperatorChart(app, resolved.operatorChartId, { declaration, crds });
    this.tenantChart = new TenantChart(app, resolved.tenantChartId, {
      declaration,
      operatorChart: this.operatorChart,
      tenantCrdSchema: crds.tenantSchema(declaration.release),
    });
  }

  /** @deprecated use {@link declaration} (the same validated declaration) */
  public get spec(): ResolvedDeclaration {
    return this.declaration;
  }
}

/** The {@link BucketEncryption} props of a resolved declaration (its tenant, EKs, buckets, Job options and images). */
export function bucketEncryptionProps(declaration: ResolvedDeclaration): BucketEncryptionProps {
  const { tenant, job } = declaration;
  return {
    tenantName: tenant.name,
    namespace: tenant.namespace,
    release: declaration.release,
    minioHost: tenant.serviceHost,
    minioPort: tenant.servicePort,
    minioTls: tenant.requestAutoCert,
    configurationSecretName: tenant.configurationSecretName,
    defaultKeyName: declaration.kes.defaultKeyName,
    encryptionKeys: declaration.encryptionKeys,
    buckets: declaration.buckets,
    image: job.image,
    imagePullSecrets: declaration.images.pullSecrets,
    caConfigMapName: job.caConfigMapName,
    insecureSkipTlsVerify: job.insecureSkipTlsVerify,
    readinessAttempts: job.readinessAttempts,
    readinessIntervalSeconds: job.readinessIntervalSeconds,
    backoffLimit: job.backoffLimit,
    activeDeadlineSeconds: job.activeDeadlineSeconds,
    ttlSecondsAfterFinished: job.ttlSecondsAfterFinished,
  };
}
