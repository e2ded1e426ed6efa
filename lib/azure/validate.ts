import * as pulumi from '@pulumi/pulumi';
import { checkOidcIssuerUrl } from './oidc-issuer';
import { checkAzureTags } from './tags';
import { AZURE_CLOUDS, AzureCloud, azureCloudOfEndpoint } from '../declaration/azure-auth';
import {
  checkDnsLabel,
  checkDnsSubdomain,
  checkInteger,
  checkKeyVaultEndpoint,
  checkKeyVaultName,
  checkUuid,
  keyVaultNameOf,
} from '../declaration/rules';
import { Problem, formatProblems } from '../declaration/validate';
import { FieldKind, display, isShowableKey as isShowableFieldName } from '../declaration/problems';
import { snapshot } from '../declaration/snapshot';
import {
  CLIENT_SECRET_EXPIRY_WARNING_DAYS,
  DEFAULT_APPLICATION_DISPLAY_NAME,
  DEFAULT_CLIENT_SECRET_LIFETIME_DAYS,
  KEY_VAULT_SECRETS_OFFICER_ROLE_ID,
  KesAuthMode,
  KeyVaultAccessMode,
  ProviderEnvironments,
  WorkloadIdentityKind,
  KeyVaultSku,
  MAX_CLIENT_SECRET_LIFETIME_DAYS,
} from './args';

const DAY_MS = 86_400_000;

/** A client secret slot after validation and defaulting. */
export interface ResolvedClientSecretSlot {
  readonly name: string;
  /** End date, RFC 3339 in UTC with whole seconds (`2025-11-28T00:00:00Z`). */
  readonly endDate: string;
  /** The password's `rotateWhenChanged`: `{ slot }` plus `{ trigger }` when a rotation trigger is given. */
  readonly rotateWhenChanged: Readonly<Record<string, string>>;
  readonly protect: boolean;
}

/** The vault part of validated arguments. */
export type ResolvedVault =
  | {
      readonly kind: 'existing';
      readonly resourceGroupName: pulumi.Input<string>;
      readonly vaultName: string;
      readonly accessMode: KeyVaultAccessMode;
    }
  | {
      readonly kind: 'new';
      readonly resourceGroupName: pulumi.Input<string>;
      readonly vaultName: string;
      readonly accessMode: KeyVaultAccessMode;
      readonly location?: pulumi.Input<string>;
      readonly sku: KeyVaultSku;
      readonly purgeProtection: boolean;
      readonly softDeleteRetentionInDays: number;
      readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    };

/** Workload identity after validation: the federated credential's issuer and subject. */
export interface ResolvedWorkloadIdentity {
  readonly oidcIssuerUrl: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** `system:serviceaccount:<namespace>:<serviceAccountName>`. */
  readonly subject: string;
  readonly identity: WorkloadIdentityKind;
}

