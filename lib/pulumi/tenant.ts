import * as k8s from '@pulumi/kubernetes';
import { checkResourceArgs, withUserCrds } from './arg-checks';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { App } from 'cdk8s';
import {
  checkKesAuthBinding,
  KesAuthMode,
  kesAuthModeOf,
  kesAzureAuthFor,
  KesAzureIdentity,
  KesAzureIdentityArgs,
  PREVIEW_IDENTITY_ID,
  ResolvedKesAzureIdentityArgs,
  tryResolveKesAzureIdentityArgs,
} from '../azure';
import { OperatorCrds, TenantChart } from '../k8s';
import { ACTIVE_CLIENT_SECRET_ANNOTATION } from '../azure/slot-annotation';
import {
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
  resolveDeclaration,
  showValue,
  tryResolveDeclaration,
} from '../declaration';
import { snapshotPulumiArgs } from './args-snapshot';
import { deepFreeze, legacyAliases } from './common';

/** Type token of {@link MinioSseTenant}. */
export const MINIO_SSE_TENANT_TYPE = 'minio-sse-azure:pulumi:MinioSseTenant';

/** The declaration a Pulumi tenant takes: the cdk8s one, with `kes.auth` left out in the secretless modes. */
export type MinioSseTenantDeclaration = Omit<MinioSseDeclaration, 'kes'> & {
  readonly kes: Omit<MinioSseDeclaration['kes'], 'auth'> & { readonly auth?: AzureAuth };
};

/** Arguments of {@link MinioSseTenant}. */
export interface MinioSseTenantArgs {
  /**
   * The tenant's declaration; `release` and `operatorNamespace` must be those of the operator the tenant runs under
   * (in a team stack, read them from the platform stack: `await ref.requireOutputValue('release')`). With
   * `azure.kesAuth` clientSecret (the default), `kes.auth` must be `AzureAuth.clientSecret({ secretName })` without
   * literal `tenantId`/`clientId`: the component creates that Secret from the app registration it makes. With
   * workloadIdentity or managedIdentity, leave `kes.auth` out: it is derived from the identity created. A plain
   * value, validated before any resource is registered.
   */
  readonly declaration: MinioSseTenantDeclaration;
  /**
   * This tenant's own Azure side: its KES identity (`kesAuth`) and the vault it is granted access to (existing or
   * new). The vault name must be the one in `declaration.kes.keyVaultEndpoint`, whose cloud the providers must
   * target (`keyVaultEndpoint` defaults to it).
   */
  readonly azure: KesAzureIdentityArgs;
  /**
   * This tenant's vault also holds other tenants' EKs. Requires `declaration.kes.keyNamePrefix` (so this tenant's
   * MinIO, through its KES policy, creates and uses only EKs under its prefix) and `azure.existingVault` (no tenant
   * owns a shared vault).
   *
   * What it does NOT isolate: every tenant's KES identity is granted secret get, list, set, delete and purge (or
   * "Key Vault Secrets Officer") on the whole vault, so each tenant's KES identity — and whoever holds its client
   * secret — can read, overwrite and delete every other tenant's EKs. Key Vault access cannot be scoped to secrets
   * that do not exist yet: access policies apply to the whole vault, and an RBAC role assignment at secret scope
   * names an existing secret (MicrosoftDocs `key-vault/general/rbac-guide.md`), while KES creates its EKs at run time
   * (minio/kes `internal/keystore/azure`). A vault per tenant is the isolation unit, and the default.
   * @default false
   */
  readonly sharedVault?: boolean;
  /** Where the operator CRDs come from (read to validate the Tenant). @default OperatorCrds.fromRelease() */
  readonly crds?: OperatorCrds;
  /** Kubernetes provider for every Kubernetes object. @default - the ambient provider (current kubeconfig) */
  readonly kubernetesProvider?: k8s.Provider;
  /** MinIO root user written to `config.env`. @default 'minio-root' */
  readonly rootUser?: string;
  /** Length of the generated root password (letters and digits). @default 40 */
  readonly rootPasswordLength?: number;
  /**
   * Resources every Kubernetes object of the tenant waits for: the {@link MinioSseOperator} (or its `group`) when
   * it is in the same program. @default - none (the operator is installed by another stack or tool)
   */
  readonly waitFor?: pulumi.Resource[];
  /**
   * Create the tenant's Namespace (ConfigGroup `${name}-namespace`, ahead of the Secrets and the tenant group).
   * `false` when something else creates it (the single-tenant {@link MinioSseStack} keeps it in the operator group).
   * @default true
   */
  readonly createNamespace?: boolean;
  /** Children keep the URNs they had as direct children of this resource (see {@link MinioSseStack}). @default - none */
  readonly legacyParent?: pulumi.Resource;
}

