/** The KES authentication mode (`kesAuth`) and its identity arguments (`workloadIdentity`, `userAssignedIdentity`). */
import * as pulumi from '@pulumi/pulumi';
import { checkOidcIssuerUrl } from './oidc-issuer';
import { checkAzureTags } from './tags';
import { checkDnsLabel, checkDnsSubdomain } from '../declaration/rules';
import { Problem } from '../declaration/validate';
import { KesAuthMode, WorkloadIdentityKind } from './args';
import { ResolvedWorkloadIdentity, ResolvedUserAssignedIdentity } from './resolved';
import { isDeferred, isObject, quoted, show, showWord, checkKeys, isGiven } from './checks';
import { checkResourceGroupName } from './vault';

export const KES_AUTH_MODES = Object.values(KesAuthMode) as string[];
export const WORKLOAD_IDENTITY_KINDS = Object.values(WorkloadIdentityKind) as string[];
export const WORKLOAD_IDENTITY_KEYS = ['oidcIssuerUrl', 'namespace', 'serviceAccountName', 'identity'];
export const USER_ASSIGNED_IDENTITY_KEYS = ['resourceGroupName', 'location', 'name', 'tags'];
/**
 * The auth mode and its arguments. Exactly one authentication method: client secret slots only with
 * `clientSecret`, `workloadIdentity` only with `workloadIdentity`, `userAssignedIdentity` only where a managed
 * identity is used.
 */
export function resolveAuthMode(
  problems: Problem[],
  a: Record<string, unknown>,
  displayName: string,
): {
  kesAuth: KesAuthMode;
  workloadIdentity?: ResolvedWorkloadIdentity;
  userAssignedIdentity?: ResolvedUserAssignedIdentity;
} {
  let kesAuth = KesAuthMode.CLIENT_SECRET;
  if (a.kesAuth !== undefined) {
    if (typeof a.kesAuth !== 'string' || !KES_AUTH_MODES.includes(a.kesAuth)) {
      problems.push({
        path: 'kesAuth',
        message: `${showWord(a.kesAuth)} is not a KesAuthMode; expected one of ${KES_AUTH_MODES.map((m) => JSON.stringify(m)).join(', ')}`,
      });
      // Keep checking the rest as client secret, so every other problem is still listed.
      return { kesAuth };
    }
    kesAuth = a.kesAuth as KesAuthMode;
  }
  const mode = JSON.stringify(kesAuth);
  if (kesAuth !== KesAuthMode.CLIENT_SECRET) {
    for (const field of ['clientSecrets', 'activeClientSecret']) {
      if (isGiven(a[field])) {
        problems.push({
          path: field,
          message: `is set but kesAuth is ${mode}: give one authentication method only; remove ${field}, or set kesAuth to "clientSecret" to use client secrets`,
        });
      }
    }
  }
  if (kesAuth !== KesAuthMode.WORKLOAD_IDENTITY && isGiven(a.workloadIdentity)) {
    problems.push({
      path: 'workloadIdentity',
      message: `is set but kesAuth is ${mode}: give one authentication method only; remove workloadIdentity, or set kesAuth to "workloadIdentity"`,
    });
  }
  let workloadIdentity: ResolvedWorkloadIdentity | undefined;
  if (kesAuth === KesAuthMode.WORKLOAD_IDENTITY) {
    workloadIdentity = resolveWorkloadIdentity(problems, a.workloadIdentity);
  }
  const needsIdentity =
    kesAuth === KesAuthMode.MANAGED_IDENTITY ||
    (kesAuth === KesAuthMode.WORKLOAD_IDENTITY &&
      workloadIdentity?.identity === WorkloadIdentityKind.USER_ASSIGNED_IDENTITY);
  let userAssignedIdentity: ResolvedUserAssignedIdentity | undefined;
  if (needsIdentity) {
    userAssignedIdentity = resolveUserAssignedIdentity(problems, a.userAssignedIdentity, displayName, kesAuth);
  } else if (
    isGiven(a.userAssignedIdentity) &&
    !(kesAuth === KesAuthMode.WORKLOAD_IDENTITY && workloadIdentity === undefined)
  ) {
    problems.push({
      path: 'userAssignedIdentity',
      message:
        kesAuth === KesAuthMode.WORKLOAD_IDENTITY
          ? 'is set but workloadIdentity.identity is "application" (the federated credential goes on the app registration); remove it, or set workloadIdentity.identity to "userAssignedIdentity"'
          : `is set but kesAuth is ${mode}: a managed identity is only used with kesAuth "managedIdentity" or workload identity of kind "userAssignedIdentity"; remove it`,
    });
  }
  return { kesAuth, workloadIdentity, userAssignedIdentity };
}

