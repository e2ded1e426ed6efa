import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { KesAzureIdentity, KesAzureIdentityArgs } from '../azure';
import { OperatorCrds } from '../k8s';
import { formatProblems, MinioSseDeclaration, Problem, ResolvedDeclaration } from '../declaration';
import { snapshotPulumiArgs } from './args-snapshot';
import { MinioSseOperator } from './operator';
import {
  MinioSseTenant,
  MinioSseTenantArgs,
  MinioSseTenantDeclaration,
  prepareTenant,
  validateTenantArgs,
} from './tenant';

/** Re-exported for Pulumi users: the KES pod annotation carrying the active client-secret slot. */
export { ACTIVE_CLIENT_SECRET_ANNOTATION } from '../azure/slot-annotation';
/** Re-exported from the tenant component, where they now live. */
export { configEnv, endpointMismatch } from './tenant';

/** Type token of {@link MinioSseStack}. */
export const MINIO_SSE_STACK_TYPE = 'minio-sse-azure:pulumi:MinioSseStack';

/** The declaration {@link MinioSseStack} takes: the cdk8s one, with `kes.auth` left out in the secretless modes. */
export type MinioSseStackDeclaration = MinioSseTenantDeclaration;

/** Arguments of {@link MinioSseStack}. */
export interface MinioSseStackArgs {
  /**
   * The same declaration the cdk8s charts take. With `azure.kesAuth` clientSecret (the default), `kes.auth` must be
   * `AzureAuth.clientSecret({ secretName })` without literal `tenantId`/`clientId`: the stack creates that Secret
   * from the app registration it makes. With workloadIdentity or managedIdentity, leave `kes.auth` out: the stack
   * derives it from the identity it creates. A plain value, validated before any resource is registered.
   */
  readonly declaration: MinioSseStackDeclaration;
  /**
   * The Azure side: the KES identity (`kesAuth`), and the vault (existing or new). The vault name must be the one
   * in `declaration.kes.keyVaultEndpoint`, whose cloud the providers must target (`keyVaultEndpoint` defaults to it).
   */
  readonly azure: KesAzureIdentityArgs;
  /** Where the operator CRDs come from. @default OperatorCrds.fromRelease() (downloaded, SHA-256 checked) */
  readonly crds?: OperatorCrds;
  /** Kubernetes provider for every Kubernetes object. @default - the ambient provider (current kubeconfig) */
  readonly kubernetesProvider?: k8s.Provider;
  /** MinIO root user written to `config.env`. @default 'minio-root' */
  readonly rootUser?: string;
  /** Length of the generated root password (letters and digits). @default 40 */
  readonly rootPasswordLength?: number;
}

/**
 * One declarative stack for one tenant: the operator ({@link MinioSseOperator}) and the tenant
 * ({@link MinioSseTenant}) components under one parent — the KES identity and vault access in Azure
 * ({@link KesAzureIdentity}), the two Secrets the cdk8s charts only reference (Azure credentials for KES; the
 * Tenant's `config.env` with a generated root password), and the operator and tenant manifests — the very objects
 * `cdk8s synth` writes for the same declaration — applied as two `yaml/v2` ConfigGroups, the tenant group after
 * the operator group and the Secrets. For several tenants under one operator use {@link MinioSsePlatformStack}
 * (or the two components apart).
 *
 * Children keep their names (`${name}-operator`, `${name}-azure`, `${name}-kes-azure-credentials`,
 * `${name}-root-password`, `${name}-tenant-config`, `${name}-tenant`) and, through aliases, the URNs they had
 * before the stack was split into components, so upgrading replaces nothing. The tenant Namespace stays in the
 * operator group, as in the cdk8s single-tenant layout.
 *
 * Secret values only travel inside Pulumi secrets and typed `core/v1` Secrets (whose data the Kubernetes SDK
 * marks secret); the ConfigGroups (whose inputs are stored in state) carry no credential.
 *
 * @throws Error listing every problem of the declaration, the Azure arguments and their consistency, before
 *   any resource is registered
 */
export class MinioSseStack extends pulumi.ComponentResource {
  /** The validated declaration (with the client-secret slot annotation added to the KES pods). */
  public readonly spec: ResolvedDeclaration;
  /**
   * The declaration actually synthesized before registration (with `kes.auth` set by the stack; in the secretless
   * modes its client and tenant ID are {@link PREVIEW_IDENTITY_ID}, replaced by the identity's in the applied objects).
   */
  public readonly effectiveDeclaration: MinioSseDeclaration;
  /** The Azure identity and vault access. */
  public readonly identity: KesAzureIdentity;
  /** The objects of the operator chart, as passed to Kubernetes. */
  public readonly operatorObjects: any[];
  /** The objects of the tenant chart, as passed to Kubernetes. */
  public readonly tenantObjects: any[];
  /** The operator component. */
  public readonly operator: MinioSseOperator;
  /** The tenant component. */
  public readonly tenant: MinioSseTenant;
  /** Operator install + tenant namespace. */
  public readonly operatorGroup: k8s.yaml.v2.ConfigGroup;
  /** Tenant, KES config, bucket-encryption Job. */
  public readonly tenantGroup: k8s.yaml.v2.ConfigGroup;
  /** Secret with the Azure client secret and IDs KES reads (`kes.auth.secretName`); client-secret mode only. */
  public readonly kesCredentialsSecret?: k8s.core.v1.Secret;
  /**
   * The tenant chart's objects as applied. In the secretless modes they are synthesized again with the identity's
   * client and tenant ID (ServiceAccount annotations, `managed_identity` env), which `tenantObjects` (synthesized
   * before registration, for validation) holds as {@link PREVIEW_IDENTITY_ID}.
   */
  public readonly appliedTenantObjects: pulumi.Output<any[]>;
  /** Secret with the Tenant's `config.env` (`tenant.configurationSecretName`). */
  public readonly tenantConfigSecret: k8s.core.v1.Secret;

