import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CRD_BASE_URL, crdFileUrl, defaultCrdCacheDir, fetchCrd, sha256Hex } from '../../lib/k8s/crd-download';

/**
 * The upstream MinIO Operator files the tests read, pinned by SHA-256, and their download into the `<tag>/<file>`
 * layout of `../shared/fixtures/minio-operator` for a clone that has no `../shared` beside it.
 *
 * Upstream: public GitHub repository `minio/operator` at tags `v5.0.4` and `v7.1.1`; `<file>` here is the file at
 * `<upstream>` in the repository (raw URL `https://raw.githubusercontent.com/minio/operator/<tag>/<upstream>`). The
 * files are AGPL-3.0 data: they are downloaded into the cache, never committed.
 */

/** One pinned fixture file. */
export interface FixtureFile {
  /** Path under `<tag>/` in the fixtures folder, e.g. `base/tenant.yaml`. */
  readonly file: string;
  /** Path in the `minio/operator` repository at the tag, e.g. `examples/kustomization/base/tenant.yaml`. */
  readonly upstream: string;
  /** SHA-256 (hex) of the file at the tag. */
  readonly sha256: string;
}

const KES = 'examples/kustomization/tenant-kes-encryption';
const BASE = 'examples/kustomization/base';

function files(d: Record<string, string>): FixtureFile[] {
  const where: Record<string, string> = {
    'minio.min.io_tenants.yaml': 'resources/base/crds/minio.min.io_tenants.yaml',
    'sts.min.io_policybindings.yaml': 'resources/base/crds/sts.min.io_policybindings.yaml',
    'tenant-kes-encryption/kustomization.yaml': `${KES}/kustomization.yaml`,
    'tenant-kes-encryption/tenant.yaml': `${KES}/tenant.yaml`,
    'tenant-kes-encryption/kes-configuration-secret.yaml': `${KES}/kes-configuration-secret.yaml`,
    'base/kustomization.yaml': `${BASE}/kustomization.yaml`,
    'base/namespace.yaml': `${BASE}/namespace.yaml`,
    'base/tenant-config.yaml': `${BASE}/tenant-config.yaml`,
    'base/storage-user.yaml': `${BASE}/storage-user.yaml`,
    'base/tenant.yaml': `${BASE}/tenant.yaml`,
    'helm-tenant/values.yaml': 'helm/tenant/values.yaml',
  };
  return Object.entries(where).map(([file, upstream]) => {
    const sha256 = d[file];
    if (!sha256) {
      throw new Error(`no pinned SHA-256 for fixture ${file}`);
    }
    return { file, upstream, sha256 };
  });
}

/** The pinned files per tag (the set of `../shared/fixtures/minio-operator/<tag>/`). */
export const FIXTURE_FILES: Readonly<Record<string, readonly FixtureFile[]>> = {
  'v5.0.4': files({
    'minio.min.io_tenants.yaml': '858ba86e6d1591e3251772f0b83da16e0ffe777de031d3f427b546054c7c00b6',
    'sts.min.io_policybindings.yaml': '4969f610cbeba4ec4201c47b258a11f7a182b6fa49cf8815784e44fd8e02ad87',
    'tenant-kes-encryption/kustomization.yaml': '5dc5dc3ecf9bfe42520fc2fcbc9d31623e68c9aaee16058812e34d4fa25b7ca6',
    'tenant-kes-encryption/tenant.yaml': 'c28089aa84d1670177daed1c3bed89f6546f369ae065efc6ce068b9d8017a205',
    'tenant-kes-encryption/kes-configuration-secret.yaml':
      'ede6a6487855df8efb0387162171871a74c567a33ebd465881bdc01bc8102d0b',
    'base/kustomization.yaml': '7dac89c5e87445fc06d940e182cfa4cb7806ca62aed08023ab95680dd2154bac',
    'base/namespace.yaml': '51032157da3037e10641e4226f1ed2c1085b7f7c23cb554bcedb0151abcbfa60',
    'base/tenant-config.yaml': '748008977767457fdfaade081d7ae920631c155d4a1a0ad143acc07318e6588d',
    'base/storage-user.yaml': '0b7598eaaee57699ed441f3efc9253b1a6262459448b286422be0932db18dd08',
    'base/tenant.yaml': 'd23c1f8f05875400bb78a35d493ebc8974cf5f5327f456a751a450dff84b665a',
    'helm-tenant/values.yaml': '16fe3b2b6fd94bc9514130f6f6bbe89a465e94e407a68ac39ff11c9aec19608b',
  }),
  'v7.1.1': files({
    'minio.min.io_tenants.yaml': '48385fa45f640f3979fa8013c06fa51361c0a7279ac347b49330c1ae6bd0dbe2',
    'sts.min.io_policybindings.yaml': '78f7afecf9664fbb2ce93c456702ac286dbd2b4d6a0f78a7a35183023693a3d4',
    'tenant-kes-encryption/kustomization.yaml': 'c7b0ce61c78247081f25f06310544ac5365f2e847c82a094fcad8d6439b555a4',
    'tenant-kes-encryption/tenant.yaml': '5af8ff731d4b03f187c9b96e1409caaa983fce6ed530b4913e776eac46f7ee64',
    'tenant-kes-encryption/kes-configuration-secret.yaml':
      'ede6a6487855df8efb0387162171871a74c567a33ebd465881bdc01bc8102d0b',
    'base/kustomization.yaml': 'c41f4cf7b66b02f02e9f9d1939b8eca41bebdcf9b9791429ad75d8768d6cbfc6',
    'base/namespace.yaml': '51032157da3037e10641e4226f1ed2c1085b7f7c23cb554bcedb0151abcbfa60',
    'base/tenant-config.yaml': '748008977767457fdfaade081d7ae920631c155d4a1a0ad143acc07318e6588d',
    'base/storage-user.yaml': '0b7598eaaee57699ed441f3efc9253b1a6262459448b286422be0932db18dd08',
    'base/tenant.yaml': '82e8026604a580e691c217b5eba7fb972c569fbb6842ffda6cde6d5751c43530',
    'helm-tenant/values.yaml': 'e0ad42ab6f2beb067cd8fab217bc5d69e0492e57540f76f1b77af1820756af02',
  }),
};

