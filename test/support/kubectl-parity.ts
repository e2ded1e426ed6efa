import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart, Yaml } from 'cdk8s';

/**
 * Decode a YAML file the way `kubectl apply` and Argo CD do (sigs.k8s.io/yaml over go-yaml), offline, with the
 * real kubectl: `kubectl patch --local -f FILE --type merge -p '{}' -o json` reads every document, applies an
 * empty merge patch (a no-op) and prints each object as JSON, without contacting a cluster.
 * @returns the objects, in file order
 * @throws Error with kubectl's stderr when kubectl cannot decode the file
 */
export function kubectlDecode(file: string): any[] {
  let out: string;
  try {
    out = execFileSync('kubectl', ['patch', '--local', '-f', file, '--type', 'merge', '-p', '{}', '-o', 'json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    throw new Error(`kubectl could not decode ${file}: ${String((e as { stderr?: unknown }).stderr ?? e).trim()}`);
  }
  return splitJsonStream(out);
}

/** Split kubectl's output (JSON objects one after another) into values. */
function splitJsonStream(text: string): any[] {
  const values: any[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') {
      if (depth++ === 0) start = i;
    } else if (ch === '}') {
      if (--depth === 0) values.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  return values;
}

/** The object as JSON data (what a JSON reader of the in-memory object would see). */
function normalize(obj: unknown): unknown {
  return JSON.parse(JSON.stringify(obj));
}

/** One difference between what the library meant and what kubectl read. */
export interface ParityMismatch {
  readonly file: string;
  readonly index: number;
  readonly expected: unknown;
  readonly actual: unknown;
}

/**
 * Write each chart as cdk8s writes it (`Yaml.stringify` of `chart.toJson()`, one file per chart), decode every
 * file with kubectl, and compare each object with the in-memory one.
 * @returns the mismatches, empty when every reader agrees
 */
export function kubectlParity(charts: readonly Chart[]): ParityMismatch[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-parity-'));
  try {
    const mismatches: ParityMismatch[] = [];
    charts.forEach((chart, n) => {
      const objects = chart.toJson();
      const file = path.join(dir, `${n}.k8s.yaml`);
      fs.writeFileSync(file, Yaml.stringify(...objects));
      const decoded = kubectlDecode(file);
      const count = Math.max(objects.length, decoded.length);
      for (let i = 0; i < count; i++) {
        const expected = normalize(objects[i]);
        const actual = decoded[i];
        if (!deepEqual(expected, actual)) {
          mismatches.push({ file: `${chart.node.id}.k8s.yaml`, index: i, expected, actual });
        }
      }
    });
    return mismatches;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every chart of an app (after construction), in synthesis order. */
export function chartsOf(app: App): Chart[] {
  return app.charts;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as any)[k], (b as any)[k]))
  );
}
