/**
 * How KES authenticates to Azure Key Vault. Use a static factory.
 *
 * KES supports (minio/kes `kesconf/file.go`, tag 2025-03-12T09-35-18Z):
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
   * with operator v5.0.4 set `kes.image` explicitly. Untested upstream by MinIO (DefaultAzureCredential:
   * minio/kes `kesconf/file.go`, tag 2024-06-17T15-47-05Z; Azure/azure-sdk-for-go
   * `sdk/azidentity/default_azure_credential.go`).
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
    public readonly options: Readonly<
      ClientSecretAuthOptions | ManagedIdentityAuthOptions | WorkloadIdentityAuthOptions
    >,
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

/**
 * An Azure cloud, as decided by the Key Vault endpoint's DNS suffix (see {@link AZURE_CLOUDS}).
 */
export enum AzureCloud {
  /** Azure public cloud: `*.vault.azure.net`. */
  PUBLIC = 'public',
  /** Azure operated by 21Vianet (China): `*.vault.azure.cn`. */
  CHINA = 'china',
  /** Azure Government (US): `*.vault.usgovcloudapi.net`. */
  US_GOVERNMENT = 'usGovernment',
}

/** What differs per Azure cloud for KES and for the Pulumi providers. */
export interface AzureCloudFacts {
  readonly cloud: AzureCloud;
  /** Display name used in messages. */
  readonly displayName: string;
  /** DNS suffix of Key Vault endpoints, e.g. `vault.azure.net`. */
  readonly keyVaultDnsSuffix: string;
  /**
   * Microsoft Entra authority host: the value of `AZURE_AUTHORITY_HOST` (Azure/azure-sdk-for-go
   * `sdk/azcore/cloud/cloud.go` v1.17.0 (the azcore KES 2025-03-12 pins), `ActiveDirectoryAuthorityHost` of `AzurePublic`, `AzureChina`, `AzureGovernment`).
   */
  readonly authorityHost: string;
  /**
   * `environment` values of the `azuread` provider meaning this cloud (@pulumi/azuread 6.9.1 `provider.d.ts`:
   * `global` (also `public`), `usgovernmentl4` (also `usgovernment`), `usgovernmentl5` (also `dod`), `china`);
   * the first is the one to set.
   */
  readonly azureadEnvironments: readonly string[];
  /** `environment` of the `azure-native` provider (@pulumi/azure-native 3.28.0 `provider.d.ts`: public, usgovernment, china). */
  readonly azureNativeEnvironment: string;
}

/** Facts per cloud. */
export const AZURE_CLOUDS: Readonly<Record<AzureCloud, AzureCloudFacts>> = Object.freeze({
  [AzureCloud.PUBLIC]: {
    cloud: AzureCloud.PUBLIC,
    displayName: 'Azure public cloud',
    keyVaultDnsSuffix: 'vault.azure.net',
    authorityHost: 'https://login.microsoftonline.com/',
    azureadEnvironments: ['global', 'public'],
    azureNativeEnvironment: 'public',
  },
  [AzureCloud.CHINA]: {
    cloud: AzureCloud.CHINA,
    displayName: 'Azure China',
    keyVaultDnsSuffix: 'vault.azure.cn',
    authorityHost: 'https://login.chinacloudapi.cn/',
    azureadEnvironments: ['china'],
    azureNativeEnvironment: 'china',
  },
  [AzureCloud.US_GOVERNMENT]: {
    cloud: AzureCloud.US_GOVERNMENT,
    displayName: 'Azure US Government',
    keyVaultDnsSuffix: 'vault.usgovcloudapi.net',
    authorityHost: 'https://login.microsoftonline.us/',
    azureadEnvironments: ['usgovernment', 'usgovernmentl4', 'usgovernmentl5', 'dod'],
    azureNativeEnvironment: 'usgovernment',
  },
});

/**
 * The cloud of a Key Vault endpoint, from its host's DNS suffix (case-insensitive).
 * @param endpoint e.g. `https://kv.vault.azure.cn/`
 * @returns the cloud, or `undefined` when the host ends in no known Key Vault suffix or is not a URL
 */
