import * as fc from 'fast-check';
import * as pulumi from '@pulumi/pulumi';
import {
  KeyVaultAccessMode,
  KeyVaultSku,
  checkObservedVault,
  formatTimestamp,
  parseTimestamp,
  resolveKesAzureIdentityArgs,
  secretsOfficerRoleDefinitionId,
  tryResolveKesAzureIdentityArgs,
  validateKesAzureIdentityArgs,
} from '../../lib/azure';

const NOW = new Date('2025-06-15T08:00:00Z');
const DAY = 86_400_000;
const TENANT = '11111111-1111-4111-8111-111111111111';
const existingVault = { resourceGroupName: 'rg-minio', vaultName: 'kv-minio', accessMode: KeyVaultAccessMode.RBAC };
const slotA = { name: 'a', startDate: '2025-06-01' };

function messages(args: unknown): string[] {
  return validateKesAzureIdentityArgs(args, NOW).map((p) => `${p.path}: ${p.message}`);
}

describe('resolveKesAzureIdentityArgs', () => {
  test('applies every default for an existing vault', () => {
    expect(resolveKesAzureIdentityArgs('kes', { existingVault, clientSecrets: [slotA] }, NOW)).toEqual({
      kesAuth: 'clientSecret',
      cloud: 'public',
      workloadIdentity: undefined,
      userAssignedIdentity: undefined,
      displayName: 'minio-kes',
      owners: undefined,
      vault: { kind: 'existing', resourceGroupName: 'rg-minio', vaultName: 'kv-minio', accessMode: 'rbac' },
      clientSecrets: [{ name: 'a', endDate: '2025-11-28T00:00:00Z', rotateWhenChanged: { slot: 'a' }, protect: true }],
      activeClientSecret: 'a',
      protectIdentity: true,
      warnings: [],
    });
  });

  test('applies every default for a new vault: RBAC, standard, purge protection, 90 days', () => {
    const resolved = resolveKesAzureIdentityArgs(
      'kes',
      { newVault: { resourceGroupName: 'rg', vaultName: 'kv-new' }, clientSecrets: [slotA] },
      NOW,
    );
    expect(resolved.vault).toEqual({
      kind: 'new',
      resourceGroupName: 'rg',
      vaultName: 'kv-new',
      accessMode: KeyVaultAccessMode.RBAC,
      location: undefined,
      sku: KeyVaultSku.STANDARD,
      purgeProtection: true,
      softDeleteRetentionInDays: 90,
      tags: undefined,
    });
  });

  test('slot protection follows protectIdentity unless the slot says otherwise', () => {
    const resolved = resolveKesAzureIdentityArgs(
      'kes',
      {
        existingVault,
        protectIdentity: false,
        clientSecrets: [slotA, { name: 'b', startDate: '2025-06-10', protect: true }],
        activeClientSecret: 'b',
      },
      NOW,
    );
    expect(resolved.clientSecrets.map((s) => [s.name, s.protect])).toEqual([
      ['a', false],
      ['b', true],
    ]);
  });

  test('throws one error naming the component and listing each problem with its path', () => {
    expect(() =>
      resolveKesAzureIdentityArgs('kes', { existingVault: { ...existingVault, vaultName: 'a_b' } }, NOW),
    ).toThrow(
      'invalid KesAzureIdentity "kes" arguments (2 problems):\n' +
        '  - existingVault.vaultName: a string of 3 characters (value not shown) is not a valid Key Vault name: must use letters, digits and "-", start with a letter and end with a letter or digit\n' +
        "  - clientSecrets: required: at least one client secret slot, e.g. [{ name: 'a', startDate: '2025-06-01' }]",
    );
  });

  test('warns when the active secret expires within 60 days, not for an inactive one', () => {
    const resolved = resolveKesAzureIdentityArgs(
      'kes',
      {
        existingVault,
        clientSecrets: [
          { name: 'old', endDate: '2025-07-01T00:00:00Z' },
          { name: 'new', endDate: '2025-08-01T00:00:00Z' },
        ],
        activeClientSecret: 'new',
      },
      NOW,
    );
    expect(resolved.warnings).toEqual([
      'the active KES client secret (clientSecrets[1]) expires at 2025-08-01T00:00:00Z, in 46 days; add a new slot and rotate now (see the README), or KES and MinIO stop when it expires',
    ]);
    expect(
      resolveKesAzureIdentityArgs(
        'kes',
        { existingVault, clientSecrets: [{ name: 'a', endDate: '2025-08-15T00:00:00Z' }] },
        NOW,
      ).warnings,
    ).toEqual([]);
  });

  test('does not inspect Outputs (resource group, owners)', () => {
    expect(
      messages({
        existingVault: { ...existingVault, resourceGroupName: pulumi.output('rg') },
        owners: pulumi.output(['not-a-uuid']),
        clientSecrets: [slotA],
      }),
    ).toEqual([]);
    expect(messages({ existingVault, owners: [pulumi.output('x'), 'not-a-uuid'], clientSecrets: [slotA] })).toEqual([
      'owners[1]: a string of 10 characters (value not shown) must be a UUID (8-4-4-4-12 hexadecimal digits) (an object ID of a user or service principal)',
    ]);
  });
});

