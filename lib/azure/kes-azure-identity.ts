import * as pulumi from '@pulumi/pulumi';
import * as azuread from '@pulumi/azuread';
import * as authorization from '@pulumi/azure-native/authorization';
import * as keyvault from '@pulumi/azure-native/keyvault';
import * as managedidentity from '@pulumi/azure-native/managedidentity';
import { AzureCloud } from '../declaration/azure-auth';
import {
  AZURE_AD_TOKEN_EXCHANGE_AUDIENCE,
  KES_SECRET_PERMISSIONS,
  KesAuthMode,
  KesAzureIdentityArgs,
  KeyVaultAccessMode,
} from './args';
import { formatProblems } from '../declaration/validate';
import {
  ResolvedKesAzureIdentityArgs,
  checkObservedVault,
  resolveKesAzureIdentityArgs,
  secretsOfficerRoleDefinitionId,
} from './validate';

/** Pulumi type token of {@link KesAzureIdentity}. */
export const KES_AZURE_IDENTITY_TYPE = 'minio-sse-azure:azure:KesAzureIdentity';

/**
 * The Azure side of MinIO SSE-KMS with KES: the identity KES authenticates as, and exact access to a Key Vault, so
 * the grant cannot be half right. The identity follows `kesAuth`:
 *
 * - `clientSecret` (default): an Entra application, its service principal and client secret slots with bounded
 *   lifetimes; the vault grant names the service principal's object ID.
 * - `workloadIdentity`, kind `application`: the application and service principal, no password, and
 *   `${name}-federated` `azuread.ApplicationFederatedIdentityCredential` (issuer = the AKS OIDC issuer URL, subject
 *   `system:serviceaccount:<namespace>:<serviceAccountName>`, audience `api://AzureADTokenExchange`); the grant names
 *   the service principal.
 * - `workloadIdentity`, kind `userAssignedIdentity`: `${name}-identity` `managedidentity.UserAssignedIdentity` and
 *   `${name}-federated` `managedidentity.FederatedIdentityCredential` (same issuer, subject, audience), no app; the
 *   grant names the identity's `principalId`.
 * - `managedIdentity`: `${name}-identity` `managedidentity.UserAssignedIdentity` only (assign it to the node pool);
 *   the grant names its `principalId`.
 *
 * Children (all `{ parent: this }`; names are a public contract, renaming replaces):
 * - `${name}-app` `azuread.Application`: display name `minio-kes` unless given, owners (default: the deployer),
 *   single tenant (`AzureADMyOrg`). azure-native cannot create Entra apps (pulumi-azure-native#3081), hence azuread.
 * - `${name}-sp` `azuread.ServicePrincipal` for the app, same owners.
 * - `${name}-secret-${slot}` `azuread.ApplicationPassword` (client-secret mode), one per slot, `applicationId: app.id`
 *   (the resource ID, not the client ID), explicit `endDate`, `rotateWhenChanged: { slot[, trigger] }`.
 * - `${name}-vault` `keyvault.Vault`, only with `newVault`: soft delete on, purge protection on by default,
 *   `enableRbacAuthorization` following the access mode, tenant = the application's tenant, and no inline
 *   `accessPolicies` (inline and standalone policies overwrite each other: pulumi/pulumi-azure-native#594, #2951).
 * - Access-policy mode: `${name}-access-policy` `keyvault.AccessPolicy` with `objectId` = the service principal's
 *   object ID or the managed identity's principal ID (never the app's object ID or a client ID), `tenantId` = the vault's tenant, secret permissions exactly
 *   `get, list, set, delete, purge`, no key/certificate/storage permissions, `applicationId` never set (a compound identity never matches an app
 *   token: Azure/azure-sdk-for-node#1932).
 * - RBAC mode: `${name}-secrets-officer` `authorization.RoleAssignment` of "Key Vault Secrets Officer" at the
 *   vault's scope, for the same principal, `principalType: ServicePrincipal` (managed identities are service
 *   principals too; the SDK default is `User`; setting it also avoids
 *   replication-delay failures for a fresh service principal).
 *
 * For an existing vault, `keyvault.getVault` is read and the deployment fails before the grant is created when the
 * vault's `enableRbacAuthorization` disagrees with the declared mode, or its tenant is not the application's. The
 * vault's ID, URI and tenant come from that read (so sovereign clouds get their own DNS suffix).
 *
 * Both grants use `deleteBeforeReplace`: the access-policy provider refuses to create an entry that already exists
 * for the object ID and its delete removes the entry, and a second identical role assignment is a conflict, so
 * create-before-delete would fail or end with no access.
 *
 * Protection: every child above has `protect: true` unless `protectIdentity: false` (and per-slot `protect`).
 * Deleting the app, SP, active password or grant locks MinIO out of its keys (decision 10).
 *
 * Secrets: component inputs are stored in state, so the component is registered with `{}`; the client secret is
 * exported only as `pulumi.secret(password.value)` and is never logged. The secretless modes create no password.
 *
 * Clouds: the Key Vault endpoint's suffix (`keyVaultEndpoint`) decides the cloud, and the azuread and azure-native
 * providers' `environment` must name the same cloud.
 *
 * @throws Error before any resource is registered when the arguments are invalid — two authentication methods, a
 *   missing or non-https OIDC issuer URL, a provider environment of another cloud than the endpoint, … — listing
 *   every problem with its path (see {@link resolveKesAzureIdentityArgs}).
 */
