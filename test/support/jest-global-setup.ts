import { downloadFixtures, localFixturesDir } from './fixtures-download';

/**
 * Jest `globalSetup`: when neither `MINIO_SSE_FIXTURES_DIR` nor `../shared/fixtures/minio-operator` is there, download
 * the pinned upstream fixtures once, before any suite runs (see `fixtures-download.ts`); `fixtures.ts` then reads them.
 */
export default async function globalSetup(): Promise<void> {
  if (localFixturesDir() === undefined) {
    await downloadFixtures();
  }
}