export function azureCloudOfEndpoint(endpoint: string): AzureCloud | undefined {
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  return Object.values(AZURE_CLOUDS).find((f) => host.endsWith(`.${f.keyVaultDnsSuffix}`))?.cloud;
}

/** Environment variable the Azure SDK for Go reads for the Entra authority host (azidentity v1.8.1 `azidentity.go` `setAuthorityHost`). */
export const AZURE_AUTHORITY_HOST_ENV = 'AZURE_AUTHORITY_HOST';

/**
 * The first KES image that can authenticate outside the public cloud, and the first with DefaultAzureCredential
 * (workload identity). Up to `2024-04-12T13-50-00Z` KES requests tokens for the hard-coded resource
 * `https://vault.azure.net` through go-autorest's public-cloud defaults (`minio/kes`
 * `internal/keystore/azure/key-vault.go` at tag `2023-04-18T19-36-09Z`: `const Scope = "https://vault.azure.net"`
 * in `ConnectWithCredentials` and `ConnectWithIdentity`). From `2024-06-17T15-47-05Z` it uses azidentity and azsecrets
 * (`minio/kes` commit `4b6f9dc`; `kesconf/file.go` at tag `2025-03-12T09-35-18Z`: `NewClientSecretCredential` and
 * `NewDefaultAzureCredential` with nil options, `NewManagedIdentityCredential`), which take the token scope from the
 * vault's challenge and the authority from `AZURE_AUTHORITY_HOST`.
 */
export const MIN_KES_TAG_AZIDENTITY = '2024-06-17T15-47-05Z';

/** A problem found by {@link checkAzureAuthCloud}: `path` relative to the declaration root. */
export interface AuthCloudProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * Check that an auth mode can reach the endpoint's cloud with a KES image, and give the extra KES environment the
 * image needs there.
 *
 * - Non-public cloud with a KES image before {@link MIN_KES_TAG_AZIDENTITY}: refused (public token endpoint and
 *   vault scope are hard-coded), naming the minimum image.
 * - Non-public cloud, image from {@link MIN_KES_TAG_AZIDENTITY}, client secret or workload identity: KES gets
 *   `AZURE_AUTHORITY_HOST` = the cloud's authority host (azidentity falls back to the public authority without it;
 *   azidentity v1.8.1 `setAuthorityHost`). Managed identity asks the node's IMDS endpoint, which has no authority
 *   host, so it gets nothing extra. The public cloud needs nothing (the azidentity default).
 *
 * @param endpoint a valid Key Vault endpoint
 * @param mode the auth mode
 * @param imageTag the KES image's date tag, e.g. `2025-03-12T09-35-18Z`
 * @param image the image reference, for messages
 */
export function checkAzureAuthCloud(
  endpoint: string,
  mode: AzureAuthMode,
  imageTag: string,
  image: string,
): { problems: AuthCloudProblem[]; env: { name: string; source: EnvSource }[] } {
  const cloud = azureCloudOfEndpoint(endpoint);
  if (cloud === undefined || cloud === AzureCloud.PUBLIC) {
    return { problems: [], env: [] };
  }
  const facts = AZURE_CLOUDS[cloud];
  if (imageTag < MIN_KES_TAG_AZIDENTITY) {
    return {
      problems: [
        {
          path: 'kes.image',
          message: `${JSON.stringify(image)} cannot authenticate to ${facts.displayName} (kes.keyVaultEndpoint ends in .${facts.keyVaultDnsSuffix}): KES images before ${MIN_KES_TAG_AZIDENTITY} request tokens for the public cloud only; set kes.image to quay.io/minio/kes:${MIN_KES_TAG_AZIDENTITY} or later`,
        },
      ],
      env: [],
    };
  }
  if (mode === AzureAuthMode.MANAGED_IDENTITY) {
    return { problems: [], env: [] };
  }
  return { problems: [], env: [{ name: AZURE_AUTHORITY_HOST_ENV, source: { value: facts.authorityHost } }] };
}
