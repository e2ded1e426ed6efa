/**
 * Where the examples' `npm run synth` / `npm run synth:platform` read the operator CRDs from:
 * - `MINIO_SSE_CRDS_DIR` when set and non-empty (a folder of `<tag>/<file>` or the two files directly);
 * - else `../shared/fixtures/minio-operator` when that folder exists (a clone beside the project's shared folder)
 *   and `MINIO_SSE_CRDS_DIR` is not set to the empty string;
 * - else the pinned download (`OperatorCrds.fromRelease()`: `MINIO_SSE_CRDS_BASE_URL` mirror, proxy, digest cache).
 * SHA-256 is checked in every case.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OperatorCrds } from '../lib';

/** Shared fixtures beside the clone, as the README's first command expects when they exist. */
const SHARED_CRDS_DIR = '../shared/fixtures/minio-operator';

/** The CRD source and a line saying where it reads from (for the example's log). */
export function exampleCrdSource(): { crds: OperatorCrds; from: string } {
  const dir = process.env.MINIO_SSE_CRDS_DIR;
  if (dir) {
    return { crds: OperatorCrds.fromDirectory(dir), from: dir };
  }
  if (dir === undefined && fs.existsSync(path.resolve(SHARED_CRDS_DIR))) {
    return { crds: OperatorCrds.fromDirectory(SHARED_CRDS_DIR), from: SHARED_CRDS_DIR };
  }
  const crds = OperatorCrds.fromRelease();
  return { crds, from: `the digest cache, else a download from ${crds.baseUrl}` };
}
