import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import { OperatorRelease } from '../../lib/declaration';
import { CRD_FILES, OperatorCrds } from '../../lib/k8s/operator-crds';
import { crdFileUrl, defaultCrdCacheDir, sha256Hex } from '../../lib/k8s/crd-download';
import { operatorFixturesDir } from '../support/fixtures';

/**
 * The download path of `OperatorCrds.fromRelease()` against a local HTTPS mirror whose certificate is signed by a
 * throw-away CA (made with openssl here), reached directly or through a local CONNECT proxy. Downloads run in child
 * Node processes, because Node reads NODE_EXTRA_CA_CERTS only at start, as a user's `npm run synth` does.
 */
const release = OperatorRelease.V5_0_4;
const repo = path.resolve(__dirname, '../..');
let work: string;
let caFile: string;
let server: https.Server;
let base: string;
const served: string[] = [];
let proxy: http.Server;
let proxyUrl: string;
const connects: string[] = [];

function makeCa(dir: string): { key: Buffer; cert: Buffer } {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=minio-sse-azure test CA',
  );
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '1',
    '-extfile',
    'ext.cnf',
  );
  return { key: fs.readFileSync(path.join(dir, 'server.key')), cert: fs.readFileSync(path.join(dir, 'server.pem')) };
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'minio-sse-crd-dl-'));
  const tls = makeCa(work);
  caFile = path.join(work, 'ca.pem');
  const fixtures = operatorFixturesDir();
  server = https.createServer(tls, (req, res) => {
    served.push(req.url ?? '');
    const m = /^\/(mirror|tampered)\/(v[0-9.]+)\/resources\/base\/crds\/([a-z._]+\.yaml)$/.exec(req.url ?? '');
    const file = m && path.join(fixtures, m[2], m[3]);
    if (!m || !fs.existsSync(file!)) {
      res.writeHead(404).end('not found');
      return;
    }
    const bytes = fs.readFileSync(file!);
    res.writeHead(200).end(m[1] === 'tampered' ? Buffer.concat([bytes, Buffer.from('\n# changed\n')]) : bytes);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client, head) => {
    connects.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  proxy.closeAllConnections?.();
  await new Promise((r) => server.close(r));
  await new Promise((r) => proxy.close(r));
  fs.rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  served.length = 0;
  connects.length = 0;
});

