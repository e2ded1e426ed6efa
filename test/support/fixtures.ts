import * as fs from 'node:fs';
import * as path from 'node:path';
import { OperatorRelease } from '../../lib/declaration';
import { OperatorCrds } from '../../lib/k8s/operator-crds';
import { downloadedFixturesDir, localFixturesDir } from './fixtures-download';

/**
 * The upstream MinIO Operator fixtures (AGPL-3.0 data, never copied into lib/), `<tag>/<file>` layout:
 * `MINIO_SSE_FIXTURES_DIR`, else `../shared/fixtures/minio-operator` beside the repository, else the pinned files
 * that jest's globalSetup downloaded into the cache (`test/support/fixtures-download.ts`). Fails loudly when none is
 * there — no test silently skips.
 */
export function operatorFixturesDir(): string {
  const dir = localFixturesDir() ?? downloadedFixturesDir();
  if (!fs.existsSync(path.join(dir, 'v5.0.4', 'minio.min.io_tenants.yaml'))) {
    throw new Error(
      `MinIO Operator fixtures not found at ${dir}: run the tests with jest (its globalSetup downloads them), set ` +
        `MINIO_SSE_FIXTURES_DIR, or clone the repository beside ../shared`,
    );
  }
  return dir;
}

/** CRD source reading the fixtures (digests verified). */
export function fixtureCrds(): OperatorCrds {
  cached ??= OperatorCrds.fromDirectory(operatorFixturesDir());
  return cached;
}
let cached: OperatorCrds | undefined;

/** The Tenant CRD `openAPIV3Schema` (v2) of a release, from the fixtures. */
export function tenantCrdSchema(release: OperatorRelease): Record<string, unknown> {
  const schema = fixtureCrds().tenantSchema(release);
  if (!schema) {
    throw new Error(`no v2 schema in the ${release.tag} Tenant CRD fixture`);
  }
  return schema;
}