/** A user-assigned managed identity to create, after validation. */
export interface ResolvedUserAssignedIdentity {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location?: pulumi.Input<string>;
  readonly name: string;
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** {@link KesAzureIdentityArgs} validated, with every default applied. */
export interface ResolvedKesAzureIdentityArgs {
  readonly kesAuth: KesAuthMode;
  /** The cloud of the Key Vault endpoint (public when none is given). */
  readonly cloud: AzureCloud;
  /** Only with `kesAuth: workloadIdentity`. */
  readonly workloadIdentity?: ResolvedWorkloadIdentity;
  /** Only when a managed identity is created (managed identity, or workload identity of kind userAssignedIdentity). */
  readonly userAssignedIdentity?: ResolvedUserAssignedIdentity;
  readonly displayName: string;
  /** `undefined` means: the deploying principal. */
  readonly owners?: pulumi.Input<pulumi.Input<string>[]>;
  readonly vault: ResolvedVault;
  /** Empty unless `kesAuth` is clientSecret. */
  readonly clientSecrets: readonly ResolvedClientSecretSlot[];
  /** The name of the active slot (always one of `clientSecrets`); `undefined` in the secretless modes. */
  readonly activeClientSecret?: string;
  readonly protectIdentity: boolean;
  /** Warnings to log (`pulumi.log.warn`): never secret. */
  readonly warnings: readonly string[];
}

const TOP_LEVEL_KEYS = [
  'displayName',
  'owners',
  'existingVault',
  'newVault',
  'kesAuth',
  'clientSecrets',
  'activeClientSecret',
  'workloadIdentity',
  'userAssignedIdentity',
  'keyVaultEndpoint',
  'providerEnvironments',
  'protectIdentity',
];
const EXISTING_VAULT_KEYS = ['resourceGroupName', 'vaultName', 'accessMode'];
const NEW_VAULT_KEYS = [
  'resourceGroupName',
  'vaultName',
  'location',
  'accessMode',
  'sku',
  'purgeProtection',
  'softDeleteRetentionInDays',
  'tags',
];
/** A slot's startDate may lie at most this many days ahead (the day you add it, with some slack for time zones). */
const MAX_START_DATE_AHEAD_DAYS = 2;
const SLOT_KEYS = ['name', 'startDate', 'lifetimeDays', 'endDate', 'rotationTrigger', 'protect'];

/**
 * Check {@link KesAzureIdentityArgs} and return every problem found, each with its path
 * (e.g. `newVault.vaultName`). Pure: never throws for bad data (a value that throws when read, such as a revoked
 * Proxy, is itself reported), registers nothing. Values that are Outputs or Promises (resource group, owners,
 * location, tags) are not inspected.
 *
 * Messages never echo an invalid value of a field where a secret could be pasted by mistake (names, IDs, display
 * name, field names): they give its length and "(value not shown)". Valid values, numbers, booleans, date-like
 * strings and word-like values of enum fields are shown, strings at most 40 characters.
 *
 * @param now the reference time for end dates (tests pass a fixed one)
 */
export function validateKesAzureIdentityArgs(args: unknown, now: Date = new Date()): Problem[] {
  return resolveSafely(args, now).problems;
}

/**
 * Validate and default {@link KesAzureIdentityArgs}.
 *
 * @param name the component's name, used in the error message
 * @param now the reference time for end dates
 * @throws Error listing every problem, one per line with its path, e.g.
 *   `invalid KesAzureIdentity "kes" arguments (1 problem):\n  - newVault.vaultName: "my_vault" ...`
 */
export function resolveKesAzureIdentityArgs(
  name: string,
  args: unknown,
  now: Date = new Date(),
): ResolvedKesAzureIdentityArgs {
  const { problems, resolved } = resolveSafely(args, now);
  const nameOk = typeof name === 'string' && name !== '';
  if (!nameOk) {
    problems.unshift({
      path: 'name',
      message: `${display(name, FieldKind.NAME)} must be a non-empty string (the component name)`,
    });
  }
  if (problems.length > 0 || !resolved) {
    throw new Error(
      formatProblems(
        problems,
        `KesAzureIdentity ${nameOk ? display(name, FieldKind.NAME) : ''} arguments`.replace('  ', ' '),
      ),
    );
  }
  return resolved;
}

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

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-](\d{2}):(\d{2})))?$/;

/**
 * Parse an RFC 3339 timestamp (`2025-06-01T12:00:00Z`, `2025-06-01T14:00:00+02:00`, `t`/`z` in any case) or a date
 * (`2025-06-01`, read as midnight UTC) to epoch milliseconds; `undefined` when malformed or not a real calendar
 * time (month 13, February 30, hour 24, …).
 */
export function parseTimestamp(value: string): number | undefined {
  const m = TIMESTAMP.exec(value.toUpperCase());
  if (!m) {
    return undefined;
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) {
    return undefined;
  }
  if (m[4] === undefined) {
    return Date.UTC(year, month - 1, day);
  }
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const [oh, om] = [Number(m[9]), Number(m[10])];
    if (oh > 23 || om > 59) {
      return undefined;
    }
    offsetMinutes = (m[8].startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/** Format epoch milliseconds as RFC 3339 in UTC with whole seconds (truncated), e.g. `2025-11-28T00:00:00Z`. */
export function formatTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

function isDeferred(value: unknown): boolean {
  return pulumi.Output.isInstance(value) || value instanceof Promise;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A value as shown in a message when it is not a string: Outputs and Promises by name, anything else as the shared
 * display policy describes it (`lib/declaration/problems.ts`). Never throws.
 */
function showNonString(value: unknown): string {
  if (isDeferred(value)) {
    return pulumi.Output.isInstance(value) ? 'an Output' : 'a Promise';
  }
  return display(value, FieldKind.SECRET);
}

/** A string as shown: quoted, escaped, at most 40 characters of it (the shared display policy for names). */
function quoted(value: string): string {
  return display(value, FieldKind.NAME);
}

/** An invalid value of a field that could receive a secret pasted by mistake: {@link FieldKind.SECRET}. */
function show(value: unknown): string {
  return typeof value === 'string' ? display(value, FieldKind.SECRET) : showNonString(value);
}

/** An invalid value of an enum, boolean or number field: {@link FieldKind.WORD}. */
function showWord(value: unknown): string {
  return typeof value === 'string' ? display(value, FieldKind.WORD) : showNonString(value);
}

/** An invalid value of a date field: {@link FieldKind.DATE}. */
function showDate(value: unknown): string {
  return typeof value === 'string' ? display(value, FieldKind.DATE) : showNonString(value);
}

/** A field name that may be shown in a path (the shared display policy). */
function isShowableKey(key: string): boolean {
  return isShowableFieldName(key);
}

function checkKeys(problems: Problem[], obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key) && obj[key] !== undefined) {
      if (isShowableKey(key)) {
        problems.push({
          path: path ? `${path}.${key}` : key,
          message: `unknown field; expected one of ${allowed.join(', ')}`,
        });
      } else {
        problems.push({
          path: path || 'args',
          message: `a field whose name is not shown (it may be a secret pasted by mistake) is unknown; expected one of ${allowed.join(', ')}`,
        });
      }
    }
  }
}

