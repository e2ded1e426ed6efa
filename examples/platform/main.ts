/**
 * The platform example as a cdk8s app: `npm run synth:platform` writes dist-platform/ — one operator, three tenants,
 * one file each (`minio-operator.k8s.yaml`, `tenant-<name>.k8s.yaml`). Apply the operator file first, wait for
 * `kubectl wait --for condition=established crd/tenants.minio.min.io`, then the `tenant-*.k8s.yaml` files (any order).
 *
 * Environment (as for `npm run synth`):
 * - MINIO_SSE_CRDS_DIR: folder with `<tag>/minio.min.io_tenants.yaml` and `<tag>/sts.min.io_policybindings.yaml`.
 *   Unset: `../shared/fixtures/minio-operator` when that folder exists, else download. Set empty: download.
 *   SHA-256 checked either way.
 * - MINIO_SSE_RELEASE: operator release tag, `v5.0.4` (default) or `v7.1.1`.
 * - CDK8S_OUTDIR: output folder (default `dist-platform`).
 */
import { OperatorRelease, synthesizePlatform } from '../../lib';
import { exampleCrdSource } from '../crd-source';
import { platformDeclaration } from './platform';

async function main(): Promise<void> {
  const release = OperatorRelease.fromTag(process.env.MINIO_SSE_RELEASE ?? 'v5.0.4');
  const { crds, from } = exampleCrdSource();
  console.log(`operator ${release.tag} CRDs from ${from}`);
  await crds.prefetch(release);
  const files = synthesizePlatform({
    declaration: platformDeclaration({ release }),
    outdir: process.env.CDK8S_OUTDIR ?? 'dist-platform',
    crds,
  });
  for (const f of files) {
    console.log(`wrote ${f}`);
  }
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exitCode = 1;
});