/** What {@link MinioSseTenant} synthesizes before registering anything (plain, frozen). */
export interface PreparedTenant {
  /** The validated declaration (with the active client-secret slot annotation on the KES pods). */
  readonly spec: ResolvedDeclaration;
  /**
   * The declaration synthesized before registration (with `kes.auth` set; in the secretless modes its client and
   * tenant ID are {@link PREVIEW_IDENTITY_ID}, replaced by the identity's in the applied objects).
   */
  readonly effectiveDeclaration: MinioSseDeclaration;
  /** How KES authenticates. */
  readonly mode: KesAuthMode;
  /** The Azure arguments with `keyVaultEndpoint` defaulted to the declaration's. */
  readonly azureArgs: KesAzureIdentityArgs;
  /** `azureArgs` resolved (`tryResolveKesAzureIdentityArgs`), for `KesAzureIdentity` not to validate them again. */
  readonly validatedAzureArgs?: ResolvedKesAzureIdentityArgs;
  /** The tenant's Namespace object (empty with `createNamespace: false`). */
  readonly namespaceObjects: readonly Record<string, any>[];
  /** The tenant objects: KES config Secret, (ServiceAccount), Tenant, Job and its ConfigMap. */
  readonly tenantObjects: readonly Record<string, any>[];
}

/** Fields of {@link MinioSseTenantArgs}. */
export const TENANT_ARG_KEYS = [
  'declaration',
  'azure',
  'sharedVault',
  'crds',
  'kubernetesProvider',
  'rootUser',
  'rootPasswordLength',
  'waitFor',
  'createNamespace',
  'legacyParent',
];

/**
 * Validate the arguments and synthesize the tenant's objects in memory, without registering anything.
 * @param who the component named in messages
 * @param allowedKeys the argument fields accepted
 * @throws Error listing every problem of the arguments, or when the Tenant breaks the release's CRD
 */
export function prepareTenant(
  rawArgs: MinioSseTenantArgs,
  who = 'MinioSseTenant',
  allowedKeys = TENANT_ARG_KEYS,
): PreparedTenant {
  const checked = checkTenantArgs(rawArgs, allowedKeys, who);
  const { problems, args, preview, spec: previewSpec, azureArgs } = checked;
  if (problems.length > 0 || !args || !preview || !previewSpec || !azureArgs) {
    throw new Error(formatProblems(problems, `${who} arguments`));
  }
  // Plain data from here on: what was validated is what is used (getters are not read twice), and nothing is
  // validated again: the resolved declaration and Azure arguments are passed on.
  const mode = kesAuthModeOf(args.azure);
  const active = mode === KesAuthMode.CLIENT_SECRET ? activeSlotOf(args.azure) : undefined;
  const effective = active !== undefined ? withActiveSlotAnnotation(preview, active) : preview;
  const createNamespace = args.createNamespace ?? true;
  const resolved = active !== undefined ? withActiveSlotAnnotationResolved(previewSpec, active) : previewSpec;
  const { spec, objects } = synthResolvedTenant(resolved, args.crds, createNamespace);
  return deepFreeze({
    spec,
    effectiveDeclaration: effective,
    mode,
    azureArgs,
    validatedAzureArgs: checked.azure,
    namespaceObjects: createNamespace ? objects.slice(0, 1) : [],
    tenantObjects: createNamespace ? objects.slice(1) : objects,
  });
}

/** The tenant chart of a declaration, in memory (the Tenant validated against the release's CRD). */
function synthTenant(decl: MinioSseDeclaration, crdSource: OperatorCrds | undefined, createNamespace: boolean) {
  return synthResolvedTenant(resolveDeclaration(decl), crdSource, createNamespace);
}