export class KesAzureIdentity extends pulumi.ComponentResource {
  /** Entra tenant (directory) ID of the application: KES `tenant_id`. */
  public readonly tenantId: pulumi.Output<string>;
  /**
   * Client ID KES authenticates with: the application's, or the managed identity's. KES `client_id`, the
   * ServiceAccount annotation `azure.workload.identity/client-id`, `managed_identity.client_id`.
   */
  public readonly clientId: pulumi.Output<string>;
  /** Object ID of the application object (not used for access; for reference only); `undefined` without an app. */
  public readonly applicationObjectId?: pulumi.Output<string>;
  /** Object ID of the service principal; `undefined` without an app. */
  public readonly servicePrincipalObjectId?: pulumi.Output<string>;
  /** Object ID of the principal the vault grant names: the service principal, or the managed identity's principalId. */
  public readonly principalId: pulumi.Output<string>;
  /** The auth mode provisioned. */
  public readonly kesAuth: KesAuthMode;
  /** The cloud of the Key Vault endpoint. */
  public readonly cloud: AzureCloud;
  /**
   * Workload identity: the Kubernetes service account the federated credential trusts, which the tenant chart must
   * create (with the `azure.workload.identity/client-id` annotation and the `azure.workload.identity/use` pod label).
   */
  public readonly kesServiceAccount?: { readonly namespace: string; readonly name: string };
  /** Vault URI as Azure reports it, e.g. `https://my-vault.vault.azure.net/`: KES `keystore.azure.keyvault.endpoint`. */
  public readonly keyVaultUri: pulumi.Output<string>;
  /** ARM ID of the vault (the RBAC scope). */
  public readonly keyVaultId: pulumi.Output<string>;
  /** Name of the vault. */
  public readonly keyVaultName: string;
  /** The access mode in effect. */
  public readonly accessMode: KeyVaultAccessMode;
  /** Value of the active client secret: KES `client_secret`. Always a Pulumi secret. Client-secret mode only. */
  public readonly clientSecret?: pulumi.Output<string>;
  /** End date (RFC 3339) of the active client secret. Client-secret mode only. */
  public readonly clientSecretEndDate?: pulumi.Output<string>;
  /** End date (RFC 3339) of every client secret slot, by slot name (empty in the secretless modes). */
  public readonly clientSecretEndDates: pulumi.Output<Record<string, string>>;
  /** Name of the active client secret slot. Client-secret mode only. */
  public readonly activeClientSecretName?: string;
  /** The Entra application (client secret, and workload identity of kind application). */
  public readonly application?: azuread.Application;
  /** The application's service principal. */
  public readonly servicePrincipal?: azuread.ServicePrincipal;
  /** The user-assigned managed identity (managed identity, and workload identity of kind userAssignedIdentity). */
  public readonly userAssignedIdentity?: managedidentity.UserAssignedIdentity;
  /** The federated credential (workload identity). */
  public readonly federatedCredential?:
    azuread.ApplicationFederatedIdentityCredential | managedidentity.FederatedIdentityCredential;
  /** The vault, when this component created it. */
  public readonly vault?: keyvault.Vault;
  /** The access policy (access-policy mode). */
  public readonly accessPolicy?: keyvault.AccessPolicy;
  /** The role assignment (RBAC mode). */
  public readonly roleAssignment?: authorization.RoleAssignment;

