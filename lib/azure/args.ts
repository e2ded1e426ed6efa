import * as pulumi from '@pulumi/pulumi';

/**
 * How the Key Vault authorizes data-plane access, and therefore how KES is granted access to it.
 *
 * A vault evaluates either its access policies or Azure RBAC, never both: with `enableRbacAuthorization=true`,
 * access policies are silently ignored (MicrosoftDocs `key-vault/general/rbac-migration.md`; LeanerCloud/CUDly#1621).
 * The mode is therefore declared, never guessed, and for an existing vault it is checked against the vault.
 */
export enum KeyVaultAccessMode {
  /**
   * One standalone `keyvault.AccessPolicy` for the service principal's object ID, with the secret
   * permissions `get, list, set, delete, purge` and nothing else ({@link KES_SECRET_PERMISSIONS}).
   */
  ACCESS_POLICY = 'accessPolicy',
  /**
   * One `authorization.RoleAssignment` of "Key Vault Secrets Officer" ({@link KEY_VAULT_SECRETS_OFFICER_ROLE_ID})
   * scoped to the vault, `principalType: ServicePrincipal`.
   */
  RBAC = 'rbac',
}

/** SKU of a Key Vault this library creates (`azure-native` `keyvault.SkuName`). */
export enum KeyVaultSku {
  STANDARD = 'standard',
  PREMIUM = 'premium',
}

/**
 * The secret permissions KES needs, exactly (minio/docs KES Azure guide; purge because KES's create purges a
 * soft-deleted secret of the same name and retries: minio/kes `internal/keystore/azure/`).
 */
export const KES_SECRET_PERMISSIONS: readonly string[] = Object.freeze(['get', 'list', 'set', 'delete', 'purge']);

/**
 * Built-in role "Key Vault Secrets Officer": "perform any action on the secrets of a key vault, except manage
 * permissions" (MicrosoftDocs `key-vault/general/rbac-guide.md`). The RBAC equivalent of {@link KES_SECRET_PERMISSIONS}.
 */
export const KEY_VAULT_SECRETS_OFFICER_ROLE_ID = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7';

/**
 * How KES authenticates to Key Vault, as provisioned by {@link KesAzureIdentityArgs}.
 */
export enum KesAuthMode {
  /** An Entra app with client secret slots; KES reads the secret from a Kubernetes Secret. Works with every KES image. */
  CLIENT_SECRET = 'clientSecret',
  /**
   * AKS workload identity: a federated identity credential trusts the cluster's OIDC issuer for the KES service
   * account; no secret exists anywhere. Needs a KES image from 2024-06-17T15-47-05Z (DefaultAzureCredential).
   */
  WORKLOAD_IDENTITY = 'workloadIdentity',
  /**
   * A user-assigned managed identity (no federation): KES asks the node's IMDS endpoint for tokens, so the identity
   * must be assigned to the node pool's VM scale set (or be the kubelet identity). Every pod on those nodes can use it.
   */
  MANAGED_IDENTITY = 'managedIdentity',
}

/** Which Entra identity a workload-identity federated credential is attached to. */
export enum WorkloadIdentityKind {
  /** The KES app registration (`azuread.ApplicationFederatedIdentityCredential`). At most 20 per app. */
  APPLICATION = 'application',
  /**
   * A user-assigned managed identity (`managedidentity.UserAssignedIdentity` + `managedidentity.FederatedIdentityCredential`,
   * azure-native), the form the AKS workload identity documentation uses. At most 20 per identity. No app registration
   * is created.
   */
  USER_ASSIGNED_IDENTITY = 'userAssignedIdentity',
}

/** The audience of every AKS workload-identity federated credential (Microsoft Graph `federatedIdentityCredential`). */
export const AZURE_AD_TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** Federated identity credentials an app registration or managed identity may have (Azure/azure-workload-identity docs). */
export const MAX_FEDERATED_CREDENTIALS = 20;

/** Workload identity: which cluster and service account may act as KES. */
export interface WorkloadIdentityArgs {
  /**
   * The AKS OIDC issuer URL (`az aks show --query oidcIssuerProfile.issuerUrl`, or azure-native
   * `ManagedCluster.oidcIssuerProfile.issuerURL`): `https://…`, no query or fragment. A plain string.
   */
  readonly oidcIssuerUrl: string;
  /** Tenant namespace (the KES pods' namespace): a DNS label. */
  readonly namespace: string;
  /** Service account of the KES pods: a DNS subdomain. The subject is `system:serviceaccount:<namespace>:<name>`. */
  readonly serviceAccountName: string;
  /** @default WorkloadIdentityKind.APPLICATION */
  readonly identity?: WorkloadIdentityKind;
}

