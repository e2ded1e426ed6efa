/**
 * The seed scenario as a cdk8s app: `npm run synth` (or `cdk8s synth`, see cdk8s.yaml) writes the manifests to
 * dist/ — apply `0000-minio-operator.k8s.yaml` first, wait for the CRDs, then `0001-minio-tenant-1.k8s.yaml`.
 *
 * Environment:
 * - MINIO_SSE_CRDS_DIR: folder with `<tag>/minio.min.io_tenants.yaml` and `<tag>/sts.min.io_policybindings.yaml`.
 *   Unset: `../shared/fixtures/minio-operator` when that folder exists, else download. Set empty: download.
 *   SHA-256 checked either way.
 * - MINIO_SSE_CRDS_BASE_URL: mirror replacing `https://raw.githubusercontent.com/minio/operator` for the download
 *   (`<base>/<tag>/resources/base/crds/<file>`); HTTPS_PROXY/NO_PROXY and NODE_EXTRA_CA_CERTS are honoured, and
 *   downloads are cached by digest under `$XDG_CACHE_HOME/minio-sse-azure` (default `~/.cache/minio-sse-azure`).
 * - MINIO_SSE_RELEASE: operator release tag, `v5.0.4` (default) or `v7.1.1`.
 * - CDK8S_OUTDIR: output folder (default `dist`).
 *
 * The download (when needed) runs in-process before the charts are built (`await crds.prefetch(release)`), because
 * cdk8s synthesis is synchronous.
 */
import { OperatorRelease, synthesize } from '../../lib';
import { exampleCrdSource } from '../crd-source';
import { seedDeclaration } from '../seed';

async function main(): Promise<void> {
  const release = OperatorRelease.fromTag(process.env.MINIO_SSE_RELEASE ?? 'v5.0.4');
  const { crds, from } = exampleCrdSource();
  console.log(`operator ${release.tag} CRDs from ${from}`);
  await crds.prefetch(release);
  const files = synthesize({
    declaration: seedDeclaration({ release }),
    outdir: process.env.CDK8S_OUTDIR ?? 'dist',
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
