/**
 * The entry points for the Azure identity arguments: {@link validateKesAzureIdentityArgs} and
 * {@link resolveKesAzureIdentityArgs}. The rules live with their part: `vault.ts`, `slots.ts`, `identity.ts`,
 * `clouds.ts` (shared pieces in `checks.ts`, the result types in `resolved.ts`).
 */
import * as pulumi from '@pulumi/pulumi';
import { checkUuid } from '../declaration/rules';
import { Problem, formatProblems } from '../declaration/validate';
import { FieldKind, display } from '../declaration/problems';
import { snapshot } from '../declaration/snapshot';
import { CLIENT_SECRET_EXPIRY_WARNING_DAYS, DEFAULT_APPLICATION_DISPLAY_NAME, KesAuthMode } from './args';
import { ResolvedKesAzureIdentityArgs } from './resolved';
import { DAY_MS, isDeferred, isObject, show, checkKeys, checkBoolean } from './checks';
import { resolveVault } from './vault';
import { resolveClientSecrets } from './slots';
import { resolveAuthMode } from './identity';
import { resolveCloud } from './clouds';

export type {
  ResolvedClientSecretSlot,
  ResolvedKesAzureIdentityArgs,
  ResolvedUserAssignedIdentity,
  ResolvedVault,
  ResolvedWorkloadIdentity,
} from './resolved';
export type { ObservedVault } from './vault';
export { checkObservedVault, secretsOfficerRoleDefinitionId } from './vault';
export { formatTimestamp, parseTimestamp } from './slots';
export { checkOidcIssuerUrl } from './oidc-issuer';
export { cloudOfProviderEnvironment, configuredProviderEnvironments } from './clouds';

const TOP_LEVEL_KEYS = [
  'displayName',
  'owners',
  'existingVault',
  'newVault',
  'kesAuth',
  'clientSecrets',
  'activeClientSecret',
  'workloadIdentity',
  'userAssignedIdentity',
  'keyVaultEndpoint',
  'providerEnvironments',
  'protectIdentity',
];
/**
 * Check {@link KesAzureIdentityArgs} and return every problem found, each with its path
 * (e.g. `newVault.vaultName`). Pure: never throws for bad data (a value that throws when read, such as a revoked
 * Proxy, is itself reported), registers nothing. Values that are Outputs or Promises (resource group, owners,
 * location, tags) are not inspected.
 *
 * Messages never echo an invalid value of a field where a secret could be pasted by mistake (names, IDs, display
 * name, field names): they give its length and "(value not shown)". Valid values, numbers, booleans, date-like
 * strings and word-like values of enum fields are shown, strings at most 40 characters.
 *
 * @param now the reference time for end dates (tests pass a fixed one)
 */
export function validateKesAzureIdentityArgs(args: unknown, now: Date = new Date()): Problem[] {
  return resolveSafely(args, now).problems;
}

/**
 * Validate and default {@link KesAzureIdentityArgs}.
 *
 * @param name the component's name, used in the error message
 * @param now the reference time for end dates
 * @param validated the result of {@link tryResolveKesAzureIdentityArgs} for these very `args`: returned as is (only
 *   `name` is checked); anything else is ignored and `args` validated
 * @throws Error listing every problem, one per line with its path, e.g.
 *   `invalid KesAzureIdentity "kes" arguments (1 problem):\n  - newVault.vaultName: "my_vault" ...`
 */
export function resolveKesAzureIdentityArgs(
  name: string,
  args: unknown,
  now: Date = new Date(),
  validated?: ResolvedKesAzureIdentityArgs,
): ResolvedKesAzureIdentityArgs {
  const nameOk = typeof name === 'string' && name !== '';
  if (nameOk && validated !== undefined && RESOLVED.has(validated)) {
    return validated;
  }
  const { problems, resolved } = resolveSafely(args, now);
  if (!nameOk) {
    problems.unshift({
      path: 'name',
      message: `${display(name, FieldKind.NAME)} must be a non-empty string (the component name)`,
    });
  }
  if (problems.length > 0 || !resolved) {
    throw new Error(
      formatProblems(
        problems,
        `KesAzureIdentity ${nameOk ? display(name, FieldKind.NAME) : ''} arguments`.replace('  ', ' '),
      ),
    );
  }
  return resolved;
}

/** Results of {@link tryResolveKesAzureIdentityArgs}: the brand of arguments already validated. */
const RESOLVED = new WeakSet<ResolvedKesAzureIdentityArgs>();

/**
 * Validate and default {@link KesAzureIdentityArgs} without throwing: every problem (paths as in
 * {@link validateKesAzureIdentityArgs}), and the resolved arguments when there is none. A caller that validated the
 * arguments this way passes the result on to `KesAzureIdentity` (its `validated` parameter), which then does not
 * validate them again.
 * @param now the reference time for end dates
 */
