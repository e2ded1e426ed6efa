import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { App } from 'cdk8s';
import {
  KesAuthMode,
  KesAzureIdentity,
  KesAzureIdentityArgs,
  PREVIEW_IDENTITY_ID,
  checkKesAuthBinding,
  kesAuthModeOf,
  kesAzureAuthFor,
  validateKesAzureIdentityArgs,
} from '../azure';
import { MinioSseCharts, OperatorCrds } from '../k8s';
import {
  ACTIVE_CLIENT_SECRET_ANNOTATION,
  AzureAuth,
  checkDnsLabel,
  checkKeyVaultEndpoint,
  checkKeyVaultName,
  formatProblems,
  KES_ENV,
  keyVaultNameOf,
  MinioSseDeclaration,
  Problem,
  ResolvedDeclaration,
  showValue,
  validateDeclaration,
} from '../spec';

/** Re-exported for Pulumi users: the KES pod annotation carrying the active client-secret slot. */
export { ACTIVE_CLIENT_SECRET_ANNOTATION } from '../spec';

/** Type token of {@link MinioSseStack}. */
export const MINIO_SSE_STACK_TYPE = 'minio-sse-azure:pulumi:MinioSseStack';


/** The declaration {@link MinioSseStack} takes: the cdk8s one, with `kes.auth` left out in the secretless modes. */
export type MinioSseStackDeclaration = Omit<MinioSseDeclaration, 'kes'> & {
  readonly kes: Omit<MinioSseDeclaration['kes'], 'auth'> & { readonly auth?: AzureAuth };
};

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
 * One declarative stack: the KES identity and vault access in Azure ({@link KesAzureIdentity}), the two Secrets
 * the cdk8s charts only reference (Azure credentials for KES; the Tenant's `config.env` with a generated root
 * password), and the operator and tenant manifests — the very objects `cdk8s synth` writes for the same
 * declaration — applied as two `yaml/v2` ConfigGroups, the tenant group after the operator group and the Secrets.
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

  constructor(name: string, args: MinioSseStackArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateStackArgs(args);
    if (problems.length > 0) {
      throw new Error(formatProblems(problems, 'MinioSseStack arguments'));
    }
    const mode = kesAuthModeOf(args.azure);
    const azureArgs = withEndpoint(args);
    const bound = (ids: { clientId: string; tenantId: string }): MinioSseDeclaration =>
      bindAuth(args.declaration, azureArgs, ids);
    const preview = bound({ clientId: PREVIEW_IDENTITY_ID, tenantId: PREVIEW_IDENTITY_ID });
    const effective = mode === KesAuthMode.CLIENT_SECRET ? withActiveSlotAnnotation(preview, args.azure) : preview;
    // Synthesize in memory (no files) before registering anything: a chart error leaves nothing half-registered.
    const charts = new MinioSseCharts(new App({ outdir: '.' }), { declaration: effective, crds: args.crds });
    // Frozen: what is validated is what is applied, even if a caller touches the arrays afterwards.
    const operatorObjects = deepFreeze(charts.operatorChart.toJson());
    const tenantObjects = deepFreeze(charts.tenantChart.toJson());

    super(MINIO_SSE_STACK_TYPE, name, {}, opts);
    const spec = (this.spec = charts.spec);
    this.effectiveDeclaration = effective;
    this.operatorObjects = operatorObjects;
    this.tenantObjects = tenantObjects;
    const k8sOpts = (more: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions => ({
      parent: this,
      ...(args.kubernetesProvider ? { provider: args.kubernetesProvider } : {}),
      ...more,
    });

    this.identity = new KesAzureIdentity(`${name}-azure`, azureArgs, { parent: this });

    this.operatorGroup = new k8s.yaml.v2.ConfigGroup(`${name}-operator`, { objs: operatorObjects }, k8sOpts());

    const namespace = spec.tenant.namespace;
    const auth = spec.kes.auth.clientSecretOptions;
    if (auth) {
      const credentialKeys = {
        secret: auth.clientSecretKey ?? KES_ENV.CLIENT_SECRET,
        tenant: auth.tenantIdKey ?? KES_ENV.TENANT_ID,
        client: auth.clientIdKey ?? KES_ENV.CLIENT_ID,
      };
      this.kesCredentialsSecret = new k8s.core.v1.Secret(
        `${name}-kes-azure-credentials`,
        {
          metadata: { name: auth.secretName, namespace, labels: { 'app.kubernetes.io/managed-by': 'minio-sse-azure' } },
          type: 'Opaque',
          stringData: pulumi.secret(
            pulumi
              .all([this.identity.clientSecret!, this.identity.tenantId, this.identity.clientId])
              .apply(([secret, tenantId, clientId]) => ({
                [credentialKeys.secret]: secret,
                [credentialKeys.tenant]: tenantId,
                [credentialKeys.client]: clientId,
              })),
          ),
        },
        k8sOpts({ dependsOn: [this.operatorGroup], additionalSecretOutputs: ['data', 'stringData'] }),
      );
    }

    const rootPassword = new random.RandomPassword(
      `${name}-root-password`,
      { length: args.rootPasswordLength ?? 40, special: false, minLower: 1, minUpper: 1, minNumeric: 1 },
      { parent: this, additionalSecretOutputs: ['result'] },
    );
    const rootUser = args.rootUser ?? 'minio-root';
    this.tenantConfigSecret = new k8s.core.v1.Secret(
      `${name}-tenant-config`,
      {
        metadata: {
          name: spec.tenant.configurationSecretName,
          namespace,
          labels: { 'app.kubernetes.io/managed-by': 'minio-sse-azure' },
        },
        type: 'Opaque',
        stringData: pulumi.secret(rootPassword.result.apply((password) => ({ 'config.env': configEnv(rootUser, password) }))),
      },
      k8sOpts({ dependsOn: [this.operatorGroup], additionalSecretOutputs: ['data', 'stringData'] }),
    );

    // KES must not start before it may read the vault: the tenant group also waits for the grant, and for the
    // vault the grant is on to be the one the KES config names (same host, hence same cloud).
    const grant = this.identity.roleAssignment ?? this.identity.accessPolicy;
    const endpoint = spec.kes.endpoint;
    // Secretless modes: the tenant chart again, with the identity's IDs (deterministic: only those values differ).
    const applied: pulumi.Output<any[]> =
      mode === KesAuthMode.CLIENT_SECRET
        ? pulumi.output(tenantObjects)
        : pulumi.all([this.identity.clientId, this.identity.tenantId]).apply(([clientId, tenantId]) =>
            deepFreeze(new MinioSseCharts(new App({ outdir: '.' }), { declaration: bound({ clientId, tenantId }), crds: args.crds }).tenantChart.toJson()),
          );
    this.appliedTenantObjects = applied;
    this.tenantGroup = new k8s.yaml.v2.ConfigGroup(
      `${name}-tenant`,
      {
        objs: pulumi.all([this.identity.keyVaultUri, applied]).apply(([uri, objs]) => {
          const mismatch = endpointMismatch(endpoint, uri);
          if (mismatch) {
            throw new Error(mismatch);
          }
          return objs;
        }),
      },
      k8sOpts({
        dependsOn: [
          this.operatorGroup,
          ...(this.kesCredentialsSecret ? [this.kesCredentialsSecret] : []),
          this.tenantConfigSecret,
          ...(grant ? [grant] : []),
          ...(this.identity.federatedCredential ? [this.identity.federatedCredential] : []),
        ],
      }),
    );

    this.tenantNamespace = pulumi.output(namespace);
    this.minioEndpoint = pulumi.output(spec.tenant.serviceUrl);
    this.kesService = pulumi.output(`${namespace}/${spec.kes.serviceName}`);
    this.encryptionKeys = pulumi.output([...spec.encryptionKeys]);
    this.bucketNames = pulumi.output(spec.buckets.map((b) => b.name));
    this.clientId = this.identity.clientId;
    this.keyVaultUri = this.identity.keyVaultUri;
    this.clientSecretEndDate = pulumi.output(this.identity.clientSecretEndDate);
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

/**
 * `config.env` for the Tenant's configuration Secret: `export KEY="value"` lines, which both operator releases
 * read (v7 reads only `export ` lines; research minio-operator.md §2.4).
 */
export function configEnv(rootUser: string, rootPassword: string): string {
  return `export MINIO_ROOT_USER="${rootUser}"\nexport MINIO_ROOT_PASSWORD="${rootPassword}"\n`;
}

/**
 * Why the declared Key Vault endpoint is not the vault Azure reports (another host, e.g. another cloud's suffix),
 * or `undefined` when they are the same. Case and a trailing `/` do not matter.
 */
export function endpointMismatch(declaredEndpoint: string, vaultUri: string): string | undefined {
  const host = (u: string) => {
    try {
      return new URL(u).host.toLowerCase();
    } catch {
      return undefined;
    }
  };
  const declared = host(declaredEndpoint);
  const actual = host(vaultUri);
  if (declared === undefined || actual === undefined || declared !== actual) {
    return `declaration.kes.keyVaultEndpoint names host ${JSON.stringify(declared ?? declaredEndpoint)} but the vault KES is granted access to is ${JSON.stringify(actual ?? vaultUri)} (another Azure cloud or vault): KES would call a vault it has no access to`;
  }
  return undefined;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.values(value as Record<string, unknown>).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** Fields of {@link MinioSseStackArgs}. */
const STACK_ARG_KEYS = ['declaration', 'azure', 'crds', 'kubernetesProvider', 'rootUser', 'rootPasswordLength'];

/**
 * Every problem of the stack arguments: the declaration's, the Azure arguments', and their consistency.
 * Pure; never throws for bad data.
 */
export function validateStackArgs(args: MinioSseStackArgs): Problem[] {
  if (args === null || typeof args !== 'object') {
    return [{ path: '(root)', message: 'the arguments must be an object' }];
  }
  const problems: Problem[] = [
    ...Object.keys(args)
      .filter((k) => !STACK_ARG_KEYS.includes(k) && (args as unknown as Record<string, unknown>)[k] !== undefined)
      .map((k) => ({
        path: k.length <= 40 && /^[A-Za-z0-9_]+$/.test(k) ? k : '(a field)',
        message: `is not a known field (expected one of ${STACK_ARG_KEYS.join(', ')}); the root password and the client secret are generated, never passed in`,
      })),
  ];
  const declared = args.declaration?.kes?.auth;
  const binding = checkKesAuthBinding(declared, args.azure, args.declaration?.tenant?.namespace ?? args.declaration?.tenant?.name);
  problems.push(...binding);
  const azureArgs = withEndpoint(args);
  if (binding.length === 0) {
    const preview = bindAuth(args.declaration, azureArgs, { clientId: PREVIEW_IDENTITY_ID, tenantId: PREVIEW_IDENTITY_ID });
    problems.push(...validateDeclaration(preview).map((p) => ({ path: `declaration.${p.path}`, message: p.message })));
  }
  // An endpoint defaulted from the declaration is reported there (declaration.kes.keyVaultEndpoint), not twice.
  const endpointGiven = args.azure?.keyVaultEndpoint !== undefined;
  problems.push(
    ...validateKesAzureIdentityArgs(azureArgs)
      .filter((p) => endpointGiven || p.path !== 'keyVaultEndpoint')
      // A stack config key (`azuread:environment`) is its own path, not a field of `azure`.
      .map((p) => ({ path: p.path.includes(':') ? p.path : `azure.${p.path}`, message: p.message })),
  );
  const cs = AzureAuth.isAzureAuth(declared) ? declared.clientSecretOptions : undefined;
  for (const field of ['tenantId', 'clientId'] as const) {
    if (cs?.[field] !== undefined) {
      problems.push({
        path: `declaration.kes.auth.${field}`,
        message: `must not be set with MinioSseStack: it comes from the app registration the stack creates (written to the Secret "${cs.secretName}")`,
      });
    }
  }
  const endpoint = args.declaration?.kes?.keyVaultEndpoint;
  const vaultName = args.azure?.existingVault?.vaultName ?? args.azure?.newVault?.vaultName;
  // Compared only when both are valid (a bad one is already reported, without its value).
  if (typeof endpoint === 'string' && typeof vaultName === 'string' && !checkKeyVaultEndpoint(endpoint) && !checkKeyVaultName(vaultName)) {
    let endpointVault: string | undefined;
    try {
      endpointVault = keyVaultNameOf(endpoint);
    } catch {
      endpointVault = undefined; // already reported by validateDeclaration
    }
    if (endpointVault !== undefined && endpointVault.toLowerCase() !== vaultName.toLowerCase()) {
      problems.push({
        path: 'declaration.kes.keyVaultEndpoint',
        message: `${JSON.stringify(endpoint)} names vault "${endpointVault}" but the Azure arguments grant access to vault "${vaultName}"`,
      });
    }
  }
  if (args.rootUser !== undefined && (typeof args.rootUser !== 'string' || checkDnsLabel(args.rootUser) !== undefined || args.rootUser.length < 3)) {
    problems.push({
      path: 'rootUser',
      message: 'the value (not shown: it may be a credential) must be 3 to 63 lowercase letters, digits and "-" (the MinIO root user, quoted in config.env)',
    });
  }
  const len = args.rootPasswordLength;
  if (len !== undefined && (typeof len !== 'number' || !Number.isInteger(len) || len < 16 || len > 128)) {
    problems.push({
      path: 'rootPasswordLength',
      message: `${typeof len === 'number' ? showValue(len) : 'the value (not shown: it may be a password)'} must be an integer between 16 and 128`,
    });
  }
  return problems;
}

/** The declaration with `kes.auth` for the identity the stack provisions (see `kesAzureAuthFor`). */
function bindAuth(decl: MinioSseStackDeclaration, azure: KesAzureIdentityArgs, ids: { clientId: string; tenantId: string }): MinioSseDeclaration {
  if (decl === null || typeof decl !== 'object' || decl.kes === null || typeof decl.kes !== 'object') {
    return decl as MinioSseDeclaration;
  }
  return { ...decl, kes: { ...decl.kes, auth: kesAzureAuthFor(azure, decl.kes.auth, ids) as AzureAuth } };
}

/** The Azure arguments with `keyVaultEndpoint` defaulted to the declaration's, so the cloud check sees it. */
function withEndpoint(args: MinioSseStackArgs): KesAzureIdentityArgs {
  const azure = args?.azure;
  const endpoint = args?.declaration?.kes?.keyVaultEndpoint;
  if (azure === null || typeof azure !== 'object' || azure.keyVaultEndpoint !== undefined || typeof endpoint !== 'string') {
    return azure;
  }
  return { ...azure, keyVaultEndpoint: endpoint };
}

/** The declaration with the active client-secret slot as a KES pod annotation, so switching slots rolls KES. */
function withActiveSlotAnnotation(decl: MinioSseDeclaration, azure: KesAzureIdentityArgs): MinioSseDeclaration {
  const active = azure.activeClientSecret ?? azure.clientSecrets![0].name;
  return {
    ...decl,
    kes: { ...decl.kes, podAnnotations: { ...decl.kes.podAnnotations, [ACTIVE_CLIENT_SECRET_ANNOTATION]: active } },
  };
}
