/**
 * Rendering of `npm run bench` results: the console table (times, RSS and ratios) and the README's Performance
 * table (ratios only; absolute numbers stay in bench/results.json).
 */
import type { Stats } from './common';

/* eslint-disable @typescript-eslint/no-explicit-any */
const ms = (s: Stats): string => `${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;
const x = (s: Stats): string => `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
const mib = (s: Stats): string => (Number.isFinite(s.median) ? (s.max / 1024).toFixed(0) : 'n/a');

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** Per-object cost of each in-process row relative to the smallest size of its series (seed: itself). */
function perObjectRelative(rows: any[]): Map<string, number> {
  const rel = new Map<string, number>();
  for (const r of rows) {
    const first = rows.find((o) => o.kind === r.kind);
    rel.set(r.label, r.perObjectMs / first.perObjectMs);
  }
  return rel;
}

function acceptanceTable(results: any): string {
  return table(
    ['Acceptance target (issue 14)', 'Measured (median of paired ratios)', 'Limit', 'Pass / miss'],
    (results.acceptance as any[]).map((t) => [
      t.target,
      `${t.measured.toFixed(2)}×`,
      t.lowerLimit ? `${t.lowerLimit.toFixed(2)}–${t.limit}×` : `≤ ${t.limit}×`,
      t.pass ? 'pass' : '**miss**',
    ]),
  );
}

function machineLine(results: any): string {
  const m = results.machine;
  return `${m.nproc} cores (\`nproc\`), ${m.cpuModel} (/proc/cpuinfo), Node ${m.node}, ${m.platform}; load average ${m.loadavgAtStart.map((v: number) => v.toFixed(1)).join(' ')} at start (shared machine)`;
}

/** The console report: every section with times (ms, median and min–max), peak RSS (MiB, max) and ratios. */
export function renderTable(results: any): string {
  const parts: string[] = [
    `Machine: ${machineLine(results)}. Release ${results.release}${results.quick ? ', --quick' : ''}.`,
  ];
  if (results.e2e) {
    const e = results.e2e;
    const r = e.ratios;
    const ratioCols: Record<string, [string, string]> = {
      'npm run synth': [x(r.synthVsKustomizeCrds), x(r.synthVsKustomize)],
      'synth without npm': [x(r.synthWithoutNpmVsKustomizeCrds), x(r.synthWithoutNpmVsKustomize)],
    };
    parts.push(
      `\nEnd to end, ${e.rounds} paired rounds (wall ms: median (min–max); peak RSS: max over rounds)`,
      table(
        ['Command', 'Wall ms', 'Peak RSS MiB', '/ kustomize + CRDs', '/ kustomize'],
        e.series.map((s: any) => [
          s.name,
          ms(s.stats.wallMs),
          mib(s.stats.maxRssKiB),
          ...(ratioCols[s.name] ?? ['', '']),
        ]),
      ),
    );
  }
  if (results.inProcess) {
    const rel = perObjectRelative(results.inProcess);
    parts.push(
      '\nIn process (warm, one child per size; ms: median (min–max); ratios: paired per round)',
      table(
        [
          'Size',
          'Built with',
          'Objects',
          'Rounds',
          'Library ms',
          'Raw ApiObject ms',
          'yaml.stringify ms',
          'Library / raw',
          'Library / YAML',
          'Per object ms',
          'Per object vs smallest',
          'First synth ms',
          'Peak RSS MiB',
        ],
        results.inProcess.map((p: any) => [
          p.label,
          p.builder,
          String(p.objects),
          String(p.lib.length),
          ms(p.stats.lib),
          ms(p.stats.raw),
          ms(p.stats.yaml),
          x(p.ratios.libVsRaw),
          x(p.ratios.libVsYaml),
          p.perObjectMs.toFixed(2),
          `${rel.get(p.label)!.toFixed(2)}×`,
          p.firstMs.toFixed(0),
          (p.maxRssKiB / 1024).toFixed(0),
        ]),
      ),
    );
    const seed = results.inProcess.find((p: any) => p.stats.freshCrds);
    if (seed) {
      parts.push(
        `Seed with a new OperatorCrds.fromDirectory per synthesis (interleaved): ${ms(seed.stats.freshCrds)} ms (vs ${ms(seed.stats.lib)} reusing one), ${x(seed.ratios.freshVsLib)}.`,
      );
    }
    for (const p of results.inProcess.filter((q: any) => q.note || !q.sameYaml)) {
      parts.push(`${p.label}: ${p.note ?? ''}${p.sameYaml ? '' : ' raw baseline YAML differs from the library YAML'}`);
    }
  }
  if (results.pulumi) {
    const p = results.pulumi;
    parts.push(
      `\nPulumi, ${p.rounds} paired rounds, each a cold child process`,
      table(
        ['Child process', 'Wall ms', 'Peak RSS MiB', '/ module load'],
        p.series.map((s: any, i: number) => [
          s.name,
          ms(s.stats.wallMs),
          mib(s.stats.maxRssKiB),
          i === 1 ? x(p.ratios.evalVsLoad) : '',
        ]),
      ),
    );
  }
  parts.push('', acceptanceTable(results));
  return parts.join('\n');
}