/** The tenant chart of a resolved declaration, in memory (the Tenant validated against the release's CRD). */
function synthResolvedTenant(spec: ResolvedDeclaration, crdSource: OperatorCrds | undefined, createNamespace: boolean) {
  const crds = crdSource ?? OperatorCrds.fromRelease();
  const chart = withUserCrds(crds, 'MinioSseTenant', () => {
    crds.load(spec.release);
    return new TenantChart(new App({ outdir: '.' }), spec.tenant.name, {
      declaration: spec,
      tenantCrdSchema: crds.tenantSchema(spec.release),
      emitNamespace: createNamespace,
    });
  });
  return { spec, objects: chart.toJson() as Record<string, any>[] };
}

/**
 * A tenant declaration with `kes.auth` bound for validation before registration: the identity the component
 * provisions, with {@link PREVIEW_IDENTITY_ID} for its client and tenant ID (see `kesAzureAuthFor`).
 */
export function previewTenantDeclaration(
  decl: MinioSseTenantDeclaration,
  azure: KesAzureIdentityArgs,
): MinioSseDeclaration {
  return bindAuth(decl, withEndpoint(decl, azure), { clientId: PREVIEW_IDENTITY_ID, tenantId: PREVIEW_IDENTITY_ID });
}

/**
 * One tenant under an operator that is already there (same program: pass the operator in `waitFor`; another stack:
 * nothing to pass): its own KES identity and vault access in Azure ({@link KesAzureIdentity} `${name}-azure`), its
 * Namespace (`${name}-namespace`, unless `createNamespace: false`), the two Secrets the cdk8s chart only references
 * (`${name}-kes-azure-credentials` with the app's IDs and client secret; `${name}-tenant-config` with `config.env`
 * and a generated root password `${name}-root-password`), and the tenant's objects as ConfigGroup `${name}-tenant`,
 * applied after the Secrets and the vault grant.
 *
 * Secret values only travel inside Pulumi secrets and typed `core/v1` Secrets; the ConfigGroups carry no credential.
 *
 * @throws Error listing every problem of the declaration, the Azure arguments and their consistency, before any
 *   resource is registered
 */
export class MinioSseTenant extends pulumi.ComponentResource {
  /** The validated declaration (with the client-secret slot annotation added to the KES pods). */
  public readonly spec: ResolvedDeclaration;
  /**
   * The declaration synthesized before registration (with `kes.auth` set; in the secretless modes its client and
   * tenant ID are {@link PREVIEW_IDENTITY_ID}, replaced by the identity's in the applied objects).
   */
  public readonly effectiveDeclaration: MinioSseDeclaration;
  /** The tenant objects synthesized before registration, for validation (frozen). */
  public readonly tenantObjects: any[];
  /**
   * The tenant objects as applied. In the secretless modes they are synthesized again with the identity's client
   * and tenant ID (ServiceAccount annotations, `managed_identity` env), which `tenantObjects` holds as
   * {@link PREVIEW_IDENTITY_ID}.
   */
  public readonly appliedTenantObjects: pulumi.Output<any[]>;
  /** This tenant's Azure identity and vault access. */
  public readonly identity: KesAzureIdentity;
  /** The tenant's Namespace (`undefined` with `createNamespace: false`). */
  public readonly namespaceGroup?: k8s.yaml.v2.ConfigGroup;
  /** Tenant, KES config, bucket-encryption Job. */
  public readonly tenantGroup: k8s.yaml.v2.ConfigGroup;
  /** Secret with the Azure client secret and IDs KES reads (`kes.auth.secretName`); client-secret mode only. */
  public readonly kesCredentialsSecret?: k8s.core.v1.Secret;
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
  /** Client ID of this tenant's KES app registration. */
  public readonly clientId: pulumi.Output<string>;
  /** Key Vault URI. */
  public readonly keyVaultUri: pulumi.Output<string>;
  /** End date of the active client secret (RFC 3339); `undefined` in the secretless modes. */
  public readonly clientSecretEndDate: pulumi.Output<string | undefined>;

