import { AzureAuth, AzureAuthMode } from '../declaration/azure-auth';
import { Problem } from '../declaration/validate';
import { KesAuthMode, KesAzureIdentityArgs } from './args';

/**
 * The client and tenant ID the tenant chart is first synthesized with in the secretless modes, before the identity
 * exists: synthesis validates everything then, before any resource is registered. The objects applied are
 * synthesized again with the identity's real IDs ({@link kesAzureAuthFor}).
 */
export const PREVIEW_IDENTITY_ID = '00000000-0000-0000-0000-000000000000';

/** Client and tenant ID of the identity KES authenticates as. */
export interface KesIdentityIds {
  readonly clientId: string;
  readonly tenantId: string;
}

/** The mode of Azure arguments: `kesAuth`, client secret when unset or not an object. */
export function kesAuthModeOf(azure: KesAzureIdentityArgs | undefined): KesAuthMode {
  return (azure !== null && typeof azure === 'object' && azure.kesAuth) || KesAuthMode.CLIENT_SECRET;
}

/**
 * The `kes.auth` of the declaration the tenant chart is synthesized from, for the identity {@link KesAzureIdentity}
 * provisions:
 * - `clientSecret`: the declared `AzureAuth.clientSecret({ secretName })`, unchanged;
 * - `workloadIdentity`: `AzureAuth.workloadIdentity({ clientId, tenantId, serviceAccountName })`, so the chart
 *   writes the ServiceAccount (annotation `azure.workload.identity/client-id`) the federated credential trusts, and
 *   the `azure.workload.identity/use` label on the KES pods;
 * - `managedIdentity`: `AzureAuth.managedIdentity({ clientId })` (KES `managed_identity.client_id`).
 *
 * @param declared the declaration's `kes.auth` (only used in client-secret mode)
 * @returns `undefined` in client-secret mode when nothing is declared
 */
export function kesAzureAuthFor(
  azure: KesAzureIdentityArgs,
  declared: AzureAuth | undefined,
  ids: KesIdentityIds,
): AzureAuth | undefined {
  switch (kesAuthModeOf(azure)) {
    case KesAuthMode.WORKLOAD_IDENTITY:
      return AzureAuth.workloadIdentity({
        clientId: ids.clientId,
        tenantId: ids.tenantId,
        serviceAccountName: azure.workloadIdentity?.serviceAccountName,
      });
    case KesAuthMode.MANAGED_IDENTITY:
      return AzureAuth.managedIdentity({ clientId: ids.clientId });
    default:
      return declared;
  }
}

/**
 * Whether the declaration's `kes.auth` and the Azure arguments describe one authentication method. Pure.
 * - client secret: `kes.auth` must be `AzureAuth.clientSecret(…)`;
 * - secretless modes: `kes.auth` must be left out (the stack derives it from the identity it creates), and the
 *   workload identity's namespace must be the tenant namespace (the federated subject names it).
 *
 * @param tenantNamespace the declared tenant namespace (`tenant.namespace`, defaulting to `tenant.name`)
 * @returns problems with paths relative to the stack arguments (`declaration.kes.auth`, `azure.workloadIdentity.namespace`)
 */
export function checkKesAuthBinding(
  declared: unknown,
  azure: KesAzureIdentityArgs | undefined,
  tenantNamespace: unknown,
): Problem[] {
  const mode = kesAuthModeOf(azure);
  const problems: Problem[] = [];
  const declaredMode = AzureAuth.isAzureAuth(declared) ? declared.mode : undefined;
  if (mode === KesAuthMode.CLIENT_SECRET) {
    if (declared === undefined) {
      problems.push({
        path: 'declaration.kes.auth',
        message:
          'is required with azure.kesAuth "clientSecret": AzureAuth.clientSecret({ secretName }), the Secret the stack creates',
      });
    } else if (declaredMode !== undefined && declaredMode !== AzureAuthMode.CLIENT_SECRET) {
      problems.push({
        path: 'declaration.kes.auth',
        message: `is ${JSON.stringify(declaredMode)} but azure.kesAuth is "clientSecret": give one authentication method; set azure.kesAuth to ${JSON.stringify(declaredMode)} and leave declaration.kes.auth out, or use AzureAuth.clientSecret({ secretName })`,
      });
    }
    return problems;
  }
  if (declared !== undefined) {
    problems.push({
      path: 'declaration.kes.auth',
      message: `must be left out with azure.kesAuth ${JSON.stringify(mode)}: the stack sets it from the identity it creates (${declaredMode !== undefined ? `${JSON.stringify(declaredMode)} given` : 'a value given'}); give one authentication method`,
    });
  }
  const ns = azure?.workloadIdentity?.namespace;
  if (
    mode === KesAuthMode.WORKLOAD_IDENTITY &&
    typeof ns === 'string' &&
    typeof tenantNamespace === 'string' &&
    ns !== tenantNamespace
  ) {
    problems.push({
      path: 'azure.workloadIdentity.namespace',
      message: `${JSON.stringify(ns)} is not the tenant namespace ${JSON.stringify(tenantNamespace)}: the federated credential would trust a service account KES does not run as`,
    });
  }
  return problems;
}