describe('validateKesAzureIdentityArgs', () => {
  test('accepts a valid declaration', () => {
    expect(messages({ existingVault, clientSecrets: [slotA] })).toEqual([]);
  });

  test.each([
    ['kv', 'must be 3 to 24 characters'],
    ['a'.repeat(25), 'must be 3 to 24 characters'],
    ['1kv', 'must use letters, digits and "-", start with a letter and end with a letter or digit'],
    ['kv-', 'must use letters, digits and "-", start with a letter and end with a letter or digit'],
    ['kv.minio', 'must use letters, digits and "-", start with a letter and end with a letter or digit'],
    ['kv--minio', 'must not contain "--"'],
  ])('fails when the vault name is %j', (vaultName, reason) => {
    expect(messages({ existingVault: { ...existingVault, vaultName }, clientSecrets: [slotA] })).toEqual([
      `existingVault.vaultName: a string of ${vaultName.length} characters (value not shown) is not a valid Key Vault name: ${reason}`,
    ]);
  });

  test('accepts vault names at the limits', () => {
    for (const vaultName of ['kv1', 'K-v-1', `a${'b'.repeat(22)}c`]) {
      expect(messages({ existingVault: { ...existingVault, vaultName }, clientSecrets: [slotA] })).toEqual([]);
    }
  });

  test('fails when the vault name is an Output', () => {
    expect(
      messages({ existingVault: { ...existingVault, vaultName: pulumi.output('kv-minio') }, clientSecrets: [slotA] }),
    ).toEqual([
      'existingVault.vaultName: an Output must be a plain string (the name is validated and used before any resource is registered)',
    ]);
  });

  test('fails on bad resource group, sku, retention, location and purge protection types', () => {
    expect(
      messages({
        newVault: {
          resourceGroupName: 'rg.',
          vaultName: 'kv-new',
          sku: 'basic',
          softDeleteRetentionInDays: 91,
          location: '',
          purgeProtection: 'yes',
        },
        clientSecrets: [slotA],
      }),
    ).toEqual([
      'newVault.resourceGroupName: a string of 3 characters (value not shown) is not a resource group name: 1 to 90 letters, digits, "_", "-", ".", "(" and ")", not ending with "."',
      'newVault.sku: "basic" is not a KeyVaultSku; expected "standard" (KeyVaultSku.STANDARD) or "premium" (KeyVaultSku.PREMIUM)',
      'newVault.purgeProtection: "yes" must be a boolean',
      'newVault.softDeleteRetentionInDays: 91 must be between 7 and 90 (days)',
      'newVault.location: "" must be a non-empty string (an Azure region)',
    ]);
  });

  test('fails on fields that belong to the other vault kind', () => {
    expect(messages({ existingVault: { ...existingVault, purgeProtection: true }, clientSecrets: [slotA] })).toEqual([
      'existingVault.purgeProtection: unknown field; expected one of resourceGroupName, vaultName, accessMode',
    ]);
  });

  test('fails when a slot has both startDate and endDate, or lifetimeDays with endDate', () => {
    expect(
      messages({
        existingVault,
        clientSecrets: [
          { name: 'a', startDate: '2025-06-01', endDate: '2025-12-01' },
          { name: 'b', endDate: '2025-12-01', lifetimeDays: 30 },
        ],
        activeClientSecret: 'a',
      }),
    ).toEqual([
      'clientSecrets[0].endDate: give either endDate or startDate (with lifetimeDays), not both',
      'clientSecrets[1].lifetimeDays: only applies with startDate; with endDate the lifetime is fixed by the end date',
    ]);
  });

  test('fails when a slot has neither startDate nor endDate', () => {
    expect(messages({ existingVault, clientSecrets: [{ name: 'a' }] })).toEqual([
      'clientSecrets[0].startDate: required: give startDate (the day the slot is added; the secret then lasts lifetimeDays, default 180) or endDate; an end date computed from "now" would replace the secret on every pulumi up',
    ]);
  });

  test.each([
    '2025-13-01',
    '2025-02-29',
    '2025-06-01T24:00:00Z',
    '2025-06-01T10:00:00',
    '01/06/2025',
    '2025-06-01T10:00:00+25:00',
  ])('fails when the end date is %j', (endDate) => {
    expect(messages({ existingVault, clientSecrets: [{ name: 'a', endDate }] })).toEqual([
      `clientSecrets[0].endDate: ${JSON.stringify(endDate)} is not an RFC 3339 timestamp (2026-01-31T00:00:00Z) or date (2026-01-31)`,
    ]);
  });

  test('fails when the end date is now, in the past, or beyond two years', () => {
    expect(
      messages({
        existingVault,
        clientSecrets: [
          { name: 'a', endDate: '2025-06-15T08:00:00Z' },
          { name: 'b', startDate: '2025-06-16', lifetimeDays: 730 },
          { name: 'c', endDate: '2027-06-15T08:00:01Z' },
          { name: 'd', endDate: '2027-06-15T08:00:00Z' },
        ],
        activeClientSecret: 'd',
      }),
    ).toEqual([
      'clientSecrets[0].endDate: end date "2025-06-15T08:00:00Z" is in the past: the secret has expired (or would be born expired); remove the slot (run `pulumi state unprotect` on its password first if it is protected) and rotate as the README describes',
      'clientSecrets[1].startDate: end date "2025-06-16" + 730 days = 2027-06-16T00:00:00Z is more than 730 days (2 years) from now; use a bounded lifetime and rotate',
      'clientSecrets[2].endDate: end date "2027-06-15T08:00:01Z" is more than 730 days (2 years) from now; use a bounded lifetime and rotate',
    ]);
  });

  test('fails when a start date lies more than 2 days ahead (it would stretch the lifetime)', () => {
    expect(messages({ existingVault, clientSecrets: [{ name: 'a', startDate: '2025-12-01' }] })).toEqual([
      'clientSecrets[0].startDate: "2025-12-01" is more than 2 days ahead: write the day you add the slot (the secret is valid from its creation)',
    ]);
  });

  test('fails when owners is an empty array', () => {
    expect(messages({ existingVault, clientSecrets: [slotA], owners: [] })).toEqual([
      'owners: is an empty array: an app registration without owners cannot be managed by anyone but admins; omit owners to default to the deployer',
    ]);
  });

  test.each([0, 731, 1.5, '90'])('fails when lifetimeDays is %j', (lifetimeDays) => {
    expect(messages({ existingVault, clientSecrets: [{ ...slotA, lifetimeDays }] })).toEqual([
      `clientSecrets[0].lifetimeDays: ${typeof lifetimeDays === 'string' ? '"90"' : lifetimeDays} ${
        typeof lifetimeDays === 'number' && Number.isInteger(lifetimeDays)
          ? 'must be between 1 and 730'
          : 'must be an integer'
      } (days; at most 2 years)`,
    ]);
  });

  test('fails on bad slot names, triggers and protect flags', () => {
    expect(
      messages({
        existingVault,
        clientSecrets: [
          { name: 'Slot_A', startDate: '2025-06-01' },
          { name: 'b', startDate: '2025-06-01', rotationTrigger: '' },
          { name: 'c', startDate: '2025-06-01', protect: 'no' },
          { name: 'x'.repeat(33), startDate: '2025-06-01' },
          'd',
        ],
        activeClientSecret: 'b',
      }),
    ).toEqual([
      'clientSecrets[0].name: a string of 6 characters (value not shown) is not a valid slot name: must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
      'clientSecrets[1].rotationTrigger: "" must be a non-empty string',
      'clientSecrets[2].protect: "no" must be a boolean',
      'clientSecrets[3].name: a string of 33 characters (value not shown) is not a valid slot name: must be 1 to 32 characters',
      'clientSecrets[4]: a string of 1 character (value not shown) must be an object { name, startDate | endDate, ... }',
    ]);
  });

  test('fails on bad top-level values', () => {
    expect(messages(undefined)).toEqual(['args: undefined must be an object (KesAzureIdentityArgs)']);
    expect(
      messages({ existingVault, clientSecrets: [slotA], displayName: '', owners: 'me', protectIdentity: 'false' }),
    ).toEqual([
      'displayName: "" must be a string of 1 to 256 characters',
      'owners: a string of 2 characters (value not shown) must be an array of object IDs',
      'protectIdentity: "false" must be a boolean',
    ]);
    expect(messages({ existingVault, clientSecrets: [] })).toEqual([
      "clientSecrets: clientSecrets is an empty array; expected at least one client secret slot, e.g. [{ name: 'a', startDate: '2025-06-01' }]",
    ]);
    expect(messages({ existingVault: 'kv-minio', clientSecrets: [slotA] })).toEqual([
      'existingVault: a string of 8 characters (value not shown) must be an object { resourceGroupName, vaultName, accessMode }',
    ]);
  });

  test('lets an unprotected slot be active when protectIdentity is false', () => {
    expect(messages({ existingVault, clientSecrets: [{ ...slotA, protect: false }], protectIdentity: false })).toEqual(
      [],
    );
  });

  test('property: a start date and lifetime within bounds always resolves to start + lifetime, normalized', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100, max: 0 }),
        fc.integer({ min: 101, max: 730 }),
        (startOffsetDays, lifetimeDays) => {
          const startMs = NOW.getTime() + startOffsetDays * DAY;
          const startDate = new Date(startMs).toISOString();
          const resolved = resolveKesAzureIdentityArgs(
            'kes',
            { existingVault, clientSecrets: [{ name: 'a', startDate, lifetimeDays }] },
            NOW,
          );
          const endDate = resolved.clientSecrets[0].endDate;
          expect(endDate).toBe(formatTimestamp(startMs + lifetimeDays * DAY));
          expect(endDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        },
      ),
    );
  });
});