/** Run `code` in a child Node (TypeScript via ts-node) with a clean network environment plus `env`. */
function runChild(
  code: string,
  env: Record<string, string>,
  args: string[] = ['-e'],
  cwd = repo,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const k of [
    'HTTPS_PROXY',
    'https_proxy',
    'HTTP_PROXY',
    'http_proxy',
    'NO_PROXY',
    'no_proxy',
    'NODE_EXTRA_CA_CERTS',
    'MINIO_SSE_CRDS_BASE_URL',
  ]) {
    delete clean[k];
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), ...args, code], {
      cwd,
      env: { ...clean, NODE_NO_WARNINGS: '1', TS_NODE_PROJECT: path.join(repo, 'tsconfig.json'), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Child script: load the v5.0.4 CRDs from `fromRelease()` (prefetch in-process, or the synchronous load) and print the digests. */
function loadScript(mode: 'prefetch' | 'sync'): string {
  return `
    const { OperatorCrds } = require('./lib/k8s/operator-crds');
    const { OperatorRelease } = require('./lib/declaration');
    const crds = OperatorCrds.fromRelease({ cacheDir: process.env.TEST_CACHE });
    (async () => {
      ${mode === 'prefetch' ? 'await crds.prefetch(OperatorRelease.V5_0_4);' : ''}
      console.log(crds.load(OperatorRelease.V5_0_4).map((f) => f.sha256 + ' ' + f.source).join('\\n'));
    })().catch((e) => { console.error(e.message); process.exit(1); });`;
}

function newCache(): string {
  return fs.mkdtempSync(path.join(work, 'cache-'));
}

describe('OperatorCrds.fromRelease() download', () => {
  test('downloads from a mirror over HTTPS trusted through NODE_EXTRA_CA_CERTS, checks and caches by digest', async () => {
    const cache = newCache();
    const r = await runChild(loadScript('prefetch'), {
      MINIO_SSE_CRDS_BASE_URL: `${base}/mirror`,
      NODE_EXTRA_CA_CERTS: caFile,
      TEST_CACHE: cache,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      `${release.tenantsCrdSha256} ${base}/mirror/v5.0.4/resources/base/crds/${CRD_FILES.tenants}`,
    );
    expect(r.stdout).toContain(release.policyBindingsCrdSha256);
    expect(served).toEqual([
      `/mirror/v5.0.4/resources/base/crds/${CRD_FILES.tenants}`,
      `/mirror/v5.0.4/resources/base/crds/${CRD_FILES.policyBindings}`,
    ]);
    expect(fs.readdirSync(path.join(cache, 'crds')).sort()).toEqual(
      [`${release.policyBindingsCrdSha256}.yaml`, `${release.tenantsCrdSha256}.yaml`].sort(),
    );
    const cached = fs.readFileSync(path.join(cache, 'crds', `${release.tenantsCrdSha256}.yaml`));
    expect(sha256Hex(cached)).toBe(release.tenantsCrdSha256);
  });

  test('the synchronous load downloads in a child process when the cache is empty', async () => {
    const cache = newCache();
    const r = await runChild(loadScript('sync'), {
      MINIO_SSE_CRDS_BASE_URL: `${base}/mirror/`,
      NODE_EXTRA_CA_CERTS: caFile,
      TEST_CACHE: cache,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(release.tenantsCrdSha256);
    expect(served).toHaveLength(2);
    expect(fs.existsSync(path.join(cache, 'crds', `${release.tenantsCrdSha256}.yaml`))).toBe(true);
  });

  test('goes through HTTPS_PROXY (CONNECT), and around it for a NO_PROXY host', async () => {
    const viaProxy = await runChild(loadScript('prefetch'), {
      MINIO_SSE_CRDS_BASE_URL: `${base}/mirror`,
      NODE_EXTRA_CA_CERTS: caFile,
      TEST_CACHE: newCache(),
      HTTPS_PROXY: proxyUrl,
    });
    expect(viaProxy.stderr).toBe('');
    expect(viaProxy.status).toBe(0);
    const port = new URL(base).port;
    expect(connects.length).toBeGreaterThanOrEqual(1);
    expect(new Set(connects)).toEqual(new Set([`127.0.0.1:${port}`]));
    expect(served).toHaveLength(2);

    connects.length = 0;
    const bypass = await runChild(loadScript('prefetch'), {
      MINIO_SSE_CRDS_BASE_URL: `${base}/mirror`,
      NODE_EXTRA_CA_CERTS: caFile,
      TEST_CACHE: newCache(),
      HTTPS_PROXY: proxyUrl,
      NO_PROXY: '127.0.0.1',
    });
    expect(bypass.status).toBe(0);
    expect(connects).toEqual([]);
  });

  test('fails when the mirror serves a tampered file, naming the expected digest, and caches nothing', async () => {
    const cache = newCache();
    const r = await runChild(loadScript('prefetch'), {
      MINIO_SSE_CRDS_BASE_URL: `${base}/tampered`,
      NODE_EXTRA_CA_CERTS: caFile,
      TEST_CACHE: cache,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `operator CRD ${base}/tampered/v5.0.4/resources/base/crds/${CRD_FILES.tenants} has SHA-256 `,
    );
    expect(r.stderr).toContain(
      `expected ${release.tenantsCrdSha256} (the pinned upstream file for this release); refused, nothing cached`,
    );
    expect(fs.existsSync(path.join(cache, 'crds', `${release.tenantsCrdSha256}.yaml`))).toBe(false);
  });

  test('fails when the mirror answers 404, naming the URL, the status and the expected layout', async () => {
    const r = await runChild(loadScript('sync'), {
      MINIO_SSE_CRDS_BASE_URL: `${base}/nowhere`,
      NODE_EXTRA_CA_CERTS: caFile,
      TEST_CACHE: newCache(),
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `could not download operator CRD ${base}/nowhere/v5.0.4/resources/base/crds/${CRD_FILES.tenants}: HTTP 404 Not Found`,
    );
    expect(r.stderr).toContain('<base>/<tag>/resources/base/crds/<file>');
  });

  test('fails when the server certificate is not trusted (no NODE_EXTRA_CA_CERTS), naming the TLS cause', async () => {
    const r = await runChild(loadScript('prefetch'), {
      MINIO_SSE_CRDS_BASE_URL: `${base}/mirror`,
      TEST_CACHE: newCache(),
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /could not download operator CRD https:\/\/127\.0\.0\.1:\d+\/mirror\/v5\.0\.4\/resources\/base\/crds\/minio\.min\.io_tenants\.yaml: .*certificate/,
    );
    expect(served).toEqual([]);
  });
});

describe('OperatorCrds.fromRelease() cache', () => {
  function fillCache(): string {
    const cache = newCache();
    fs.mkdirSync(path.join(cache, 'crds'));
    for (const [file, sha] of [
      [CRD_FILES.tenants, release.tenantsCrdSha256],
      [CRD_FILES.policyBindings, release.policyBindingsCrdSha256],
    ]) {
      fs.copyFileSync(path.join(operatorFixturesDir(), release.tag, file), path.join(cache, 'crds', `${sha}.yaml`));
    }
    return cache;
  }

  test('a cache hit needs no network (the base points at a closed port)', () => {
    const crds = OperatorCrds.fromRelease({ baseUrl: 'https://127.0.0.1:1', cacheDir: fillCache() });
    const files = crds.load(release);
    expect(files.map((f) => f.sha256)).toEqual([release.tenantsCrdSha256, release.policyBindingsCrdSha256]);
    expect(files[0].source).toBe(`https://127.0.0.1:1/v5.0.4/resources/base/crds/${CRD_FILES.tenants}`);
    expect(served).toEqual([]);
  });

  test('prefetch on a cache hit needs no network either', async () => {
    await expect(
      OperatorCrds.fromRelease({ baseUrl: 'https://127.0.0.1:1', cacheDir: fillCache() }).prefetch(release),
    ).resolves.toBeUndefined();
  });

  test('fails when a cached file was changed, naming the file and both digests', () => {
    const cache = fillCache();
    const file = path.join(cache, 'crds', `${release.tenantsCrdSha256}.yaml`);
    fs.appendFileSync(file, '\n# changed in the cache\n');
    const actual = sha256Hex(fs.readFileSync(file));
    expect(() => OperatorCrds.fromRelease({ baseUrl: 'https://127.0.0.1:1', cacheDir: cache }).load(release)).toThrow(
      `cached operator CRD ${JSON.stringify(file)} has SHA-256 ${actual}, expected ${release.tenantsCrdSha256}: the cache was changed after download; delete the file to download it again`,
    );
  });

  test('the cache folder is $XDG_CACHE_HOME/minio-sse-azure, else ~/.cache/minio-sse-azure', () => {
    expect(defaultCrdCacheDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/minio-sse-azure');
    expect(defaultCrdCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'minio-sse-azure'));
    expect(defaultCrdCacheDir({ XDG_CACHE_HOME: 'relative' })).toBe(
      path.join(os.homedir(), '.cache', 'minio-sse-azure'),
    );
  });

  test('the mirror layout replaces the GitHub base', () => {
    expect(crdFileUrl('https://mirror.example/minio/operator/', 'v7.1.1', CRD_FILES.tenants)).toBe(
      'https://mirror.example/minio/operator/v7.1.1/resources/base/crds/minio.min.io_tenants.yaml',
    );
    expect(OperatorCrds.fromRelease().baseUrl).toBe(
      process.env.MINIO_SSE_CRDS_BASE_URL || 'https://raw.githubusercontent.com/minio/operator',
    );
  });

  test('fails when baseUrl is not an http(s) URL, naming it', () => {
    expect(() => OperatorCrds.fromRelease({ baseUrl: 'mirror.example/operator' })).toThrow(
      'operator CRD baseUrl "mirror.example/operator" is not an absolute URL (expected e.g. https://raw.githubusercontent.com/minio/operator)',
    );
    expect(() => OperatorCrds.fromRelease({ baseUrl: 'ftp://mirror.example' })).toThrow(
      'operator CRD baseUrl "ftp://mirror.example" must use https:// or http:// (got ftp:)',
    );
  });
});

describe('the example (npm run synth) on a clone without ../shared', () => {
  const main = path.join(repo, 'examples', 'cdk8s', 'main.ts');

  test('downloads from MINIO_SSE_CRDS_BASE_URL (CA via NODE_EXTRA_CA_CERTS), synthesizes, then synthesizes offline from the cache', async () => {
    const clone = path.join(fs.mkdtempSync(path.join(work, 'fresh-')), 'clone');
    fs.mkdirSync(clone);
    const env = {
      MINIO_SSE_CRDS_BASE_URL: `${base}/mirror`,
      NODE_EXTRA_CA_CERTS: caFile,
      XDG_CACHE_HOME: path.join(clone, '.cache'),
      CDK8S_OUTDIR: 'dist',
    };
    const first = await runChild(main, env, [], clone);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`operator v5.0.4 CRDs from the digest cache, else a download from ${base}/mirror`);
    expect(first.stdout).toContain('wrote dist/0001-minio-tenant-1.k8s.yaml');
    expect(fs.readFileSync(path.join(clone, 'dist', '0000-minio-operator.k8s.yaml'), 'utf8')).toContain(
      'name: tenants.minio.min.io',
    );
    expect(served).toHaveLength(2);

    served.length = 0;
    const offline = await runChild(main, { ...env, MINIO_SSE_CRDS_BASE_URL: 'https://127.0.0.1:1' }, [], clone);
    expect(offline.stderr).toBe('');
    expect(offline.status).toBe(0);
    expect(served).toEqual([]);
  });

  test('fails when nothing can be reached, naming the URL and what to set', async () => {
    const clone = path.join(fs.mkdtempSync(path.join(work, 'fresh-')), 'clone');
    fs.mkdirSync(clone);
    const r = await runChild(
      main,
      { MINIO_SSE_CRDS_BASE_URL: 'https://127.0.0.1:1', XDG_CACHE_HOME: path.join(clone, '.cache') },
      [],
      clone,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'could not download operator CRD https://127.0.0.1:1/v5.0.4/resources/base/crds/minio.min.io_tenants.yaml: ',
    );
    expect(r.stderr).toContain('OperatorCrds.fromDirectory(dir) in your app, or MINIO_SSE_CRDS_DIR for npm run synth');
    expect(fs.existsSync(path.join(clone, 'dist'))).toBe(false);
  });

  test('reads ../shared/fixtures/minio-operator when it exists beside the clone, with no network', async () => {
    const top = fs.mkdtempSync(path.join(work, 'beside-'));
    fs.mkdirSync(path.join(top, 'shared', 'fixtures'), { recursive: true });
    fs.symlinkSync(operatorFixturesDir(), path.join(top, 'shared', 'fixtures', 'minio-operator'));
    const clone = path.join(top, 'clone');
    fs.mkdirSync(clone);
    const r = await runChild(
      main,
      {
        MINIO_SSE_CRDS_BASE_URL: 'https://127.0.0.1:1',
        XDG_CACHE_HOME: path.join(clone, '.cache'),
        MINIO_SSE_RELEASE: 'v7.1.1',
      },
      [],
      clone,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('operator v7.1.1 CRDs from ../shared/fixtures/minio-operator');
    expect(fs.readdirSync(path.join(clone, 'dist'))).toContain('0001-minio-tenant-1.k8s.yaml');
  });
});
