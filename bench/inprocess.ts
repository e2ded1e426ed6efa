/**
 * Child process of `npm run bench` for one size: the library's in-process synthesis (charts built and
 * `app.synthYaml()` or the platform's in-memory `manifests()` rendered as YAML, no disk) vs a raw-ApiObject cdk8s baseline of the same objects vs YAML serialization alone,
 * interleaved round by round. Prints one JSON line (see {@link InProcessResult}).
 *
 * argv[2]: JSON `{ kind, n, release, budgetMs, minReps, maxReps }`; env BENCH_CRDS_DIR: the fixtures folder.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { OperatorCrds, OperatorRelease } from '../lib';
import { rotate, timeMs } from './common';
import { ChartObjects, Scenario, scenarioBuilder, scenarioLabel, Synthesis } from './scenarios';

/** What the child reports. Times in ms, RSS in KiB. */
export interface InProcessResult {
  readonly label: string;
  readonly builder: string;
  readonly note?: string;
  readonly charts: number;
  readonly objects: number;
  readonly yamlBytes: number;
  /** The raw baseline's `synthYaml()` is byte-identical to the library's. */
  readonly sameYaml: boolean;
  /** First library synthesis in this process (CRD source loaded then: parse, digest, schema compile). */
  readonly firstMs: number;
  /** Library synthesis with a new `OperatorCrds.fromDirectory` each time, interleaved with the others (seed only). */
  readonly freshCrdsMs?: number[];
  readonly lib: number[];
  readonly raw: number[];
  readonly yaml: number[];
  readonly maxRssKiB: number;
}

interface Args extends Scenario {
  readonly release: string;
  readonly budgetMs: number;
  readonly minReps: number;
  readonly maxReps: number;
  /** One more untimed library synthesis before the rounds (skipped for the largest sizes, to bound the run). */
  readonly warmUp: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function main(): void {
  const args = JSON.parse(process.argv[2]) as Args;
  const crdsDir = process.env.BENCH_CRDS_DIR;
  if (!crdsDir) {
    throw new Error('BENCH_CRDS_DIR is not set');
  }
  const release = OperatorRelease.fromTag(args.release);
  let builder = scenarioBuilder(args, release);
  const crds = OperatorCrds.fromDirectory(crdsDir);

  let first: Synthesis | undefined;
  let note = builder.note;
  let firstMs: number;
  try {
    if (note) {
      throw new Error(note);
    }
    firstMs = timeMs(() => (first = builder.synth(crds)));
  } catch (e) {
    if (!builder.fallback) {
      throw e;
    }
    note = `${builder.name} not drivable by the bench (${(e as Error).message.split('\n')[0]}); used ${builder.fallback.name}`;
    builder = builder.fallback;
    firstMs = timeMs(() => (first = builder.synth(crds)));
  }
  const libYaml = first!.yaml;
  // The same objects, resolved, one array per chart, in synthesis order.
  const charts = first!.charts();
  const objects = charts.reduce((n, c) => n + c.objects.length, 0);

  const lib = (): number => timeMs(() => builder.synth(crds));
  const rawOnce = (input: ChartObjects[]): string => {
    const app = new App({ outdir: '.' });
    for (const c of input) {
      const chart = new Chart(app, c.id, { disableResourceNameHashes: true });
      c.objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o as any));
    }
    return app.synthYaml();
  };
  const raw = (): number => {
    const input = structuredClone(charts); // outside the timed region
    gc();
    return timeMs(() => rawOnce(input));
  };
  const yamlOnly = (): number =>
    timeMs(() => charts.map((c) => c.objects.map((o) => stringify(o)).join('---\n')).join('---\n'));
  const sameYaml = rawOnce(structuredClone(charts)) === libYaml;

  // The seed also times a library synthesis with a new CRD source each time (what per-digest caching is about).
  const withFresh = args.kind === 'seed';
  const names = withFresh ? (['lib', 'raw', 'yaml', 'fresh'] as const) : (['lib', 'raw', 'yaml'] as const);
  const runs: Record<'lib' | 'raw' | 'yaml' | 'fresh', number[]> = { lib: [], raw: [], yaml: [], fresh: [] };
  const fns = {
    lib: () => (gc(), lib()),
    raw,
    yaml: () => (gc(), yamlOnly()),
    fresh: () => (gc(), timeMs(() => builder.synth(OperatorCrds.fromDirectory(crdsDir)))),
  };
  // warm-up, not recorded (the first synthesis above already ran the library's code once)
  if (args.warmUp) {
    fns.lib();
  }
  fns.raw();
  fns.yaml();
  const start = Date.now();
  for (let round = 0; round < args.maxReps; round++) {
    if (round >= args.minReps && Date.now() - start > args.budgetMs) {
      break;
    }
    for (const k of rotate(names, round)) {
      runs[k].push(fns[k]());
    }
  }
  const freshCrdsMs = withFresh ? runs.fresh : undefined;
  const result: InProcessResult = {
    label: scenarioLabel(args),
    builder: builder.name,
    ...(note ? { note } : {}),
    charts: charts.length,
    objects,
    yamlBytes: Buffer.byteLength(libYaml),
    sameYaml,
    firstMs,
    ...(freshCrdsMs ? { freshCrdsMs } : {}),
    lib: runs.lib,
    raw: runs.raw,
    yaml: runs.yaml,
    maxRssKiB: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