describe('timestamps', () => {
  test.each([
    ['2025-06-01', '2025-06-01T00:00:00Z'],
    ['2025-06-01T10:20:30Z', '2025-06-01T10:20:30Z'],
    ['2025-06-01t10:20:30z', '2025-06-01T10:20:30Z'],
    ['2025-06-01T10:20:30.999999Z', '2025-06-01T10:20:30Z'],
    ['2025-06-01T00:30:00+02:00', '2025-05-31T22:30:00Z'],
    ['2024-02-29T23:59:59-00:30', '2024-03-01T00:29:59Z'],
  ])('parses %j as %s', (input, expected) => {
    expect(formatTimestamp(parseTimestamp(input) as number)).toBe(expected);
  });

  test('property: any instant written with any offset parses back to the same instant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (ms, offsetMinutes) => {
          const seconds = Math.floor(ms / 1000) * 1000;
          const local = new Date(seconds + offsetMinutes * 60_000).toISOString().slice(0, 19);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(parseTimestamp(text)).toBe(seconds);
          expect(formatTimestamp(seconds)).toBe(new Date(seconds).toISOString().replace('.000Z', 'Z'));
        },
      ),
    );
  });
});

describe('checkObservedVault', () => {
  const vault = (enableRbacAuthorization: boolean | undefined, tenantId = TENANT) => ({
    id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv',
    properties: { tenantId, enableRbacAuthorization },
  });

  test('accepts a vault whose mode and tenant match', () => {
    expect(checkObservedVault(vault(true), 'kv', KeyVaultAccessMode.RBAC, TENANT)).toEqual([]);
    expect(checkObservedVault(vault(false), 'kv', KeyVaultAccessMode.ACCESS_POLICY, TENANT)).toEqual([]);
    expect(checkObservedVault(vault(undefined), 'kv', KeyVaultAccessMode.ACCESS_POLICY, TENANT.toUpperCase())).toEqual(
      [],
    );
  });

  test('fails when access policies are declared for an RBAC vault (ignored there: MicrosoftDocs `key-vault/general/rbac-migration.md`)', () => {
    expect(checkObservedVault(vault(true), 'kv', KeyVaultAccessMode.ACCESS_POLICY, TENANT)).toEqual([
      {
        path: 'existingVault.accessMode',
        message:
          'vault "kv" uses Azure RBAC (enableRbacAuthorization=true), so access policies would be silently ignored; set accessMode to KeyVaultAccessMode.RBAC',
      },
    ]);
  });

  test('fails when RBAC is declared for an access-policy vault', () => {
    expect(checkObservedVault(vault(undefined), 'kv', KeyVaultAccessMode.RBAC, TENANT).map((p) => p.message)).toEqual([
      'vault "kv" uses access policies (enableRbacAuthorization is not true), so a role assignment would grant nothing on secrets; set accessMode to KeyVaultAccessMode.ACCESS_POLICY',
    ]);
  });

  test('fails when the vault is in another tenant than the application', () => {
    const other = '77777777-7777-4777-8777-777777777777';
    expect(checkObservedVault(vault(true, other), 'kv', KeyVaultAccessMode.RBAC, TENANT)).toEqual([
      {
        path: 'existingVault',
        message: `vault "kv" belongs to another Entra tenant than the one the KES application is created in (azuread provider); KES could not authenticate to this vault`,
      },
    ]);
  });
});

