import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';

/**
 * A local HTTPS mirror of a `<tag>/<file>` fixtures folder in the raw.githubusercontent.com layout of the
 * `minio/operator` repository (`/<tag>/<path in the repository>`), for the download tests and by hand:
 * `npx ts-node --transpile-only test/support/fixtures-mirror.ts <fixtures dir> <server.key> <server.pem> [port]`
 * prints the base URL. Path mapping (repository `minio/operator`, at both tags; see the fixtures' SOURCES.md):
 * `resources/base/crds/<f>` → `<f>`, `examples/kustomization/{tenant-kes-encryption,base}/<f>` → same folder,
 * `helm/tenant/values.yaml` → `helm-tenant/values.yaml`.
 */
const ROUTES: ReadonlyArray<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^resources\/base\/crds\/([a-z._]+\.yaml)$/, (m) => m[1]],
  [/^examples\/kustomization\/(tenant-kes-encryption|base)\/([a-z._-]+\.yaml)$/, (m) => `${m[1]}/${m[2]}`],
  [/^helm\/tenant\/values\.yaml$/, () => 'helm-tenant/values.yaml'],
];

/** The fixture file (`<tag>/<file>`) a request path `/<tag>/<repository path>` maps to, if any. */
export function mirroredFile(urlPath: string): string | undefined {
  const m = /^\/(v[0-9.]+)\/(.+)$/.exec(urlPath);
  if (!m) {
    return undefined;
  }
  for (const [re, to] of ROUTES) {
    const r = re.exec(m[2]);
    if (r) {
      return `${m[1]}/${to(r)}`;
    }
  }
  return undefined;
}

/**
 * A throw-away CA (`<dir>/ca.pem`) and a server key and certificate for 127.0.0.1 signed by it, valid 1 day (openssl).
 */
export function makeTestCa(dir: string): { key: Buffer; cert: Buffer; caFile: string } {
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
    '/CN=test CA',
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
  return {
    key: fs.readFileSync(path.join(dir, 'server.key')),
    cert: fs.readFileSync(path.join(dir, 'server.pem')),
    caFile: path.join(dir, 'ca.pem'),
  };
}

/** Options of {@link startFixturesMirror}. */
export interface MirrorOptions {
  /** Fixture files (`<tag>/<file>`) served with changed bytes. */
  readonly tamper?: readonly string[];
  /** Every request path, appended. */
  readonly log?: string[];
}

/** Serve `fixturesDir` over HTTPS on 127.0.0.1 (`port` 0: any); resolves to the server and its base URL. */
export async function startFixturesMirror(
  fixturesDir: string,
  tls: { key: Buffer; cert: Buffer },
  port = 0,
  options: MirrorOptions = {},
): Promise<{ server: https.Server; base: string }> {
  const server = https.createServer(tls, (req, res) => {
    options.log?.push(req.url ?? '');
    const rel = mirroredFile(req.url ?? '');
    const file = rel && path.join(fixturesDir, rel);
    if (!file || !fs.existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    const bytes = fs.readFileSync(file);
    res
      .writeHead(200)
      .end(options.tamper?.includes(rel) ? Buffer.concat([bytes, Buffer.from('\n# changed\n')]) : bytes);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { server, base: `https://127.0.0.1:${actual}` };
}

if (require.main === module) {
  const [dir, key, cert, port] = process.argv.slice(2);
  if (!dir || !key || !cert) {
    console.error('usage: fixtures-mirror.ts <fixtures dir> <server.key> <server.pem> [port]');
    process.exit(2);
  }
  startFixturesMirror(dir, { key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, Number(port ?? 0)).then(
    ({ base }) => console.log(base),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