export function resolveWorkloadIdentity(problems: Problem[], v: unknown): ResolvedWorkloadIdentity | undefined {
  const path = 'workloadIdentity';
  if (!isObject(v)) {
    problems.push({
      path,
      message: `${isGiven(v) ? `${show(v)} must be an object` : 'required with kesAuth "workloadIdentity"'}: { oidcIssuerUrl, namespace, serviceAccountName, identity? }`,
    });
    return undefined;
  }
  checkKeys(problems, v, WORKLOAD_IDENTITY_KEYS, path);
  const before = problems.length;
  if (typeof v.oidcIssuerUrl !== 'string') {
    problems.push({
      path: `${path}.oidcIssuerUrl`,
      message:
        v.oidcIssuerUrl === undefined
          ? 'required: the AKS OIDC issuer URL (az aks show --query oidcIssuerProfile.issuerUrl)'
          : `${show(v.oidcIssuerUrl)} must be a plain string`,
    });
  } else {
    const reason = checkOidcIssuerUrl(v.oidcIssuerUrl);
    if (reason) {
      problems.push({ path: `${path}.oidcIssuerUrl`, message: `${quoted(v.oidcIssuerUrl)} ${reason}` });
    }
  }
  const ns = v.namespace;
  const nsReason = typeof ns === 'string' ? checkDnsLabel(ns) : 'must be a string';
  if (nsReason) {
    problems.push({
      path: `${path}.namespace`,
      message: `${ns === undefined ? 'required: the tenant namespace; it' : show(ns)} ${ns === undefined ? 'is part of the federated subject' : `${nsReason} (a namespace)`}`,
    });
  }
  const sa = v.serviceAccountName;
  const saReason = typeof sa === 'string' ? checkDnsSubdomain(sa) : 'must be a string';
  if (saReason) {
    problems.push({
      path: `${path}.serviceAccountName`,
      message: `${sa === undefined ? 'required: the KES service account; it' : show(sa)} ${sa === undefined ? 'is part of the federated subject' : `${saReason} (a service account name)`}`,
    });
  }
  let identity = WorkloadIdentityKind.APPLICATION;
  if (v.identity !== undefined) {
    if (typeof v.identity !== 'string' || !WORKLOAD_IDENTITY_KINDS.includes(v.identity)) {
      problems.push({
        path: `${path}.identity`,
        message: `${showWord(v.identity)} is not a WorkloadIdentityKind; expected "application" or "userAssignedIdentity"`,
      });
    } else {
      identity = v.identity as WorkloadIdentityKind;
    }
  }
  if (problems.length > before) {
    return undefined;
  }
  const namespace = ns as string;
  const serviceAccountName = sa as string;
  return {
    oidcIssuerUrl: v.oidcIssuerUrl as string,
    namespace,
    serviceAccountName,
    subject: `system:serviceaccount:${namespace}:${serviceAccountName}`,
    identity,
  };
}

export function resolveUserAssignedIdentity(
  problems: Problem[],
  v: unknown,
  displayName: string,
  kesAuth: KesAuthMode,
): ResolvedUserAssignedIdentity | undefined {
  const path = 'userAssignedIdentity';
  if (!isObject(v)) {
    problems.push({
      path,
      message: `${isGiven(v) ? `${show(v)} must be an object` : `required with kesAuth ${JSON.stringify(kesAuth)}${kesAuth === KesAuthMode.WORKLOAD_IDENTITY ? ' and workloadIdentity.identity "userAssignedIdentity"' : ''}: the managed identity KES uses`}, { resourceGroupName, location?, name?, tags? }`,
    });
    return undefined;
  }
  checkKeys(problems, v, USER_ASSIGNED_IDENTITY_KEYS, path);
  const before = problems.length;
  checkResourceGroupName(problems, v.resourceGroupName, `${path}.resourceGroupName`);
  const name = v.name ?? displayName;
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/.test(name)) {
    problems.push({
      path: v.name === undefined ? 'displayName' : `${path}.name`,
      message: `${show(name)} is not a managed identity name: 3 to 128 letters, digits, "-" and "_", starting with a letter or digit${v.name === undefined ? ' (used as userAssignedIdentity.name; set that instead)' : ''}`,
    });
  }
  if (v.location !== undefined && !isDeferred(v.location) && (typeof v.location !== 'string' || v.location === '')) {
    problems.push({
      path: `${path}.location`,
      message: `${show(v.location)} must be a non-empty string (an Azure region)`,
    });
  }
  problems.push(...checkAzureTags(v.tags, `${path}.tags`));
  if (problems.length > before) {
    return undefined;
  }
  return {
    resourceGroupName: v.resourceGroupName as pulumi.Input<string>,
    location: v.location as pulumi.Input<string> | undefined,
    name: name as string,
    tags: v.tags as pulumi.Input<Record<string, pulumi.Input<string>>> | undefined,
  };
}
