import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Download and cache of the pinned MinIO Operator CRD files.
 *
 * Files live upstream at `https://raw.githubusercontent.com/minio/operator/<tag>/resources/base/crds/<file>`
 * (public `minio/operator` repository, folder `resources/base/crds` at the release tag). A mirror replaces the base
 * (`<base>/<tag>/resources/base/crds/<file>`). Every file is checked against its pinned SHA-256 before it is used
 * or cached, and a cached file is checked again each time it is read.
 */

/** The upstream base URL that a mirror's base replaces. */
export const DEFAULT_CRD_BASE_URL = 'https://raw.githubusercontent.com/minio/operator';

/** Download timeout per file, in milliseconds. */
const DOWNLOAD_TIMEOUT_MS = 60_000;

/**
 * The CRD cache folder: `$XDG_CACHE_HOME/minio-sse-azure`, else `~/.cache/minio-sse-azure`.
 * Files are stored as `<dir>/crds/<hex SHA-256>.yaml`.
 */
export function defaultCrdCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'minio-sse-azure');
}

/**
 * The URL of one CRD file under a base.
 * @param baseUrl `http(s)://…` base replacing {@link DEFAULT_CRD_BASE_URL}; trailing slashes are ignored
 * @throws Error when `baseUrl` is not an absolute http or https URL (message names it)
 */
export function crdFileUrl(baseUrl: string, tag: string, file: string): string {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new Error(
      `operator CRD baseUrl ${JSON.stringify(baseUrl)} is not an absolute URL (expected e.g. ${DEFAULT_CRD_BASE_URL})`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(
      `operator CRD baseUrl ${JSON.stringify(baseUrl)} must use https:// or http:// (got ${parsed.protocol})`,
    );
  }
  return `${baseUrl.replace(/\/+$/, '')}/${tag}/resources/base/crds/${file}`;
}

/** SHA-256 (hex) of some bytes. */
export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function cachePath(cacheDir: string, sha256: string): string {
  return path.join(cacheDir, 'crds', `${sha256}.yaml`);
}

/**
 * A cached file by digest, re-checked against it.
 * @returns the bytes, or `undefined` when the cache has no file for `sha256`
 * @throws Error when the cached file's SHA-256 differs (message names the file, the expected and the actual digest)
 */
export function readCachedCrd(cacheDir: string, sha256: string): Buffer | undefined {
  const file = cachePath(cacheDir, sha256);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e: any) {
    if (e?.code === 'ENOENT') {
      return undefined;
    }
    throw new Error(`could not read cached operator CRD ${JSON.stringify(file)}: ${e?.message}`);
  }
  const actual = sha256Hex(bytes);
  if (actual !== sha256) {
    throw new Error(
      `cached operator CRD ${JSON.stringify(file)} has SHA-256 ${actual}, expected ${sha256}: the cache was changed after download; delete the file to download it again`,
    );
  }
  return bytes;
}

/** Store verified bytes under their digest (written to a temporary file, then renamed into place). */
function writeCachedCrd(cacheDir: string, sha256: string, bytes: Buffer): void {
  const file = cachePath(cacheDir, sha256);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
}

/** Options of {@link fetchCrd}. */
export interface FetchCrdOptions {
  /** Cache folder. @default defaultCrdCacheDir() */
  readonly cacheDir?: string;
}

/**
 * Get one pinned CRD file: from the cache when it holds `expectedSha256` (no network), else by HTTPS GET of `url`
 * (redirects followed), checked against `expectedSha256`, then cached.
 *
 * Network: `HTTPS_PROXY`/`HTTP_PROXY` (and lower-case forms) with `NO_PROXY` are honoured through undici's
 * `EnvHttpProxyAgent`; extra trusted CAs come from `NODE_EXTRA_CA_CERTS` (read by Node at process start).
 * Timeout 60 s per file.
 * @throws Error when the server answers other than 200 (message names the URL and the HTTP status), the request
 *   fails (message names the URL and the cause), the bytes' SHA-256 differs (names the URL, expected and actual
 *   digest; nothing is cached), or a cached file was altered (see {@link readCachedCrd})
 */
