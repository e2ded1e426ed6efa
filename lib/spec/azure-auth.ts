/**
 * How KES authenticates to Azure Key Vault. Use a static factory.
 *
 * KES supports (minio/kes `kesconf/file.go`, research kes.md §4.1):
 * - `credentials { tenant_id, client_id, client_secret }`: an Entra app's client secret;
 * - `managed_identity { client_id }`: a user-assigned managed identity;
 * - neither block (KES ≥ 2024-06-17T15-47-05Z only): DefaultAzureCredential, which picks up AKS workload identity.
 * Every value KES reads goes through a `${VAR}` reference fed from `spec.kes.env`, so no credential is ever
 * written into the KES config Secret.
 */
export enum AzureAuthMode {
  CLIENT_SECRET = 'clientSecret',
  MANAGED_IDENTITY = 'managedIdentity',
  WORKLOAD_IDENTITY = 'workloadIdentity',
}

/** Client-secret authentication options. */
export interface ClientSecretAuthOptions {
  /**
   * Name of an existing Secret, in the Tenant namespace, holding the client secret (and the IDs when they are not
   * given literally). Never synthesized by the cdk8s charts; the Pulumi stack creates it.
   */
  readonly secretName: string;
  /** Entra tenant (directory) ID, a UUID. @default - read from key `tenantIdKey` of the Secret */
  readonly tenantId?: string;
  /** Application (client) ID of the KES app registration, a UUID. @default - read from key `clientIdKey` of the Secret */
  readonly clientId?: string;
  /** Secret key holding the client secret value (not its ID). @default 'AZURE_CLIENT_SECRET' */
  readonly clientSecretKey?: string;
  /** Secret key holding the tenant ID when `tenantId` is not given. @default 'AZURE_TENANT_ID' */
  readonly tenantIdKey?: string;
  /** Secret key holding the client ID when `clientId` is not given. @default 'AZURE_CLIENT_ID' */
  readonly clientIdKey?: string;
}

/** Managed-identity authentication options. */
export interface ManagedIdentityAuthOptions {
  /** Client ID of the user-assigned managed identity, a UUID. */
  readonly clientId: string;
}

/** Workload-identity authentication options (AKS workload identity webhook). */
export interface WorkloadIdentityAuthOptions {
  /** Client ID of the app or managed identity federated with the KES service account, a UUID. */
  readonly clientId: string;
  /** Entra tenant ID, a UUID. */
  readonly tenantId: string;
  /**
   * Service account the KES pods run as; must carry the annotation `azure.workload.identity/client-id`.
   * @default '<tenant>-kes'
   */
  readonly serviceAccountName?: string;
}

/** Resolved environment-variable source for one KES `${VAR}` reference. */
export type EnvSource = { readonly value: string } | { readonly secretName: string; readonly secretKey: string };

/** The Azure authentication KES uses. Create with {@link AzureAuth.clientSecret}, {@link AzureAuth.managedIdentity} or {@link AzureAuth.workloadIdentity}. */
export class AzureAuth {
  /** Entra app client secret, read from an existing Secret. Works with every supported KES image. */
  public static clientSecret(options: ClientSecretAuthOptions): AzureAuth {
    return new AzureAuth(AzureAuthMode.CLIENT_SECRET, { ...options });
  }

  /** User-assigned managed identity of the node pool. Works with every supported KES image. */
  public static managedIdentity(options: ManagedIdentityAuthOptions): AzureAuth {
    return new AzureAuth(AzureAuthMode.MANAGED_IDENTITY, { ...options });
  }

  /**
   * AKS workload identity: no secret at all. Needs a KES image ≥ 2024-06-17T15-47-05Z (DefaultAzureCredential);
   * with operator v5.0.4 set `kes.image` explicitly. Untested upstream by MinIO (research kes.md §4.1).
   */
  public static workloadIdentity(options: WorkloadIdentityAuthOptions): AzureAuth {
    return new AzureAuth(AzureAuthMode.WORKLOAD_IDENTITY, { ...options });
  }

  /** Whether `x` was made by one of the factories. */
  public static isAzureAuth(x: unknown): x is AzureAuth {
    return x instanceof AzureAuth;
  }

  private constructor(
    /** The authentication mode. */
    public readonly mode: AzureAuthMode,
    /** The options given to the factory. */
    public readonly options: Readonly<ClientSecretAuthOptions | ManagedIdentityAuthOptions | WorkloadIdentityAuthOptions>,
  ) {
    Object.freeze(this);
  }

  /** Client-secret options (only for `mode === CLIENT_SECRET`). */
  public get clientSecretOptions(): ClientSecretAuthOptions | undefined {
    return this.mode === AzureAuthMode.CLIENT_SECRET ? (this.options as ClientSecretAuthOptions) : undefined;
  }

  /** Managed-identity options (only for `mode === MANAGED_IDENTITY`). */
  public get managedIdentityOptions(): ManagedIdentityAuthOptions | undefined {
    return this.mode === AzureAuthMode.MANAGED_IDENTITY ? (this.options as ManagedIdentityAuthOptions) : undefined;
  }

  /** Workload-identity options (only for `mode === WORKLOAD_IDENTITY`). */
  public get workloadIdentityOptions(): WorkloadIdentityAuthOptions | undefined {
    return this.mode === AzureAuthMode.WORKLOAD_IDENTITY ? (this.options as WorkloadIdentityAuthOptions) : undefined;
  }
}