describe('secretsOfficerRoleDefinitionId', () => {
  test('builds the subscription-scoped role definition ID from the vault ID', () => {
    expect(
      secretsOfficerRoleDefinitionId('/subscriptions/abc/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv'),
    ).toBe('/subscriptions/abc/providers/Microsoft.Authorization/roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7');
  });

  test('fails on an ID without a subscription', () => {
    expect(() => secretsOfficerRoleDefinitionId('kv')).toThrow(
      'key vault id "kv" does not start with /subscriptions/<subscription-id>/',
    );
  });
});

/** What an Azure client secret looks like (`<3 chars>8Q~<34 chars>`): the value must never be echoed. */
const SECRET = 'Xy8Q~SUPERSECRETVALUE.abc_123';

describe('validateKesAzureIdentityArgs: values that may be pasted secrets are not echoed', () => {
  const hidden = `a string of ${SECRET.length} characters (value not shown)`;

  test.each<[string, Record<string, unknown>, string]>([
    [
      'a slot name',
      { existingVault, clientSecrets: [{ name: SECRET, startDate: '2025-06-01' }] },
      `clientSecrets[0].name: ${hidden} is not a valid slot name: must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit`,
    ],
    [
      'an owner',
      { existingVault, clientSecrets: [slotA], owners: [SECRET] },
      `owners[0]: ${hidden} must be a UUID (8-4-4-4-12 hexadecimal digits) (an object ID of a user or service principal)`,
    ],
    [
      'owners as a string',
      { existingVault, clientSecrets: [slotA], owners: SECRET },
      `owners: ${hidden} must be an array of object IDs`,
    ],
    [
      'a display name that is too long',
      { existingVault, clientSecrets: [slotA], displayName: SECRET.repeat(10) },
      `displayName: a string of ${SECRET.length * 10} characters (value not shown) must be a string of 1 to 256 characters`,
    ],
    [
      'a vault name',
      { existingVault: { ...existingVault, vaultName: SECRET }, clientSecrets: [slotA] },
      `existingVault.vaultName: ${hidden} is not a valid Key Vault name: must be 3 to 24 characters`,
    ],
    [
      'a resource group name',
      { existingVault: { ...existingVault, resourceGroupName: `${SECRET}~` }, clientSecrets: [slotA] },
      `existingVault.resourceGroupName: a string of ${SECRET.length + 1} characters (value not shown) is not a resource group name: 1 to 90 letters, digits, "_", "-", ".", "(" and ")", not ending with "."`,
    ],
    [
      'the active slot',
      { existingVault, clientSecrets: [slotA], activeClientSecret: SECRET },
      `activeClientSecret: ${hidden} names no slot in clientSecrets (slots: clientSecrets[0].name)`,
    ],
    [
      'a start date',
      { existingVault, clientSecrets: [{ name: 'a', startDate: SECRET }] },
      `clientSecrets[0].startDate: ${hidden} is not an RFC 3339 timestamp (2025-06-01T00:00:00Z) or date (2025-06-01)`,
    ],
    [
      'an end date',
      { existingVault, clientSecrets: [{ name: 'a', endDate: SECRET }] },
      `clientSecrets[0].endDate: ${hidden} is not an RFC 3339 timestamp (2026-01-31T00:00:00Z) or date (2026-01-31)`,
    ],
    [
      'the access mode',
      { existingVault: { ...existingVault, accessMode: SECRET }, clientSecrets: [slotA] },
      `existingVault.accessMode: ${hidden} is not a KeyVaultAccessMode; expected "accessPolicy" (KeyVaultAccessMode.ACCESS_POLICY) or "rbac" (KeyVaultAccessMode.RBAC)`,
    ],
    [
      'a slot given as a string',
      { existingVault, clientSecrets: [SECRET] },
      `clientSecrets[0]: ${hidden} must be an object { name, startDate | endDate, ... }`,
    ],
    [
      'a field name',
      { existingVault, clientSecrets: [slotA], [SECRET]: true },
      'args: a field whose name is not shown (it may be a secret pasted by mistake) is unknown; expected one of displayName, owners, existingVault, newVault, kesAuth, clientSecrets, activeClientSecret, workloadIdentity, userAssignedIdentity, keyVaultEndpoint, providerEnvironments, protectIdentity',
    ],
  ])('%s', (_what, args, message) => {
    const got = messages(args);
    expect(got).toEqual([message]);
    expect(got.join('\n')).not.toContain('SUPERSECRET');
  });

  test('a slot name used twice is reported without its value, valid or not', () => {
    expect(
      messages({
        existingVault,
        clientSecrets: [{ name: SECRET, startDate: '2025-06-01' }, { name: SECRET, startDate: '2025-06-01' }, slotA],
        activeClientSecret: 'a',
      }),
    ).toEqual([
      `clientSecrets[0].name: ${hidden} is not a valid slot name: must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit`,
      `clientSecrets[1].name: is the same name as clientSecrets[0].name`,
      `clientSecrets[1].name: ${hidden} is not a valid slot name: must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit`,
    ]);
  });

  test('the list of slots names them by path, never by value', () => {
    expect(
      messages({
        existingVault,
        clientSecrets: [slotA, { name: SECRET, startDate: '2025-06-01' }, { name: 'b', startDate: '2025-06-01' }],
      }),
    ).toEqual([
      `clientSecrets[1].name: ${hidden} is not a valid slot name: must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit`,
      'activeClientSecret: required when there are several client secret slots (clientSecrets[0].name, clientSecrets[1].name, clientSecrets[2].name): name the one KES uses',
    ]);
  });

  test('valid values and values that cannot be secrets are still shown; long enum-like values are capped at 40 characters', () => {
    expect(
      messages({
        newVault: {
          resourceGroupName: 'rg',
          vaultName: 'kv-new',
          accessMode: 'RBAC',
          sku: 'p'.repeat(100),
          softDeleteRetentionInDays: 1e21,
        },
        clientSecrets: [{ name: 'a', startDate: '2025-06-01', lifetimeDays: 10n }],
      }),
    ).toEqual([
      'newVault.accessMode: "RBAC" is not a KeyVaultAccessMode; expected "accessPolicy" (KeyVaultAccessMode.ACCESS_POLICY) or "rbac" (KeyVaultAccessMode.RBAC)',
      `newVault.sku: "${'p'.repeat(40)}"... (100 characters) is not a KeyVaultSku; expected "standard" (KeyVaultSku.STANDARD) or "premium" (KeyVaultSku.PREMIUM)`,
      'newVault.softDeleteRetentionInDays: 1e+21 must be between 7 and 90 (days)',
      'clientSecrets[0].lifetimeDays: 10n must be an integer (days; at most 2 years)',
    ]);
  });
});

