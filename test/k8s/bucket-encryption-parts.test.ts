import { RELEASES, runParts, shells } from '../support/bucket-encryption-harness';

/**
 * Each part of lib/k8s/bucket-encryption/ on its own: the test sources the header, the part and the parts it
 * builds on, then calls its functions (against the fake mc in each pinned release's profile where mc is called).
 * 90-main.sh (the order of the steps) is covered by bucket-encryption-script.test.ts.
 */

const BASE = ['00-header.sh', '10-text.sh'];
/** What mc_run needs: the output file and no TLS flag. */
const MC_ENV = 'INSECURE_FLAG=\nMC_OUT_FILE=$TMPDIR/mc-output\nMC_TIMEOUT=5\n';

describe.each(shells())('10-text.sh under $name', (shell) => {
  const run = (snippet: string) => runParts(BASE, snippet, { shell });

  test('json_field decodes the escapes Go writes (\\" \\\\ \\u003c \\u003e \\u0026) and stops at the closing quote', () => {
    const json = JSON.stringify({ a: 'x', message: 'say "hi" \\ <b> & done', b: 'y' })
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026');
    const r = runParts(BASE, `read_text "$TMPDIR/m.json"; json_field "$TEXT" message; printf '[%s]' "$FIELD"`, {
      shell,
      files: { 'm.json': json },
    });
    expect(json).toContain('\\u003cb\\u003e');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('[say "hi" \\ <b> & done]');
  });

  test('json_field reads compact and indented JSON alike, and fails when the field is absent', () => {
    const r = run(
      `json_field '{"keyId":"k1"}' keyId && printf '%s ' "$FIELD"; json_field '{\n    "keyId": "k2"\n}' keyId && printf '%s ' "$FIELD"; json_field '{"other": "x"}' keyId || printf 'absent'`,
    );
    expect(r.stdout).toBe('k1 k2 absent');
  });

  test('has_field tells a present key from a value that only mentions it', () => {
    const r = run(
      `has_field '{"encryptionError": "x"}' encryptionError && printf yes; has_field '{"keyId": "encryptionError"}' encryptionError || printf ' no'`,
    );
    expect(r.stdout).toBe('yes no');
  });

  test('trim, replace_all and json_escape', () => {
    const r = run(
      `trim '  a b \t'; printf '[%s]' "$TRIMMED"; replace_all 'a.b.c' . -- ; printf '[%s]' "$REPLACED"; json_escape 'q"\\\\'; printf '[%s]' "$ESCAPED"`,
    );
    expect(r.stdout).toBe('[a b][a--b--c][q\\"\\\\\\\\]');
  });

  test('read_text reads a file like $(cat file): lines kept, trailing newlines dropped', () => {
    const r = run(`printf 'one\\n  two\\\\n\\n\\n' >"$TMPDIR/f"; read_text "$TMPDIR/f"; printf '[%s]' "$TEXT"`);
    expect(r.stdout).toBe('[one\n  two\\n]');
  });
});

