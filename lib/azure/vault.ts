/** The Key Vault arguments (`existingVault` / `newVault`), and the checks of a vault read from Azure. */
import * as pulumi from '@pulumi/pulumi';
import { checkAzureTags } from './tags';
import { checkInteger, checkKeyVaultName } from '../declaration/rules';
import { Problem } from '../declaration/validate';
import { KEY_VAULT_SECRETS_OFFICER_ROLE_ID, KeyVaultAccessMode, KeyVaultSku } from './args';
import { ResolvedVault } from './resolved';
import { isDeferred, isObject, show, showWord, checkKeys, checkBoolean, isGiven } from './checks';

export const EXISTING_VAULT_KEYS = ['resourceGroupName', 'vaultName', 'accessMode'];
export const NEW_VAULT_KEYS = [
  'resourceGroupName',
  'vaultName',
  'location',
  'accessMode',
  'sku',
  'purgeProtection',
  'softDeleteRetentionInDays',
  'tags',
];
/** What {@link checkObservedVault} needs from `keyvault.getVault` (a subset of `GetVaultResult`). */
export interface ObservedVault {
  readonly id: string;
  readonly properties: {
    readonly tenantId: string;
    readonly enableRbacAuthorization?: boolean;
    readonly enablePurgeProtection?: boolean;
  };
}

/**
 * Compare an existing vault, as Azure reports it, with what the component was told. Pure.
 *
 * @param appTenantId the tenant the Entra application lives in (the azuread provider's tenant)
 * @returns problems (path `existingVault.accessMode` or `existingVault`): a declared mode the vault does not use
 *   (access policies on an RBAC vault are silently ignored, and vice versa: Microsoft Learn "Azure RBAC vs. access
 *   policies", `enableRbacAuthorization`), or a vault in another tenant than the application (KES could never get a
 *   token the vault accepts)
 */
export function checkObservedVault(
  vault: ObservedVault,
  vaultName: string,
  accessMode: KeyVaultAccessMode,
  appTenantId: string,
): Problem[] {
  const problems: Problem[] = [];
  const rbac = vault.properties.enableRbacAuthorization === true;
  if (accessMode === KeyVaultAccessMode.ACCESS_POLICY && rbac) {
    problems.push({
      path: 'existingVault.accessMode',
      message: `vault "${vaultName}" uses Azure RBAC (enableRbacAuthorization=true), so access policies would be silently ignored; set accessMode to KeyVaultAccessMode.RBAC`,
    });
  }
  if (accessMode === KeyVaultAccessMode.RBAC && !rbac) {
    problems.push({
      path: 'existingVault.accessMode',
      message: `vault "${vaultName}" uses access policies (enableRbacAuthorization is not true), so a role assignment would grant nothing on secrets; set accessMode to KeyVaultAccessMode.ACCESS_POLICY`,
    });
  }
  if (vault.properties.tenantId.toLowerCase() !== appTenantId.toLowerCase()) {
    problems.push({
      path: 'existingVault',
      // Tenant IDs are never shown (the shared display policy).
      message: `vault "${vaultName}" belongs to another Entra tenant than the one the KES application is created in (azuread provider); KES could not authenticate to this vault`,
    });
  }
  return problems;
}

/**
 * Full ID of the "Key Vault Secrets Officer" role definition in the subscription of a vault.
 *
 * @param vaultId the vault's ARM ID, `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>`
 * @returns `/subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7`
 * @throws Error when `vaultId` does not start with `/subscriptions/<sub>/`
 */
export function secretsOfficerRoleDefinitionId(vaultId: string): string {
  const m = /^\/subscriptions\/([^/]+)\//i.exec(vaultId);
  if (!m) {
    throw new Error(`key vault id "${vaultId}" does not start with /subscriptions/<subscription-id>/`);
  }
  return `/subscriptions/${m[1]}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_OFFICER_ROLE_ID}`;
}

export const ACCESS_MODES = Object.values(KeyVaultAccessMode) as string[];
export const SKUS = Object.values(KeyVaultSku) as string[];

export function checkAccessMode(
  problems: Problem[],
  value: unknown,
  path: string,
  required: boolean,
): KeyVaultAccessMode | undefined {
  if (value === undefined) {
    if (required) {
      problems.push({
        path,
        message:
          'required: declare how the vault authorizes data-plane access, KeyVaultAccessMode.ACCESS_POLICY ("accessPolicy") or KeyVaultAccessMode.RBAC ("rbac"); it is never guessed because access policies on an RBAC vault are silently ignored',
      });
    }
    return undefined;
  }
  if (typeof value !== 'string' || !ACCESS_MODES.includes(value)) {
    problems.push({
      path,
      message: `${showWord(value)} is not a KeyVaultAccessMode; expected "accessPolicy" (KeyVaultAccessMode.ACCESS_POLICY) or "rbac" (KeyVaultAccessMode.RBAC)`,
    });
    return undefined;
  }
  return value as KeyVaultAccessMode;
}

/** Azure resource group name: 1–90 letters, digits, `_`, `-`, `.`, `(`, `)`, not ending with `.` (ARM naming rules). */
export function checkResourceGroupName(problems: Problem[], value: unknown, path: string): void {
  if (value === undefined || value === null) {
    problems.push({ path, message: 'required: the resource group of the vault' });
    return;
  }
  if (isDeferred(value)) {
    return;
  }
  if (typeof value !== 'string' || !/^[-\p{L}\p{N}_.()]{1,90}$/u.test(value) || value.endsWith('.')) {
    problems.push({
      path,
      message: `${show(value)} is not a resource group name: 1 to 90 letters, digits, "_", "-", ".", "(" and ")", not ending with "."`,
    });
  }
}

