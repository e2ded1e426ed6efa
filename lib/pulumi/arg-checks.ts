import * as pulumi from '@pulumi/pulumi';
import { OperatorCrds } from '../k8s/operator-crds';
import { Problem, describe, problemsError } from '../declaration/problems';

/** The problem of a value that is not an {@link OperatorCrds}. */
const CRDS_EXPECTED = 'must be an OperatorCrds (OperatorCrds.fromRelease(), fromDirectory(…) or fromFiles(…))';

/** Read `obj[key]` without letting a getter or a proxy throw; `threw` when it did. */
function readField(obj: unknown, key: string): { value?: unknown; threw?: boolean } {
  try {
    return { value: (obj as Record<string, unknown>)[key] };
  } catch {
    return { threw: true };
  }
}

/**
 * Whether `value` is a Pulumi Kubernetes provider resource: a `pulumi.ProviderResource` (what `new k8s.Provider(…)`
 * is) whose package is `kubernetes` (`ProviderResource.getPackage()`, @pulumi/pulumi `resource.ts`). Never throws.
 */
export function isKubernetesProvider(value: unknown): boolean {
  try {
    if (!(value instanceof pulumi.ProviderResource) && !pulumi.CustomResource.isInstance(value)) {
      return false;
    }
    const getPackage = (value as { getPackage?: unknown }).getPackage;
    return typeof getPackage === 'function' && getPackage.call(value) === 'kubernetes';
  } catch {
    return false;
  }
}

/**
 * The problems of the resource-like arguments of the Pulumi components (`crds`, `kubernetesProvider`): each, when
 * given, must be an {@link OperatorCrds} and a Kubernetes provider resource. Pure; never throws, whatever `args` is.
 */
export function checkResourceArgs(args: unknown): Problem[] {
  if (args === null || typeof args !== 'object') {
    return [];
  }
  const problems: Problem[] = [];
  const crds = readField(args, 'crds');
  if (crds.threw) {
    problems.push({ path: 'crds', message: 'could not be read (reading it threw); pass an OperatorCrds' });
  } else if (crds.value !== undefined && !(crds.value instanceof OperatorCrds)) {
    problems.push({ path: 'crds', message: `${describe(crds.value)} ${CRDS_EXPECTED}` });
  }
  const provider = readField(args, 'kubernetesProvider');
  if (provider.threw) {
    problems.push({ path: 'kubernetesProvider', message: 'could not be read (reading it threw); pass a k8s.Provider' });
  } else if (provider.value !== undefined && !isKubernetesProvider(provider.value)) {
    problems.push({
      path: 'kubernetesProvider',
      message: `${describe(provider.value)} must be a Kubernetes provider resource (new k8s.Provider(name, { kubeconfig }) from @pulumi/kubernetes)`,
    });
  }
  return problems;
}

/** Whether `e` is already the one listing error of the library. */
function isListingError(e: unknown): boolean {
  try {
    return e instanceof Error && /^invalid [^\n]* \(\d+ problems?\):\n/.test(e.message);
  } catch {
    return false;
  }
}

/**
 * Run `use(crds)` (loading CRDs, building a chart from them); when `crds` is not the library's own OperatorCrds
 * (a subclass or a look-alike) and it throws something other than the listing error, report it as the listing
 * error (path `crds`) without its message, which may quote anything. Errors of the library's own OperatorCrds (a
 * failed download, a missing file) pass unchanged.
 * @throws Error (`invalid <who> arguments (1 problem)`) as described; whatever `use` throws otherwise
 */
export function withUserCrds<T>(crds: OperatorCrds, who: string, use: () => T): T {
  try {
    return use();
  } catch (e) {
    let own = false;
    try {
      own = Object.getPrototypeOf(crds) === OperatorCrds.prototype;
    } catch {
      own = false;
    }
    if (own || isListingError(e)) {
      throw e;
    }
    let what = 'an exception';
    try {
      if (e instanceof Error && /^[A-Za-z]{1,40}$/.test(e.name)) {
        what = `a ${e.name}`;
      }
    } catch {
      // keep "an exception"
    }
    throw problemsError(
      [
        {
          path: 'crds',
          message: `the given CRD source threw ${what} while loading the CRDs (message not shown); pass OperatorCrds.fromRelease(), fromDirectory(…) or fromFiles(…)`,
        },
      ],
      `${who} arguments`,
    );
  }
}
