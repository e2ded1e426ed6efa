/**
 * The seed scenario as one Pulumi program: `pulumi up` creates the KES app registration, its client secret and
 * Key Vault access in Azure, then applies the MinIO Operator, the Tenant with KES and the bucket-encryption Job.
 * Every value that differs per environment is stack config — see `template.config` in Pulumi.yaml.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { AzureAuth, MinioSseDeclaration, OperatorCrds, OperatorRelease } from '../../lib';
import { KesAzureIdentityArgs, KeyVaultAccessMode } from '../../lib/azure';
import { MinioSseStack } from '../../lib/pulumi';

const config = new pulumi.Config();

const release = OperatorRelease.fromTag(config.get('operatorRelease') ?? 'v5.0.4');
const vaultName = config.require('vaultName');
const resourceGroupName = config.require('resourceGroupName');
const tenantName = config.get('tenantName') ?? 'minio-tenant-1';
const defaultKey = config.get('defaultKey') ?? 'minio-encryption-key-alpha';
const keys = config.getObject<string[]>('keys') ?? [
  'minio-encryption-key-alpha',
  'minio-encryption-key-baker',
  'minio-encryption-key-charlie',
];
const buckets = config.getObject<{ name: string; encryptionKey: string }[]>('buckets') ?? [
  { name: 'encryptedbucket', encryptionKey: 'encrypted-bucket-key' },
];
const accessMode = (config.get('vaultAccessMode') ?? 'rbac') as KeyVaultAccessMode;
const clientSecretStartDate = config.require('clientSecretStartDate');
const crdsDir = config.get('operatorCrdsDir');
const kubeconfig = config.getSecret('kubeconfig');

const declaration: MinioSseDeclaration = {
  release,
  tenant: {
    name: tenantName,
    namespace: config.get('tenantNamespace') ?? tenantName,
    pools: [{ name: 'pool-0', servers: 4, volumesPerServer: 4, storageSize: config.get('volumeSize') ?? '1Ti' }],
    configurationSecretName: `${tenantName}-env-configuration`,
  },
  kes: {
    keyVaultEndpoint: `https://${vaultName}.vault.azure.net`,
    auth: AzureAuth.clientSecret({ secretName: `${tenantName}-kes-azure-credentials` }),
    defaultKeyName: defaultKey,
    keys,
  },
  buckets,
};

const vault = { resourceGroupName, vaultName, accessMode };
const azure: KesAzureIdentityArgs = {
  displayName: config.get('appDisplayName') ?? 'minio-kes',
  ...(config.getBoolean('createVault') ? { newVault: { ...vault, location: config.get('location') } } : { existingVault: vault }),
  clientSecrets: [{ name: 'primary', startDate: clientSecretStartDate, lifetimeDays: config.getNumber('clientSecretLifetimeDays') ?? 180 }],
  protectIdentity: config.getBoolean('protectIdentity') ?? true,
};

const stack = new MinioSseStack('minio-sse', {
  declaration,
  azure,
  crds: crdsDir ? OperatorCrds.fromDirectory(crdsDir) : OperatorCrds.fromRelease(),
  kubernetesProvider: kubeconfig ? new k8s.Provider('k8s', { kubeconfig }) : undefined,
});

export const tenantNamespace = stack.tenantNamespace;
export const minioEndpoint = stack.minioEndpoint;
export const kesService = stack.kesService;
export const encryptionKeys = stack.encryptionKeys;
export const bucketNames = stack.bucketNames;
export const clientId = stack.clientId;
export const keyVaultUri = stack.keyVaultUri;
export const clientSecretEndDate = stack.clientSecretEndDate;