export function tryResolveKesAzureIdentityArgs(
  args: unknown,
  now: Date = new Date(),
): { problems: Problem[]; resolved?: ResolvedKesAzureIdentityArgs } {
  const result = resolveSafely(args, now);
  if (result.resolved) {
    RESOLVED.add(Object.freeze(result.resolved));
  }
  return result;
}

/**
 * {@link resolveInternal}, never throwing: data that throws when read (a revoked Proxy, a getter that throws) is
 * reported as a problem. The error's text is not shown: it may quote the value.
 */
function resolveSafely(args: unknown, nowDate: Date): { problems: Problem[]; resolved?: ResolvedKesAzureIdentityArgs } {
  try {
    // Read the input defensively first (getters, proxies, cycles, BigInt, class instances), keeping Outputs and
    // Promises as they are: the rules then only see plain data.
    const snap = snapshot(args, '', { keep: (v) => (isDeferred(v) ? { value: v } : undefined) });
    if (snap.problems.length > 0) {
      return {
        problems: snap.problems.map((p) => ({ path: p.path === '(root)' ? 'args' : p.path, message: p.message })),
      };
    }
    return resolveInternal(snap.value, nowDate);
  } catch (e) {
    const kind = e instanceof Error && /^[A-Za-z]{1,40}$/.test(e.name) ? `a ${e.name}` : 'an exception';
    return { problems: [{ path: 'args', message: `could not be read (reading it threw ${kind}); pass plain data` }] };
  }
}

function resolveInternal(
  args: unknown,
  nowDate: Date,
): { problems: Problem[]; resolved?: ResolvedKesAzureIdentityArgs } {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  if (!isObject(args)) {
    problems.push({ path: 'args', message: `${show(args)} must be an object (KesAzureIdentityArgs)` });
    return { problems };
  }
  const now = nowDate.getTime();
  checkKeys(problems, args, TOP_LEVEL_KEYS, '');

  let displayName = DEFAULT_APPLICATION_DISPLAY_NAME;
  if (args.displayName !== undefined) {
    if (typeof args.displayName !== 'string' || args.displayName.trim() === '' || args.displayName.length > 256) {
      problems.push({
        path: 'displayName',
        message: `${show(args.displayName)} must be a string of 1 to 256 characters`,
      });
    } else {
      displayName = args.displayName;
    }
  }

  if (args.owners !== undefined && !isDeferred(args.owners)) {
    if (!Array.isArray(args.owners)) {
      problems.push({ path: 'owners', message: `${show(args.owners)} must be an array of object IDs` });
    } else if (args.owners.length === 0) {
      problems.push({
        path: 'owners',
        message:
          'is an empty array: an app registration without owners cannot be managed by anyone but admins; omit owners to default to the deployer',
      });
    } else {
      args.owners.forEach((owner: unknown, i: number) => {
        if (isDeferred(owner)) {
          return;
        }
        const reason = typeof owner === 'string' ? checkUuid(owner) : 'must be a string';
        if (reason) {
          problems.push({
            path: `owners[${i}]`,
            message: `${show(owner)} ${reason} (an object ID of a user or service principal)`,
          });
        }
      });
    }
  }

  checkBoolean(problems, args.protectIdentity, 'protectIdentity');
  const protectIdentity = args.protectIdentity !== false;

  const vault = resolveVault(problems, args, warnings);
  const auth = resolveAuthMode(problems, args, displayName);
  const cloud = resolveCloud(problems, args, vault?.vaultName);

  const { slots, slotsOk, active } = resolveClientSecrets(problems, args, auth.kesAuth, now, protectIdentity);

  const secretless = auth.kesAuth !== KesAuthMode.CLIENT_SECRET;
  if (problems.length > 0 || !vault || !slotsOk || (!secretless && active === undefined) || cloud === undefined) {
    return { problems };
  }
  const activeSlot = slots.find((s) => s.name === active);
  const daysLeft = activeSlot ? (Date.parse(activeSlot.endDate) - now) / DAY_MS : Infinity;
  if (activeSlot && daysLeft < CLIENT_SECRET_EXPIRY_WARNING_DAYS) {
    warnings.push(
      `the active KES client secret (clientSecrets[${slots.indexOf(activeSlot)}]) expires at ${activeSlot.endDate}, in ${Math.floor(daysLeft)} days; add a new slot and rotate now (see the README), or KES and MinIO stop when it expires`,
    );
  }
  return {
    problems,
    resolved: {
      kesAuth: auth.kesAuth,
      cloud,
      workloadIdentity: auth.workloadIdentity,
      userAssignedIdentity: auth.userAssignedIdentity,
      displayName,
      owners: args.owners as pulumi.Input<pulumi.Input<string>[]> | undefined,
      vault,
      clientSecrets: slots,
      activeClientSecret: active,
      protectIdentity,
      warnings,
    },
  };
}
