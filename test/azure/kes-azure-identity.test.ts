import * as pulumi from '@pulumi/pulumi';
import type { KesAzureIdentityArgs, KeyVaultAccessMode } from '../../lib/azure';
import {
  APP_OBJECT_ID,
  AZUREAD_CLIENT_CONFIG,
  CANARY,
  CLIENT_ID,
  DEPLOYER_OBJECT_ID,
  GET_VAULT,
  SP_OBJECT_ID,
  SUBSCRIPTION_ID,
  SeenChild,
  TENANT_ID,
  TYPES,
  dayOffset,
  flush,
  installMocks,
  promiseOf,
  recordChildren,
  settle,
  vaultArmId,
} from './mocks';

// setMocks before the code under test is loaded (research pulumi-azure.md §4).
const world = installMocks();
type AzureModule = typeof import('../../lib/azure');
let az: AzureModule;

beforeAll(async () => {
  az = await import('../../lib/azure');
});

beforeEach(() => {
  world.reset();
});

afterEach(() => {
  jest.restoreAllMocks();
});

const ROLE_DEFINITION_ID = `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7`;
const START = dayOffset(-10);

function endOf(startDay: string, days: number): string {
  return new Date(Date.parse(`${startDay}T00:00:00Z`) + days * 86_400_000).toISOString().replace('.000Z', 'Z');
}

interface Built {
  identity: InstanceType<AzureModule['KesAzureIdentity']>;
  children: SeenChild[];
}

/** Build the component with a child-recording transformation and wait until every child is registered. */
async function build(name: string, args: KesAzureIdentityArgs): Promise<Built> {
  const { seen, transformation } = recordChildren();
  const identity = new az.KesAzureIdentity(name, args, { transformations: [transformation] });
  const children = seen.filter((c) => c.type !== TYPES.component);
  await settle([identity, ...children.map((c) => c.resource)]);
  await promiseOf(pulumi.all([identity.keyVaultUri, identity.clientSecretEndDates, identity.tenantId]));
  return { identity, children };
}

/** Arguments for an existing vault; the mocked `getVault` reports a vault in that mode. */
function existing(
  accessMode: 'accessPolicy' | 'rbac',
  extra: Partial<KesAzureIdentityArgs> = {},
): KesAzureIdentityArgs {
  world.existingVault.enableRbacAuthorization = accessMode === 'rbac';
  return {
    existingVault: {
      resourceGroupName: 'rg-minio',
      vaultName: 'kv-minio-prod',
      accessMode: accessMode as KeyVaultAccessMode,
    },
    clientSecrets: [{ name: 'a', startDate: START }],
    ...extra,
  };
}

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0];
}