describe('validateKesAzureIdentityArgs: messages', () => {
  test.each<[string, unknown, string]>([
    ['an empty array', [], 'clientSecrets is an empty array; expected at least one client secret slot'],
    ['an object', { name: 'a' }, 'clientSecrets is an object; expected an array of client secret slots (at least one)'],
    ['a number', 3, 'clientSecrets is 3; expected an array of client secret slots (at least one)'],
    [
      'a string',
      'abc',
      'clientSecrets is a string of 3 characters (value not shown); expected an array of client secret slots (at least one)',
    ],
    ['null', null, 'required: at least one client secret slot'],
  ])('clientSecrets given %s names the field and what is expected', (_what, clientSecrets, message) => {
    expect(messages({ existingVault, clientSecrets })).toEqual([
      `clientSecrets: ${message}, e.g. [{ name: 'a', startDate: '2025-06-01' }]`,
    ]);
  });

  test('a duplicate slot name says which slot uses it', () => {
    expect(messages({ existingVault, clientSecrets: [slotA, slotA], activeClientSecret: 'a' })).toEqual([
      'clientSecrets[1].name: is the same name as clientSecrets[0].name',
    ]);
  });

  test('null and undefined vaults count as absent', () => {
    const newVault = { resourceGroupName: 'rg', vaultName: 'kv-new' };
    expect(messages({ existingVault: null, newVault, clientSecrets: [slotA] })).toEqual([]);
    expect(messages({ existingVault, newVault: undefined, clientSecrets: [slotA] })).toEqual([]);
    expect(messages({ existingVault: null, newVault: null, clientSecrets: [slotA] })).toEqual([
      'existingVault, newVault: neither is set; give exactly one: existingVault to grant access to a vault you manage, or newVault to create one',
    ]);
  });

  test('when both vaults are set, the problems of each are still listed', () => {
    expect(
      messages({
        existingVault: { resourceGroupName: 'rg', vaultName: 'a_b' },
        newVault: { resourceGroupName: 'rg', vaultName: 'kv-new', sku: 'basic', location: '' },
        clientSecrets: [slotA],
      }),
    ).toEqual([
      'existingVault, newVault: both are set; give exactly one: existingVault to grant access to a vault you manage, or newVault to create one',
      'existingVault.vaultName: a string of 3 characters (value not shown) is not a valid Key Vault name: must use letters, digits and "-", start with a letter and end with a letter or digit',
      'existingVault.accessMode: required: declare how the vault authorizes data-plane access, KeyVaultAccessMode.ACCESS_POLICY ("accessPolicy") or KeyVaultAccessMode.RBAC ("rbac"); it is never guessed because access policies on an RBAC vault are silently ignored',
      'newVault.sku: "basic" is not a KeyVaultSku; expected "standard" (KeyVaultSku.STANDARD) or "premium" (KeyVaultSku.PREMIUM)',
      'newVault.location: "" must be a non-empty string (an Azure region)',
    ]);
  });
});

