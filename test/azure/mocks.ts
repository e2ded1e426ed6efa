/**
 * Pulumi mocks for the Azure component tests (research pulumi-azure.md §4): call {@link installMocks} before
 * importing the code under test. Every resource gets a non-empty id and `{ ...inputs, <computed> }` as state.
 */
import * as pulumi from '@pulumi/pulumi';

export const TENANT_ID = '11111111-1111-4111-8111-111111111111';
export const DEPLOYER_OBJECT_ID = '22222222-2222-4222-8222-222222222222';
export const CLIENT_ID = '33333333-3333-4333-8333-333333333333';
export const APP_OBJECT_ID = '44444444-4444-4444-8444-444444444444';
export const SP_OBJECT_ID = '55555555-5555-4555-8555-555555555555';
export const SUBSCRIPTION_ID = '66666666-6666-4666-8666-666666666666';
export const OTHER_TENANT_ID = '77777777-7777-4777-8777-777777777777';
/** The mocked user-assigned managed identity: its client ID and the principal (object) ID the grant must name. */
export const UAMI_CLIENT_ID = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
export const UAMI_PRINCIPAL_ID = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';
/** Every mocked password value starts with this; it must never appear outside secret outputs. */
export const CANARY = 'CANARY-kes-client-secret-7c1e';

export const TYPES = {
  component: 'minio-sse-azure:azure:KesAzureIdentity',
  application: 'azuread:index/application:Application',
  servicePrincipal: 'azuread:index/servicePrincipal:ServicePrincipal',
  password: 'azuread:index/applicationPassword:ApplicationPassword',
  vault: 'azure-native:keyvault:Vault',
  accessPolicy: 'azure-native:keyvault:AccessPolicy',
  roleAssignment: 'azure-native:authorization:RoleAssignment',
  appFederatedCredential: 'azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential',
  userAssignedIdentity: 'azure-native:managedidentity:UserAssignedIdentity',
  uamiFederatedCredential: 'azure-native:managedidentity:FederatedIdentityCredential',
} as const;

export const GET_VAULT = 'azure-native:keyvault:getVault';
export const AZUREAD_CLIENT_CONFIG = 'azuread:index/getClientConfig:getClientConfig';

export function vaultArmId(resourceGroupName: string, vaultName: string): string {
  return `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${resourceGroupName}/providers/Microsoft.KeyVault/vaults/${vaultName}`;
}

/** What the mocked `keyvault.getVault` reports about an existing vault. */
export interface ExistingVaultFacts {
  enableRbacAuthorization?: boolean;
  enablePurgeProtection?: boolean;
  tenantId: string;
}

export interface MockWorld {
  /** Every registration, in order. */
  readonly resources: pulumi.runtime.MockResourceArgs[];
  /** Every invoke, in order. */
  readonly calls: pulumi.runtime.MockCallArgs[];
  /** Facts `getVault` returns; tests set them. */
  existingVault: ExistingVaultFacts;
  /** DNS suffix of vault URIs Azure reports (created and existing vaults); tests set it per cloud. */
  vaultDnsSuffix: string;
  reset(): void;
  ofType(type: string): pulumi.runtime.MockResourceArgs[];
}

/** Extra mock behaviour for resource types this file does not know (e.g. `random`, `kubernetes`). */
export interface MockExtensions {
  /** Return `{ id, state }` for a type you handle, or `undefined` to fall through to the defaults. */
  newResource?(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } | undefined;
}

