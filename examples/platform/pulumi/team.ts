/**
 * A team stack adding one tenant to an operator another stack installed (../pulumi/index.ts, or Helm): the tenant
 * component takes the release and operator namespace as plain values, read here from the platform stack's outputs.
 * Its Namespace, KES identity (own app registration and client secret), vault grant, Secrets and objects are this
 * stack's; the operator is not touched.
 *
 * Config: `platformStack` (e.g. `org/minio-platform/prod`), `team` (e.g. `team-d`), `vaultName` (the team's own
 * vault), `resourceGroupName`, `vaultAccessMode`, `clientSecretStartDate`, `operatorCrdsDir` as in index.ts.
 */
import * as pulumi from '@pulumi/pulumi';
import { KeyVaultAccessMode } from '../../../lib/azure';
import { OperatorCrds, OperatorRelease } from '../../../lib';
import { MinioSseTenant } from '../../../lib/pulumi';
import { teamTenant } from '../platform';

async function main() {
  const config = new pulumi.Config();
  const platform = new pulumi.StackReference(config.require('platformStack'));
  // Plain values: the cdk8s chart is synthesized (and the Tenant validated against the CRD) before anything registers.
  const release = OperatorRelease.fromTag(String(await platform.requireOutputValue('release')));
  const operatorNamespace = String(await platform.requireOutputValue('operatorNamespace'));
  const team = config.require('team');
  const vaultName = config.require('vaultName');
  const crdsDir = config.get('operatorCrdsDir');
  const tenant = new MinioSseTenant(team, {
    declaration: { ...teamTenant(team, vaultName), release, operatorNamespace },
    azure: {
      displayName: `minio-kes-${team}`,
      existingVault: {
        resourceGroupName: config.get('resourceGroupName') ?? 'rg-minio',
        vaultName,
        accessMode: (config.get('vaultAccessMode') ?? KeyVaultAccessMode.RBAC) as KeyVaultAccessMode,
      },
      clientSecrets: [
        { name: 'primary', startDate: config.get('clientSecretStartDate') ?? new Date().toISOString().slice(0, 10) },
      ],
    },
    crds: crdsDir ? OperatorCrds.fromDirectory(crdsDir) : OperatorCrds.fromRelease(),
  });
  return { tenantNamespace: tenant.tenantNamespace, minioEndpoint: tenant.minioEndpoint, clientId: tenant.clientId };
}

export = main();