/** The README's Performance table: ratios only (median (min–max) of the paired per-round ratios). */
export function renderReadmeTable(results: any): string {
  const parts: string[] = [
    `Latest run: ${results.generatedAt.slice(0, 16).replace('T', ' ')} UTC, commit \`${String(results.machine.commit).slice(0, 7)}\`${results.quick ? ' (--quick)' : ''}, release ${results.release}. Machine: ${machineLine(results)}.`,
  ];
  if (results.e2e) {
    const r = results.e2e.ratios;
    parts.push(
      '',
      table(
        [`End to end (${results.e2e.rounds} paired rounds)`, '/ kustomize + CRDs', '/ kustomize'],
        [
          ['`npm run synth`', x(r.synthVsKustomizeCrds), x(r.synthVsKustomize)],
          ['the synth command without npm', x(r.synthWithoutNpmVsKustomizeCrds), x(r.synthWithoutNpmVsKustomize)],
        ],
      ),
    );
  }
  if (results.inProcess) {
    const rel = perObjectRelative(results.inProcess);
    parts.push(
      '',
      table(
        [
          'In process (warm)',
          'Built with',
          'Objects',
          'Library / raw ApiObject',
          'Library / yaml.stringify',
          'Per-object cost vs smallest size',
        ],
        results.inProcess.map((p: any) => [
          p.label,
          p.builder,
          String(p.objects),
          x(p.ratios.libVsRaw),
          x(p.ratios.libVsYaml),
          `${rel.get(p.label)!.toFixed(2)}×`,
        ]),
      ),
    );
  }
  if (results.pulumi) {
    parts.push(
      '',
      table(
        ['Pulumi (cold child processes)', '/ module load'],
        [['`MinioSseStack` under `setMocks`', x(results.pulumi.ratios.evalVsLoad)]],
      ),
    );
  }
  parts.push('', acceptanceTable(results));
  return parts.join('\n');
}

export const README_BEGIN = '<!-- bench:begin (npm run bench -- --readme rewrites this block) -->';
export const README_END = '<!-- bench:end -->';

/**
 * `readme` with the block between {@link README_BEGIN} and {@link README_END} replaced by the latest table.
 * @throws Error when the markers are missing
 */
export function renderReadme(readme: string, results: any): string {
  const a = readme.indexOf(README_BEGIN);
  const b = readme.indexOf(README_END);
  if (a < 0 || b < a) {
    throw new Error(
      `README.md has no bench block: add the lines ${README_BEGIN} and ${README_END} to its Performance section`,
    );
  }
  return `${readme.slice(0, a + README_BEGIN.length)}\n${renderReadmeTable(results)}\n${readme.slice(b)}`;
}
