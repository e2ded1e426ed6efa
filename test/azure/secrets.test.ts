/**
 * Canary test (DESIGN.md decision 4, bug-log B20): the mocked password values start with CANARY; the client
 * secret may appear only inside secret-marked outputs. Mocks do not apply `additionalSecretOutputs`
 * (research pulumi-azure.md §4), so `password.value` is plain here and the component's own `pulumi.secret` is
 * what is tested.
 */
import * as pulumi from '@pulumi/pulumi';
import { CANARY, TYPES, dayOffset, installMocks, promiseOf, recordChildren, settle } from './mocks';

const world = installMocks();
let az: typeof import('../../lib/azure');

beforeAll(async () => {
  az = await import('../../lib/azure');
});

afterEach(() => {
  jest.restoreAllMocks();
});

/** Every string reachable in a plain value (no Outputs inside: callers resolve first). */
function containsCanary(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes(CANARY);
}

describe.each([
  [
    'an existing RBAC vault',
    { existingVault: { resourceGroupName: 'rg', vaultName: 'kv-minio', accessMode: 'rbac' } },
    true,
  ],
  [
    'a new access-policy vault',
    { newVault: { resourceGroupName: 'rg', vaultName: 'kv-minio', accessMode: 'accessPolicy' } },
    false,
  ],
])('with %s, the client secret never appears unwrapped', (_label, vaultArgs, rbac) => {
  let registered: Record<string, unknown> | undefined;
  let identity: InstanceType<typeof az.KesAzureIdentity>;
  let logged: string[];

  beforeAll(async () => {
    world.reset();
    world.existingVault.enableRbacAuthorization = rbac;
    const original = (pulumi.ComponentResource.prototype as any).registerOutputs;
    const spy = jest.spyOn(pulumi.ComponentResource.prototype as any, 'registerOutputs').mockImplementation(function (
      this: pulumi.ComponentResource,
      outputs: unknown,
    ) {
      // The SDK calls registerOutputs() once more without arguments (a no-op after ours): keep the first.
      if ((this as any).__pulumiType === TYPES.component && outputs !== undefined && registered === undefined) {
        registered = outputs as Record<string, unknown>;
      }
      return original.call(this, outputs);
    });
    logged = [];
    // The levels the component logs at. (The SDK's own debug log echoes RPC responses; under mocks the
    // password value is not secret there, which says nothing about this component.)
    for (const level of ['info', 'warn', 'error'] as const) {
      jest.spyOn(pulumi.log, level).mockImplementation((async (message: string) => {
        logged.push(message);
      }) as typeof pulumi.log.info);
    }
    const { seen, transformation } = recordChildren();
    identity = new az.KesAzureIdentity(
      'kes',
      {
        ...(vaultArgs as object),
        clientSecrets: [
          { name: 'a', startDate: dayOffset(-5) },
          { name: 'b', startDate: dayOffset(0), lifetimeDays: 30 },
        ],
        activeClientSecret: 'b',
      } as never,
      { transformations: [transformation] },
    );
    await settle([identity, ...seen.map((c) => c.resource)]);
    await promiseOf(pulumi.all([identity.keyVaultUri, identity.clientSecretEndDates]));
    spy.mockRestore();
  });

  test('the exported client secret is the active password value, marked secret', async () => {
    expect(await pulumi.isSecret(identity.clientSecret!)).toBe(true);
    expect(await promiseOf(identity.clientSecret!)).toBe(`${CANARY}-b`);
  });

  test('the component is registered with empty inputs', () => {
    const component = world.ofType(TYPES.component);
    expect(component).toHaveLength(1);
    expect(component[0].inputs).toEqual({});
  });

  test('no resource input anywhere carries the secret', () => {
    expect(world.resources.length).toBeGreaterThanOrEqual(6);
    for (const r of world.resources) {
      expect([r.type, r.name, containsCanary(r.inputs)]).toEqual([r.type, r.name, false]);
    }
    for (const c of world.calls) {
      expect(containsCanary(c.inputs)).toBe(false);
    }
  });

  test('clientSecret is the only secret among the registered outputs, and no other output carries the secret', async () => {
    expect(registered).toBeDefined();
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(registered as Record<string, unknown>)) {
      if (pulumi.Output.isInstance(value)) {
        if (await pulumi.isSecret(value)) {
          secretKeys.push(key);
        } else {
          expect([key, containsCanary(await promiseOf(value as pulumi.Output<unknown>))]).toEqual([key, false]);
        }
      } else {
        expect([key, containsCanary(value)]).toEqual([key, false]);
      }
    }
    expect(secretKeys).toEqual(['clientSecret']);
  });

  test('no public Output field of the component other than clientSecret carries the secret', async () => {
    const fields = Object.entries(identity).filter(([, v]) => pulumi.Output.isInstance(v)) as Array<
      [string, pulumi.Output<unknown>]
    >;
    expect(fields.length).toBeGreaterThanOrEqual(9);
    for (const [key, output] of fields) {
      if (key === 'clientSecret') {
        continue;
      }
      expect([key, await pulumi.isSecret(output)]).toEqual([key, false]);
      expect([key, containsCanary(await promiseOf(output))]).toEqual([key, false]);
    }
  });

  test('nothing logged carries the secret', () => {
    expect(logged.length).toBeGreaterThan(0); // the 30-day lifetime of slot b triggers the expiry warning
    for (const message of logged) {
      expect(message).not.toContain(CANARY);
    }
  });
});
