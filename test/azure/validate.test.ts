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
    expect(() => resolveKesAzureIdentityArgs('kes', { existingVault: { ...existingVault, vaultName: 'a_b' } }, NOW)).toThrow(
      'invalid KesAzureIdentity "kes" arguments (2 problems):\n' +
        '  - existingVault.vaultName: "a_b" is not a valid Key Vault name: must use letters, digits and "-", start with a letter and end with a letter or digit\n' +
        "  - clientSecrets: required: at least one slot, e.g. [{ name: 'a', startDate: '2025-06-01' }]",
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
      'the active KES client secret (slot "new") expires at 2025-08-01T00:00:00Z, in 46 days; add a new slot and rotate now (see the README), or KES and MinIO stop when it expires',
    ]);
    expect(
      resolveKesAzureIdentityArgs('kes', { existingVault, clientSecrets: [{ name: 'a', endDate: '2025-08-15T00:00:00Z' }] }, NOW).warnings,
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
      'owners[1]: "not-a-uuid" must be a UUID (8-4-4-4-12 hexadecimal digits) (an object ID of a user or service principal)',
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
      `existingVault.vaultName: ${JSON.stringify(vaultName)} is not a valid Key Vault name: ${reason}`,
    ]);
  });

  test('accepts vault names at the limits', () => {
    for (const vaultName of ['kv1', 'K-v-1', `a${'b'.repeat(22)}c`]) {
      expect(messages({ existingVault: { ...existingVault, vaultName }, clientSecrets: [slotA] })).toEqual([]);
    }
  });

  test('fails when the vault name is an Output', () => {
    expect(messages({ existingVault: { ...existingVault, vaultName: pulumi.output('kv-minio') }, clientSecrets: [slotA] })).toEqual([
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
      'newVault.resourceGroupName: "rg." is not a resource group name: 1 to 90 letters, digits, "_", "-", ".", "(" and ")", not ending with "."',
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

  test.each(['2025-13-01', '2025-02-29', '2025-06-01T24:00:00Z', '2025-06-01T10:00:00', '01/06/2025', '2025-06-01T10:00:00+25:00'])(
    'fails when the end date is %j',
    (endDate) => {
      expect(messages({ existingVault, clientSecrets: [{ name: 'a', endDate }] })).toEqual([
        `clientSecrets[0].endDate: ${JSON.stringify(endDate)} is not an RFC 3339 timestamp (2026-01-31T00:00:00Z) or date (2026-01-31)`,
      ]);
    },
  );

  test('fails when the end date is now, in the past, or beyond two years', () => {
    expect(
      messages({
        existingVault,
        clientSecrets: [
          { name: 'a', endDate: '2025-06-15T08:00:00Z' },
          { name: 'b', startDate: '2026-01-01', lifetimeDays: 700 },
          { name: 'c', endDate: '2027-06-15T08:00:01Z' },
          { name: 'd', endDate: '2027-06-15T08:00:00Z' },
        ],
        activeClientSecret: 'd',
      }),
    ).toEqual([
      'clientSecrets[0].endDate: end date "2025-06-15T08:00:00Z" is in the past: the secret has expired (or would be born expired); remove the slot (run `pulumi state unprotect` on its password first if it is protected) and rotate as the README describes',
      'clientSecrets[1].startDate: end date "2026-01-01" + 700 days = 2027-12-02T00:00:00Z is more than 730 days (2 years) from now; use a bounded lifetime and rotate',
      'clientSecrets[2].endDate: end date "2027-06-15T08:00:01Z" is more than 730 days (2 years) from now; use a bounded lifetime and rotate',
    ]);
  });

  test.each([0, 731, 1.5, '90'])('fails when lifetimeDays is %j', (lifetimeDays) => {
    expect(messages({ existingVault, clientSecrets: [{ ...slotA, lifetimeDays }] })).toEqual([
      `clientSecrets[0].lifetimeDays: ${typeof lifetimeDays === 'string' ? '"90"' : lifetimeDays} ${
        typeof lifetimeDays === 'number' && Number.isInteger(lifetimeDays) ? 'must be between 1 and 730' : 'must be an integer'
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
      'clientSecrets[0].name: "Slot_A" is not a valid slot name: must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
      'clientSecrets[1].rotationTrigger: "" must be a non-empty string',
      'clientSecrets[2].protect: "no" must be a boolean',
      `clientSecrets[3].name: "${'x'.repeat(33)}" is not a valid slot name: must be 1 to 32 characters`,
      'clientSecrets[4]: "d" must be an object { name, startDate | endDate, ... }',
    ]);
  });

  test('fails on bad top-level values', () => {
    expect(messages(undefined)).toEqual(['args: undefined must be an object (KesAzureIdentityArgs)']);
    expect(
      messages({ existingVault, clientSecrets: [slotA], displayName: '', owners: 'me', protectIdentity: 'false' }),
    ).toEqual([
      'displayName: "" must be a string of 1 to 256 characters',
      'owners: "me" must be an array of object IDs',
      'protectIdentity: "false" must be a boolean',
    ]);
    expect(messages({ existingVault, clientSecrets: [] })).toEqual([
      "clientSecrets: an array must be a non-empty array: at least one slot, e.g. [{ name: 'a', startDate: '2025-06-01' }]",
    ]);
    expect(messages({ existingVault: 'kv-minio', clientSecrets: [slotA] })).toEqual(['existingVault: "kv-minio" must be an object']);
  });

  test('lets an unprotected slot be active when protectIdentity is false', () => {
    expect(messages({ existingVault, clientSecrets: [{ ...slotA, protect: false }], protectIdentity: false })).toEqual([]);
  });

  test('property: a start date and lifetime within bounds always resolves to start + lifetime, normalized', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 0 }), fc.integer({ min: 101, max: 730 }), (startOffsetDays, lifetimeDays) => {
        const startMs = NOW.getTime() + startOffsetDays * DAY;
        const startDate = new Date(startMs).toISOString();
        const resolved = resolveKesAzureIdentityArgs('kes', { existingVault, clientSecrets: [{ name: 'a', startDate, lifetimeDays }] }, NOW);
        const endDate = resolved.clientSecrets[0].endDate;
        expect(endDate).toBe(formatTimestamp(startMs + lifetimeDays * DAY));
        expect(endDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      }),
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
    expect(checkObservedVault(vault(undefined), 'kv', KeyVaultAccessMode.ACCESS_POLICY, TENANT.toUpperCase())).toEqual([]);
  });

  test('fails when access policies are declared for an RBAC vault (B15)', () => {
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
        message: `vault "kv" belongs to tenant ${other} but the KES application is created in tenant ${TENANT} (azuread provider); KES could not authenticate to this vault`,
      },
    ]);
  });
});

describe('secretsOfficerRoleDefinitionId', () => {
  test('builds the subscription-scoped role definition ID from the vault ID', () => {
    expect(secretsOfficerRoleDefinitionId('/subscriptions/abc/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv')).toBe(
      '/subscriptions/abc/providers/Microsoft.Authorization/roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
    );
  });

  test('fails on an ID without a subscription', () => {
    expect(() => secretsOfficerRoleDefinitionId('kv')).toThrow('key vault id "kv" does not start with /subscriptions/<subscription-id>/');
  });
});