export function checkVaultName(problems: Problem[], value: unknown, path: string): string | undefined {
  if (typeof value !== 'string') {
    problems.push({
      path,
      message:
        value === undefined
          ? 'required: the Key Vault name'
          : `${show(value)} must be a plain string (the name is validated and used before any resource is registered)`,
    });
    return undefined;
  }
  const reason = checkKeyVaultName(value);
  if (reason) {
    problems.push({ path, message: `${show(value)} is not a valid Key Vault name: ${reason}` });
    return undefined;
  }
  return value;
}

export function resolveVault(
  problems: Problem[],
  a: Record<string, unknown>,
  warnings: string[],
): ResolvedVault | undefined {
  const hasExisting = isGiven(a.existingVault);
  const hasNew = isGiven(a.newVault);
  if (hasExisting === hasNew) {
    problems.push({
      path: 'existingVault, newVault',
      message: hasExisting
        ? 'both are set; give exactly one: existingVault to grant access to a vault you manage, or newVault to create one'
        : 'neither is set; give exactly one: existingVault to grant access to a vault you manage, or newVault to create one',
    });
  }
  // Each given vault is checked, so that every problem is listed even when both are set.
  const existing = hasExisting ? resolveExistingVault(problems, a.existingVault) : undefined;
  const created = hasNew ? resolveNewVault(problems, a.newVault, warnings) : undefined;
  return hasExisting === hasNew ? undefined : (existing ?? created);
}

export function resolveExistingVault(problems: Problem[], v: unknown): ResolvedVault | undefined {
  const path = 'existingVault';
  if (!isObject(v)) {
    problems.push({ path, message: `${show(v)} must be an object { resourceGroupName, vaultName, accessMode }` });
    return undefined;
  }
  checkKeys(problems, v, EXISTING_VAULT_KEYS, path);
  checkResourceGroupName(problems, v.resourceGroupName, `${path}.resourceGroupName`);
  const vaultName = checkVaultName(problems, v.vaultName, `${path}.vaultName`);
  const accessMode = checkAccessMode(problems, v.accessMode, `${path}.accessMode`, true);
  return vaultName && accessMode
    ? { kind: 'existing', resourceGroupName: v.resourceGroupName as pulumi.Input<string>, vaultName, accessMode }
    : undefined;
}

export function resolveNewVault(problems: Problem[], v: unknown, warnings: string[]): ResolvedVault | undefined {
  const path = 'newVault';
  if (!isObject(v)) {
    problems.push({ path, message: `${show(v)} must be an object { resourceGroupName, vaultName, ... }` });
    return undefined;
  }
  checkKeys(problems, v, NEW_VAULT_KEYS, path);
  checkResourceGroupName(problems, v.resourceGroupName, `${path}.resourceGroupName`);
  const vaultName = checkVaultName(problems, v.vaultName, `${path}.vaultName`);
  const accessMode = checkAccessMode(problems, v.accessMode, `${path}.accessMode`, false);
  if (v.sku !== undefined && (typeof v.sku !== 'string' || !SKUS.includes(v.sku))) {
    problems.push({
      path: 'newVault.sku',
      message: `${showWord(v.sku)} is not a KeyVaultSku; expected "standard" (KeyVaultSku.STANDARD) or "premium" (KeyVaultSku.PREMIUM)`,
    });
  }
  checkBoolean(problems, v.purgeProtection, 'newVault.purgeProtection');
  if (v.softDeleteRetentionInDays !== undefined) {
    const reason = checkInteger(v.softDeleteRetentionInDays, 7, 90);
    if (reason) {
      problems.push({
        path: 'newVault.softDeleteRetentionInDays',
        message: `${showWord(v.softDeleteRetentionInDays)} ${reason} (days)`,
      });
    }
  }
  if (v.location !== undefined && !isDeferred(v.location) && (typeof v.location !== 'string' || v.location === '')) {
    problems.push({
      path: 'newVault.location',
      message: `${show(v.location)} must be a non-empty string (an Azure region)`,
    });
  }
  problems.push(...checkAzureTags(v.tags, 'newVault.tags'));
  const purgeProtection = v.purgeProtection !== false;
  if (!purgeProtection && vaultName) {
    warnings.push(
      `newVault "${vaultName}": purge protection is off; KES stores every EK as a Key Vault secret, so a purge (by anyone with the purge permission) loses the data encrypted with it for good`,
    );
  }
  if (!vaultName) {
    return undefined;
  }
  return {
    kind: 'new',
    resourceGroupName: v.resourceGroupName as pulumi.Input<string>,
    vaultName,
    accessMode: accessMode ?? KeyVaultAccessMode.RBAC,
    location: v.location as pulumi.Input<string> | undefined,
    sku: (v.sku as KeyVaultSku | undefined) ?? KeyVaultSku.STANDARD,
    purgeProtection,
    softDeleteRetentionInDays: (v.softDeleteRetentionInDays as number | undefined) ?? 90,
    tags: v.tags as pulumi.Input<Record<string, pulumi.Input<string>>> | undefined,
  };
}
