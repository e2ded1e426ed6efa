/**
 * Shared helpers of the benchmark (`npm run bench`): repository paths, the fixtures folder, statistics and the
 * child-process runner that reads peak RSS from GNU time.
 */
import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root (this file compiles to `dist-bench/bench/common.js`). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** Compiled tree of the repository (lib/, examples/, bench/), built by `tsc -p bench/tsconfig.json`. */
export const COMPILED_ROOT = path.resolve(__dirname, '..');

/**
 * The upstream MinIO Operator fixtures folder: `MINIO_SSE_FIXTURES_DIR`, else `../shared/fixtures/minio-operator`
 * beside the repository (main checkout) or two levels up (a worktree under `wt/`).
 * @throws Error naming every folder tried when none holds `v5.0.4/minio.min.io_tenants.yaml`
 */
export function fixturesDir(): string {
  const candidates = process.env.MINIO_SSE_FIXTURES_DIR
    ? [path.resolve(process.env.MINIO_SSE_FIXTURES_DIR)]
    : [
        path.resolve(REPO_ROOT, '..', 'shared/fixtures/minio-operator'),
        path.resolve(REPO_ROOT, '..', '..', 'shared/fixtures/minio-operator'),
      ];
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'v5.0.4', 'minio.min.io_tenants.yaml')));
  if (!found) {
    throw new Error(
      `MinIO Operator fixtures not found: looked in ${candidates.join(', ')} (set MINIO_SSE_FIXTURES_DIR)`,
    );
  }
  return found;
}

/** Median, minimum and maximum of a sample. */
export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/** @throws Error on an empty sample */
export function stats(values: readonly number[]): Stats {
  if (values.length === 0) {
    throw new Error('stats of an empty sample');
  }
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

/** Element-wise ratios a[i] / b[i] of two paired samples. */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) {
    throw new Error(`paired samples differ in length: ${a.length} vs ${b.length}`);
  }
  return a.map((v, i) => v / b[i]);
}

/** One child-process run: wall time (ms, measured here) and peak RSS (KiB, from GNU time `%M`). */
export interface ChildRun {
  readonly wallMs: number;
  readonly maxRssKiB: number;
  readonly stdout: string;
  readonly stderr: string;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Run `argv` to completion under GNU time (peak RSS of the largest process of the tree, `%M`, KiB).
 * @throws Error with the command, exit status and the stderr tail when the command fails
 */
export function runChild(argv: readonly string[], options: SpawnSyncOptions = {}): ChildRun {
  const rssFile = path.join(os.tmpdir(), `minio-sse-bench-rss-${process.pid}`);
  const useTime = fs.existsSync(GNU_TIME);
  const cmd = useTime ? GNU_TIME : argv[0];
  const args = useTime ? ['-f', '%M', '-o', rssFile, ...argv] : argv.slice(1);
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const stdout = String(r.stdout ?? '');
  const stderr = String(r.stderr ?? '');
  if (r.error || r.status !== 0) {
    throw new Error(
      `${argv.join(' ')} failed (status ${r.status}${r.error ? `, ${r.error.message}` : ''}): ${stderr.slice(-2000)}`,
    );
  }
  let maxRssKiB = NaN;
  if (useTime) {
    const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
    maxRssKiB = Number(lines[lines.length - 1]);
    fs.rmSync(rssFile, { force: true });
  }
  return { wallMs, maxRssKiB, stdout, stderr };
}

/** Milliseconds elapsed while running `fn` (high-resolution clock). */
export function timeMs(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Rotate `items` by `round` positions, so each item takes each position in turn across rounds. */
export function rotate<T>(items: readonly T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
