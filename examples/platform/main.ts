/**
 * The platform example as a cdk8s app: `npm run synth:platform` writes dist-platform/ — one operator, three tenants,
 * one file each. Apply `minio-operator.k8s.yaml` first, wait for
 * `kubectl wait --for condition=established crd/tenants.minio.min.io`, then the `tenant-*.k8s.yaml` files (any order).
 *
 * Environment:
 * - MINIO_SSE_CRDS_DIR: folder with `<tag>/minio.min.io_tenants.yaml` and `<tag>/sts.min.io_policybindings.yaml`
 *   (offline); unset = download the pinned release files (SHA-256 checked either way).
 * - MINIO_SSE_RELEASE: operator release tag, `v5.0.4` (default) or `v7.1.1`.
 * - CDK8S_OUTDIR: output folder (default `dist-platform`).
 */
import { OperatorCrds, OperatorRelease } from '../../lib';
import { synthesizePlatform } from './app';
import { platformDeclaration } from './platform';

const crdsDir = process.env.MINIO_SSE_CRDS_DIR;

try {
  const release = OperatorRelease.fromTag(process.env.MINIO_SSE_RELEASE ?? 'v5.0.4');
  const files = synthesizePlatform({
    declaration: platformDeclaration({ release }),
    outdir: process.env.CDK8S_OUTDIR ?? 'dist-platform',
    crds: crdsDir ? OperatorCrds.fromDirectory(crdsDir) : OperatorCrds.fromRelease(),
  });
  for (const f of files) {
    console.log(`wrote ${f}`);
  }
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
