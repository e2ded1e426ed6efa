/**
 * The platform example as one Pulumi program: the operator once and the three tenants of ../platform.ts, each with
 * its own KES identity and vault grant. team-a and team-b share the vault `minio-kes-shared` (an explicit
 * `sharedVault: true`: their KES identities can then read each other's EKs), team-c has its own vault.
 * Not wired to Pulumi.yaml; to use it, point a project's `main` here, or copy it.
 *
 * Config (all optional): `resourceGroupName` (default `rg-minio`), `vaultAccessMode` (`rbac` default, or
 * `accessPolicy`), `clientSecretStartDate` (YYYY-MM-DD, default today: set it once and keep it), `operatorRelease`
 * (`v5.0.4` default, or `v7.1.1`), `operatorCrdsDir` (offline CRDs; default: download, SHA-256 checked).
 *
 * Split across stacks instead: see ./team.ts (a team stack adding one tenant to this platform's operator).
 */
import * as pulumi from '@pulumi/pulumi';
import { KeyVaultAccessMode } from '../../../lib/azure';
import { OperatorCrds, OperatorRelease } from '../../../lib';
import { MinioSsePlatformStack } from '../../../lib/pulumi';
import { platformStackArgs } from './args';

const config = new pulumi.Config();
const crdsDir = config.get('operatorCrdsDir');
const platform = new MinioSsePlatformStack(
  'minio-platform',
  platformStackArgs({
    release: OperatorRelease.fromTag(config.get('operatorRelease') ?? 'v5.0.4'),
    crds: crdsDir ? OperatorCrds.fromDirectory(crdsDir) : OperatorCrds.fromRelease(),
    resourceGroupName: config.get('resourceGroupName'),
    accessMode: (config.get('vaultAccessMode') ?? KeyVaultAccessMode.RBAC) as KeyVaultAccessMode,
    startDate: config.get('clientSecretStartDate') ?? new Date().toISOString().slice(0, 10),
  }),
);

/** For team stacks (`new pulumi.StackReference(...)`): the release tag and the operator namespace. */
export const release = platform.release;
export const operatorNamespace = platform.operatorNamespace;
export const tenantNamespaces = platform.tenantNamespaces;
