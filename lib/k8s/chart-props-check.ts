import { OperatorRelease } from '../declaration/release';
import { resolveImageOptions } from '../declaration/image';
import { ProblemCollector, describe, formatProblems, isRecord } from '../declaration/problems';
import { checkDnsLabel, checkDnsSubdomain, checkYamlScalar } from '../declaration/rules';
import { OperatorCrds } from './operator-crds';

/** Fields of `OperatorChartProps`. */
const OPERATOR_CHART_KEYS = [
  'declaration',
  'spec',
  'release',
  'operatorNamespace',
  'clusterDomain',
  'imageRegistry',
  'imagePullSecrets',
  'crds',
];

/** Fields of `TenantChartProps`. */
const TENANT_CHART_KEYS = ['declaration', 'spec', 'operatorChart', 'tenantCrdSchema', 'emitNamespace'];

/** Read one field, a throwing getter or proxy becoming a problem. */
function field(c: ProblemCollector, obj: Record<string, unknown>, key: string): unknown {
  try {
    return obj[key];
  } catch {
    c.add(key, 'could not be read (reading it threw); pass plain data');
    return undefined;
  }
}

/**
 * Check that `spec` is what `resolveDeclaration(…)` returns (a release object and the resolved parts), and say so
 * when it is the declaration itself (the likely mistake).
 */
function checkResolvedSpec(c: ProblemCollector, spec: unknown, at = 'declaration'): void {
  const resolved =
    isRecord(spec) &&
    OperatorRelease.isRelease(spec.release) &&
    isRecord(spec.tenant) &&
    isRecord(spec.kes) &&
    isRecord(spec.job) &&
    isRecord(spec.images) &&
    Array.isArray(spec.encryptionKeys) &&
    Array.isArray(spec.buckets) &&
    Array.isArray(spec.tenant.pools);
  if (resolved) {
    return;
  }
  const declarationLike = isRecord(spec) && (isRecord(spec.tenant) || isRecord(spec.kes)) && !isRecord(spec.images);
  c.add(
    at,
    declarationLike
      ? "is a declaration, not a resolved one: pass resolveDeclaration(declaration)'s result (it validates the declaration and fills in every default)"
      : `${describe(spec)} must be a resolved declaration: pass resolveDeclaration(declaration)'s result`,
  );
}

/**
 * Check the props of an `OperatorChart` before anything is built: an object; only its known fields; `spec` a
 * resolved declaration (`declaration`, or its deprecated alias `spec`) or `release` a supported {@link OperatorRelease}; `operatorNamespace` a DNS-1123 label that
 * YAML readers read as a string; `clusterDomain` a DNS-1123 subdomain; `imageRegistry` / `imagePullSecrets` as in a
 * declaration; `crds` an {@link OperatorCrds}. Exactly one of `spec` and `release` is checked by the chart itself.
 * @throws Error `invalid OperatorChart props (N problems):` listing every problem
 */
export function checkOperatorChartProps(props: unknown): void {
  const c = new ProblemCollector();
  if (!isRecord(props)) {
    c.add('(root)', `${describe(props)} must be an object { declaration } or { release, operatorNamespace?, … }`);
  } else {
    c.knownKeys('', props, OPERATOR_CHART_KEYS);
    const declaration = field(c, props, 'declaration');
    const spec = field(c, props, 'spec');
    const release = field(c, props, 'release');
    if (declaration !== undefined || spec !== undefined) {
      checkResolvedSpec(c, declaration ?? spec, declaration !== undefined ? 'declaration' : 'spec');
    }
    if (release !== undefined && !OperatorRelease.isRelease(release)) {
      c.add('release', `${describe(release)} is not a supported operator release: use OperatorRelease.fromTag(<tag>)`);
    }
    const ns = field(c, props, 'operatorNamespace');
    if (ns !== undefined) {
      c.check('operatorNamespace', ns, (v) => checkDnsLabel(v) ?? checkYamlScalar(v), 'namespace');
    }
    const domain = field(c, props, 'clusterDomain');
    if (domain !== undefined) {
      c.check('clusterDomain', domain, checkDnsSubdomain, 'cluster domain');
    }
    const imageRegistry = field(c, props, 'imageRegistry');
    const imagePullSecrets = field(c, props, 'imagePullSecrets');
    if (OperatorRelease.isRelease(release) && (imageRegistry !== undefined || imagePullSecrets !== undefined)) {
      c.addAll(resolveImageOptions({ imageRegistry, imagePullSecrets }, release, checkDnsSubdomain).problems);
    }
    const crds = field(c, props, 'crds');
    if (crds !== undefined && !(crds instanceof OperatorCrds)) {
      c.add(
        'crds',
        `${describe(crds)} must be an OperatorCrds (OperatorCrds.fromRelease(), fromDirectory(…) or fromFiles(…))`,
      );
    }
  }
  if (c.problems.length > 0) {
    throw new Error(formatProblems(c.problems, 'OperatorChart props'));
  }
}

/**
 * Check the props of a `TenantChart` before anything is built: an object; only its known fields; `spec` a resolved
 * declaration (a raw declaration is refused with the hint to pass `resolveDeclaration(…)`'s result);
 * `emitNamespace` a boolean; `tenantCrdSchema` an object.
 * @throws Error `invalid TenantChart props (N problems):` listing every problem
 */
export function checkTenantChartProps(props: unknown): void {
  const c = new ProblemCollector();
  if (!isRecord(props)) {
    c.add(
      '(root)',
      `${describe(props)} must be an object { declaration, operatorChart?, tenantCrdSchema?, emitNamespace? }`,
    );
  } else {
    c.knownKeys('', props, TENANT_CHART_KEYS);
    const declaration = field(c, props, 'declaration');
    const spec = field(c, props, 'spec');
    if (declaration !== undefined || spec !== undefined) {
      checkResolvedSpec(c, declaration ?? spec, declaration !== undefined ? 'declaration' : 'spec');
    }
    c.bool('emitNamespace', field(c, props, 'emitNamespace'));
    const schema = field(c, props, 'tenantCrdSchema');
    if (schema !== undefined && !isRecord(schema)) {
      c.add('tenantCrdSchema', `${describe(schema)} must be the openAPIV3Schema object of the Tenant CRD`);
    }
  }
  if (c.problems.length > 0) {
    throw new Error(formatProblems(c.problems, 'TenantChart props'));
  }
}