describe('access-policy mode on an existing vault', () => {
  let built: Built;
  beforeEach(async () => {
    built = await build('kes', existing('accessPolicy'));
  });

  test('registers exactly the component, app, SP, one password and one access policy, all parented to the component', async () => {
    // Registration order is asynchronous: compare as sets.
    expect(world.resources.map((r) => `${r.type}::${r.name}`).sort()).toEqual(
      [
        `${TYPES.component}::kes`,
        `${TYPES.application}::kes-app`,
        `${TYPES.servicePrincipal}::kes-sp`,
        `${TYPES.password}::kes-secret-a`,
        `${TYPES.accessPolicy}::kes-access-policy`,
      ].sort(),
    );
    expect(world.ofType(TYPES.component)[0].custom).toBe(false);
    for (const child of built.children) {
      expect(child.opts.parent).toBe(built.identity);
      const urn = await promiseOf(child.resource.urn);
      expect(urn).toBe(`urn:pulumi:stack::project::${TYPES.component}$${child.type}::${child.name}`);
    }
    expect(built.children.map((c) => c.name).sort()).toEqual([
      'kes-access-policy',
      'kes-app',
      'kes-secret-a',
      'kes-sp',
    ]);
  });

  test('grants the service principal objectId (not the app objectId, not the clientId) exactly the five secret permissions', () => {
    const { inputs } = only(world.ofType(TYPES.accessPolicy));
    expect(inputs.resourceGroupName).toBe('rg-minio');
    expect(inputs.vaultName).toBe('kv-minio-prod');
    expect(inputs.policy.objectId).toBe(SP_OBJECT_ID);
    expect(inputs.policy.objectId).not.toBe(APP_OBJECT_ID);
    expect(inputs.policy.objectId).not.toBe(CLIENT_ID);
    expect(inputs.policy.tenantId).toBe(TENANT_ID);
    expect(inputs.policy.permissions).toEqual({ secrets: ['get', 'list', 'set', 'delete', 'purge'] });
    expect(Object.keys(inputs.policy.permissions)).toEqual(['secrets']);
    expect(Object.keys(inputs.policy).sort()).toEqual(['objectId', 'permissions', 'tenantId']);
    expect(inputs.policy).not.toHaveProperty('applicationId');
    expect(world.ofType(TYPES.roleAssignment)).toHaveLength(0);
    expect(world.ofType(TYPES.vault)).toHaveLength(0);
  });

  test('reads the existing vault and the azuread tenant through invokes', () => {
    expect(world.calls.map((c) => c.token).sort()).toEqual([AZUREAD_CLIENT_CONFIG, GET_VAULT].sort());
    expect(world.calls.find((c) => c.token === GET_VAULT)?.inputs).toEqual({
      resourceGroupName: 'rg-minio',
      vaultName: 'kv-minio-prod',
    });
  });

  test('creates the app with default name and owners, the SP for its clientId, the password on app.id with an explicit end date', () => {
    const app = only(world.ofType(TYPES.application)).inputs;
    expect(app.displayName).toBe('minio-kes');
    expect(app.owners).toEqual([DEPLOYER_OBJECT_ID]);
    expect(app.signInAudience).toBe('AzureADMyOrg');
    const sp = only(world.ofType(TYPES.servicePrincipal)).inputs;
    expect(sp.clientId).toBe(CLIENT_ID);
    expect(sp.owners).toEqual([DEPLOYER_OBJECT_ID]);
    const password = only(world.ofType(TYPES.password)).inputs;
    expect(password.applicationId).toBe(`/applications/${APP_OBJECT_ID}`);
    expect(password.displayName).toBe('a');
    expect(password.endDate).toBe(endOf(START, 180));
    expect(password.rotateWhenChanged).toEqual({ slot: 'a' });
    expect(password).not.toHaveProperty('endDateRelative');
  });

  test('exposes the IDs, vault URI and end date as outputs', async () => {
    const { identity } = built;
    expect(await promiseOf(identity.tenantId)).toBe(TENANT_ID);
    expect(await promiseOf(identity.clientId)).toBe(CLIENT_ID);
    expect(await promiseOf(identity.servicePrincipalObjectId!)).toBe(SP_OBJECT_ID);
    expect(await promiseOf(identity.applicationObjectId!)).toBe(APP_OBJECT_ID);
    expect(await promiseOf(identity.keyVaultUri)).toBe('https://kv-minio-prod.vault.azure.net/');
    expect(await promiseOf(identity.keyVaultId)).toBe(vaultArmId('rg-minio', 'kv-minio-prod'));
    expect(await promiseOf(identity.clientSecretEndDate!)).toBe(endOf(START, 180));
    expect(await promiseOf(identity.clientSecretEndDates)).toEqual({ a: endOf(START, 180) });
    expect(identity.keyVaultName).toBe('kv-minio-prod');
    expect(identity.accessMode).toBe(az.KeyVaultAccessMode.ACCESS_POLICY);
    expect(identity.activeClientSecretName).toBe('a');
    expect(identity.accessPolicy).toBeDefined();
    expect(identity.roleAssignment).toBeUndefined();
    expect(await promiseOf(identity.clientSecret!)).toBe(`${CANARY}-a`);
    expect(await pulumi.isSecret(identity.clientSecret!)).toBe(true);
  });
});

