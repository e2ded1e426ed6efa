import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { MinioSseCharts, MinioSseDeclaration, OperatorCrds } from '../../lib';

/** Options of {@link synthesize}. */
export interface SynthOptions {
  /** The declaration to synthesize. */
  readonly declaration: MinioSseDeclaration;
  /** Output folder; emptied and rewritten only after everything validated. */
  readonly outdir: string;
  /** Where the operator CRDs come from. @default OperatorCrds.fromRelease() */
  readonly crds?: OperatorCrds;
}

/**
 * Validate the declaration, build the charts, run every construct validation, and only then replace the
 * `*.k8s.yaml` files of `outdir` with one file per chart (`0000-minio-operator.k8s.yaml`, `0001-<tenant>.k8s.yaml`).
 * @returns the written file names, in apply order
 * @throws Error listing every problem; nothing is written or deleted then
 */
export function synthesize(options: SynthOptions): string[] {
  const app = new App({ outdir: options.outdir });
  new MinioSseCharts(app, { declaration: options.declaration, crds: options.crds });
  app.synthYaml(); // runs every validation (CRD schema of the Tenant included) without touching the disk
  // Replace only our own files: other files in outdir (or a mistaken outdir such as '.') are left alone.
  if (fs.existsSync(options.outdir)) {
    for (const f of fs.readdirSync(options.outdir)) {
      if (f.endsWith('.k8s.yaml')) {
        fs.rmSync(path.join(options.outdir, f));
      }
    }
  }
  app.synth();
  return fs
    .readdirSync(options.outdir)
    .filter((f) => f.endsWith('.k8s.yaml'))
    .sort()
    .map((f) => path.join(options.outdir, f));
}