/**
 * The URL of one fixture file: `<base>/<tag>/<upstream>` (raw.githubusercontent.com layout).
 * @throws Error when `baseUrl` is not an absolute http(s) URL (see `crdFileUrl`)
 */
export function fixtureFileUrl(baseUrl: string, tag: string, upstream: string): string {
  crdFileUrl(baseUrl, tag, path.posix.basename(upstream)); // validates the base; throws naming it
  return `${baseUrl.replace(/\/+$/, '')}/${tag}/${upstream}`;
}

/**
 * The folder the download writes: `<cacheDir>/fixtures/<first 16 hex of the SHA-256 of the pinned table>`, so a
 * change of any pinned file gives a new folder.
 */
export function downloadedFixturesDir(cacheDir: string = defaultCrdCacheDir()): string {
  const table = Object.entries(FIXTURE_FILES)
    .flatMap(([tag, list]) => list.map((f) => `${tag}/${f.file} ${f.sha256}`))
    .join('\n');
  return path.join(cacheDir, 'fixtures', sha256Hex(Buffer.from(table)).slice(0, 16));
}

/** Options of {@link downloadFixtures}. */
export interface DownloadFixturesOptions {
  /** Base replacing `https://raw.githubusercontent.com/minio/operator`. @default MINIO_SSE_CRDS_BASE_URL, else upstream */
  readonly baseUrl?: string;
  /** Digest-keyed cache (`<cacheDir>/crds/<sha256>.yaml`) shared with the CRD download. @default defaultCrdCacheDir() */
  readonly cacheDir?: string;
  /** Folder to write `<tag>/<file>` into. @default downloadedFixturesDir(cacheDir) */
  readonly targetDir?: string;
}

/**
 * Make sure the folder holds every pinned file byte for byte: a file already there is re-checked, a missing one is
 * taken from the digest-keyed cache, else downloaded (HTTPS, proxy and CA settings as `fetchCrd`: `HTTPS_PROXY` /
 * `NO_PROXY`, `NODE_EXTRA_CA_CERTS`), checked against its pin, cached, and written.
 * @returns the folder (`<tag>/<file>` layout)
 * @throws Error naming the fixture file and both digests when a downloaded, cached or already written file differs
 *   from its pin (nothing is written for it), or naming the URL when the download fails
 */
export async function downloadFixtures(options: DownloadFixturesOptions = {}): Promise<string> {
  const cacheDir = options.cacheDir ?? defaultCrdCacheDir();
  const baseUrl = options.baseUrl ?? (process.env.MINIO_SSE_CRDS_BASE_URL || DEFAULT_CRD_BASE_URL);
  const target = options.targetDir ?? downloadedFixturesDir(cacheDir);
  for (const [tag, list] of Object.entries(FIXTURE_FILES)) {
    for (const f of list) {
      const out = path.join(target, tag, f.file);
      if (fs.existsSync(out)) {
        const actual = sha256Hex(fs.readFileSync(out));
        if (actual !== f.sha256) {
          throw new Error(
            `fixture ${tag}/${f.file} at ${JSON.stringify(out)} has SHA-256 ${actual}, expected ${f.sha256}: ` +
              `it was changed after download; delete ${JSON.stringify(target)} to download it again`,
          );
        }
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = await fetchCrd(fixtureFileUrl(baseUrl, tag, f.upstream), f.sha256, { cacheDir });
      } catch (e) {
        throw new Error(`fixture ${tag}/${f.file}: ${e instanceof Error ? e.message : String(e)}`);
      }
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const tmp = `${out}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, bytes);
      fs.renameSync(tmp, out);
    }
  }
  return target;
}

/** Where the tests find the fixtures without downloading: `MINIO_SSE_FIXTURES_DIR`, else `../shared/…` beside the clone. */
export function localFixturesDir(): string | undefined {
  if (process.env.MINIO_SSE_FIXTURES_DIR) {
    return process.env.MINIO_SSE_FIXTURES_DIR;
  }
  const shared = path.resolve(__dirname, '../../../shared/fixtures/minio-operator');
  return fs.existsSync(shared) ? shared : undefined;
}