describe('RBAC mode on an existing vault', () => {
  test('creates no access policy and one Key Vault Secrets Officer assignment for the SP, scoped to the vault', async () => {
    const { identity } = await build('kes', existing('rbac'));
    expect(world.ofType(TYPES.accessPolicy)).toHaveLength(0);
    const ra = only(world.ofType(TYPES.roleAssignment));
    expect(ra.name).toBe('kes-secrets-officer');
    expect(ra.inputs.roleDefinitionId).toBe(ROLE_DEFINITION_ID);
    expect(ra.inputs.scope).toBe(vaultArmId('rg-minio', 'kv-minio-prod'));
    expect(ra.inputs.principalType).toBe('ServicePrincipal');
    expect(ra.inputs.principalId).toBe(SP_OBJECT_ID);
    expect(ra.inputs.principalId).not.toBe(APP_OBJECT_ID);
    expect(ra.inputs.principalId).not.toBe(CLIENT_ID);
    expect(identity.roleAssignment).toBeDefined();
    expect(identity.accessPolicy).toBeUndefined();
    expect(world.resources.map((r) => r.type).sort()).toEqual(
      [TYPES.component, TYPES.application, TYPES.servicePrincipal, TYPES.password, TYPES.roleAssignment].sort(),
    );
  });

  test('warns when the existing vault has no purge protection', async () => {
    world.existingVault = { enableRbacAuthorization: true, enablePurgeProtection: false, tenantId: TENANT_ID };
    const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
    await build('kes', existing('rbac'));
    expect(warn.mock.calls.map((c) => c[0]).join('\n')).toMatch(/vault "kv-minio-prod" has no purge protection/);
  });
});

describe('a vault the component creates', () => {
  test('defaults to RBAC with soft delete, purge protection, 90 days retention, the app tenant and no inline policies', async () => {
    const { identity, children } = await build('kes', {
      newVault: { resourceGroupName: 'rg-minio', vaultName: 'kv-minio-new', location: 'westeurope' },
      clientSecrets: [{ name: 'a', startDate: START }],
    });
    const vault = only(world.ofType(TYPES.vault));
    expect(vault.name).toBe('kes-vault');
    expect(vault.inputs.vaultName).toBe('kv-minio-new');
    expect(vault.inputs.resourceGroupName).toBe('rg-minio');
    expect(vault.inputs.location).toBe('westeurope');
    const p = vault.inputs.properties;
    expect(p.enableRbacAuthorization).toBe(true);
    expect(p.enableSoftDelete).toBe(true);
    expect(p.enablePurgeProtection).toBe(true);
    expect(p.softDeleteRetentionInDays).toBe(90);
    expect(p.tenantId).toBe(TENANT_ID);
    expect(p.sku).toEqual({ family: 'A', name: 'standard' });
    expect(p).not.toHaveProperty('accessPolicies');
    expect(world.calls.map((c) => c.token)).not.toContain(GET_VAULT);

    const ra = only(world.ofType(TYPES.roleAssignment));
    expect(ra.inputs.scope).toBe(vaultArmId('rg-minio', 'kv-minio-new'));
    expect(ra.inputs.roleDefinitionId).toBe(ROLE_DEFINITION_ID);
    expect(ra.inputs.principalType).toBe('ServicePrincipal');
    expect(ra.inputs.principalId).toBe(SP_OBJECT_ID);
    expect(world.ofType(TYPES.accessPolicy)).toHaveLength(0);
    expect(identity.vault).toBeDefined();
    expect(children.find((c) => c.type === TYPES.vault)?.opts.parent).toBe(identity);
    expect(await promiseOf(identity.keyVaultUri)).toBe('https://kv-minio-new.vault.azure.net/');
    expect(identity.accessMode).toBe(az.KeyVaultAccessMode.RBAC);
  });

  test('in access-policy mode: enableRbacAuthorization false and an access policy on that vault', async () => {
    await build('kes', {
      newVault: {
        resourceGroupName: 'rg-minio',
        vaultName: 'kv-minio-new',
        accessMode: az.KeyVaultAccessMode.ACCESS_POLICY,
        sku: az.KeyVaultSku.PREMIUM,
        softDeleteRetentionInDays: 30,
      },
      clientSecrets: [{ name: 'a', startDate: START }],
    });
    const p = only(world.ofType(TYPES.vault)).inputs.properties;
    expect(p.enableRbacAuthorization).toBe(false);
    expect(p.sku).toEqual({ family: 'A', name: 'premium' });
    expect(p.softDeleteRetentionInDays).toBe(30);
    const policy = only(world.ofType(TYPES.accessPolicy)).inputs;
    expect(policy.vaultName).toBe('kv-minio-new');
    expect(policy.resourceGroupName).toBe('rg-minio');
    expect(policy.policy).toEqual({
      tenantId: TENANT_ID,
      objectId: SP_OBJECT_ID,
      permissions: { secrets: ['get', 'list', 'set', 'delete', 'purge'] },
    });
    expect(world.ofType(TYPES.roleAssignment)).toHaveLength(0);
  });

  test('purgeProtection false leaves enablePurgeProtection unset (Azure rejects false) and warns', async () => {
    const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
    await build('kes', {
      newVault: { resourceGroupName: 'rg-minio', vaultName: 'kv-minio-new', purgeProtection: false },
      clientSecrets: [{ name: 'a', startDate: START }],
    });
    expect(only(world.ofType(TYPES.vault)).inputs.properties.enablePurgeProtection).toBeUndefined();
    expect(warn.mock.calls.map((c) => c[0]).join('\n')).toMatch(/purge protection is off/);
  });
});

