import { KeyVaultAccessMode } from '../../../lib/azure';
import { OperatorCrds, OperatorRelease } from '../../../lib';
import { MinioSsePlatformStackArgs } from '../../../lib/pulumi';
import { platformDeclaration, SHARED_VAULT } from '../platform';

/** What differs per environment. */
export interface PlatformStackOptions {
  /** Operator release. @default OperatorRelease.V5_0_4 */
  readonly release?: OperatorRelease;
  /** Where the operator CRDs come from. @default OperatorCrds.fromRelease() */
  readonly crds?: OperatorCrds;
  /** Resource group of the vaults (yours). @default 'rg-minio' */
  readonly resourceGroupName?: string;
  /** How the vaults authorize access. @default KeyVaultAccessMode.RBAC */
  readonly accessMode?: KeyVaultAccessMode;
  /** Anchor of the client secrets' end date, YYYY-MM-DD: set it once and keep it. */
  readonly startDate: string;
}

/**
 * The platform of ../platform.ts as {@link MinioSsePlatformStackArgs}: each tenant with its own KES identity (app
 * registration `minio-kes-<team>`, one client secret slot) granted on its vault; team-a and team-b with
 * `sharedVault: true` for the shared vault.
 */
export function platformStackArgs(options: PlatformStackOptions): MinioSsePlatformStackArgs {
  const release = options.release ?? OperatorRelease.V5_0_4;
  const decl = platformDeclaration({ release });
  return {
    release,
    operatorNamespace: decl.operatorNamespace,
    crds: options.crds ?? OperatorCrds.fromRelease(),
    tenants: decl.tenants!.map((t) => {
      const vaultName = new URL(t.kes.keyVaultEndpoint).hostname.split('.')[0];
      return {
        declaration: t,
        sharedVault: vaultName === SHARED_VAULT,
        azure: {
          displayName: `minio-kes-${t.tenant.name}`,
          existingVault: {
            resourceGroupName: options.resourceGroupName ?? 'rg-minio',
            vaultName,
            accessMode: options.accessMode ?? KeyVaultAccessMode.RBAC,
          },
          clientSecrets: [{ name: 'primary', startDate: options.startDate }],
        },
      };
    }),
  };
}
