/**
 * One MinIO Operator, three tenants: `team-a` and `team-b` share the Key Vault `minio-kes-shared` (each with its own
 * key-name prefix, so neither's KES policy covers the other's EKs), `team-c` has a vault of its own — the isolation
 * unit (see README "One operator, many tenants"). Both examples of this folder (cdk8s and Pulumi) start from it.
 * Copy this file and change the values marked "yours".
 */
import { AzureAuth, OperatorRelease, PlatformDeclaration, PlatformTenantDeclaration } from '../../lib';

/** Options that differ per environment. */
export interface PlatformExampleOptions {
  /** Operator release. @default OperatorRelease.V5_0_4 */
  readonly release?: OperatorRelease;
  /** Leave a tenant out (the example's "removing a tenant" step). @default - every tenant */
  readonly without?: readonly string[];
}

/** The shared vault of team-a and team-b (yours). */
export const SHARED_VAULT = 'minio-kes-shared';
/** team-c's own vault (yours). */
export const TEAM_C_VAULT = 'minio-kes-team-c';

/** One team's tenant: its own namespace, credentials Secret, EKs under its prefix, one bucket. */
export function teamTenant(team: string, vaultName: string, keyNamePrefix?: string): PlatformTenantDeclaration {
  const key = (k: string) => `${keyNamePrefix ?? ''}${k}`;
  return {
    tenant: {
      name: team,
      namespace: team,
      // 4 servers x 4 volumes: one erasure set of 16 drives.
      pools: [{ name: 'pool-0', servers: 4, volumesPerServer: 4, storageSize: '1Ti' }],
      // Existing Secret with key config.env: export MINIO_ROOT_USER="…" / export MINIO_ROOT_PASSWORD="…".
      configurationSecretName: `${team}-env-configuration`,
    },
    kes: {
      keyVaultEndpoint: `https://${vaultName}.vault.azure.net`,
      // Existing Secret in the team's namespace: AZURE_CLIENT_SECRET, AZURE_TENANT_ID, AZURE_CLIENT_ID of the
      // team's own KES identity.
      auth: AzureAuth.clientSecret({ secretName: 'kes-azure-credentials' }),
      defaultKeyName: key('default-key'),
      ...(keyNamePrefix !== undefined ? { keyNamePrefix } : {}),
    },
    buckets: [{ name: `${team}-data`, encryptionKey: key('data-key') }],
  };
}

export function platformDeclaration(options: PlatformExampleOptions = {}): PlatformDeclaration {
  const tenants = [
    teamTenant('team-a', SHARED_VAULT, 'team-a-'),
    teamTenant('team-b', SHARED_VAULT, 'team-b-'),
    teamTenant('team-c', TEAM_C_VAULT),
  ];
  return {
    release: options.release ?? OperatorRelease.V5_0_4,
    operatorNamespace: 'minio-operator',
    tenants: tenants.filter((t) => !(options.without ?? []).includes(t.tenant.name)),
  };
}