describe('protection', () => {
  test('protects app, SP, passwords, vault and grant by default; grants are delete-before-replace', async () => {
    const { children } = await build('kes', {
      newVault: { resourceGroupName: 'rg-minio', vaultName: 'kv-minio-new' },
      clientSecrets: [{ name: 'a', startDate: START }],
    });
    expect(children.map((c) => [c.name, c.opts.protect])).toEqual([
      ['kes-app', true],
      ['kes-sp', true],
      ['kes-secret-a', true],
      ['kes-vault', true],
      ['kes-secrets-officer', true],
    ]);
    expect(children.find((c) => c.type === TYPES.roleAssignment)?.opts.deleteBeforeReplace).toBe(true);
  });

  test('access policy is protected and delete-before-replace', async () => {
    const { children } = await build('kes', existing('accessPolicy'));
    const ap = only(children.filter((c) => c.type === TYPES.accessPolicy));
    expect(ap.opts.protect).toBe(true);
    expect(ap.opts.deleteBeforeReplace).toBe(true);
  });

  test('protectIdentity: false turns protection off everywhere', async () => {
    const { children } = await build('kes', {
      newVault: { resourceGroupName: 'rg-minio', vaultName: 'kv-minio-new' },
      clientSecrets: [{ name: 'a', startDate: START }],
      protectIdentity: false,
    });
    expect(children).toHaveLength(5);
    for (const child of children) {
      expect([child.name, child.opts.protect]).toEqual([child.name, false]);
    }
  });

  test('a slot marked protect: false is the only unprotected child (rotation step 2)', async () => {
    const { children } = await build('kes', {
      ...existing('rbac'),
      clientSecrets: [
        { name: 'a', startDate: START, protect: false },
        { name: 'b', startDate: dayOffset(0) },
      ],
      activeClientSecret: 'b',
    });
    expect(children.filter((c) => c.opts.protect === false).map((c) => c.name)).toEqual(['kes-secret-a']);
    expect(children.filter((c) => c.opts.protect === true).map((c) => c.name)).toEqual([
      'kes-app',
      'kes-sp',
      'kes-secret-b',
      'kes-secrets-officer',
    ]);
  });
});