  /**
   * @param name component name; children are named `${name}-app`, `${name}-sp`, `${name}-secret-<slot>`, …
   * @param args see {@link KesAzureIdentityArgs}
   * @param opts component options; `provider`/`providers` are passed on to children and invokes
   * @param validated the result of `tryResolveKesAzureIdentityArgs(args)` when the caller validated these very
   *   `args` already (they are then not validated twice); @default - `args` are validated here
   */
  constructor(
    name: string,
    args: KesAzureIdentityArgs,
    opts?: pulumi.ComponentResourceOptions,
    validated?: ResolvedKesAzureIdentityArgs,
  ) {
    // Validate first: a bad argument must not leave a half-registered component or child.
    const resolved: ResolvedKesAzureIdentityArgs = resolveKesAzureIdentityArgs(name, args, undefined, validated);
    super(KES_AZURE_IDENTITY_TYPE, name, {}, opts);

    for (const warning of resolved.warnings) {
      pulumi.log.warn(warning, this);
    }
    const protect = resolved.protectIdentity;
    const { vault: vaultArgs } = resolved;
    this.keyVaultName = vaultArgs.vaultName;
    this.accessMode = vaultArgs.accessMode;
    this.activeClientSecretName = resolved.activeClientSecret;

    this.kesAuth = resolved.kesAuth;
    this.cloud = resolved.cloud;
    const client = azuread.getClientConfigOutput({ parent: this });
    const owners = resolved.owners ?? [client.objectId];
    const wi = resolved.workloadIdentity;
    const usesApplication = resolved.userAssignedIdentity === undefined;

    let principalId: pulumi.Output<string>;
    let clientId: pulumi.Output<string>;
    if (usesApplication) {
      this.application = new azuread.Application(
        `${name}-app`,
        {
          displayName: resolved.displayName,
          owners,
          signInAudience: 'AzureADMyOrg',
          notes: `Identity of MinIO KES for Azure Key Vault "${vaultArgs.vaultName}" (minio-sse-azure, managed by Pulumi). Deleting this application, its service principal or its active ${wi ? 'federated credential' : 'secret'} locks MinIO out of its encryption keys.`,
        },
        { parent: this, protect },
      );
      this.servicePrincipal = new azuread.ServicePrincipal(
        `${name}-sp`,
        { clientId: this.application.clientId, owners },
        { parent: this, protect },
      );
      principalId = this.servicePrincipal.objectId;
      clientId = this.application.clientId;
      if (wi) {
        this.federatedCredential = new azuread.ApplicationFederatedIdentityCredential(
          `${name}-federated`,
          {
            applicationId: this.application.id,
            displayName: federatedCredentialName(wi.namespace, wi.serviceAccountName),
            description: 'MinIO KES on AKS (workload identity), managed by minio-sse-azure',
            issuer: wi.oidcIssuerUrl,
            subject: wi.subject,
            audiences: [AZURE_AD_TOKEN_EXCHANGE_AUDIENCE],
          },
          { parent: this, protect },
        );
      }
    } else {
      const uami = resolved.userAssignedIdentity!;
      this.userAssignedIdentity = new managedidentity.UserAssignedIdentity(
        `${name}-identity`,
        {
          resourceGroupName: uami.resourceGroupName,
          resourceName: uami.name,
          location: uami.location,
          tags: uami.tags,
        },
        { parent: this, protect },
      );
      principalId = this.userAssignedIdentity.principalId;
      clientId = this.userAssignedIdentity.clientId;
      if (wi) {
        this.federatedCredential = new managedidentity.FederatedIdentityCredential(
          `${name}-federated`,
          {
            resourceGroupName: uami.resourceGroupName,
            resourceName: this.userAssignedIdentity.name,
            federatedIdentityCredentialResourceName: federatedCredentialName(wi.namespace, wi.serviceAccountName),
            issuer: wi.oidcIssuerUrl,
            subject: wi.subject,
            audiences: [AZURE_AD_TOKEN_EXCHANGE_AUDIENCE],
          },
          { parent: this, protect },
        );
      }
    }
    if (wi) {
      this.kesServiceAccount = Object.freeze({ namespace: wi.namespace, name: wi.serviceAccountName });
    }

    const passwords = new Map<string, azuread.ApplicationPassword>();
    for (const slot of resolved.clientSecrets) {
      passwords.set(
        slot.name,
        new azuread.ApplicationPassword(
          `${name}-secret-${slot.name}`,
          {
            applicationId: this.application!.id,
            displayName: slot.name,
            endDate: slot.endDate,
            rotateWhenChanged: { ...slot.rotateWhenChanged },
          },
          { parent: this, protect: slot.protect },
        ),
      );
    }
    const activePassword =
      resolved.activeClientSecret !== undefined ? passwords.get(resolved.activeClientSecret) : undefined;

    // The vault: ID (scope), tenant, URI and name, all depending on the existing-vault check when there is one,
    // so a mismatch stops the grant and every consumer of these outputs.
    let vaultId: pulumi.Output<string>;
    let vaultTenantId: pulumi.Output<string>;
    let vaultUri: pulumi.Output<string>;
    let vaultName: pulumi.Output<string>;
    if (vaultArgs.kind === 'new') {
      this.vault = new keyvault.Vault(
        `${name}-vault`,
        {
          resourceGroupName: vaultArgs.resourceGroupName,
          vaultName: vaultArgs.vaultName,
          location: vaultArgs.location,
          tags: vaultArgs.tags,
          properties: {
            tenantId: client.tenantId,
            sku: { family: 'A', name: vaultArgs.sku },
            enableRbacAuthorization: vaultArgs.accessMode === KeyVaultAccessMode.RBAC,
            enableSoftDelete: true,
            softDeleteRetentionInDays: vaultArgs.softDeleteRetentionInDays,
            // Azure accepts only `true` here (irreversible); leaving it unset means "off".
            enablePurgeProtection: vaultArgs.purgeProtection ? true : undefined,
          },
        },
        { parent: this, protect },
      );
      vaultId = this.vault.id;
      vaultTenantId = this.vault.properties.tenantId;
      vaultUri = this.vault.properties.vaultUri;
      vaultName = this.vault.name;
    } else {
      const declared = vaultArgs;
      const observed = keyvault.getVaultOutput(
        { resourceGroupName: declared.resourceGroupName, vaultName: declared.vaultName },
        { parent: this },
      );
      const checked = pulumi.all([observed, client.tenantId]).apply(([vault, appTenantId]) => {
        const problems = checkObservedVault(vault, declared.vaultName, declared.accessMode, appTenantId);
        if (problems.length > 0) {
          throw new Error(formatProblems(problems, `existing Key Vault for KesAzureIdentity "${name}"`));
        }
        if (vault.properties.enablePurgeProtection !== true) {
          pulumi.log.warn(
            `vault "${declared.vaultName}" has no purge protection; KES stores every EK as a secret in it, so a purge loses the data encrypted with that EK for good`,
            this,
          );
        }
        return vault;
      });
      vaultId = checked.id;
      vaultTenantId = checked.properties.tenantId;
      vaultUri = checked.properties.vaultUri;
      vaultName = checked.name;
    }

    if (vaultArgs.accessMode === KeyVaultAccessMode.ACCESS_POLICY) {
      this.accessPolicy = new keyvault.AccessPolicy(
        `${name}-access-policy`,
        {
          resourceGroupName: vaultArgs.resourceGroupName,
          vaultName,
          policy: {
            tenantId: vaultTenantId,
            objectId: principalId,
            permissions: { secrets: [...KES_SECRET_PERMISSIONS] },
          },
        },
        { parent: this, protect, deleteBeforeReplace: true },
      );
    } else {
      this.roleAssignment = new authorization.RoleAssignment(
        `${name}-secrets-officer`,
        {
          principalId,
          principalType: 'ServicePrincipal',
          roleDefinitionId: vaultId.apply(secretsOfficerRoleDefinitionId),
          scope: vaultId,
          description: 'MinIO KES: create, read and delete its encryption keys (secrets) in this vault',
        },
        { parent: this, protect, deleteBeforeReplace: true },
      );
    }

    this.tenantId = this.userAssignedIdentity ? this.userAssignedIdentity.tenantId : client.tenantId;
    this.clientId = clientId;
    this.principalId = principalId;
    this.applicationObjectId = this.application?.objectId;
    this.servicePrincipalObjectId = this.servicePrincipal?.objectId;
    this.keyVaultUri = vaultUri;
    this.keyVaultId = vaultId;
    this.clientSecret = activePassword ? pulumi.secret(activePassword.value) : undefined;
    this.clientSecretEndDate = activePassword?.endDate;
    this.clientSecretEndDates = pulumi.all(
      Object.fromEntries([...passwords].map(([slot, password]) => [slot, password.endDate])),
    ) as pulumi.Output<Record<string, string>>;

    this.registerOutputs({
      tenantId: this.tenantId,
      clientId: this.clientId,
      applicationObjectId: this.applicationObjectId,
      servicePrincipalObjectId: this.servicePrincipalObjectId,
      principalId: this.principalId,
      kesAuth: this.kesAuth,
      cloud: this.cloud,
      kesServiceAccount: this.kesServiceAccount,
      keyVaultUri: this.keyVaultUri,
      keyVaultId: this.keyVaultId,
      keyVaultName: this.keyVaultName,
      accessMode: this.accessMode,
      clientSecret: this.clientSecret,
      clientSecretEndDate: this.clientSecretEndDate,
      clientSecretEndDates: this.clientSecretEndDates,
      activeClientSecretName: this.activeClientSecretName,
    });
  }
}

/**
 * Name of the federated credential for a service account: `kes-<namespace>-<serviceAccountName>` with every character
 * other than letters, digits, `-` and `_` (a `.` of a service account name) turned into `-`, cut to 120 characters:
 * a managed identity's federated credential name is 3–120 of those characters starting with a letter or digit, and
 * an app's is unique per app, at most 120 characters (Microsoft Graph `federatedIdentityCredential.name`).
 */
export function federatedCredentialName(namespace: string, serviceAccountName: string): string {
  return `kes-${namespace}-${serviceAccountName}`
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .slice(0, 120)
    .replace(/-+$/, '');
}
