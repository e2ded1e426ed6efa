import { App } from 'cdk8s';
import { MinioSsePlatform, OperatorCrds, PlatformDeclaration } from '../../lib';

/** Options of {@link synthesizePlatform}. */
export interface PlatformSynthOptions {
  /** The platform: one operator release, the tenants. */
  readonly declaration: PlatformDeclaration;
  /** Output folder; its `*.k8s.yaml` files are replaced only after everything validated. */
  readonly outdir: string;
  /** Where the operator CRDs come from. @default OperatorCrds.fromRelease() */
  readonly crds?: OperatorCrds;
  /** Install the operator (false: installed elsewhere; Tenants still validated against `crds`). @default true */
  readonly installOperator?: boolean;
}

/**
 * Validate the platform (every tenant, then across tenants), build it, validate every construct once, and only
 * then write one file per chart: `minio-operator.k8s.yaml` and `tenant-<name>.k8s.yaml` (stale `*.k8s.yaml` files
 * of removed tenants are deleted; other files are left alone).
 * @returns the written paths, in apply order (operator first)
 * @throws Error listing every problem; nothing is written or deleted then
 */
export function synthesizePlatform(options: PlatformSynthOptions): string[] {
  const app = new App({ outdir: options.outdir });
  const platform = new MinioSsePlatform(app, {
    declaration: options.declaration,
    crds: options.crds,
    installOperator: options.installOperator,
  });
  return platform.synth(options.outdir);
}
