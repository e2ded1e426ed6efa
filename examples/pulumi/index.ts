/**
 * The seed scenario (examples/seed.ts, the same declaration the cdk8s example synthesizes) as one Pulumi program:
 * `pulumi up` creates the KES app registration, its client secret and Key Vault access in Azure, then applies the
 * MinIO Operator, the Tenant with KES and the bucket-encryption Job. Every value that differs per environment is
 * stack config — see `template.config` in Pulumi.yaml.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { MinioSseDeclaration, OperatorCrds, OperatorRelease } from '../../lib';
import { ClientSecretSlot, KesAzureIdentityArgs, KeyVaultAccessMode } from '../../lib/azure';
import { MinioSseStack } from '../../lib/pulumi';
import { seedDeclaration } from '../seed';

const config = new pulumi.Config();

const vaultName = config.require('vaultName');
const seed = seedDeclaration({ release: OperatorRelease.fromTag(config.get('operatorRelease') ?? 'v5.0.4'), vaultName });
const tenantName = config.get('tenantName') ?? seed.tenant.name;
const declaration: MinioSseDeclaration = {
  ...seed,
  tenant: {
    ...seed.tenant,
    name: tenantName,
    namespace: config.get('tenantNamespace') ?? tenantName,
    pools: seed.tenant.pools.map((p) => ({ ...p, storageSize: config.get('volumeSize') ?? p.storageSize })),
    configurationSecretName: tenantName === seed.tenant.name ? seed.tenant.configurationSecretName : `${tenantName}-env-configuration`,
  },
  kes: {
    ...seed.kes,
    keyVaultEndpoint: config.get('keyVaultEndpoint') ?? seed.kes.keyVaultEndpoint,
    defaultKeyName: config.get('defaultKey') ?? seed.kes.defaultKeyName,
    keys: config.getObject<string[]>('keys') ?? seed.kes.keys,
  },
  buckets: config.getObject<{ name: string; encryptionKey: string }[]>('buckets') ?? seed.buckets,
};

// One slot from clientSecretStartDate, or the full slot list (for rotation) from clientSecrets + activeClientSecret.
const clientSecrets = config.getObject<ClientSecretSlot[]>('clientSecrets') ?? [
  { name: 'primary', startDate: config.require('clientSecretStartDate'), lifetimeDays: config.getNumber('clientSecretLifetimeDays') ?? 180 },
];
const vault = {
  resourceGroupName: config.require('resourceGroupName'),
  vaultName,
  accessMode: (config.get('vaultAccessMode') ?? 'rbac') as KeyVaultAccessMode,
};
const azure: KesAzureIdentityArgs = {
  displayName: config.get('appDisplayName') ?? 'minio-kes',
  ...(config.getBoolean('createVault') ? { newVault: { ...vault, location: config.get('location') } } : { existingVault: vault }),
  clientSecrets,
  activeClientSecret: config.get('activeClientSecret'),
  protectIdentity: config.getBoolean('protectIdentity') ?? true,
};

const crdsDir = config.get('operatorCrdsDir');
const kubeconfig = config.getSecret('kubeconfig');
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