export async function fetchCrd(url: string, expectedSha256: string, options: FetchCrdOptions = {}): Promise<Buffer> {
  const cacheDir = options.cacheDir ?? defaultCrdCacheDir();
  const cached = readCachedCrd(cacheDir, expectedSha256);
  if (cached) {
    return cached;
  }
  // Loaded on demand: only a download pays for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only a download pays for loading undici
  const undici = require('undici') as typeof import('undici');
  const init: Record<string, unknown> = { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS), redirect: 'follow' };
  if (PROXY_VARS.some((v) => process.env[v])) {
    init.dispatcher = new undici.EnvHttpProxyAgent();
  }
  let bytes: Buffer;
  try {
    const res = await undici.fetch(url, init as any);
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new HttpStatusError(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    }
    bytes = Buffer.from(await res.arrayBuffer());
  } catch (e: any) {
    const detail = e instanceof HttpStatusError ? e.message : describeNetworkError(e);
    throw new Error(
      `could not download operator CRD ${url}: ${detail}. Offline or behind a firewall? Use a local copy of the ` +
        `release's resources/base/crds (OperatorCrds.fromDirectory(dir) in your app, or MINIO_SSE_CRDS_DIR for ` +
        `npm run synth), a mirror laid out as <base>/<tag>/resources/base/crds/<file> (fromRelease({ baseUrl }) or ` +
        `MINIO_SSE_CRDS_BASE_URL), HTTPS_PROXY for a proxy, or NODE_EXTRA_CA_CERTS for a private CA`,
    );
  }
  const actual = sha256Hex(bytes);
  if (actual !== expectedSha256) {
    throw new Error(
      `operator CRD ${url} has SHA-256 ${actual}, expected ${expectedSha256} (the pinned upstream file for this release); refused, nothing cached`,
    );
  }
  writeCachedCrd(cacheDir, expectedSha256, bytes);
  return bytes;
}

/**
 * {@link fetchCrd} for synchronous callers (cdk8s constructs are synchronous): a cache hit is read in-process; a
 * miss runs `fetchCrd` in a child Node process (same environment, so the same proxy and CA settings), which fills
 * the cache, then reads the cache. Same errors as {@link fetchCrd}.
 */
export function fetchCrdSync(url: string, expectedSha256: string, options: FetchCrdOptions = {}): Buffer {
  const cacheDir = options.cacheDir ?? defaultCrdCacheDir();
  const cached = readCachedCrd(cacheDir, expectedSha256);
  if (cached) {
    return cached;
  }
  // Run this very module in the child; from TypeScript sources (ts-node, ts-jest) register ts-node first.
  const preload = __filename.endsWith('.ts') ? ['-r', resolveOr('ts-node/register/transpile-only')] : [];
  const script =
    `require(${JSON.stringify(__filename)}).fetchCrd(process.argv[1], process.argv[2], { cacheDir: process.argv[3] })` +
    `.then(() => {}, (e) => { process.stderr.write(String(e && e.message)); process.exit(1); });`;
  try {
    execFileSync(process.execPath, [...preload, '-e', script, url, expectedSha256, cacheDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: DOWNLOAD_TIMEOUT_MS * 2,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
  } catch (e: any) {
    const detail = e?.stderr?.toString().trim();
    throw new Error(detail || `could not download operator CRD ${url}: ${e?.message}`);
  }
  const bytes = readCachedCrd(cacheDir, expectedSha256);
  if (!bytes) {
    throw new Error(`could not download operator CRD ${url}: the download process wrote nothing to ${cacheDir}`);
  }
  return bytes;
}

/** Absolute path of a module when resolvable from here (the child may start elsewhere), else the bare name. */
function resolveOr(id: string): string {
  try {
    return require.resolve(id);
  } catch {
    return id;
  }
}

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

class HttpStatusError extends Error {}

function describeNetworkError(e: any): string {
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return `no answer within ${DOWNLOAD_TIMEOUT_MS / 1000} s`;
  }
  const cause = e?.cause;
  if (cause) {
    const code = cause.code && !String(cause.message).includes(cause.code) ? ` (${cause.code})` : '';
    return `${cause.message}${code}`;
  }
  return String(e?.message ?? e);
}
