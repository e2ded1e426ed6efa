import { App } from 'cdk8s';
import { FieldKind, ProblemCollector, describe, formatProblems, isRecord } from '../declaration/problems';
import { snapshot } from '../declaration/snapshot';
import { ResolvedDeclaration, resolveDeclaration } from '../declaration/validate';
import { OperatorCrds } from './operator-crds';

/** `MinioSseCharts` props after validation. */
export interface ResolvedChartsProps {
  readonly declaration: ResolvedDeclaration;
  readonly crds: OperatorCrds;
  readonly operatorChartId: string;
  readonly tenantChartId: string;
}

const PROPS_KEYS = ['declaration', 'crds', 'operatorChartId', 'tenantChartId'];

/** A chart id: also the file name `cdk8s synth` writes, so 1–63 of letters, digits, `.`, `_` and `-`. */
function checkChartId(value: string): string | undefined {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(value)
    ? undefined
    : 'must be 1 to 63 of letters, digits, ".", "_" and "-", starting with a letter or digit (it names the output file)';
}

/**
 * Read the `app` and props of a construct defensively (any JavaScript value): known keys, a CRD source, chart ids,
 * `installOperator`; the declaration is kept as given (its resolver reads it defensively and lists its problems).
 * @throws Error `invalid <what> props (N problems): …`
 */
function readProps(app: unknown, props: unknown, keys: readonly string[], what: string): Record<string, unknown> {
  const c = new ProblemCollector();
  let isApp = false;
  try {
    isApp = app instanceof App;
  } catch {
    isApp = false;
  }
  if (!isApp) {
    c.add('app', `${describe(app)} must be a cdk8s App`);
  }
  const snap = snapshot(props, '', {
    keep: (v, path) => (path === 'declaration' || v instanceof OperatorCrds ? { value: v } : undefined),
  });
  c.addAll(snap.problems);
  const p = snap.value;
  if (!isRecord(p)) {
    c.add(
      '(root)',
      `${describe(p)} must be an object { ${keys.map((k) => (k === 'declaration' ? k : `${k}?`)).join(', ')} }`,
    );
  } else {
    c.knownKeys('', p, keys);
    if (p.crds !== undefined && !(p.crds instanceof OperatorCrds)) {
      c.add(
        'crds',
        `${describe(p.crds)} must be an OperatorCrds (OperatorCrds.fromRelease(), fromDirectory(…) or fromFiles(…))`,
      );
    }
    for (const key of ['operatorChartId', 'tenantChartId']) {
      if (p[key] !== undefined) {
        c.check(key, p[key], checkChartId, 'chart id', FieldKind.NAME);
      }
    }
    c.bool('installOperator', p.installOperator);
  }
  if (c.problems.length > 0) {
    throw new Error(formatProblems(c.problems, `${what} props`));
  }
  return p as Record<string, unknown>;
}

/**
 * Validate the `app` and props of `MinioSseCharts` (any JavaScript value): read defensively, then the declaration
 * with `resolveDeclaration`.
 * @throws Error `invalid MinioSseCharts props (N problems): …` for bad props, or the declaration's listing error
 */
export function resolveChartsProps(app: unknown, props: unknown): ResolvedChartsProps {
  const p = readProps(app, props, PROPS_KEYS, 'MinioSseCharts');
  const declaration = resolveDeclaration(p.declaration);
  return {
    declaration,
    crds: (p.crds as OperatorCrds | undefined) ?? OperatorCrds.fromRelease(),
    operatorChartId: (p.operatorChartId as string | undefined) ?? 'minio-operator',
    tenantChartId: (p.tenantChartId as string | undefined) ?? declaration.tenant.name,
  };
}

/**
 * Read the `app` and props of `MinioSsePlatform` defensively (any JavaScript value); the platform declaration is
 * left to `resolvePlatform`.
 * @throws Error `invalid MinioSsePlatform props (N problems): …`
 */
export function readPlatformProps<T>(app: unknown, props: unknown): T {
  return readProps(app, props, ['declaration', 'crds', 'installOperator', 'operatorChartId'], 'MinioSsePlatform') as T;
}

/** `synthesize` options after validation (see `SynthesizeOptions`). */
export interface ReadSynthesizeOptions {
  readonly declaration: unknown;
  readonly outdir: string;
  readonly crds?: OperatorCrds;
  readonly configure?: (charts: never, app: App) => void;
}

/**
 * Read `synthesize` options defensively (any JavaScript value). The declaration is left to `MinioSseCharts`.
 * @throws Error `invalid synthesize options (N problems): …` for bad options
 */
export function readSynthesizeOptions(options: unknown, extraKeys: readonly string[] = []): ReadSynthesizeOptions {
  const c = new ProblemCollector();
  const snap = snapshot(options, '', {
    keep: (v, path) =>
      path === 'declaration' || v instanceof OperatorCrds || (path === 'configure' && typeof v === 'function')
        ? { value: v }
        : undefined,
  });
  c.addAll(snap.problems);
  const o = snap.value;
  if (!isRecord(o)) {
    c.add('(root)', `${describe(o)} must be an object { declaration, outdir, crds?, configure? }`);
  } else {
    c.knownKeys('', o, ['declaration', 'outdir', 'crds', 'configure', ...extraKeys]);
    if (extraKeys.includes('installOperator')) {
      c.bool('installOperator', o.installOperator);
    }
    c.check('outdir', o.outdir, checkOutdir, 'output folder');
    if (o.crds !== undefined && !(o.crds instanceof OperatorCrds)) {
      c.add(
        'crds',
        `${describe(o.crds)} must be an OperatorCrds (OperatorCrds.fromRelease(), fromDirectory(…) or fromFiles(…))`,
      );
    }
    if (o.configure !== undefined && typeof o.configure !== 'function') {
      c.add('configure', `${describe(o.configure)} must be a function (charts, app) => void`);
    }
  }
  if (c.problems.length > 0) {
    throw new Error(formatProblems(c.problems, 'synthesize options'));
  }
  return o as unknown as ReadSynthesizeOptions;
}

/** An output folder path: 1–4096 characters, no NUL or other control character. */
function checkOutdir(value: string): string | undefined {
  if (value.length === 0 || value.length > 4096) {
    return 'must be 1 to 4096 characters';
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(value) ? 'must not contain control characters' : undefined;
}