describe('client secret slots', () => {
  test('two slots overlap: both passwords exist, the active one is exported, both end dates are outputs', async () => {
    const { identity } = await build('kes', {
      ...existing('rbac'),
      clientSecrets: [
        { name: 'a', startDate: START },
        { name: 'b', endDate: `${dayOffset(300)}T12:30:00+02:00`, rotationTrigger: 'leak-2025-06' },
      ],
      activeClientSecret: 'b',
    });
    const passwords = world.ofType(TYPES.password);
    expect(passwords.map((p) => p.name)).toEqual(['kes-secret-a', 'kes-secret-b']);
    const b = passwords[1].inputs;
    expect(b.endDate).toBe(`${dayOffset(300)}T10:30:00Z`);
    expect(b.rotateWhenChanged).toEqual({ slot: 'b', trigger: 'leak-2025-06' });
    expect(await promiseOf(identity.clientSecret!)).toBe(`${CANARY}-b`);
    expect(await promiseOf(identity.clientSecretEndDate!)).toBe(`${dayOffset(300)}T10:30:00Z`);
    expect(await promiseOf(identity.clientSecretEndDates)).toEqual({
      a: endOf(START, 180),
      b: `${dayOffset(300)}T10:30:00Z`,
    });
    expect(identity.activeClientSecretName).toBe('b');
  });

  test('the same arguments on a later run give the same end date (no replacement on every up)', async () => {
    await build('kes', existing('rbac', { clientSecrets: [{ name: 'a', startDate: START, lifetimeDays: 90 }] }));
    const first = only(world.ofType(TYPES.password)).inputs.endDate;
    world.reset();
    await flush();
    await build('kes', existing('rbac', { clientSecrets: [{ name: 'a', startDate: START, lifetimeDays: 90 }] }));
    expect(only(world.ofType(TYPES.password)).inputs.endDate).toBe(first);
    expect(first).toBe(endOf(START, 90));
  });

  test('warns (without the secret) when the active secret expires within 60 days', async () => {
    const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
    await build('kes', existing('rbac', { clientSecrets: [{ name: 'a', endDate: dayOffset(30) }] }));
    const messages = warn.mock.calls.map((c) => c[0]);
    expect(messages.join('\n')).toMatch(
      /active KES client secret \(clientSecrets\[0\]\) expires at .*, in (29|30) days/,
    );
    expect(messages.join('\n')).not.toContain(CANARY);
  });

  test('no expiry warning when the active secret has more than 60 days left', async () => {
    const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
    await build('kes', existing('rbac'));
    expect(warn.mock.calls.map((c) => c[0]).join('\n')).not.toMatch(/expires/);
  });

  test('owners and display name can be set', async () => {
    const owner = '12345678-1234-4234-8234-123456789012';
    await build('kes', existing('rbac', { owners: [owner], displayName: 'minio-kes-prod' }));
    expect(only(world.ofType(TYPES.application)).inputs).toMatchObject({
      displayName: 'minio-kes-prod',
      owners: [owner],
    });
    expect(only(world.ofType(TYPES.servicePrincipal)).inputs.owners).toEqual([owner]);
  });
});