/** A user-assigned managed identity this component creates (child `${name}-identity`). */
export interface UserAssignedIdentityArgs {
  /** Resource group of the identity. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region. @default - the `azure-native:location` provider setting */
  readonly location?: pulumi.Input<string>;
  /** Resource name of the identity: 3–128 letters, digits, `-` and `_`, starting with a letter or digit. @default the application display name */
  readonly name?: string;
  /** Tags. @default - none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * The `environment` the Azure providers are configured with, to be checked against the Key Vault endpoint's cloud.
 * Give it when you pass explicit providers; unset fields are read as the default providers' SDKs read them:
 * `azuread:environment` then `ARM_ENVIRONMENT`, and `azure-native:environment`, each else `public`.
 */
export interface ProviderEnvironments {
  /** `environment` of the azuread provider: global/public, china, usgovernment/usgovernmentl4, usgovernmentl5/dod. */
  readonly azuread?: string;
  /** `environment` of the azure-native provider: public, china, usgovernment. */
  readonly azureNative?: string;
}

/** Display name of the Entra application when none is given. */
export const DEFAULT_APPLICATION_DISPLAY_NAME = 'minio-kes';

/** Lifetime of a client secret slot given by `startDate` without `lifetimeDays`. */
export const DEFAULT_CLIENT_SECRET_LIFETIME_DAYS = 180;

/** Longest accepted client secret lifetime (the Entra portal's maximum, 24 months). */
export const MAX_CLIENT_SECRET_LIFETIME_DAYS = 730;

/** `pulumi.log.warn` is issued when the active client secret ends within this many days. */
export const CLIENT_SECRET_EXPIRY_WARNING_DAYS = 60;

/** An existing Key Vault that KES is granted access to. The vault itself is never managed or adopted. */
export interface ExistingKeyVaultArgs {
  /** Resource group of the vault. */
  readonly resourceGroupName: pulumi.Input<string>;
  /**
   * Name of the vault: 3–24 letters, digits and `-`, starting with a letter, ending with a letter or digit,
   * no `--`. A plain string, validated before any resource is registered.
   */
  readonly vaultName: string;
  /**
   * How the vault authorizes data-plane access. Required: never guessed. Checked against the vault's
   * `enableRbacAuthorization` (read with `keyvault.getVault`); a mismatch fails the deployment before the grant
   * is created.
   */
  readonly accessMode: KeyVaultAccessMode;
}

/** A Key Vault created by this component (child `${name}-vault`). */
export interface NewKeyVaultArgs {
  /** Resource group to create the vault in. */
  readonly resourceGroupName: pulumi.Input<string>;
  /**
   * Globally unique vault name, same rules as {@link ExistingKeyVaultArgs.vaultName}. A soft-deleted vault keeps
   * its name reserved for its retention period (Azure/azure-cli#9818).
   */
  readonly vaultName: string;
  /** Azure region. @default - the `azure-native:location` provider setting */
  readonly location?: pulumi.Input<string>;
  /**
   * Access mode; the vault's `enableRbacAuthorization` follows it.
   * @default KeyVaultAccessMode.RBAC - Azure's default for new vaults (az CLI ≥ 2.61, API ≥ 2026-02-01)
   */
  readonly accessMode?: KeyVaultAccessMode;
  /** @default KeyVaultSku.STANDARD */
  readonly sku?: KeyVaultSku;
  /**
   * Turn on purge protection (irreversible: Azure does not accept `false` once set). When on, nothing can
   * hard-delete the vault or an EK during the retention period, including KES's `purge`.
   * @default true
   */
  readonly purgeProtection?: boolean;
  /** Soft-delete retention, 7–90 days. Soft delete itself is always on. @default 90 */
  readonly softDeleteRetentionInDays?: number;
  /** Tags on the vault. @default - none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * One client secret (an Entra application password, child `${name}-secret-${slot.name}`).
 *
 * Give either `endDate`, or `startDate` (plus `lifetimeDays`). Both are plain, stable values, so the end date is a
 * pure function of the program: an end date recomputed from "now" would replace the password on every `pulumi up`
 * (the provider's `endDate` is ForceNew). Several slots exist only to rotate with overlap: see the README.
 */
export interface ClientSecretSlot {
  /**
   * Slot name: 1–32 lowercase letters, digits and `-` (a DNS label). Part of the resource name and the password's
   * display name in Entra ID, so renaming a slot replaces its password.
   */
  readonly name: string;
  /**
   * RFC 3339 timestamp (`2025-06-01T00:00:00Z`) or date (`2025-06-01`, midnight UTC) from which `lifetimeDays`
   * counts; write the day you add the slot. Only the anchor of the end date: the credential itself is valid from
   * its creation. @default - none; give `startDate` or `endDate`
   */
  readonly startDate?: string;
  /** Days from `startDate` to the end date, 1–730. Only with `startDate`. @default 180 */
  readonly lifetimeDays?: number;
  /**
   * RFC 3339 timestamp or date at which the secret expires; at most 730 days from now, not in the past.
   * Normalized to UTC, whole seconds. @default - `startDate` + `lifetimeDays`
   */
  readonly endDate?: string;
  /**
   * Changing this replaces the slot's password in one `pulumi up` (`rotateWhenChanged`). Pulumi creates the new
   * password before deleting the old one, but KES holds the old value until it restarts: use it to revoke a
   * leaked secret, not for routine rotation (add a slot instead). @default - none
   */
  readonly rotationTrigger?: string;
  /**
   * Protect this password from deletion. Set `false` on the old slot while rotating, one `pulumi up` before
   * removing it. The active slot must stay protected while `protectIdentity` is true.
   * @default - the value of `protectIdentity`
   */
  readonly protect?: boolean;
}

/**
 * Arguments of {@link KesAzureIdentity}. Every field that decides a resource's identity or a grant is a plain value,
 * validated before any resource is registered; resource group, owners, location and tags may be Outputs.
 */
export interface KesAzureIdentityArgs {
  /** Display name of the Entra application (1–256 characters). @default 'minio-kes' */
  readonly displayName?: string;
  /**
   * Object IDs (UUIDs) of the owners of the application and its service principal. A deployer using the Graph
   * role `Application.ReadWrite.OwnedBy` must be one of them.
   * @default - the deploying principal (`azuread.getClientConfig().objectId`)
   */
  readonly owners?: pulumi.Input<pulumi.Input<string>[]>;
  /** An existing vault to grant access to. Exactly one of `existingVault` and `newVault`. */
  readonly existingVault?: ExistingKeyVaultArgs;
  /** A vault to create. Exactly one of `existingVault` and `newVault`. */
  readonly newVault?: NewKeyVaultArgs;
  /** How KES authenticates. @default KesAuthMode.CLIENT_SECRET */
  readonly kesAuth?: KesAuthMode;
  /** Client secret slots, at least one, unique names. Required with `kesAuth: clientSecret`, refused otherwise. */
  readonly clientSecrets?: readonly ClientSecretSlot[];
  /** Required with `kesAuth: workloadIdentity`, refused otherwise. */
  readonly workloadIdentity?: WorkloadIdentityArgs;
  /**
   * The managed identity to create: required with `kesAuth: managedIdentity` and with workload identity of kind
   * `userAssignedIdentity`, refused otherwise.
   */
  readonly userAssignedIdentity?: UserAssignedIdentityArgs;
  /**
   * Key Vault endpoint KES will use (`https://<vault>.vault.azure.net`, `.vault.azure.cn`, `.vault.usgovcloudapi.net`):
   * its suffix decides the cloud the providers must target. @default - `https://<vaultName>.vault.azure.net`
   */
  readonly keyVaultEndpoint?: string;
  /** The providers' environments, checked against the cloud before anything is registered. @default - from stack config */
  readonly providerEnvironments?: ProviderEnvironments;
  /**
   * Name of the slot whose value is exported as `clientSecret` (the one KES uses). Client-secret mode only.
   * @default - the only slot; required when there are several
   */
  readonly activeClientSecret?: string;
  /**
   * Protect the application, service principal, passwords, vault grant and created vault (`protect: true`), so
   * `pulumi destroy` or a removed line cannot delete them: deleting any of them locks MinIO out of its keys (EKs
   * are Key Vault secrets), and so out of its data, until a new identity is granted and KES restarts with it. Set
   * `false` and run `pulumi up` before an intended teardown (or `pulumi state unprotect <urn>` one resource). The
   * component's own `protect` option is not used for these children.
   * @default true
   */
  readonly protectIdentity?: boolean;
}