  /**
   * @param prepared the result of {@link prepareTenant} for these very `args` (lets a caller validate several
   *   components before registering any); @default - prepared here
   */
  constructor(
    name: string,
    args: MinioSseTenantArgs,
    opts?: pulumi.ComponentResourceOptions,
    prepared?: PreparedTenant,
  ) {
    const ready = prepared ?? prepareTenant(args);
    super(MINIO_SSE_TENANT_TYPE, name, {}, opts);
    const spec = (this.spec = ready.spec);
    this.effectiveDeclaration = ready.effectiveDeclaration;
    this.tenantObjects = ready.tenantObjects as any[];
    const alias = legacyAliases(args.legacyParent);
    const k8sOpts = (more: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions => ({
      parent: this,
      ...(args.kubernetesProvider ? { provider: args.kubernetesProvider } : {}),
      ...alias,
      ...more,
    });
    const waitFor = [...(args.waitFor ?? [])];

    this.identity = new KesAzureIdentity(
      `${name}-azure`,
      ready.azureArgs,
      { parent: this, ...alias },
      ready.validatedAzureArgs,
    );

    if (ready.namespaceObjects.length > 0) {
      this.namespaceGroup = new k8s.yaml.v2.ConfigGroup(
        `${name}-namespace`,
        { objs: ready.namespaceObjects as any[] },
        k8sOpts(waitFor.length > 0 ? { dependsOn: waitFor } : {}),
      );
    }
    const before = [...waitFor, ...(this.namespaceGroup ? [this.namespaceGroup] : [])];

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
        k8sOpts({ dependsOn: before, additionalSecretOutputs: ['data', 'stringData'] }),
      );
    }

    const rootPassword = new random.RandomPassword(
      `${name}-root-password`,
      { length: args.rootPasswordLength ?? 40, special: false, minLower: 1, minUpper: 1, minNumeric: 1 },
      { parent: this, additionalSecretOutputs: ['result'], ...alias },
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
        stringData: pulumi.secret(
          rootPassword.result.apply((password) => ({ 'config.env': configEnv(rootUser, password) })),
        ),
      },
      k8sOpts({ dependsOn: before, additionalSecretOutputs: ['data', 'stringData'] }),
    );

    // KES must not start before it may read the vault: the tenant group also waits for the grant (and the federated
    // credential), and for the vault the grant is on to be the one the KES config names (same host, same cloud).
    const grant = this.identity.roleAssignment ?? this.identity.accessPolicy;
    const endpoint = spec.kes.endpoint;
    const tenantObjects = this.tenantObjects;
    // Secretless modes: the tenant chart again, with the identity's IDs (deterministic: only those values differ).
    const createNamespace = ready.namespaceObjects.length > 0;
    const applied: pulumi.Output<any[]> =
      ready.mode === KesAuthMode.CLIENT_SECRET
        ? pulumi.output(tenantObjects)
        : pulumi.all([this.identity.clientId, this.identity.tenantId]).apply(([clientId, tenantId]) => {
            const { objects } = synthTenant(
              bindAuth(args.declaration, ready.azureArgs, { clientId, tenantId }),
              args.crds,
              createNamespace,
            );
            return deepFreeze(createNamespace ? objects.slice(1) : objects);
          });
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
          ...before,
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

/**
 * Every problem of the tenant arguments: unknown fields, the declaration's, the Azure arguments', their
 * consistency, and the shared-vault rules. Pure; never throws for bad data.
 * @param allowedKeys the argument fields accepted (the single-tenant stack accepts fewer)
 * @param who the component named in messages
 */
export function validateTenantArgs(
  rawArgs: MinioSseTenantArgs,
  allowedKeys: readonly string[] = TENANT_ARG_KEYS,
  who = 'MinioSseTenant',
): Problem[] {
  return checkTenantArgs(rawArgs, allowedKeys, who).problems;
}

