/** The Azure identity arguments after validation and defaulting (`resolveKesAzureIdentityArgs`). */
import * as pulumi from '@pulumi/pulumi';
import { AzureCloud } from '../declaration/azure-auth';
import { KesAuthMode, KeyVaultAccessMode, WorkloadIdentityKind, KeyVaultSku } from './args';

/** A client secret slot after validation and defaulting. */
export interface ResolvedClientSecretSlot {
  readonly name: string;
  /** End date, RFC 3339 in UTC with whole seconds (`2025-11-28T00:00:00Z`). */
  readonly endDate: string;
  /** The password's `rotateWhenChanged`: `{ slot }` plus `{ trigger }` when a rotation trigger is given. */
  readonly rotateWhenChanged: Readonly<Record<string, string>>;
  readonly protect: boolean;
}

/** The vault part of validated arguments. */
export type ResolvedVault =
  | {
      readonly kind: 'existing';
      readonly resourceGroupName: pulumi.Input<string>;
      readonly vaultName: string;
      readonly accessMode: KeyVaultAccessMode;
    }
  | {
      readonly kind: 'new';
      readonly resourceGroupName: pulumi.Input<string>;
      readonly vaultName: string;
      readonly accessMode: KeyVaultAccessMode;
      readonly location?: pulumi.Input<string>;
      readonly sku: KeyVaultSku;
      readonly purgeProtection: boolean;
      readonly softDeleteRetentionInDays: number;
      readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    };

/** Workload identity after validation: the federated credential's issuer and subject. */
export interface ResolvedWorkloadIdentity {
  readonly oidcIssuerUrl: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** `system:serviceaccount:<namespace>:<serviceAccountName>`. */
  readonly subject: string;
  readonly identity: WorkloadIdentityKind;
}

/** A user-assigned managed identity to create, after validation. */
export interface ResolvedUserAssignedIdentity {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location?: pulumi.Input<string>;
  readonly name: string;
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** {@link KesAzureIdentityArgs} validated, with every default applied. */
export interface ResolvedKesAzureIdentityArgs {
  readonly kesAuth: KesAuthMode;
  /** The cloud of the Key Vault endpoint (public when none is given). */
  readonly cloud: AzureCloud;
  /** Only with `kesAuth: workloadIdentity`. */
  readonly workloadIdentity?: ResolvedWorkloadIdentity;
  /** Only when a managed identity is created (managed identity, or workload identity of kind userAssignedIdentity). */
  readonly userAssignedIdentity?: ResolvedUserAssignedIdentity;
  readonly displayName: string;
  /** `undefined` means: the deploying principal. */
  readonly owners?: pulumi.Input<pulumi.Input<string>[]>;
  readonly vault: ResolvedVault;
  /** Empty unless `kesAuth` is clientSecret. */
  readonly clientSecrets: readonly ResolvedClientSecretSlot[];
  /** The name of the active slot (always one of `clientSecrets`); `undefined` in the secretless modes. */
  readonly activeClientSecret?: string;
  readonly protectIdentity: boolean;
  /** Warnings to log (`pulumi.log.warn`): never secret. */
  readonly warnings: readonly string[];
}
