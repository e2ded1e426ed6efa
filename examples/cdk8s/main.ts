/**
 * The seed scenario as a cdk8s app: `npm run synth` (or `cdk8s synth`, see cdk8s.yaml) writes the manifests to
 * dist/ — apply `0000-minio-operator.k8s.yaml` first, wait for the CRDs, then `0001-minio-tenant-1.k8s.yaml`.
 *
 * Environment:
 * - MINIO_SSE_CRDS_DIR: folder with `<tag>/minio.min.io_tenants.yaml` and `<tag>/sts.min.io_policybindings.yaml`
 *   (offline); unset = download the pinned release files (SHA-256 checked either way).
 * - MINIO_SSE_RELEASE: operator release tag, `v5.0.4` (default) or `v7.1.1`.
 * - CDK8S_OUTDIR: output folder (default `dist`).
 */
import { OperatorCrds, OperatorRelease } from '../../lib';
import { seedDeclaration } from '../seed';
import { synthesize } from './app';

const crdsDir = process.env.MINIO_SSE_CRDS_DIR;

try {
  const release = OperatorRelease.fromTag(process.env.MINIO_SSE_RELEASE ?? 'v5.0.4');
  const files = synthesize({
    declaration: seedDeclaration({ release }),
    outdir: process.env.CDK8S_OUTDIR ?? 'dist',
    crds: crdsDir ? OperatorCrds.fromDirectory(crdsDir) : OperatorCrds.fromRelease(),
  });
  for (const f of files) {
    console.log(`wrote ${f}`);
  }
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
