import * as fs from 'node:fs';
import * as path from 'node:path';
import { OperatorRelease } from '../../lib/declaration';
import { OperatorCrds } from '../../lib/k8s/operator-crds';

/**
 * The upstream MinIO Operator fixtures (AGPL-3.0 data, never copied into lib/): `../shared/fixtures/minio-operator`
 * beside the repository, or `MINIO_SSE_FIXTURES_DIR`. Fails loudly when missing — no test silently skips.
 */
export function operatorFixturesDir(): string {
  const dir = process.env.MINIO_SSE_FIXTURES_DIR ?? path.resolve(__dirname, '../../../shared/fixtures/minio-operator');
  if (!fs.existsSync(path.join(dir, 'v5.0.4', 'minio.min.io_tenants.yaml'))) {
    throw new Error(
      `MinIO Operator fixtures not found at ${dir}: clone the repository beside ../shared (or set MINIO_SSE_FIXTURES_DIR)`,
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
export function tenantCrdSchema(release: OperatorRelease): Record<string, any> {
  const schema = fixtureCrds().tenantSchema(release);
  if (!schema) {
    throw new Error(`no v2 schema in the ${release.tag} Tenant CRD fixture`);
  }
  return schema;
}