function checkBoolean(problems: Problem[], value: unknown, path: string): void {
  if (value !== undefined && typeof value !== 'boolean') {
    problems.push({ path, message: `${showWord(value)} must be a boolean` });
  }
}

const ACCESS_MODES = Object.values(KeyVaultAccessMode) as string[];
const SKUS = Object.values(KeyVaultSku) as string[];

function checkAccessMode(
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
function checkResourceGroupName(problems: Problem[], value: unknown, path: string): void {
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

function checkVaultName(problems: Problem[], value: unknown, path: string): string | undefined {
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

/** `null` counts as absent, like `undefined`: both say "not this kind of vault". */
function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function resolveVault(problems: Problem[], a: Record<string, unknown>, warnings: string[]): ResolvedVault | undefined {
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

function resolveExistingVault(problems: Problem[], v: unknown): ResolvedVault | undefined {
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

function resolveNewVault(problems: Problem[], v: unknown, warnings: string[]): ResolvedVault | undefined {
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

function resolveSlot(
  problems: Problem[],
  slot: unknown,
  i: number,
  now: number,
  protectIdentity: boolean,
): ResolvedClientSecretSlot | undefined {
  const path = `clientSecrets[${i}]`;
  if (!isObject(slot)) {
    problems.push({ path, message: `${show(slot)} must be an object { name, startDate | endDate, ... }` });
    return undefined;
  }
  checkKeys(problems, slot, SLOT_KEYS, path);
  let ok = true;
  const fail = (field: string, message: string): void => {
    problems.push({ path: `${path}.${field}`, message });
    ok = false;
  };

  const name = slot.name;
  if (typeof name !== 'string') {
    fail(
      'name',
      name === undefined ? 'required: a slot name such as "a" or "2025-06"' : `${show(name)} must be a string`,
    );
  } else {
    const reason = checkDnsLabel(name, 32);
    if (reason) {
      fail('name', `${show(name)} is not a valid slot name: ${reason}`);
    }
  }

  const { startDate, endDate, lifetimeDays } = slot;
  let endMs: number | undefined;
  let endField = 'endDate';
  if (startDate !== undefined && endDate !== undefined) {
    fail('endDate', 'give either endDate or startDate (with lifetimeDays), not both');
  } else if (startDate === undefined && endDate === undefined) {
    fail(
      'startDate',
      `required: give startDate (the day the slot is added; the secret then lasts lifetimeDays, default ${DEFAULT_CLIENT_SECRET_LIFETIME_DAYS}) or endDate; an end date computed from "now" would replace the secret on every pulumi up`,
    );
  } else if (endDate !== undefined) {
    if (lifetimeDays !== undefined) {
      fail('lifetimeDays', 'only applies with startDate; with endDate the lifetime is fixed by the end date');
    }
    endMs = typeof endDate === 'string' ? parseTimestamp(endDate) : undefined;
    if (endMs === undefined) {
      fail('endDate', `${showDate(endDate)} is not an RFC 3339 timestamp (2026-01-31T00:00:00Z) or date (2026-01-31)`);
    }
  } else {
    endField = 'startDate';
    const startMs = typeof startDate === 'string' ? parseTimestamp(startDate) : undefined;
    if (startMs === undefined) {
      fail(
        'startDate',
        `${showDate(startDate)} is not an RFC 3339 timestamp (2025-06-01T00:00:00Z) or date (2025-06-01)`,
      );
    } else if (startMs - now > MAX_START_DATE_AHEAD_DAYS * DAY_MS) {
      // The password is valid from its creation, so a start date far ahead silently stretches its lifetime.
      fail(
        'startDate',
        `${showDate(startDate)} is more than ${MAX_START_DATE_AHEAD_DAYS} days ahead: write the day you add the slot (the secret is valid from its creation)`,
      );
    }
    let days = DEFAULT_CLIENT_SECRET_LIFETIME_DAYS;
    if (lifetimeDays !== undefined) {
      const reason = checkInteger(lifetimeDays, 1, MAX_CLIENT_SECRET_LIFETIME_DAYS);
      if (reason) {
        fail('lifetimeDays', `${showWord(lifetimeDays)} ${reason} (days; at most 2 years)`);
      } else {
        days = lifetimeDays as number;
      }
    }
    if (startMs !== undefined && ok) {
      endMs = startMs + days * DAY_MS;
    }
  }

  if (endMs !== undefined) {
    const shown =
      endField === 'endDate'
        ? JSON.stringify(endDate)
        : `${JSON.stringify(startDate)} + ${lifetimeDays ?? DEFAULT_CLIENT_SECRET_LIFETIME_DAYS} days = ${formatTimestamp(endMs)}`;
    if (endMs <= now) {
      fail(
        endField,
        `end date ${shown} is in the past: the secret has expired (or would be born expired); remove the slot (run \`pulumi state unprotect\` on its password first if it is protected) and rotate as the README describes`,
      );
    } else if (endMs - now > MAX_CLIENT_SECRET_LIFETIME_DAYS * DAY_MS) {
      fail(
        endField,
        `end date ${shown} is more than ${MAX_CLIENT_SECRET_LIFETIME_DAYS} days (2 years) from now; use a bounded lifetime and rotate`,
      );
    }
  }

  if (slot.rotationTrigger !== undefined && (typeof slot.rotationTrigger !== 'string' || slot.rotationTrigger === '')) {
    fail('rotationTrigger', `${show(slot.rotationTrigger)} must be a non-empty string`);
  }
  checkBoolean(problems, slot.protect, `${path}.protect`);
  if (!ok || typeof name !== 'string' || endMs === undefined) {
    return undefined;
  }
  return {
    name,
    endDate: formatTimestamp(endMs),
    rotateWhenChanged:
      slot.rotationTrigger === undefined ? { slot: name } : { slot: name, trigger: slot.rotationTrigger as string },
    protect: typeof slot.protect === 'boolean' ? slot.protect : protectIdentity,
  };
}

/**
 * {@link resolveInternal}, never throwing: data that throws when read (a revoked Proxy, a getter that throws) is
 * reported as a problem. The error's text is not shown: it may quote the value.
 */
function resolveSafely(args: unknown, nowDate: Date): { problems: Problem[]; resolved?: ResolvedKesAzureIdentityArgs } {
  try {
    // Read the input defensively first (getters, proxies, cycles, BigInt, class instances), keeping Outputs and
    // Promises as they are: the rules then only see plain data.
    const snap = snapshot(args, '', { keep: (v) => (isDeferred(v) ? { value: v } : undefined) });
    if (snap.problems.length > 0) {
      return {
        problems: snap.problems.map((p) => ({ path: p.path === '(root)' ? 'args' : p.path, message: p.message })),
      };
    }
    return resolveInternal(snap.value, nowDate);
  } catch (e) {
    const kind = e instanceof Error && /^[A-Za-z]{1,40}$/.test(e.name) ? `a ${e.name}` : 'an exception';
    return { problems: [{ path: 'args', message: `could not be read (reading it threw ${kind}); pass plain data` }] };
  }
}

function resolveInternal(
  args: unknown,
  nowDate: Date,
): { problems: Problem[]; resolved?: ResolvedKesAzureIdentityArgs } {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  if (!isObject(args)) {
    problems.push({ path: 'args', message: `${show(args)} must be an object (KesAzureIdentityArgs)` });
    return { problems };
  }
  const now = nowDate.getTime();
  checkKeys(problems, args, TOP_LEVEL_KEYS, '');

  let displayName = DEFAULT_APPLICATION_DISPLAY_NAME;
  if (args.displayName !== undefined) {
    if (typeof args.displayName !== 'string' || args.displayName.trim() === '' || args.displayName.length > 256) {
      problems.push({
        path: 'displayName',
        message: `${show(args.displayName)} must be a string of 1 to 256 characters`,
      });
    } else {
      displayName = args.displayName;
    }
  }

  if (args.owners !== undefined && !isDeferred(args.owners)) {
    if (!Array.isArray(args.owners)) {
      problems.push({ path: 'owners', message: `${show(args.owners)} must be an array of object IDs` });
    } else if (args.owners.length === 0) {
      problems.push({
        path: 'owners',
        message:
          'is an empty array: an app registration without owners cannot be managed by anyone but admins; omit owners to default to the deployer',
      });
    } else {
      args.owners.forEach((owner: unknown, i: number) => {
        if (isDeferred(owner)) {
          return;
        }
        const reason = typeof owner === 'string' ? checkUuid(owner) : 'must be a string';
        if (reason) {
          problems.push({
            path: `owners[${i}]`,
            message: `${show(owner)} ${reason} (an object ID of a user or service principal)`,
          });
        }
      });
    }
  }

  checkBoolean(problems, args.protectIdentity, 'protectIdentity');
  const protectIdentity = args.protectIdentity !== false;

  const vault = resolveVault(problems, args, warnings);
  const auth = resolveAuthMode(problems, args, displayName);
  const cloud = resolveCloud(problems, args, vault?.vaultName);

  const slots: ResolvedClientSecretSlot[] = [];
  let slotsOk = true;
  const example = "e.g. [{ name: 'a', startDate: '2025-06-01' }]";
  const rawSlots: unknown[] = Array.isArray(args.clientSecrets) ? Array.from(args.clientSecrets as unknown[]) : [];
  if (auth.kesAuth !== KesAuthMode.CLIENT_SECRET) {
    // Secretless: resolveAuthMode already refused clientSecrets and activeClientSecret.
  } else if (!isGiven(args.clientSecrets)) {
    problems.push({ path: 'clientSecrets', message: `required: at least one client secret slot, ${example}` });
    slotsOk = false;
  } else if (!Array.isArray(args.clientSecrets)) {
    problems.push({
      path: 'clientSecrets',
      message: `clientSecrets is ${show(args.clientSecrets)}; expected an array of client secret slots (at least one), ${example}`,
    });
    slotsOk = false;
  } else if (rawSlots.length === 0) {
    problems.push({
      path: 'clientSecrets',
      message: `clientSecrets is an empty array; expected at least one client secret slot, ${example}`,
    });
    slotsOk = false;
  } else {
    const seen = new Map<string, number>();
    rawSlots.forEach((raw: unknown, i: number) => {
      const name = isObject(raw) ? raw.name : undefined;
      if (typeof name === 'string') {
        const first = seen.get(name);
        if (first !== undefined) {
          // Slot names are never shown (the shared display policy): the slots are named by index.
          problems.push({
            path: `clientSecrets[${i}].name`,
            message: `is the same name as clientSecrets[${first}].name`,
          });
          slotsOk = false;
        } else {
          seen.set(name, i);
        }
      }
      const resolved = resolveSlot(problems, raw, i, now, protectIdentity);
      if (resolved) {
        slots.push(resolved);
      } else {
        slotsOk = false;
      }
    });
  }

  let active: string | undefined;
  const names = rawSlots
    .map((s: unknown) => (isObject(s) ? s.name : undefined))
    .filter((n): n is string => typeof n === 'string');
  // Slot names are never shown (the shared display policy): the slots are listed by path.
  const listed = rawSlots.map((_s: unknown, i: number) => `clientSecrets[${i}].name`).join(', ') || 'none';
  if (auth.kesAuth !== KesAuthMode.CLIENT_SECRET) {
    // no active slot
  } else if (args.activeClientSecret !== undefined) {
    if (typeof args.activeClientSecret !== 'string' || !names.includes(args.activeClientSecret)) {
      problems.push({
        path: 'activeClientSecret',
        message: `${show(args.activeClientSecret)} names no slot in clientSecrets (slots: ${listed})`,
      });
    } else {
      active = args.activeClientSecret;
    }
  } else if (names.length === 1) {
    active = names[0];
  } else if (names.length > 1) {
    problems.push({
      path: 'activeClientSecret',
      message: `required when there are several client secret slots (${listed}): name the one KES uses`,
    });
  }

  if (active !== undefined && protectIdentity) {
    const i = rawSlots.findIndex((s: unknown) => isObject(s) && s.name === active);
    const raw = rawSlots[i] as Record<string, unknown>;
    if (raw.protect === false) {
      problems.push({
        path: `clientSecrets[${i}].protect`,
        message: `the active client secret (clientSecrets[${i}]) must stay protected while protectIdentity is true; unprotect only a slot you are about to remove`,
      });
    }
  }

  const secretless = auth.kesAuth !== KesAuthMode.CLIENT_SECRET;
  if (problems.length > 0 || !vault || !slotsOk || (!secretless && active === undefined) || cloud === undefined) {
    return { problems };
  }
  const activeSlot = slots.find((s) => s.name === active);
  const daysLeft = activeSlot ? (Date.parse(activeSlot.endDate) - now) / DAY_MS : Infinity;
  if (activeSlot && daysLeft < CLIENT_SECRET_EXPIRY_WARNING_DAYS) {
    warnings.push(
      `the active KES client secret (clientSecrets[${slots.indexOf(activeSlot)}]) expires at ${activeSlot.endDate}, in ${Math.floor(daysLeft)} days; add a new slot and rotate now (see the README), or KES and MinIO stop when it expires`,
    );
  }
  return {
    problems,
    resolved: {
      kesAuth: auth.kesAuth,
      cloud,
      workloadIdentity: auth.workloadIdentity,
      userAssignedIdentity: auth.userAssignedIdentity,
      displayName,
      owners: args.owners as pulumi.Input<pulumi.Input<string>[]> | undefined,
      vault,
      clientSecrets: slots,
      activeClientSecret: active,
      protectIdentity,
      warnings,
    },
  };
}

const KES_AUTH_MODES = Object.values(KesAuthMode) as string[];
const WORKLOAD_IDENTITY_KINDS = Object.values(WorkloadIdentityKind) as string[];
const WORKLOAD_IDENTITY_KEYS = ['oidcIssuerUrl', 'namespace', 'serviceAccountName', 'identity'];
const USER_ASSIGNED_IDENTITY_KEYS = ['resourceGroupName', 'location', 'name', 'tags'];
const PROVIDER_ENVIRONMENT_KEYS = ['azuread', 'azureNative'];

/**
 * The auth mode and its arguments. Exactly one authentication method: client secret slots only with
 * `clientSecret`, `workloadIdentity` only with `workloadIdentity`, `userAssignedIdentity` only where a managed
 * identity is used.
 */
function resolveAuthMode(
  problems: Problem[],
  a: Record<string, unknown>,
  displayName: string,
): {
  kesAuth: KesAuthMode;
  workloadIdentity?: ResolvedWorkloadIdentity;
  userAssignedIdentity?: ResolvedUserAssignedIdentity;
} {
  let kesAuth = KesAuthMode.CLIENT_SECRET;
  if (a.kesAuth !== undefined) {
    if (typeof a.kesAuth !== 'string' || !KES_AUTH_MODES.includes(a.kesAuth)) {
      problems.push({
        path: 'kesAuth',
        message: `${showWord(a.kesAuth)} is not a KesAuthMode; expected one of ${KES_AUTH_MODES.map((m) => JSON.stringify(m)).join(', ')}`,
      });
      // Keep checking the rest as client secret, so every other problem is still listed.
      return { kesAuth };
    }
    kesAuth = a.kesAuth as KesAuthMode;
  }
  const mode = JSON.stringify(kesAuth);
  if (kesAuth !== KesAuthMode.CLIENT_SECRET) {
    for (const field of ['clientSecrets', 'activeClientSecret']) {
      if (isGiven(a[field])) {
        problems.push({
          path: field,
          message: `is set but kesAuth is ${mode}: give one authentication method only; remove ${field}, or set kesAuth to "clientSecret" to use client secrets`,
        });
      }
    }
  }
  if (kesAuth !== KesAuthMode.WORKLOAD_IDENTITY && isGiven(a.workloadIdentity)) {
    problems.push({
      path: 'workloadIdentity',
      message: `is set but kesAuth is ${mode}: give one authentication method only; remove workloadIdentity, or set kesAuth to "workloadIdentity"`,
    });
  }
  let workloadIdentity: ResolvedWorkloadIdentity | undefined;
  if (kesAuth === KesAuthMode.WORKLOAD_IDENTITY) {
    workloadIdentity = resolveWorkloadIdentity(problems, a.workloadIdentity);
  }
  const needsIdentity =
    kesAuth === KesAuthMode.MANAGED_IDENTITY ||
    (kesAuth === KesAuthMode.WORKLOAD_IDENTITY &&
      workloadIdentity?.identity === WorkloadIdentityKind.USER_ASSIGNED_IDENTITY);
  let userAssignedIdentity: ResolvedUserAssignedIdentity | undefined;
  if (needsIdentity) {
    userAssignedIdentity = resolveUserAssignedIdentity(problems, a.userAssignedIdentity, displayName, kesAuth);
  } else if (
    isGiven(a.userAssignedIdentity) &&
    !(kesAuth === KesAuthMode.WORKLOAD_IDENTITY && workloadIdentity === undefined)
  ) {
    problems.push({
      path: 'userAssignedIdentity',
      message:
        kesAuth === KesAuthMode.WORKLOAD_IDENTITY
          ? 'is set but workloadIdentity.identity is "application" (the federated credential goes on the app registration); remove it, or set workloadIdentity.identity to "userAssignedIdentity"'
          : `is set but kesAuth is ${mode}: a managed identity is only used with kesAuth "managedIdentity" or workload identity of kind "userAssignedIdentity"; remove it`,
    });
  }
  return { kesAuth, workloadIdentity, userAssignedIdentity };
}

export { checkOidcIssuerUrl } from './oidc-issuer';

function resolveWorkloadIdentity(problems: Problem[], v: unknown): ResolvedWorkloadIdentity | undefined {
  const path = 'workloadIdentity';
  if (!isObject(v)) {
    problems.push({
      path,
      message: `${isGiven(v) ? `${show(v)} must be an object` : 'required with kesAuth "workloadIdentity"'}: { oidcIssuerUrl, namespace, serviceAccountName, identity? }`,
    });
    return undefined;
  }
  checkKeys(problems, v, WORKLOAD_IDENTITY_KEYS, path);
  const before = problems.length;
  if (typeof v.oidcIssuerUrl !== 'string') {
    problems.push({
      path: `${path}.oidcIssuerUrl`,
      message:
        v.oidcIssuerUrl === undefined
          ? 'required: the AKS OIDC issuer URL (az aks show --query oidcIssuerProfile.issuerUrl)'
          : `${show(v.oidcIssuerUrl)} must be a plain string`,
    });
  } else {
    const reason = checkOidcIssuerUrl(v.oidcIssuerUrl);
    if (reason) {
      problems.push({ path: `${path}.oidcIssuerUrl`, message: `${quoted(v.oidcIssuerUrl)} ${reason}` });
    }
  }
  const ns = v.namespace;
  const nsReason = typeof ns === 'string' ? checkDnsLabel(ns) : 'must be a string';
  if (nsReason) {
    problems.push({
      path: `${path}.namespace`,
      message: `${ns === undefined ? 'required: the tenant namespace; it' : show(ns)} ${ns === undefined ? 'is part of the federated subject' : `${nsReason} (a namespace)`}`,
    });
  }
  const sa = v.serviceAccountName;
  const saReason = typeof sa === 'string' ? checkDnsSubdomain(sa) : 'must be a string';
  if (saReason) {
    problems.push({
      path: `${path}.serviceAccountName`,
      message: `${sa === undefined ? 'required: the KES service account; it' : show(sa)} ${sa === undefined ? 'is part of the federated subject' : `${saReason} (a service account name)`}`,
    });
  }
  let identity = WorkloadIdentityKind.APPLICATION;
  if (v.identity !== undefined) {
    if (typeof v.identity !== 'string' || !WORKLOAD_IDENTITY_KINDS.includes(v.identity)) {
      problems.push({
        path: `${path}.identity`,
        message: `${showWord(v.identity)} is not a WorkloadIdentityKind; expected "application" or "userAssignedIdentity"`,
      });
    } else {
      identity = v.identity as WorkloadIdentityKind;
    }
  }
  if (problems.length > before) {
    return undefined;
  }
  const namespace = ns as string;
  const serviceAccountName = sa as string;
  return {
    oidcIssuerUrl: v.oidcIssuerUrl as string,
    namespace,
    serviceAccountName,
    subject: `system:serviceaccount:${namespace}:${serviceAccountName}`,
    identity,
  };
}

function resolveUserAssignedIdentity(
  problems: Problem[],
  v: unknown,
  displayName: string,
  kesAuth: KesAuthMode,
): ResolvedUserAssignedIdentity | undefined {
  const path = 'userAssignedIdentity';
  if (!isObject(v)) {
    problems.push({
      path,
      message: `${isGiven(v) ? `${show(v)} must be an object` : `required with kesAuth ${JSON.stringify(kesAuth)}${kesAuth === KesAuthMode.WORKLOAD_IDENTITY ? ' and workloadIdentity.identity "userAssignedIdentity"' : ''}: the managed identity KES uses`}, { resourceGroupName, location?, name?, tags? }`,
    });
    return undefined;
  }
  checkKeys(problems, v, USER_ASSIGNED_IDENTITY_KEYS, path);
  const before = problems.length;
  checkResourceGroupName(problems, v.resourceGroupName, `${path}.resourceGroupName`);
  const name = v.name ?? displayName;
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/.test(name)) {
    problems.push({
      path: v.name === undefined ? 'displayName' : `${path}.name`,
      message: `${show(name)} is not a managed identity name: 3 to 128 letters, digits, "-" and "_", starting with a letter or digit${v.name === undefined ? ' (used as userAssignedIdentity.name; set that instead)' : ''}`,
    });
  }
  if (v.location !== undefined && !isDeferred(v.location) && (typeof v.location !== 'string' || v.location === '')) {
    problems.push({
      path: `${path}.location`,
      message: `${show(v.location)} must be a non-empty string (an Azure region)`,
    });
  }
  problems.push(...checkAzureTags(v.tags, `${path}.tags`));
  if (problems.length > before) {
    return undefined;
  }
  return {
    resourceGroupName: v.resourceGroupName as pulumi.Input<string>,
    location: v.location as pulumi.Input<string> | undefined,
    name: name as string,
    tags: v.tags as pulumi.Input<Record<string, pulumi.Input<string>>> | undefined,
  };
}

/**
 * The provider environments in effect for the default providers, read as their SDKs do: `azuread:environment`, then
 * `ARM_ENVIRONMENT`, else `public` (@pulumi/azuread 6.9.1 `config/vars.js`); `azure-native:environment`, else
 * `public` (@pulumi/azure-native 3.28.0 `config/vars.js`, `provider.js`).
 */
export function configuredProviderEnvironments(): Required<ProviderEnvironments> {
  return {
    azuread: new pulumi.Config('azuread').get('environment') ?? (process.env.ARM_ENVIRONMENT || 'public'),
    azureNative: new pulumi.Config('azure-native').get('environment') ?? 'public',
  };
}

/** The cloud an `azuread` or `azure-native` provider environment names, or `undefined` for an unknown value. */
export function cloudOfProviderEnvironment(
  provider: 'azuread' | 'azureNative',
  environment: string,
): AzureCloud | undefined {
  const e = environment.toLowerCase();
  return Object.values(AZURE_CLOUDS).find((f) =>
    provider === 'azuread' ? f.azureadEnvironments.includes(e) : f.azureNativeEnvironment === e,
  )?.cloud;
}

/**
 * The cloud of the Key Vault endpoint, checked against the vault name and both providers' environments.
 * @returns the cloud, or `undefined` after recording problems
 */
function resolveCloud(
  problems: Problem[],
  a: Record<string, unknown>,
  vaultName: string | undefined,
): AzureCloud | undefined {
  let cloud = AzureCloud.PUBLIC;
  let shownEndpoint = 'the default Key Vault endpoint (public cloud)';
  const before = problems.length;
  if (a.keyVaultEndpoint !== undefined) {
    const endpoint = a.keyVaultEndpoint;
    const reason = typeof endpoint === 'string' ? checkKeyVaultEndpoint(endpoint) : 'must be a string';
    if (reason) {
      problems.push({
        path: 'keyVaultEndpoint',
        message: `${typeof endpoint === 'string' ? quoted(endpoint) : show(endpoint)} ${reason}`,
      });
      return undefined;
    }
    cloud = azureCloudOfEndpoint(endpoint as string) ?? AzureCloud.PUBLIC;
    shownEndpoint = `the Key Vault endpoint ${JSON.stringify(endpoint)}`;
    const named = keyVaultNameOf(endpoint as string);
    if (vaultName !== undefined && named.toLowerCase() !== vaultName.toLowerCase()) {
      problems.push({
        path: 'keyVaultEndpoint',
        message: `${JSON.stringify(endpoint)} names vault "${named}" but the vault granted is "${vaultName}"`,
      });
    }
  }
  const facts = AZURE_CLOUDS[cloud];
  let envs: ProviderEnvironments = {};
  if (a.providerEnvironments !== undefined) {
    if (!isObject(a.providerEnvironments)) {
      problems.push({
        path: 'providerEnvironments',
        message: `${show(a.providerEnvironments)} must be an object { azuread?, azureNative? }`,
      });
      return undefined;
    }
    checkKeys(problems, a.providerEnvironments, PROVIDER_ENVIRONMENT_KEYS, 'providerEnvironments');
    envs = a.providerEnvironments as ProviderEnvironments;
  }
  const configured = configuredProviderEnvironments();
  const checks: { provider: 'azuread' | 'azureNative'; key: string; want: string }[] = [
    { provider: 'azuread', key: 'azuread:environment', want: facts.azureadEnvironments[0] },
    { provider: 'azureNative', key: 'azure-native:environment', want: facts.azureNativeEnvironment },
  ];
  for (const { provider, key, want } of checks) {
    const explicit = envs[provider];
    const value = explicit ?? configured[provider];
    const path = explicit !== undefined ? `providerEnvironments.${provider}` : key;
    if (typeof value !== 'string') {
      problems.push({ path, message: `${show(value)} must be a string (a provider environment)` });
      continue;
    }
    const got = cloudOfProviderEnvironment(provider, value);
    const fix =
      explicit !== undefined
        ? `set environment: "${want}" on your ${provider === 'azuread' ? 'azuread' : 'azure-native'} provider and providerEnvironments.${provider} to match`
        : `run \`pulumi config set ${key} ${want}\``;
    if (got === undefined) {
      problems.push({
        path,
        message: `${showWord(value)} is not an environment the ${provider === 'azuread' ? 'azuread' : 'azure-native'} provider knows; ${shownEndpoint} is in ${facts.displayName}: ${fix}`,
      });
    } else if (got !== cloud) {
      problems.push({
        path,
        message: `the ${provider === 'azuread' ? 'azuread' : 'azure-native'} provider targets ${AZURE_CLOUDS[got].displayName} (environment ${JSON.stringify(value)}) but ${shownEndpoint} is in ${facts.displayName}: ${fix}`,
      });
    }
  }
  return problems.length > before ? undefined : cloud;
}