describe('invalid arguments throw before any resource is registered', () => {
  const ok = { resourceGroupName: 'rg', vaultName: 'kv-minio', accessMode: 'rbac' };
  const slots = [{ name: 'a', startDate: START }];
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      'both an existing and a new vault',
      { existingVault: ok, newVault: { resourceGroupName: 'rg', vaultName: 'kv-other' }, clientSecrets: slots },
      /existingVault, newVault: both are set; give exactly one/,
    ],
    ['neither vault', { clientSecrets: slots }, /existingVault, newVault: neither is set; give exactly one/],
    [
      'a new vault name with "_"',
      { newVault: { resourceGroupName: 'rg', vaultName: 'kv_minio' }, clientSecrets: slots },
      /newVault\.vaultName: a string of 8 characters \(value not shown\) is not a valid Key Vault name: must use letters, digits and "-"/,
    ],
    [
      'an existing vault name starting with a digit',
      { existingVault: { ...ok, vaultName: '1kv' }, clientSecrets: slots },
      /existingVault\.vaultName: a string of 3 characters \(value not shown\) is not a valid Key Vault name/,
    ],
    [
      'a vault name with "--"',
      { existingVault: { ...ok, vaultName: 'kv--minio' }, clientSecrets: slots },
      /existingVault\.vaultName: a string of 9 characters \(value not shown\) is not a valid Key Vault name: must not contain "--"/,
    ],
    [
      'a vault name of 25 characters',
      { existingVault: { ...ok, vaultName: 'k'.repeat(25) }, clientSecrets: slots },
      /existingVault\.vaultName: a string of 25 characters \(value not shown\) is not a valid Key Vault name: must be 3 to 24 characters/,
    ],
    [
      'an end date in the past',
      { existingVault: ok, clientSecrets: [{ name: 'a', endDate: dayOffset(-1) }] },
      /clientSecrets\[0\]\.endDate: end date "\d{4}-\d\d-\d\d" is in the past/,
    ],
    [
      'a start date whose lifetime has already ended',
      { existingVault: ok, clientSecrets: [{ name: 'a', startDate: dayOffset(-200) }] },
      /clientSecrets\[0\]\.startDate: end date "\d{4}-\d\d-\d\d" \+ 180 days = .* is in the past/,
    ],
    [
      'an unknown mode',
      { existingVault: { ...ok, accessMode: 'Rbac' }, clientSecrets: slots },
      /existingVault\.accessMode: "Rbac" is not a KeyVaultAccessMode; expected "accessPolicy" \(KeyVaultAccessMode\.ACCESS_POLICY\) or "rbac"/,
    ],
    [
      'an unknown mode on a new vault',
      { newVault: { resourceGroupName: 'rg', vaultName: 'kv-minio', accessMode: 'iam' }, clientSecrets: slots },
      /newVault\.accessMode: "iam" is not a KeyVaultAccessMode/,
    ],
    [
      'no mode on an existing vault',
      { existingVault: { resourceGroupName: 'rg', vaultName: 'kv-minio' }, clientSecrets: slots },
      /existingVault\.accessMode: required: declare how the vault authorizes data-plane access/,
    ],
    [
      'a lifetime above two years',
      { existingVault: ok, clientSecrets: [{ name: 'a', startDate: START, lifetimeDays: 731 }] },
      /clientSecrets\[0\]\.lifetimeDays: 731 must be between 1 and 730/,
    ],
    [
      'an end date more than two years away',
      { existingVault: ok, clientSecrets: [{ name: 'a', endDate: dayOffset(800) }] },
      /clientSecrets\[0\]\.endDate: end date .* is more than 730 days \(2 years\) from now/,
    ],
    [
      'an active slot that does not exist',
      { existingVault: ok, clientSecrets: slots, activeClientSecret: 'b' },
      /activeClientSecret: a string of 1 character \(value not shown\) names no slot in clientSecrets \(slots: clientSecrets\[0\]\.name\)/,
    ],
    [
      'duplicate slot names',
      { existingVault: ok, clientSecrets: [...slots, { name: 'a', startDate: START }], activeClientSecret: 'a' },
      /clientSecrets\[1\]\.name: is the same name as clientSecrets\[0\]\.name/,
    ],
    [
      'two slots and no active one',
      { existingVault: ok, clientSecrets: [...slots, { name: 'b', startDate: START }] },
      /activeClientSecret: required when there are several client secret slots/,
    ],
    ['no client secrets', { existingVault: ok }, /clientSecrets: required: at least one client secret slot/],
    [
      'a misspelt option',
      { existingVault: ok, clientSecrets: slots, protectIdentiy: false },
      /protectIdentiy: unknown field; expected one of displayName, owners/,
    ],
    [
      'an unprotected active slot',
      { existingVault: ok, clientSecrets: [{ name: 'a', startDate: START, protect: false }] },
      /clientSecrets\[0\]\.protect: the active client secret \(clientSecrets\[0\]\) must stay protected/,
    ],
  ];

  test.each(cases)('fails when given %s', async (_label, args, message) => {
    expect(() => new az.KesAzureIdentity('bad', args as never)).toThrow(message);
    expect(() => new az.KesAzureIdentity('bad', args as never)).toThrow(
      /^invalid KesAzureIdentity "bad" arguments \(\d+ problems?\):\n {2}- /,
    );
    await flush();
    expect(world.resources).toHaveLength(0);
    expect(world.calls).toHaveLength(0);
  });

  test('fails with every problem listed in one error', async () => {
    let error: Error | undefined;
    try {
      new az.KesAzureIdentity('bad', {
        newVault: { resourceGroupName: 'rg', vaultName: 'x', accessMode: 'Rbac' as never },
        clientSecrets: [{ name: 'A', endDate: '2020-01-01' }],
      });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message.split('\n')).toEqual([
      'invalid KesAzureIdentity "bad" arguments (4 problems):',
      '  - newVault.vaultName: a string of 1 character (value not shown) is not a valid Key Vault name: must be 3 to 24 characters',
      '  - newVault.accessMode: "Rbac" is not a KeyVaultAccessMode; expected "accessPolicy" (KeyVaultAccessMode.ACCESS_POLICY) or "rbac" (KeyVaultAccessMode.RBAC)',
      '  - clientSecrets[0].name: a string of 1 character (value not shown) is not a valid slot name: must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
      '  - clientSecrets[0].endDate: end date "2020-01-01" is in the past: the secret has expired (or would be born expired); remove the slot (run `pulumi state unprotect` on its password first if it is protected) and rotate as the README describes',
    ]);
    await flush();
    expect(world.resources).toHaveLength(0);
  });
});
