import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CA_PEM,
  CANARY_PASSWORD,
  CANARY_USER,
  defaultConfigEnv,
  MINIO_URL,
  runScript,
  RunResult,
  SCRIPT,
  shells,
} from '../support/bucket-encryption-harness';

/** The mc calls of one bucket, in order, for the happy path. */
function bucketCalls(bucket: string, key: string): string[] {
  const probe = `tenant/${bucket}/minio-sse-azure-probe-minio-tenant-1-sse-0123456789-abcde`;
  return [
    `mb --ignore-existing tenant/${bucket}`,
    `encrypt set sse-kms ${key} tenant/${bucket}`,
    `encrypt info --json tenant/${bucket}`,
    `pipe ${probe}`,
    `stat --json ${probe}`,
    `rm ${probe}`,
  ];
}

function keyCalls(key: string): string[] {
  return [`admin kms key create tenant ${key}`, `admin kms key status --json tenant ${key}`];
}

function expectNoCredentialLeak(r: RunResult): void {
  for (const secret of [CANARY_USER, CANARY_PASSWORD]) {
    expect(r.calls.join('\n')).not.toContain(secret);
    expect(r.stdout).not.toContain(secret);
    expect(r.stderr).not.toContain(secret);
  }
  // The distinctive parts of the password must not show up either (e.g. a partially printed value).
  expect(r.output).not.toContain('w/rd%25');
}

const READY_ON_THIRD = { FAKE_MC_NOT_READY: '2' };

