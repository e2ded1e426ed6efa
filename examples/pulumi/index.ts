/**
 * The seed scenario (examples/seed.ts, the same declaration the cdk8s example synthesizes) as one Pulumi program:
 * `pulumi up` creates the KES identity (per `kesAuth`: an app registration with a client secret, a federated
 * credential for AKS workload identity, or a user-assigned managed identity) and its Key Vault access in Azure, then
 * applies the MinIO Operator, the Tenant with KES and the bucket-encryption Job. Every value that differs per
 * environment is stack config — see `template.config` in Pulumi.yaml.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { MinioSseDeclaration, OperatorCrds, OperatorRelease } from '../../lib';
import {
  ClientSecretSlot,
  KesAuthMode,
  KesAzureIdentityArgs,
  KeyVaultAccessMode,
  WorkloadIdentityKind,
} from '../../lib/azure';
import { MinioSseStack, MinioSseStackDeclaration } from '../../lib/pulumi';
import { seedDeclaration } from '../seed';

const config = new pulumi.Config();

const vaultName = config.require('vaultName');
const kesAuth = (config.get('kesAuth') ?? KesAuthMode.CLIENT_SECRET) as KesAuthMode;
const secretless = kesAuth !== KesAuthMode.CLIENT_SECRET;
const seed = seedDeclaration({
  release: OperatorRelease.fromTag(config.get('operatorRelease') ?? 'v5.0.4'),
  vaultName,
});
const tenantName = config.get('tenantName') ?? seed.tenant.name;
const tenantNs = config.get('tenantNamespace') ?? tenantName;
const full: MinioSseDeclaration = {
  ...seed,
  tenant: {
    ...seed.tenant,
    name: tenantName,
    namespace: tenantNs,
    pools: seed.tenant.pools.map((p) => ({ ...p, storageSize: config.get('volumeSize') ?? p.storageSize })),
    configurationSecretName:
      tenantName === seed.tenant.name ? seed.tenant.configurationSecretName : `${tenantName}-env-configuration`,
  },
  kes: {
    ...seed.kes,
    keyVaultEndpoint: config.get('keyVaultEndpoint') ?? seed.kes.keyVaultEndpoint,
    defaultKeyName: config.get('defaultKey') ?? seed.kes.defaultKeyName,
    keys: config.getObject<string[]>('keys') ?? seed.kes.keys,
    ...(config.get('kesImage') ? { image: config.get('kesImage') } : {}),
  },
  buckets: config.getObject<{ name: string; encryptionKey: string }[]>('buckets') ?? seed.buckets,
};

// In the secretless modes the stack sets kes.auth from the identity it creates: the declaration leaves it out.
const declaration: MinioSseStackDeclaration = secretless ? { ...full, kes: { ...full.kes, auth: undefined } } : full;

// Client secret: one slot from clientSecretStartDate, or the full slot list (for rotation) from clientSecrets +
// activeClientSecret.
const clientSecretArgs = (): Pick<KesAzureIdentityArgs, 'clientSecrets' | 'activeClientSecret'> => ({
  clientSecrets: config.getObject<ClientSecretSlot[]>('clientSecrets') ?? [
    {
      name: 'primary',
      startDate: config.require('clientSecretStartDate'),
      lifetimeDays: config.getNumber('clientSecretLifetimeDays') ?? 180,
    },
  ],
  activeClientSecret: config.get('activeClientSecret'),
});
const identityKind = (config.get('workloadIdentityOn') ?? WorkloadIdentityKind.APPLICATION) as WorkloadIdentityKind;
const userAssignedIdentity = {
  resourceGroupName: config.get('identityResourceGroupName') ?? config.require('resourceGroupName'),
  location: config.get('location'),
};
const authArgs = (): Partial<KesAzureIdentityArgs> => {
  switch (kesAuth) {
    case KesAuthMode.WORKLOAD_IDENTITY:
      return {
        kesAuth,
        workloadIdentity: {
          oidcIssuerUrl: config.require('aksOidcIssuerUrl'),
          namespace: tenantNs,
          serviceAccountName: `${tenantName}-kes`,
          identity: identityKind,
        },
        ...(identityKind === WorkloadIdentityKind.USER_ASSIGNED_IDENTITY ? { userAssignedIdentity } : {}),
      };
    case KesAuthMode.MANAGED_IDENTITY:
      return { kesAuth, userAssignedIdentity };
    default:
      return clientSecretArgs();
  }
};
const vault = {
  resourceGroupName: config.require('resourceGroupName'),
  vaultName,
  accessMode: (config.get('vaultAccessMode') ?? 'rbac') as KeyVaultAccessMode,
};
const azure: KesAzureIdentityArgs = {
  displayName: config.get('appDisplayName') ?? 'minio-kes',
  ...(config.getBoolean('createVault')
    ? { newVault: { ...vault, location: config.get('location') } }
    : { existingVault: vault }),
  ...authArgs(),
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
/** Object ID of the principal granted on the vault (service principal or managed identity). */
export const kesPrincipalId = stack.identity.principalId;