describe('validateKesAzureIdentityArgs never throws (JS callers)', () => {
  const circular: Record<string, unknown> = { name: 'a' };
  circular.self = circular;
  const revokedProxy = (): unknown => {
    const r = Proxy.revocable({}, {});
    r.revoke();
    return r.proxy;
  };
  const throwing = (): unknown =>
    Object.defineProperty({}, 'name', {
      enumerable: true,
      get(): never {
        throw new TypeError('getter');
      },
    });
  /** Not data at all: reading them throws. Made inside the property (fast-check itself cannot inspect them). */
  const exoticFactories: (() => unknown)[] = [
    revokedProxy,
    throwing,
    () => [throwing()],
    () => [revokedProxy()],
    () => ({ clientSecrets: [throwing()] }),
  ];
  const exotic = fc.integer({ min: 0, max: exoticFactories.length - 1 });
  const odd = fc.oneof(
    fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
    }),
    fc.constantFrom<unknown>(
      null,
      undefined,
      Symbol('s'),
      () => 1,
      10n,
      NaN,
      -0,
      Infinity,
      circular,
      [null],
      [undefined, null],
      Object.create(null),
      new Date(NaN),
      pulumi.output('x'),
      Promise.resolve('x'),
    ),
  );
  const slot = fc.record(
    { name: odd, startDate: odd, endDate: odd, lifetimeDays: odd, rotationTrigger: odd, protect: odd, extra: odd },
    { requiredKeys: [] },
  );
  const vault = fc.record(
    {
      resourceGroupName: odd,
      vaultName: odd,
      accessMode: odd,
      location: odd,
      sku: odd,
      purgeProtection: odd,
      softDeleteRetentionInDays: odd,
      tags: odd,
    },
    { requiredKeys: [] },
  );
  const args = fc.record(
    {
      displayName: odd,
      owners: fc.oneof(odd, fc.array(odd)),
      existingVault: fc.oneof(odd, vault),
      newVault: fc.oneof(odd, vault),
      clientSecrets: fc.oneof(odd, fc.array(fc.oneof(odd, slot), { maxLength: 4 })),
      activeClientSecret: odd,
      protectIdentity: odd,
    },
    { requiredKeys: [] },
  );

  test('property: any value in any field gives a list of problems, never an exception', () => {
    fc.assert(
      fc.property(fc.oneof(args, odd), (value) => {
        const problems = validateKesAzureIdentityArgs(value, NOW);
        for (const p of problems) {
          expect(typeof p.path).toBe('string');
          expect(typeof p.message).toBe('string');
          // every such value is handled by a rule, not by the last-resort catch
          expect(p.message).not.toContain('could not be read');
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('property: values that throw when read (revoked proxies, throwing getters) give a problem too', () => {
    fc.assert(
      fc.property(
        args,
        exotic,
        fc.constantFrom('displayName', 'owners', 'existingVault', 'newVault', 'clientSecrets', 'args'),
        (base, i, field) => {
          const bad = exoticFactories[i]();
          const value = field === 'args' ? bad : { ...base, [field]: bad };
          expect(Array.isArray(validateKesAzureIdentityArgs(value, NOW))).toBe(true);
          expect(() => resolveKesAzureIdentityArgs('kes', value, NOW)).toThrow(
            /^invalid KesAzureIdentity "kes" arguments/,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  test('property: the secret-shaped value is never echoed, whichever field it lands in', () => {
    const fields = fc.constantFrom(
      'displayName',
      'owners',
      'owners[0]',
      'activeClientSecret',
      'clientSecrets',
      'clientSecrets[0]',
      'clientSecrets[0].name',
      'clientSecrets[0].startDate',
      'clientSecrets[0].endDate',
      'clientSecrets[0].lifetimeDays',
      'clientSecrets[0].protect',
      'existingVault',
      'existingVault.vaultName',
      'existingVault.resourceGroupName',
      'existingVault.accessMode',
      'newVault.vaultName',
      'newVault.sku',
      'newVault.purgeProtection',
      'newVault.softDeleteRetentionInDays',
      'protectIdentity',
      'key',
    );
    fc.assert(
      fc.property(fc.uniqueArray(fields, { minLength: 1, maxLength: 4 }), fc.boolean(), (where, both) => {
        const a: Record<string, any> = { existingVault: { ...existingVault }, clientSecrets: [{ ...slotA }] };
        if (both) {
          a.newVault = { resourceGroupName: 'rg', vaultName: 'kv-new' };
        }
        for (const w of where) {
          if (w === 'key') {
            a[SECRET] = 1;
          } else if (w === 'owners[0]') {
            a.owners = [SECRET];
          } else if (w === 'clientSecrets[0]') {
            a.clientSecrets = [SECRET];
          } else if (w.startsWith('clientSecrets[0].')) {
            if (typeof a.clientSecrets[0] === 'object') {
              a.clientSecrets[0][w.slice(17)] = SECRET;
            }
          } else if (w.includes('.')) {
            const [v, f] = w.split('.');
            a[v] = { ...(typeof a[v] === 'object' ? a[v] : {}), [f]: SECRET };
          } else {
            a[w] = SECRET;
          }
        }
        const text = messages(a).join('\n');
        expect(text).not.toContain('SUPERSECRET');
        expect(text).not.toContain('Xy8Q');
      }),
      { numRuns: 500 },
    );
  });

  test('a getter that throws is reported as a problem, not thrown', () => {
    const args = {
      existingVault,
      get clientSecrets(): never {
        throw new TypeError(`boom ${SECRET}`);
      },
    };
    const got = messages(args);
    expect(got).toEqual(['clientSecrets: could not be read (reading it threw a TypeError); pass plain data']);
  });
});

describe('arguments validated once on each path (tryResolveKesAzureIdentityArgs → KesAzureIdentity)', () => {
  const valid = { existingVault, clientSecrets: [slotA] };

  test('the result of tryResolveKesAzureIdentityArgs is used as is: the arguments are not read again', () => {
    const { problems, resolved } = tryResolveKesAzureIdentityArgs(valid, NOW);
    expect(problems).toEqual([]);
    expect(resolved).toBeDefined();
    // Arguments that would fail are not looked at: the validated result for these very arguments is returned.
    expect(resolveKesAzureIdentityArgs('kes', { bogus: true }, NOW, resolved)).toBe(resolved);
  });

  test('fails when the validated result is a copy (not branded): the arguments are validated again', () => {
    const { resolved } = tryResolveKesAzureIdentityArgs(valid, NOW);
    expect(() => resolveKesAzureIdentityArgs('kes', { bogus: true }, NOW, { ...resolved! })).toThrow(
      'invalid KesAzureIdentity "kes" arguments (',
    );
  });

  test('fails when the component name is empty even with a validated result', () => {
    const { resolved } = tryResolveKesAzureIdentityArgs(valid, NOW);
    expect(() => resolveKesAzureIdentityArgs('', valid, NOW, resolved)).toThrow(
      '  - name: "" must be a non-empty string (the component name)',
    );
  });

  test('fails with the same problems as validateKesAzureIdentityArgs, and no result', () => {
    const bad = { existingVault, clientSecrets: [] };
    const { problems, resolved } = tryResolveKesAzureIdentityArgs(bad, NOW);
    expect(resolved).toBeUndefined();
    expect(problems).toEqual(validateKesAzureIdentityArgs(bad, NOW));
    expect(problems.length).toBeGreaterThan(0);
  });
});
