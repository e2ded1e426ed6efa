import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { sha256Hex } from '../../lib/k8s/crd-download';
import { FIXTURE_FILES, fixtureFileUrl } from './fixtures-download';
import { operatorFixturesDir } from './fixtures';
import { makeTestCa, startFixturesMirror } from './fixtures-mirror';

/**
 * The fixture download that `npm test` does on a clone without ../shared: a child Node (NODE_EXTRA_CA_CERTS is read
 * only at start) runs it against a local HTTPS mirror whose certificate a throw-away CA signed.
 */
const repo = path.resolve(__dirname, '../..');
let work: string;
let caFile: string;
let server: https.Server;
let tamperedServer: https.Server;
let base: string;
let tamperedBase: string;
const served: string[] = [];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'minio-sse-fixtures-dl-'));
  const tls = makeTestCa(work);
  caFile = tls.caFile;
  ({ server, base } = await startFixturesMirror(operatorFixturesDir(), tls, 0, { log: served }));
  ({ server: tamperedServer, base: tamperedBase } = await startFixturesMirror(operatorFixturesDir(), tls, 0, {
    tamper: ['v7.1.1/base/tenant.yaml'],
  }));
});

afterAll(async () => {
  for (const s of [server, tamperedServer]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  fs.rmSync(work, { recursive: true, force: true });
});

/** Run downloadFixtures() in a child Node with XDG_CACHE_HOME=`cache`; prints the folder it wrote. */
function runDownload(
  cache: string,
  baseUrl: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'MINIO_SSE_FIXTURES_DIR']) {
    delete env[k];
  }
  const code = `require('./test/support/fixtures-download').downloadFixtures().then((d) => console.log(d),
    (e) => { console.error(e.message); process.exit(1); });`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-e', code], {
      cwd: repo,
      env: {
        ...env,
        NODE_NO_WARNINGS: '1',
        TS_NODE_PROJECT: path.join(repo, 'tsconfig.json'),
        XDG_CACHE_HOME: cache,
        MINIO_SSE_CRDS_BASE_URL: baseUrl,
        NODE_EXTRA_CA_CERTS: caFile,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Every file under `dir`, relative, sorted. */
function listFiles(dir: string, rel = ''): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]))
    .sort();
}

describe('fixtures download (npm test without ../shared)', () => {
  test('downloads every pinned file over HTTPS trusted via NODE_EXTRA_CA_CERTS into a folder byte-identical to the fixtures', async () => {
    const cache = fs.mkdtempSync(path.join(work, 'cache-'));
    const r = await runDownload(cache, base);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const dir = r.stdout.trim();
    expect(dir.startsWith(path.join(cache, 'minio-sse-azure', 'fixtures') + path.sep)).toBe(true);
    const expected = listFiles(operatorFixturesDir()).filter((f) => f !== 'SOURCES.md');
    expect(expected).toHaveLength(22);
    expect(listFiles(dir)).toEqual(expected);
    for (const f of expected) {
      expect(sha256Hex(fs.readFileSync(path.join(dir, f)))).toBe(
        sha256Hex(fs.readFileSync(path.join(operatorFixturesDir(), f))),
      );
    }
    expect(served).toContain('/v5.0.4/resources/base/crds/minio.min.io_tenants.yaml');
    expect(served).toContain('/v7.1.1/helm/tenant/values.yaml');
    expect(served).toContain('/v7.1.1/examples/kustomization/tenant-kes-encryption/tenant.yaml');
    // Digest-keyed cache shared with the CRD download: one file per distinct digest.
    const digests = new Set(Object.values(FIXTURE_FILES).flatMap((l) => l.map((f) => f.sha256)));
    expect(fs.readdirSync(path.join(cache, 'minio-sse-azure', 'crds')).sort()).toEqual(
      [...digests].map((d) => `${d}.yaml`).sort(),
    );

    // Second run: nothing downloaded.
    served.length = 0;
    const again = await runDownload(cache, base);
    expect(again.status).toBe(0);
    expect(again.stdout.trim()).toBe(dir);
    expect(served).toEqual([]);
  });

  test('fails when the mirror serves a changed file, naming the file and both digests, and writes nothing for it', async () => {
    const cache = fs.mkdtempSync(path.join(work, 'cache-'));
    const r = await runDownload(cache, tamperedBase);
    expect(r.status).toBe(1);
    const pinned = FIXTURE_FILES['v7.1.1'].find((f) => f.file === 'base/tenant.yaml')!.sha256;
    const changed = sha256Hex(
      Buffer.concat([
        fs.readFileSync(path.join(operatorFixturesDir(), 'v7.1.1/base/tenant.yaml')),
        Buffer.from('\n# changed\n'),
      ]),
    );
    expect(r.stderr).toContain(
      `fixture v7.1.1/base/tenant.yaml: operator CRD ${tamperedBase}/v7.1.1/examples/kustomization/base/tenant.yaml`,
    );
    expect(r.stderr).toContain(`has SHA-256 ${changed}, expected ${pinned}`);
    expect(fs.existsSync(path.join(cache, 'minio-sse-azure', 'crds', `${changed}.yaml`))).toBe(false);
    expect(fs.existsSync(path.join(cache, 'minio-sse-azure', 'crds', `${pinned}.yaml`))).toBe(false);
  });

  test('fails when a downloaded file was changed afterwards, naming the file and both digests', async () => {
    const cache = fs.mkdtempSync(path.join(work, 'cache-'));
    const first = await runDownload(cache, base);
    expect(first.status).toBe(0);
    const file = path.join(first.stdout.trim(), 'v5.0.4', 'helm-tenant', 'values.yaml');
    fs.appendFileSync(file, '# edited\n');
    const r = await runDownload(cache, base);
    expect(r.status).toBe(1);
    const pinned = FIXTURE_FILES['v5.0.4'].find((f) => f.file === 'helm-tenant/values.yaml')!.sha256;
    expect(r.stderr).toContain(
      `fixture v5.0.4/helm-tenant/values.yaml at ${JSON.stringify(file)} has SHA-256 ${sha256Hex(fs.readFileSync(file))}, expected ${pinned}`,
    );
  });

  test('fails when the base URL is not an absolute URL, naming it', () => {
    expect(() => fixtureFileUrl('mirror.local', 'v5.0.4', 'helm/tenant/values.yaml')).toThrow(
      'operator CRD baseUrl "mirror.local" is not an absolute URL',
    );
    expect(fixtureFileUrl('https://m.example/x/', 'v5.0.4', 'helm/tenant/values.yaml')).toBe(
      'https://m.example/x/v5.0.4/helm/tenant/values.yaml',
    );
  });
});