describe.each(shells())('bucket-encryption.sh under $name', (shell) => {
  test('happy path: waits for MinIO (not ready twice), then KMS, creates EKs, configures and proves every bucket', () => {
    const r = runScript({ shell, fake: READY_ON_THIRD });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([
      'admin info --json tenant',
      'admin info --json tenant',
      'admin info --json tenant',
      'admin kms key status --json tenant default-key',
      ...keyCalls('default-key'),
      ...keyCalls('logs-key'),
      ...keyCalls('data-key'),
      ...bucketCalls('logs', 'logs-key'),
      ...bucketCalls('data', 'data-key'),
      ...bucketCalls('archive', 'logs-key'),
    ]);
    const lines = r.stdout.split('\n');
    expect(lines).toContain(`waiting for MinIO at ${MINIO_URL} (attempt 1/5): Unable to get service status. Get "https://minio.example.svc:443/minio/admin/v3/info": dial tcp 10.0.0.1:443: connect: connection refused`);
    expect(lines).toContain(`waiting for MinIO at ${MINIO_URL} (attempt 2/5): Server not initialized yet, please try again.`);
    expect(lines).toContain(`MinIO at ${MINIO_URL} is ready (attempt 3/5)`);
    expect(lines).toContain('KMS (default EK default-key through KES) is ready (attempt 1/5)');
    expect(lines.filter((l) => l.startsWith('['))).toEqual([
      '[1/6] key default-key: already exists, encrypts and decrypts ... ok',
      '[2/6] key logs-key: created, encrypts and decrypts ... ok',
      '[3/6] key data-key: created, encrypts and decrypts ... ok',
      '[4/6] bucket logs: sse-kms key logs-key ... ok',
      '[5/6] bucket data: sse-kms key data-key ... ok',
      '[6/6] bucket archive: sse-kms key logs-key ... ok',
    ]);
    expect(lines).toContain('summary: tenant minio-tenant-1: 3/3 EK(s) ok, 3/3 bucket(s) ok, 0 failed');
    expect(r.stdout).toContain('bug-log B12');
    // the probe object carried data through stdin
    expect(fs.readFileSync(path.join(r.stateDir, 'pipe-logs'), 'utf8')).toBe('minio-sse-azure encryption probe\n');
  });

  test('credentials reach mc only through its config file, exactly, and never argv, env or output', () => {
    const r = runScript({ shell });
    expect(r.status).toBe(0);
    expect(r.seenConfig).toEqual({
      version: '10',
      aliases: {
        tenant: { url: MINIO_URL, accessKey: CANARY_USER, secretKey: CANARY_PASSWORD, api: 'S3v4', path: 'auto' },
      },
    });
    expect(r.checks.length).toBe(r.calls.length);
    for (const c of r.checks) {
      expect(c).toMatch(/ config=yes ca=yes mc_host_vars=0$/);
    }
    expectNoCredentialLeak(r);
    // emptied on exit
    expect(fs.readFileSync(path.join(r.mcConfigDir, 'config.json'), 'utf8')).toBe('');
    // config.json and the CA dir are private to the pod user
    expect(fs.statSync(path.join(r.mcConfigDir, 'config.json')).mode & 0o077).toBe(0);
  });

  test('trusts the mounted CA (copied into MC_CONFIG_DIR/certs/CAs) and never passes --insecure by default', () => {
    const r = runScript({ shell });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(r.mcConfigDir, 'certs', 'CAs', 'minio-sse-azure-ca.crt'), 'utf8')).toBe(CA_PEM);
    expect(r.calls.some((c) => c.includes('--insecure'))).toBe(false);
  });

  test('passes --insecure on every call only when opted in, and then needs no CA', () => {
    const r = runScript({ shell, env: { SSE_INSECURE: 'true' }, ca: false });
    expect(r.status).toBe(0);
    expect(r.calls.length).toBeGreaterThan(0);
    for (const c of r.calls) {
      expect(c.split(' ')).toContain('--insecure');
    }
    expect(r.stdout).toContain('warning: TLS verification of https://minio.minio-tenant-1.svc.cluster.local:443 is OFF');
  });

  test('fails when readiness is exhausted: exactly N tries, exit 2, nothing else attempted', () => {
    const r = runScript({ shell, env: { SSE_READINESS_ATTEMPTS: '3' }, fake: { FAKE_MC_NOT_READY: '100' } });
    expect(r.status).toBe(2);
    expect(r.calls).toEqual(['admin info --json tenant', 'admin info --json tenant', 'admin info --json tenant']);
    expect(r.stdout).toContain('(attempt 2/3)');
    expect(r.stderr).toMatch(/^error: MinIO at https:\/\/minio\.minio-tenant-1\.svc\.cluster\.local:443 not ready after 3 attempts, 0s apart: /);
  });

  test('fails when KMS is not configured (bug-log B10): exit 3 with the hint, after N tries', () => {
    const r = runScript({ shell, env: { SSE_READINESS_ATTEMPTS: '2' }, fake: { FAKE_MC_KMS_NOT_CONFIGURED: '1' } });
    expect(r.status).toBe(3);
    expect(r.calls).toEqual([
      'admin info --json tenant',
      'admin kms key status --json tenant default-key',
      'admin kms key status --json tenant default-key',
    ]);
    expect(r.stderr).toContain('KMS (default EK default-key through KES) not ready after 2 attempts');
    expect(r.stderr).toContain('KMS is not configured');
    expect(r.stderr).toContain(`MinIO at ${MINIO_URL} runs without KMS`);
    expect(r.stderr).toContain('bug-log B10');
  });

  test('waits for KMS too: not ready twice, then ready', () => {
    const r = runScript({ shell, fake: { FAKE_MC_KMS_NOT_READY: '2' } });
    expect(r.status).toBe(0);
    expect(r.calls.slice(0, 4)).toEqual([
      'admin info --json tenant',
      'admin kms key status --json tenant default-key',
      'admin kms key status --json tenant default-key',
      'admin kms key status --json tenant default-key',
    ]);
    expect(r.stdout).toContain('waiting for KMS (default EK default-key through KES) (attempt 2/5)');
  });

  test.each([
    ['MinIO ≥ 2024 (internal/kms, sic)', 'key with given key ID already exits'],
    ['MinIO with the KES client error', 'key already exists'],
    ['the API code', 'kms:KeyAlreadyExists'],
  ])('treats "already exists" on EK create as success: %s', (_what, message) => {
    const r = runScript({ shell, fake: { FAKE_MC_KEYS_EXIST: 'default-key logs-key data-key', FAKE_MC_EXISTS_MESSAGE: message } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('[2/6] key logs-key: already exists, encrypts and decrypts ... ok');
    expect(r.stdout).toContain('[3/6] key data-key: already exists, encrypts and decrypts ... ok');
  });

  test('an error on one bucket: it is reported, the others are still processed, exit 1', () => {
    const r = runScript({ shell, fake: { FAKE_MC_ENCRYPT_SET_FAIL: 'data' } });
    expect(r.status).toBe(1);
    expect(r.calls.slice(-14)).toEqual([
      ...bucketCalls('logs', 'logs-key'),
      'mb --ignore-existing tenant/data',
      'encrypt set sse-kms data-key tenant/data',
      ...bucketCalls('archive', 'logs-key'),
    ]);
    const dataCalls = r.calls.filter((c) => c.includes('tenant/data'));
    expect(dataCalls).toEqual(['mb --ignore-existing tenant/data', 'encrypt set sse-kms data-key tenant/data']);
    expect(r.stdout).toContain(
      '[5/6] bucket data: sse-kms key data-key ... FAILED (encrypt set: Unable to set encryption configuration. key with given key ID does not exist (hint: the EK must exist and the KES policy must allow MinIO to use it (bug-log B05/B11)))',
    );
    expect(r.stdout).toContain('[4/6] bucket logs: sse-kms key logs-key ... ok');
    expect(r.stdout).toContain('[6/6] bucket archive: sse-kms key logs-key ... ok');
    expect(r.stdout).toContain('summary: tenant minio-tenant-1: 3/3 EK(s) ok, 2/3 bucket(s) ok, 1 failed');
    expect(r.stderr).toBe('error: 1 step(s) failed: bucket data: sse-kms key data-key; see the lines marked FAILED above\n');
  });

  test('fails a bucket whose read-back shows another key, and accepts the arn:aws:kms: form', () => {
    const wrong = runScript({ shell, fake: { FAKE_MC_WRONG_KEY: 'logs' } });
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toContain(
      '[4/6] bucket logs: sse-kms key logs-key ... FAILED (encrypt info: bucket default is algorithm "aws:kms" key "some-other-key", expected "aws:kms" key "logs-key")',
    );
    expect(wrong.calls.filter((c) => c.startsWith('pipe tenant/logs/'))).toEqual([]);
    const arn = runScript({ shell, fake: { FAKE_MC_ARN: '1' } });
    expect(arn.status).toBe(0);
  });

  test('fails a bucket whose probe object is not SSE-KMS, and still removes the probe', () => {
    const r = runScript({ shell, fake: { FAKE_MC_PLAIN_STAT: 'archive' } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('[6/6] bucket archive: sse-kms key logs-key ... FAILED (probe stat: the probe object is not SSE-KMS encrypted)');
    expect(r.calls[r.calls.length - 1]).toBe('rm tenant/archive/minio-sse-azure-probe-minio-tenant-1-sse-0123456789-abcde');
  });

  test('removes the probe version on a versioned bucket (no delete marker left behind)', () => {
    const r = runScript({ shell, fake: { FAKE_MC_VERSIONED: 'logs' } });
    expect(r.status).toBe(0);
    expect(r.calls).toContain('rm --version-id 3f5c9a2e-probe-version tenant/logs/minio-sse-azure-probe-minio-tenant-1-sse-0123456789-abcde');
  });

  test('an EK that cannot be created fails its buckets without touching them; the rest goes on', () => {
    const r = runScript({ shell, fake: { FAKE_MC_CREATE_FAIL: 'logs-key' } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      '[2/6] key logs-key ... FAILED (create: Failed to create master key. insufficient permissions to perform KMS operation (hint: the EK must exist and the KES policy must allow MinIO to use it (bug-log B05/B11)))',
    );
    expect(r.stdout).toContain('[4/6] bucket logs: sse-kms key logs-key ... FAILED (precondition: EK logs-key was not created)');
    expect(r.stdout).toContain('[5/6] bucket data: sse-kms key data-key ... ok');
    expect(r.calls.some((c) => c.includes('tenant/logs') || c.includes('tenant/archive'))).toBe(false);
    expect(r.stdout).toContain('summary: tenant minio-tenant-1: 2/3 EK(s) ok, 1/3 bucket(s) ok, 3 failed');
  });

  test('an EK whose status reports failing encryption (mc exits 0) is a failure', () => {
    const r = runScript({ shell, fake: { FAKE_MC_KEY_BROKEN: 'data-key', FAKE_MC_KEYS_EXIST: 'default-key data-key' } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('[3/6] key data-key ... FAILED (status: encryption: insufficient permissions to perform KMS operation; decryption: insufficient permissions to perform KMS operation');
  });

  test('redacts credentials that an mc error message would print', () => {
    const r = runScript({ shell, fake: { FAKE_MC_MB_FAIL: 'data', FAKE_MC_LEAK_TEXT: `${CANARY_USER}:${CANARY_PASSWORD}` } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('[5/6] bucket data: sse-kms key data-key ... FAILED (mb: Unable to make bucket `tenant/data`. Access Denied. (request signed for ***:***)');
    expect(r.stdout).toContain('MinIO rejected the root credentials read from Secret minio-tenant-1-env-configuration (config.env)');
    expectNoCredentialLeak(r);
  });

  test('never evaluates config.env: command substitutions in values stay text', () => {
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sse-marker-')), 'pwned');
    const password = `$(touch ${marker})\`touch ${marker}\``;
    const r = runScript({ shell, configEnv: `MINIO_ROOT_USER=u\nMINIO_ROOT_PASSWORD=${password}\n` });
    expect(r.status).toBe(0);
    expect(fs.existsSync(marker)).toBe(false);
    expect(r.seenConfig.aliases.tenant.secretKey).toBe(password);
  });
});

describe('bucket-encryption.sh config.env parsing (operator rules: optional export, quotes, comments)', () => {
  test.each<[string, string, string, string]>([
    ['export and double quotes', 'export MINIO_ROOT_USER="minio"\nexport MINIO_ROOT_PASSWORD="minio123"\n', 'minio', 'minio123'],
    ['no export, no quotes', 'MINIO_ROOT_USER=minio\nMINIO_ROOT_PASSWORD=minio123', 'minio', 'minio123'],
    ['single quotes', "export MINIO_ROOT_USER='mi nio'\nexport MINIO_ROOT_PASSWORD='a\"b'\n", 'mi nio', 'a"b'],
    ['CRLF line endings and indentation', '  export MINIO_ROOT_USER="minio"\r\n\texport  MINIO_ROOT_PASSWORD="pw=with=equals"\r\n', 'minio', 'pw=with=equals'],
    ['comments and blank lines', '# root\n\nexport MINIO_ROOT_USER="minio"\n# export MINIO_ROOT_PASSWORD="nope"\nexport MINIO_ROOT_PASSWORD="yes"\n', 'minio', 'yes'],
    ['the last definition wins', 'export MINIO_ROOT_USER="a"\nexport MINIO_ROOT_USER="b"\nexport MINIO_ROOT_PASSWORD="p"\n', 'b', 'p'],
    ['legacy MINIO_ACCESS_KEY / MINIO_SECRET_KEY', 'export MINIO_ACCESS_KEY="old"\nexport MINIO_SECRET_KEY="older"\n', 'old', 'older'],
    ['unbalanced quote kept as text', 'export MINIO_ROOT_USER="minio\nexport MINIO_ROOT_PASSWORD=pw"\n', '"minio', 'pw"'],
  ])('%s', (_what, configEnv, user, password) => {
    const r = runScript({ configEnv });
    expect(r.status).toBe(0);
    expect(r.seenConfig.aliases.tenant.accessKey).toBe(user);
    expect(r.seenConfig.aliases.tenant.secretKey).toBe(password);
  });

  test('fails when config.env has no root credentials: exit 4, names the Secret, calls no mc', () => {
    const r = runScript({ configEnv: 'export MINIO_BROWSER="on"\n' });
    expect(r.status).toBe(4);
    expect(r.stderr).toBe('error: config.env of Secret minio-tenant-1-env-configuration sets no MINIO_ROOT_USER and no MINIO_ROOT_PASSWORD\n');
    expect(r.calls).toEqual([]);
  });

  test.each<[string, string, string]>([
    ['an empty password', 'export MINIO_ROOT_USER="admin"\nexport MINIO_ROOT_PASSWORD=""\n', 'sets MINIO_ROOT_USER but an empty MINIO_ROOT_PASSWORD'],
    ['no password', 'export MINIO_ROOT_USER="admin"\n', 'sets MINIO_ROOT_USER but no MINIO_ROOT_PASSWORD'],
    ['an empty user', "MINIO_ROOT_USER=''\nMINIO_ROOT_PASSWORD=secret-pw-123\n", 'sets MINIO_ROOT_PASSWORD but an empty MINIO_ROOT_USER'],
    ['no user', 'MINIO_ROOT_PASSWORD=secret-pw-123\n', 'sets MINIO_ROOT_PASSWORD but no MINIO_ROOT_USER'],
    ['both empty', 'MINIO_ROOT_USER=\nMINIO_ROOT_PASSWORD=""\n', 'sets an empty MINIO_ROOT_USER and an empty MINIO_ROOT_PASSWORD'],
    ['an empty user and no password', 'MINIO_ROOT_USER=\n', 'sets an empty MINIO_ROOT_USER and no MINIO_ROOT_PASSWORD'],
    ['a legacy user without its password', 'MINIO_ACCESS_KEY=old\n', 'sets MINIO_ACCESS_KEY but no MINIO_SECRET_KEY'],
  ])('fails on %s and says which one is missing or empty', (_what, configEnv, message) => {
    const r = runScript({ configEnv });
    expect(r.status).toBe(4);
    expect(r.stderr).toBe(`error: config.env of Secret minio-tenant-1-env-configuration ${message}\n`);
    expect(r.calls).toEqual([]);
  });

  test('fails when config.env is not mounted', () => {
    const r = runScript({ env: { SSE_CONFIG_ENV_FILE: '/nonexistent/config.env' } });
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('mount key config.env of Secret minio-tenant-1-env-configuration');
  });
});

describe.each(shells())('bucket-encryption.sh log redaction under $name', (shell) => {
  /**
   * Runs one EK and one bucket whose `mc mb` fails with `leak` in its error text, and returns what the FAILED line
   * shows in place of `leak`.
   */
  function shownAs(user: string, password: string, leak: string): string {
    const r = runScript({
      shell,
      configEnv: defaultConfigEnv(user, password),
      env: { SSE_KEYS: 'default-key', SSE_BUCKETS: 'data=default-key' },
      fake: { FAKE_MC_MB_FAIL: 'data', FAKE_MC_LEAK_TEXT: leak },
    });
    expect(r.status).toBe(1);
    expect(r.seenConfig.aliases.tenant.secretKey).toBe(password);
    const m = /\[2\/2\] bucket data: sse-kms key default-key \.\.\. FAILED \(mb: Unable to make bucket `tenant\/data`\. Access Denied\. \(request signed for (.*)\) \(hint: MinIO rejected the root credentials/.exec(
      r.stdout,
    );
    expect(m).not.toBeNull();
    return (m as RegExpExecArray)[1];
  }

  test.each<[string, string, string, string, string]>([
    ['a user that contains the password', 'admin123', 'admin', 'admin123 then admin123:admin', '*** then ***:***'],
    ['a password that contains the user', 'root-user', 'xroot-userx-pw', 'xroot-userx-pw/root-user', '***/***'],
    ['a user that overlaps the start of the password', 'canary-user', 'user-pass-Q1', 'canary-user-pass-Q1 and user-pass-Q1', '*** and ***'],
    ['a password that overlaps the start of the user', 'pass-admin', 'Zx9-pass', 'Zx9-pass-admin', '***'],
    ['repeated and adjacent occurrences', 'admin', 'secret-pw', 'admin:secret-pwsecret-pwadmin', '***:*********'],
    ['a 3-character user: not redacted, not a secret alone', 'adm', 'secret-pw', 'adm:secret-pw admin', 'adm:*** admin'],
    ['a 4-character user: redacted', 'admi', 'secret-pw', 'admi:secret-pw admin', '***:*** ***n'],
    ['a 1-character password: always redacted', 'admin', 'Z', 'admin:Z', '***:***'],
    ['the JSON-escaped password', 'admin', 'p"w\\d-secret', '{"secretKey":"p\\"w\\\\d-secret"}', '{"secretKey":"***"}'],
    ['the JSON-escaped password with Go\'s HTML escaping', 'admin', 'a<b>&c"d-secret', '"a\\u003cb\\u003e\\u0026c\\"d-secret"', '"***"'],
    ['multibyte characters', 'grün-user', 'user-pässwort', 'grün-user-pässwort, user-pässwort', '***, ***'],
    ['the JSON-escaped user', 'ad"min', 'secret-pw', '{"accessKey":"ad\\"min"}', '{"accessKey":"***"}'],
  ])('%s', (_what, user, password, leak, expected) => {
    expect(shownAs(user, password, leak)).toBe(expected);
  });

  test('a 1-character user does not mangle the log lines', () => {
    const r = runScript({
      shell,
      configEnv: defaultConfigEnv('m', 'minio-secret-pw'),
      env: { SSE_KEYS: 'default-key', SSE_BUCKETS: 'data=default-key' },
      fake: { FAKE_MC_MB_FAIL: 'data', FAKE_MC_LEAK_TEXT: 'm:minio-secret-pw' },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      '[2/2] bucket data: sse-kms key default-key ... FAILED (mb: Unable to make bucket `tenant/data`. Access Denied. (request signed for m:***) (hint: MinIO rejected the root credentials read from Secret minio-tenant-1-env-configuration (config.env)))',
    );
    expect(r.output).not.toContain('minio-secret-pw');
  });
});

describe('bucket-encryption.sh configuration errors (exit 4, before any mc call)', () => {
  test.each<[string, Record<string, string | undefined>, boolean, RegExp]>([
    ['the CA is missing with https', {}, false, /cannot read .*ca\.crt: mount key ca\.crt of ConfigMap kube-root-ca\.crt/],
    ['no MinIO URL', { SSE_MINIO_URL: undefined }, true, /SSE_MINIO_URL is not set/],
    ['a URL with a path', { SSE_MINIO_URL: 'https://minio.ns.svc:443/x' }, true, /must have no path/],
    ['a URL without port', { SSE_MINIO_URL: 'https://minio.ns.svc' }, true, /must be http\(s\):\/\/host:port/],
    ['a malformed bucket pair', { SSE_BUCKETS: 'logs' }, true, /SSE_BUCKETS: "logs" must be bucket=EK/],
    ['a bad EK name', { SSE_KEYS: 'a_b' }, true, /SSE_KEYS: "a_b" is not a valid EK name/],
    ['zero attempts', { SSE_READINESS_ATTEMPTS: '0' }, true, /SSE_READINESS_ATTEMPTS "0" must be an integer >= 1/],
    ['a bad insecure flag', { SSE_INSECURE: 'yes' }, true, /SSE_INSECURE "yes" must be true or false/],
  ])('fails when %s', (_what, env, ca, message) => {
    const r = runScript({ env, ca });
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(message);
    expect(r.calls).toEqual([]);
  });

  test('http (requestAutoCert: false) needs no CA', () => {
    const r = runScript({ env: { SSE_MINIO_URL: 'http://minio.minio-tenant-1.svc.cluster.local:80' }, ca: false });
    expect(r.status).toBe(0);
    expect(r.seenConfig.aliases.tenant.url).toBe('http://minio.minio-tenant-1.svc.cluster.local:80');
  });

  test('no buckets: EKs only, no B12 note', () => {
    const r = runScript({ env: { SSE_BUCKETS: '' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('summary: tenant minio-tenant-1: 3/3 EK(s) ok, 0/0 bucket(s) ok, 0 failed');
    expect(r.stdout).not.toContain('B12');
  });
});

describe('bucket-encryption.sh as a file', () => {
  const text = fs.readFileSync(SCRIPT, 'utf8');

  test('is POSIX sh that never traces, sources or evaluates anything', () => {
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    const code = text
      .split('\n')
      .filter((l) => !l.trim().startsWith('#'))
      .join('\n');
    expect(code).not.toMatch(/set -[a-z]*x/);
    expect(code).not.toMatch(/\beval\b/);
    expect(code).not.toMatch(/(^|\s)(\.|source)\s+"?\$/m);
    expect(code).not.toMatch(/\b(sed|grep|awk|jq|cat|curl|wget)\b/);
  });

  const shellcheck = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
  const hasShellcheck = !shellcheck.error && shellcheck.status === 0;
  // npm test does not require shellcheck; CI runs `npm run lint:sh` separately. Reported as skipped when absent.
  (hasShellcheck ? test : test.skip)('is shellcheck-clean (shellcheck -s sh)', () => {
    const r = spawnSync('shellcheck', ['-s', 'sh', SCRIPT], { encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});
