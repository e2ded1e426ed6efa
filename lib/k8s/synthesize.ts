import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { MinioSseDeclaration } from '../declaration';
import { MinioSseCharts } from './charts';
import { readSynthesizeOptions } from './charts-props';
import { assertFinalObjectsValid } from './final-checks';
import { OperatorCrds } from './operator-crds';
import { resolveOutdir, runConfigure } from './outdir';

/** Name of the list of files {@link synthesize} wrote, kept in `outdir` so the next run knows which are its own. */
export const SYNTH_MANIFEST = '.minio-sse-azure-synth.json';

/** Options of {@link synthesize}. */
export interface SynthesizeOptions {
  /** The declaration to synthesize. */
  readonly declaration: MinioSseDeclaration;
  /**
   * Output folder, replaced as a whole once everything validated and was written (a folder of its own, such as
   * `dist`: the current folder and its parents are refused). A symbolic link to a folder is written through (the
   * folder it points to is replaced, the link is kept); an existing file, a path under a file and a link to
   * anything but a folder are refused.
   */
  readonly outdir: string;
  /**
   * Where the operator CRDs come from. A `fromRelease()` source with an empty cache downloads synchronously in a
   * child process; call `await crds.prefetch(release)` first to download in-process.
   * @default OperatorCrds.fromRelease()
   */
  readonly crds?: OperatorCrds;
  /**
   * Called after the charts are built and before synthesis, e.g. to add escape-hatch patches. Must be synchronous:
   * a hook returning a Promise is refused before anything is written. @default - none
   */
  readonly configure?: (charts: MinioSseCharts, app: App) => void;
}

/**
 * Validate the declaration, build the charts, synthesize them ONCE (cdk8s runs every construct validation, the
 * Tenant CRD check included, before it writes a file) into a temporary folder beside `outdir`, then swap it in with
 * a rename. Result: `outdir` holds one file per chart (`0000-minio-operator.k8s.yaml`, `0001-<tenant>.k8s.yaml`),
 * plus {@link SYNTH_MANIFEST} listing them.
 *
 * Files of `outdir` that the previous run listed in its manifest are dropped (a renamed tenant leaves no stale
 * file); every other entry (a README, files of other tools, `*.k8s.yaml` not written by this function) is kept.
 * On any failure `outdir` is left exactly as it was: never partial, never empty.
 * @returns the written file paths (`outdir`-joined), in apply order
 * @throws Error listing every problem of the declaration or of the final objects; Error when the CRDs cannot be
 *   loaded; Error naming `outdir` when it is the current folder or one of its parents; the file-system error when a
 *   write or rename fails (after restoring `outdir`)
 */
export function synthesize(rawOptions: SynthesizeOptions): string[] {
  // Any JavaScript value: bad options end in one listing error before anything is touched.
  const options = readSynthesizeOptions(rawOptions) as SynthesizeOptions;
  const written = synthesizeInto(options.outdir, (tmp) => {
    const app = new App({ outdir: tmp });
    const charts = new MinioSseCharts(app, { declaration: options.declaration, crds: options.crds });
    runConfigure(options.configure, charts, app);
    assertFinalObjectsValid(app); // one listing error; app.synth() would word it "Validation failed…"
    app.synth();
    return fs
      .readdirSync(tmp)
      .filter((f) => f.endsWith(app.outputFileExtension))
      .sort();
  });
  return written.map((f) => path.join(options.outdir, f));
}

/**
 * The folder discipline of {@link synthesize}, for any writer: `write(tmp)` fills a temporary folder beside `outdir`
 * and returns the file names it wrote; they are listed in {@link SYNTH_MANIFEST} and the folder is swapped in.
 * @returns the names written
 * @throws as {@link synthesize}
 */
export function synthesizeInto(outdirArg: string, write: (tmp: string) => string[]): string[] {
  const outdir = resolveOutdir(outdirArg);
  const cwd = process.cwd();
  if (outdir === cwd || cwd.startsWith(outdir.endsWith(path.sep) ? outdir : outdir + path.sep)) {
    throw new Error(
      `synthesize: outdir ${JSON.stringify(outdirArg)} is the current folder or one of its parents; give the manifests a folder of their own (e.g. "dist")`,
    );
  }
  const parent = path.dirname(outdir);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = path.join(parent, `.${path.basename(outdir)}.synth-${process.pid}-${randomBytes(4).toString('hex')}`);
  let written: string[];
  try {
    written = write(tmp);
    if (written.length === 0) {
      throw new Error('synthesize: the app produced no manifest; nothing written');
    }
    fs.writeFileSync(
      path.join(tmp, SYNTH_MANIFEST),
      JSON.stringify({ writtenBy: 'minio-sse-azure synthesize()', files: written }, null, 2) + '\n',
    );
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  swapIn(tmp, outdir, new Set(written));
  return written;
}

/** Files a previous {@link synthesize} listed in `outdir`'s manifest (none when absent or unreadable). */
function previousFiles(outdir: string): Set<string> {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(outdir, SYNTH_MANIFEST), 'utf8'));
    return new Set(
      Array.isArray(m?.files) ? m.files.filter((f: unknown) => typeof f === 'string' && !f.includes('/')) : [],
    );
  } catch {
    return new Set();
  }
}

/**
 * Replace `outdir` by `tmp`, carrying over the entries of `outdir` that are not ours. Every step is undone on failure.
 */
function swapIn(tmp: string, outdir: string, fresh: Set<string>): void {
  if (!fs.existsSync(outdir)) {
    try {
      fs.renameSync(tmp, outdir);
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    return;
  }
  const ours = previousFiles(outdir);
  const carried: string[] = [];
  const backup = `${tmp}.old`;
  let swapped = false;
  try {
    for (const entry of fs.readdirSync(outdir)) {
      if (entry === SYNTH_MANIFEST || ours.has(entry) || fresh.has(entry)) {
        continue; // ours: replaced or stale
      }
      fs.renameSync(path.join(outdir, entry), path.join(tmp, entry));
      carried.push(entry);
    }
    fs.renameSync(outdir, backup);
    swapped = true;
    fs.renameSync(tmp, outdir);
  } catch (e) {
    if (swapped) {
      fs.renameSync(backup, outdir);
    }
    for (const entry of carried) {
      fs.renameSync(path.join(tmp, entry), path.join(outdir, entry));
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  fs.rmSync(backup, { recursive: true, force: true });
}