  /** Tenant namespace. */
  public readonly tenantNamespace: pulumi.Output<string>;
  /** In-cluster S3 endpoint of the Tenant, e.g. `https://minio.<ns>.svc.cluster.local:443`. */
  public readonly minioEndpoint: pulumi.Output<string>;
  /** KES headless Service, `<ns>/<tenant>-kes-hl-svc`. */
  public readonly kesService: pulumi.Output<string>;
  /** Every EK the Job creates. */
  public readonly encryptionKeys: pulumi.Output<string[]>;
  /** Buckets with bucket-default SSE-KMS. */
  public readonly bucketNames: pulumi.Output<string[]>;
  /** Client ID of the KES app registration. */
  public readonly clientId: pulumi.Output<string>;
  /** Key Vault URI. */
  public readonly keyVaultUri: pulumi.Output<string>;
  /** End date of the active client secret (RFC 3339); `undefined` in the secretless modes. */
  public readonly clientSecretEndDate: pulumi.Output<string | undefined>;

  constructor(name: string, rawArgs: MinioSseStackArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate and synthesize in memory (no files) before registering anything: a chart error leaves nothing
    // half-registered.
    const problems = validateStackArgs(rawArgs);
    if (problems.length > 0) {
      throw new Error(formatProblems(problems, 'MinioSseStack arguments'));
    }
    // Plain data from here on: what was validated is what is used (getters are not read twice).
    const args = snapshotPulumiArgs(rawArgs).value as MinioSseStackArgs;
    const tenantArgs: MinioSseTenantArgs = { ...args, createNamespace: false };
    const prepared = prepareTenant(tenantArgs, 'MinioSseStack');
    const operatorArgs = {
      release: prepared.spec.release,
      crds: args.crds,
      kubernetesProvider: args.kubernetesProvider,
      singleTenantSpec: prepared.spec,
    };
    const operatorPrepared = MinioSseOperator.prepare(operatorArgs);

    super(MINIO_SSE_STACK_TYPE, name, {}, opts);
    this.operator = new MinioSseOperator(
      name,
      { ...operatorArgs, legacyParent: this },
      { parent: this },
      operatorPrepared,
    );
    this.operatorGroup = this.operator.group;
    this.tenant = new MinioSseTenant(
      name,
      { ...tenantArgs, waitFor: [this.operatorGroup], legacyParent: this },
      { parent: this },
      prepared,
    );
    this.spec = this.tenant.spec;
    this.effectiveDeclaration = this.tenant.effectiveDeclaration;
    this.operatorObjects = this.operator.objects as any[];
    this.tenantObjects = this.tenant.tenantObjects;
    this.identity = this.tenant.identity;
    this.tenantGroup = this.tenant.tenantGroup;
    this.kesCredentialsSecret = this.tenant.kesCredentialsSecret;
    this.appliedTenantObjects = this.tenant.appliedTenantObjects;
    this.tenantConfigSecret = this.tenant.tenantConfigSecret;
    this.tenantNamespace = this.tenant.tenantNamespace;
    this.minioEndpoint = this.tenant.minioEndpoint;
    this.kesService = this.tenant.kesService;
    this.encryptionKeys = this.tenant.encryptionKeys;
    this.bucketNames = this.tenant.bucketNames;
    this.clientId = this.tenant.clientId;
    this.keyVaultUri = this.tenant.keyVaultUri;
    this.clientSecretEndDate = this.tenant.clientSecretEndDate;
    this.registerOutputs({
      tenantNamespace: this.tenantNamespace,
      minioEndpoint: this.minioEndpoint,
      kesService: this.kesService,
      encryptionKeys: this.encryptionKeys,
      bucketNames: this.bucketNames,
      clientId: this.clientId,
      keyVaultUri: this.keyVaultUri,
      clientSecretEndDate: this.clientSecretEndDate,
    });
  }
}

/** Fields of {@link MinioSseStackArgs}. */
const STACK_ARG_KEYS = ['declaration', 'azure', 'crds', 'kubernetesProvider', 'rootUser', 'rootPasswordLength'];

/**
 * Every problem of the stack arguments: the declaration's, the Azure arguments', and their consistency.
 * Pure; never throws for bad data.
 */
export function validateStackArgs(args: MinioSseStackArgs): Problem[] {
  return validateTenantArgs(args, STACK_ARG_KEYS, 'MinioSseStack');
}