describe.each(shells())('20-redact.sh under $name', (shell) => {
  test('redacts the password, its JSON and Go-HTML forms, and a user of 4+ characters', () => {
    const r = runParts(
      [...BASE, '20-redact.sh'],
      `ROOT_USER=admin; ROOT_PASSWORD='a<b"c'; set_redaction; redact 'admin a<b"c a\\u003cb\\"c x'; printf '%s' "$REDACTED"`,
      { shell },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('*** *** *** x');
  });
});

describe.each(RELEASES)('30-mc.sh against mc $mc', ({ mc }) => {
  const parts = [...BASE, '20-redact.sh', '30-mc.sh'];

  test('mc_run captures output and exit status; failure_reason reads the --json error (message and cause)', () => {
    const r = runParts(
      parts,
      `${MC_ENV}mc_run admin kms key status --json tenant missing-key; printf 'rc=%s\\n' "$RC"; failure_reason; printf '%s' "$REASON"`,
      {
        mc,
        env: { FAKE_MC_KEYS_EXIST: 'default-key' },
      },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('rc=1\nFailed to get status information: key with given key ID does not exist');
  });

  test('fails when mc hangs: mc_run stops it after MC_TIMEOUT seconds (RC 124, a message naming the call)', () => {
    const started = Date.now();
    const r = runParts(parts, `${MC_ENV}MC_TIMEOUT=1; mc_run mb --json tenant/b; printf 'rc=%s %s' "$RC" "$OUT"`, {
      mc,
      env: { FAKE_MC_HANG: 'mb' },
    });
    expect(r.stdout).toBe('rc=124 mc mb --json did not answer within 1s and was stopped');
    expect(r.stderr).toBe('');
    expect(Date.now() - started).toBeLessThan(8000);
  });

  test('hint_for names the cause of common failures', () => {
    const r = runParts(
      parts,
      `MINIO_URL=u; TENANT=t; CA_NAME=c; SECRET_NAME=s; hint_for 'Access Denied.'; printf '%s\\n' "$HINT"; hint_for 'failed to connect to KMS: dial tcp: connect: connection refused'; printf '%s' "$HINT"`,
      { mc },
    );
    expect(r.stdout).toBe(
      'MinIO rejected the root credentials read from Secret s (config.env)\nMinIO cannot reach KES: check the KES pods of tenant t and their Azure Key Vault access',
    );
  });
});

describe('40-config.sh', () => {
  const parts = [...BASE, '20-redact.sh', '30-mc.sh', '40-config.sh'];

  test('fails when a setting is bad: exit 4 naming the variable and the rule', () => {
    const r = runParts(parts, 'load_settings', {
      env: { SSE_MINIO_URL: 'https://m:443', SSE_DEFAULT_KEY: 'k', SSE_MC_TIMEOUT_SECONDS: 'x' },
    });
    expect(r.status).toBe(4);
    expect(r.stderr).toBe('error: SSE_MC_TIMEOUT_SECONDS "x" must be an integer >= 1\n');
  });

  test('read_credentials parses config.env without evaluating it and sets the redaction', () => {
    const r = runParts(
      parts,
      `printf 'export MINIO_ROOT_USER="root-user"\\nexport MINIO_ROOT_PASSWORD="$(id)pw"\\n' >"$TMPDIR/config.env"; SSE_CONFIG_ENV_FILE=$TMPDIR/config.env; SSE_MINIO_URL=https://m:443; SSE_DEFAULT_KEY=k; load_settings; read_credentials; printf '%s|%s|' "$ROOT_USER" "$ROOT_PASSWORD"; redact "root-user:$ROOT_PASSWORD"; printf '%s' "$REDACTED"`,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('root-user|$(id)pw|***:***');
  });
});

describe.each(RELEASES)('50-readiness.sh and 60-keys.sh against mc $mc', ({ mc }) => {
  const parts = [...BASE, '20-redact.sh', '30-mc.sh', '50-readiness.sh', '60-keys.sh'];

  test('check_key: a working EK passes, a broken one fails with both errors, whatever this mc prints besides', () => {
    const r = runParts(
      parts,
      `${MC_ENV}check_key good && printf 'good ok\\n'; check_key bad || printf 'bad: %s' "$REASON"`,
      {
        mc,
        env: { FAKE_MC_KEYS_EXIST: 'good bad', FAKE_MC_KEY_BROKEN: 'bad' },
      },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'good ok\nbad: EK bad does not work: encryption: insufficient permissions to perform KMS operation; decryption: insufficient permissions to perform KMS operation',
    );
  });

  test('ensure_key: created, then "already exists" on a second call', () => {
    const r = runParts(parts, `${MC_ENV}ensure_key k1 && printf '%s, ' "$NOTE"; ensure_key k1 && printf '%s' "$NOTE"`, {
      mc,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('created, already exists');
  });
});

describe.each(RELEASES)('70-buckets.sh against mc $mc', ({ mc }) => {
  const parts = [...BASE, '20-redact.sh', '30-mc.sh', '70-buckets.sh'];
  const lockOf = (bucket: string, fake: Record<string, string>) =>
    runParts(
      parts,
      `${MC_ENV}mc mb --json tenant/${bucket} >/dev/null; bucket_lock ${bucket}; printf '%s|%s' "$LOCK" "$LOCK_REASON"`,
      { mc, env: fake },
    );

  test('bucket_lock: off for an unversioned bucket, on for a lock-enabled one', () => {
    expect(lockOf('plain', {}).stdout).toBe('off|');
    expect(lockOf('locked', { FAKE_MC_LOCKED: 'locked=COMPLIANCE:1YEARS' }).stdout).toBe('on|');
    expect(lockOf('nodefault', { FAKE_MC_LOCKED: 'nodefault=' }).stdout).toBe('on|');
  });

  test('bucket_lock: never "off" when the lock configuration of a versioned bucket cannot be read', () => {
    const r = lockOf('v', { FAKE_MC_LOCKED: 'v=GOVERNANCE:7DAYS', FAKE_MC_LOCK_UNREADABLE: 'v' });
    expect(r.stdout).toMatch(/^unknown\|versioning is on and object lock is not ruled out \(mc retention info: /);
  });

  test('read_bucket_default: the EK or its arn:aws:kms: form', () => {
    const r = runParts(
      parts,
      `${MC_ENV}mc encrypt set sse-kms k1 tenant/b >/dev/null; read_bucket_default b k1 && printf 'ok '; read_bucket_default b k2 || printf '%s' "$REASON"`,
      { mc, env: { FAKE_MC_ARN: '1' } },
    );
    expect(r.stdout).toBe('ok bucket default is algorithm "aws:kms" key "arn:aws:kms:k1", expected "aws:kms" key "k2"');
  });
});