export function installMocks(extensions: MockExtensions = {}): MockWorld {
  const world: MockWorld = {
    resources: [],
    calls: [],
    existingVault: { enableRbacAuthorization: true, enablePurgeProtection: true, tenantId: TENANT_ID },
    vaultDnsSuffix: 'vault.azure.net',
    reset() {
      this.vaultDnsSuffix = 'vault.azure.net';
      this.resources.length = 0;
      this.calls.length = 0;
      this.existingVault = { enableRbacAuthorization: true, enablePurgeProtection: true, tenantId: TENANT_ID };
    },
    ofType(type: string) {
      return this.resources.filter((r) => r.type === type);
    },
  };
  void pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        world.resources.push(args);
        const extra = extensions.newResource?.(args);
        if (extra) {
          return extra;
        }
        const inputs = args.inputs as Record<string, any>;
        switch (args.type) {
          case TYPES.application:
            return {
              id: `/applications/${APP_OBJECT_ID}`,
              state: { ...inputs, clientId: CLIENT_ID, objectId: APP_OBJECT_ID },
            };
          case TYPES.servicePrincipal:
            return {
              id: `/servicePrincipals/${SP_OBJECT_ID}`,
              state: { ...inputs, objectId: SP_OBJECT_ID, applicationTenantId: TENANT_ID },
            };
          case TYPES.password: {
            const keyId = `0000000${String(world.ofType(TYPES.password).length)}-0000-4000-8000-000000000000`;
            return {
              id: `/applications/${APP_OBJECT_ID}/password/${keyId}`,
              state: { ...inputs, keyId, value: `${CANARY}-${inputs.displayName}`, startDate: '2025-01-01T00:00:00Z' },
            };
          }
          case TYPES.vault:
            return {
              id: vaultArmId(inputs.resourceGroupName, inputs.vaultName),
              state: {
                ...inputs,
                name: inputs.vaultName,
                properties: { ...inputs.properties, vaultUri: `https://${inputs.vaultName}.${world.vaultDnsSuffix}/` },
              },
            };
          case TYPES.userAssignedIdentity:
            return {
              id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${inputs.resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${inputs.resourceName}`,
              state: {
                ...inputs,
                name: inputs.resourceName,
                clientId: UAMI_CLIENT_ID,
                principalId: UAMI_PRINCIPAL_ID,
                tenantId: TENANT_ID,
              },
            };
          case TYPES.roleAssignment:
            return {
              id: `${inputs.scope}/providers/Microsoft.Authorization/roleAssignments/88888888-8888-4888-8888-888888888888`,
              state: { ...inputs },
            };
          default:
            return { id: `${args.name}-id`, state: { ...inputs } };
        }
      },
      call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        world.calls.push(args);
        if (args.token === AZUREAD_CLIENT_CONFIG) {
          return {
            clientId: '99999999-9999-4999-8999-999999999999',
            objectId: DEPLOYER_OBJECT_ID,
            tenantId: TENANT_ID,
            id: 'cfg',
          };
        }
        if (args.token === GET_VAULT) {
          const { resourceGroupName, vaultName } = args.inputs as { resourceGroupName: string; vaultName: string };
          return {
            id: vaultArmId(resourceGroupName, vaultName),
            name: vaultName,
            location: 'westeurope',
            type: 'Microsoft.KeyVault/vaults',
            properties: {
              ...world.existingVault,
              vaultUri: `https://${vaultName}.${world.vaultDnsSuffix}/`,
              sku: { family: 'A', name: 'standard' },
            },
          };
        }
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    'project',
    'stack',
    false,
  );
  return world;
}

/** Resolve an Output (preview is off in these mocks, so every value is known). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** One child as the (SDK-side) transformation saw it: its type, name, options and the resource object. */
export interface SeenChild {
  readonly type: string;
  readonly name: string;
  readonly opts: pulumi.CustomResourceOptions;
  readonly resource: pulumi.Resource;
}

/**
 * A component-level transformation that records each child's options (mocks do not see `protect`, but the SDK
 * runs parent transformations in-process). Returns `undefined`, so it changes nothing.
 */
export function recordChildren(): { seen: SeenChild[]; transformation: pulumi.ResourceTransformation } {
  const seen: SeenChild[] = [];
  return {
    seen,
    transformation: (t) => {
      seen.push({ type: t.type, name: t.name, opts: t.opts as pulumi.CustomResourceOptions, resource: t.resource });
      return undefined;
    },
  };
}

/** Wait until every given resource is registered (its URN resolved). */
export async function settle(resources: readonly pulumi.Resource[]): Promise<string[]> {
  return Promise.all(resources.map((r) => promiseOf(r.urn)));
}

/** Let pending registrations reach the mock monitor. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50));
}

/** `YYYY-MM-DD` of `now` shifted by `days`. */
export function dayOffset(days: number, now: Date = new Date()): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