/** What {@link checkTenantArgs} found: the problems and, when there is none, what was validated. */
interface CheckedTenantArgs {
  readonly problems: Problem[];
  /** The arguments as read (plain data): what was validated is what is used. */
  readonly args?: MinioSseTenantArgs;
  /** The declaration with `kes.auth` bound to the preview identity, as validated. */
  readonly preview?: MinioSseDeclaration;
  /** `preview` resolved (when the arguments are valid). */
  readonly spec?: ResolvedDeclaration;
  /** The Azure arguments with the endpoint defaulted, and their resolution (when valid). */
  readonly azureArgs?: KesAzureIdentityArgs;
  readonly azure?: ResolvedKesAzureIdentityArgs;
}

/** {@link validateTenantArgs}, keeping what it resolved so that nothing is validated twice on the same path. */
function checkTenantArgs(rawArgs: unknown, allowedKeys: readonly string[], who: string): CheckedTenantArgs {
  // Any JavaScript value: read defensively first, so the checks below only see plain data.
  const snap = snapshotPulumiArgs(rawArgs as MinioSseTenantArgs);
  if (snap.problems.length > 0) {
    return { problems: [...snap.problems] };
  }
  const args = snap.value as MinioSseTenantArgs;
  if (args === null || typeof args !== 'object') {
    return { problems: [{ path: '(root)', message: 'the arguments must be an object' }] };
  }
  const problems: Problem[] = [
    ...Object.keys(args)
      .filter((k) => !allowedKeys.includes(k) && (args as unknown as Record<string, unknown>)[k] !== undefined)
      .map((k) => ({
        path: k.length <= 40 && /^[A-Za-z0-9_]+$/.test(k) ? k : '(a field)',
        message: `is not a known field (expected one of ${allowedKeys.join(', ')}); the root password and the client secret are generated, never passed in`,
      })),
  ];
  problems.push(...checkResourceArgs(args));
  const declared = args.declaration?.kes?.auth;
  const binding = checkKesAuthBinding(
    declared,
    args.azure,
    args.declaration?.tenant?.namespace ?? args.declaration?.tenant?.name,
  );
  problems.push(...binding);
  const azureArgs = withEndpoint(args.declaration, args.azure);
  let preview: MinioSseDeclaration | undefined;
  let spec: ResolvedDeclaration | undefined;
  if (binding.length === 0) {
    preview = bindAuth(args.declaration, azureArgs, {
      clientId: PREVIEW_IDENTITY_ID,
      tenantId: PREVIEW_IDENTITY_ID,
    });
    const own = tryResolveDeclaration(preview);
    spec = own.resolved;
    problems.push(...own.problems.map((p) => ({ path: `declaration.${p.path}`, message: p.message })));
  }
  // An endpoint defaulted from the declaration is reported there (declaration.kes.keyVaultEndpoint), not twice.
  const endpointGiven = args.azure?.keyVaultEndpoint !== undefined;
  const azure = tryResolveKesAzureIdentityArgs(azureArgs);
  problems.push(
    ...azure.problems
      .filter((p) => endpointGiven || p.path !== 'keyVaultEndpoint')
      // A stack config key (`azuread:environment`) is its own path, not a field of `azure`.
      .map((p) => ({ path: p.path.includes(':') ? p.path : `azure.${p.path}`, message: p.message })),
  );
  const cs = AzureAuth.isAzureAuth(declared) ? declared.clientSecretOptions : undefined;
  for (const field of ['tenantId', 'clientId'] as const) {
    if (cs?.[field] !== undefined) {
      problems.push({
        path: `declaration.kes.auth.${field}`,
        message: `must not be set with ${who}: it comes from the app registration ${who === 'MinioSseStack' ? 'the stack' : 'it'} creates (written to the Secret named by kes.auth.secretName)`,
      });
    }
  }
  const endpoint = args.declaration?.kes?.keyVaultEndpoint;
  const vaultName = args.azure?.existingVault?.vaultName ?? args.azure?.newVault?.vaultName;
  // Compared only when both are valid (a bad one is already reported, without its value).
  if (
    typeof endpoint === 'string' &&
    typeof vaultName === 'string' &&
    !checkKeyVaultEndpoint(endpoint) &&
    !checkKeyVaultName(vaultName)
  ) {
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
  if (
    args.rootUser !== undefined &&
    (typeof args.rootUser !== 'string' || checkDnsLabel(args.rootUser) !== undefined || args.rootUser.length < 3)
  ) {
    problems.push({
      path: 'rootUser',
      message:
        'the value (not shown: it may be a credential) must be 3 to 63 lowercase letters, digits and "-" (the MinIO root user, quoted in config.env)',
    });
  }
  const len = args.rootPasswordLength;
  if (len !== undefined && (typeof len !== 'number' || !Number.isInteger(len) || len < 16 || len > 128)) {
    problems.push({
      path: 'rootPasswordLength',
      message: `${typeof len === 'number' ? showValue(len) : 'the value (not shown: it may be a password)'} must be an integer between 16 and 128`,
    });
  }
  if (args.sharedVault !== undefined && typeof args.sharedVault !== 'boolean') {
    problems.push({ path: 'sharedVault', message: `${showValue(args.sharedVault)} must be a boolean` });
  }
  if (args.sharedVault === true) {
    if (args.declaration?.kes && args.declaration.kes.keyNamePrefix === undefined) {
      problems.push({
        path: 'declaration.kes.keyNamePrefix',
        message:
          "is required with sharedVault: true: the prefix limits this tenant's MinIO (its KES policy) to its own EKs in the shared vault",
      });
    }
    if (args.azure?.newVault !== undefined) {
      problems.push({
        path: 'azure.newVault',
        message:
          'a shared vault is not created by one of its tenants: create it once elsewhere and use azure.existingVault with sharedVault: true',
      });
    }
  }
  if (args.createNamespace !== undefined && typeof args.createNamespace !== 'boolean') {
    problems.push({ path: 'createNamespace', message: `${showValue(args.createNamespace)} must be a boolean` });
  }
  return problems.length > 0 ? { problems } : { problems, args, preview, spec, azureArgs, azure: azure.resolved };
}

/** The declaration with `kes.auth` for the identity the component provisions (see `kesAzureAuthFor`). */
function bindAuth(
  decl: MinioSseTenantDeclaration,
  azure: KesAzureIdentityArgs,
  ids: { clientId: string; tenantId: string },
): MinioSseDeclaration {
  if (decl === null || typeof decl !== 'object' || decl.kes === null || typeof decl.kes !== 'object') {
    return decl as MinioSseDeclaration;
  }
  return { ...decl, kes: { ...decl.kes, auth: kesAzureAuthFor(azure, decl.kes.auth, ids) as AzureAuth } };
}

/** The Azure arguments with `keyVaultEndpoint` defaulted to the declaration's, so the cloud check sees it. */
function withEndpoint(decl: MinioSseTenantDeclaration | undefined, azure: KesAzureIdentityArgs): KesAzureIdentityArgs {
  const endpoint = decl?.kes?.keyVaultEndpoint;
  if (
    azure === null ||
    typeof azure !== 'object' ||
    azure.keyVaultEndpoint !== undefined ||
    typeof endpoint !== 'string'
  ) {
    return azure;
  }
  return { ...azure, keyVaultEndpoint: endpoint };
}

/** The active client-secret slot of valid client-secret-mode arguments. */
function activeSlotOf(azure: KesAzureIdentityArgs): string {
  return azure.activeClientSecret ?? azure.clientSecrets![0].name;
}

/**
 * The resolved declaration with the active client-secret slot as a KES pod annotation (as resolving
 * {@link withActiveSlotAnnotation}'s declaration gives: a slot name is a DNS label, a valid annotation value).
 */
function withActiveSlotAnnotationResolved(spec: ResolvedDeclaration, active: string): ResolvedDeclaration {
  return {
    ...spec,
    kes: { ...spec.kes, podAnnotations: { ...spec.kes.podAnnotations, [ACTIVE_CLIENT_SECRET_ANNOTATION]: active } },
  };
}

/** The declaration with the active client-secret slot as a KES pod annotation, so switching slots rolls KES. */
function withActiveSlotAnnotation(decl: MinioSseDeclaration, active: string): MinioSseDeclaration {
  return {
    ...decl,
    kes: { ...decl.kes, podAnnotations: { ...decl.kes.podAnnotations, [ACTIVE_CLIENT_SECRET_ANNOTATION]: active } },
  };
}
