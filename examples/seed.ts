/**
 * The seed scenario: MinIO Operator v5.0.4, Tenant `minio-tenant-1` with KES on Azure Key Vault, three
 * pre-declared EKs and one bucket with bucket-default SSE-KMS. Both examples (cdk8s and Pulumi) start from it.
 * Copy this file and change the values marked "yours".
 */
import { AzureAuth, MinioSseDeclaration, OperatorRelease } from '../lib';

/** Options that differ per environment. */
export interface SeedOptions {
  /** Operator release. @default OperatorRelease.V5_0_4 */
  readonly release?: OperatorRelease;
  /** Key Vault name (yours). @default 'minio-kes-example' */
  readonly vaultName?: string;
  /** Entra tenant ID (yours). @default - read from the Secret `kes-azure-credentials` */
  readonly tenantId?: string;
  /** Client ID of the KES app registration (yours). @default - read from the Secret `kes-azure-credentials` */
  readonly clientId?: string;
}

export function seedDeclaration(options: SeedOptions = {}): MinioSseDeclaration {
  return {
    release: options.release ?? OperatorRelease.V5_0_4,
    operatorNamespace: 'minio-operator',
    tenant: {
      name: 'minio-tenant-1',
      namespace: 'minio-tenant-1',
      // 4 servers x 4 volumes: one erasure set of 16 drives.
      pools: [{ name: 'pool-0', servers: 4, volumesPerServer: 4, storageSize: '1Ti' }],
      // Existing Secret with key config.env: export MINIO_ROOT_USER="…" / export MINIO_ROOT_PASSWORD="…".
      configurationSecretName: 'minio-tenant-1-env-configuration',
      requestAutoCert: true,
    },
    kes: {
      keyVaultEndpoint: `https://${options.vaultName ?? 'minio-kes-example'}.vault.azure.net`,
      // Existing Secret with AZURE_CLIENT_SECRET (and AZURE_TENANT_ID / AZURE_CLIENT_ID unless given here).
      auth: AzureAuth.clientSecret({
        secretName: 'kes-azure-credentials',
        tenantId: options.tenantId,
        clientId: options.clientId,
      }),
      defaultKeyName: 'minio-encryption-key-alpha',
      keys: ['minio-encryption-key-alpha', 'minio-encryption-key-baker', 'minio-encryption-key-charlie'],
      replicas: 2,
    },
    buckets: [{ name: 'encryptedbucket', encryptionKey: 'encrypted-bucket-key' }],
  };
}
