import fc from 'fast-check';
import { parse } from 'yaml';
import { seedDeclaration } from '../../examples/seed';
import {
  buildKesConfig,
  buildMinioPolicy,
  checkKesConfig,
  checkPolicyPattern,
  KES_ADDRESS,
  KES_DISABLED_ADMIN_IDENTITY,
  KES_MINIO_IDENTITY_REF,
  policyAllowsPath,
  policyPatternMatches,
  renderKesConfig,
} from '../../lib/kes';
import {
  AzureAuth,
  KesAdminMode,
  MinioSseDeclaration,
  OperatorRelease,
  ResolvedDeclaration,
  resolveDeclaration,
} from '../../lib/declaration';

const TENANT_ID = '11111111-2222-3333-4444-555555555555';
const CLIENT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

const SEED_ALLOW = [
  '/v1/key/create/*',
  '/v1/key/generate/*',
  '/v1/key/decrypt/*',
  '/v1/key/bulk/decrypt/*',
  '/v1/key/list/*',
  '/v1/status',
  '/v1/metrics',
  '/v1/api',
];

/** A parsed YAML mapping, mutable for planting faults. */
type AnyRec = Record<string, any>;

function resolveWith(
  release: OperatorRelease,
  kes: Partial<MinioSseDeclaration['kes']> = {},
  rest: Partial<MinioSseDeclaration> = {},
): ResolvedDeclaration {
  const seed = seedDeclaration({ release });
  return resolveDeclaration({ ...seed, ...rest, kes: { ...seed.kes, ...kes } });
}

/** Render and parse back. */
function rendered(spec: ResolvedDeclaration): { text: string; config: AnyRec } {
  const text = renderKesConfig(spec);
  return { text, config: parse(text) as AnyRec };
}

/** A deep, mutable copy of the seed config as parsed YAML, for planting faults. */
function seedConfig(spec: ResolvedDeclaration): AnyRec {
  return parse(renderKesConfig(spec)) as AnyRec;
}

describe.each([OperatorRelease.V5_0_4, OperatorRelease.V7_1_1])('seed KES config for operator %s', (release) => {
  const spec = resolveDeclaration(seedDeclaration({ release }));
  const { text, config } = rendered(spec);

  test('uses the new format: version v1, no root, IP-literal address, operator TLS paths', () => {
    expect(config.version).toBe('v1');
    expect(config).not.toHaveProperty('root');
    expect(text).not.toMatch(/^root:/m);
    expect(config.address).toBe('0.0.0.0:7373');
    expect(config.tls).toEqual({ key: '/tmp/kes/server.key', cert: '/tmp/kes/server.crt' });
  });

  test('disables the admin identity with a non-hex value', () => {
    expect(config.admin).toEqual({ identity: 'disabled' });
    expect(config.admin.identity).not.toMatch(/^[0-9a-f]+$/i);
  });

  test('has exactly one keystore, azure.keyvault, with the declared endpoint', () => {
    expect(Object.keys(config.keystore)).toEqual(['azure']);
    expect(Object.keys(config.keystore.azure)).toEqual(['keyvault']);
    expect(config.keystore.azure.keyvault.endpoint).toBe('https://minio-kes-example.vault.azure.net');
  });

  test('credentials are exactly the three ${VAR} references', () => {
    expect(config.keystore.azure.keyvault.credentials).toEqual({
      tenant_id: '${AZURE_TENANT_ID}',
      client_id: '${AZURE_CLIENT_ID}',
      client_secret: '${AZURE_CLIENT_SECRET}',
    });
    expect(config.keystore.azure.keyvault).not.toHaveProperty('managed_identity');
    const vars = spec.kes.env.map((e) => e.name);
    expect(vars).toEqual(expect.arrayContaining(['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET']));
  });

  test('log levels are the strings "on" and "off", also for a YAML 1.1 reader', () => {
    expect(config.log).toEqual({ error: 'on', audit: 'off' });
    expect(typeof config.log.error).toBe('string');
    const yaml11 = parse(text, { version: '1.1' }) as AnyRec;
    expect(yaml11.log.error).toBe('on');
    expect(yaml11.log.audit).toBe('off');
  });

  test('sets both cache expiries explicitly', () => {
    expect(config.cache).toEqual({ expiry: { any: '5m0s', unused: '20s' } });
  });

  test('lists the declared EKs under keys, default first, without duplicates', () => {
    expect(config.keys).toEqual([
      { name: 'minio-encryption-key-alpha' },
      { name: 'minio-encryption-key-baker' },
      { name: 'minio-encryption-key-charlie' },
    ]);
  });

  test('grants MinIO a least-privilege policy bound to ${MINIO_KES_IDENTITY}', () => {
    expect(Object.keys(config.policy)).toEqual(['minio']);
    const minio = config.policy.minio;
    expect(minio.identities).toEqual(['${MINIO_KES_IDENTITY}']);
    expect(minio.allow).toEqual(SEED_ALLOW);
    expect(minio.allow).toContain('/v1/status');
    expect(minio.allow).toContain('/v1/key/list/*');
    expect(minio.allow).not.toContain('/v1/key/list');
    expect(minio.allow.some((p: string) => p.startsWith('/v1/key/delete'))).toBe(false);
    expect(text).not.toContain('/v1/key/delete');
    expect(minio).not.toHaveProperty('deny');
    for (const p of minio.allow) {
      expect(checkPolicyPattern(p)).toBeUndefined();
    }
  });

  test('passes checkKesConfig, both as the typed model and parsed back', () => {
    expect(checkKesConfig(buildKesConfig(spec), spec)).toEqual([]);
    expect(checkKesConfig(config, spec)).toEqual([]);
  });

  test('is deterministic and starts with the generated-file comment', () => {
    expect(renderKesConfig(resolveDeclaration(seedDeclaration({ release })))).toBe(text);
    expect(text.startsWith('# KES server configuration, generated by minio-sse-azure')).toBe(true);
    expect(text).toContain('expanded by KES from its');
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(buildKesConfig(spec))));
  });
});

describe('policy', () => {
  test('restricts create, generate, decrypt and bulk decrypt to keyNamePrefix, but not list', () => {
    const spec = resolveWith(
      OperatorRelease.V7_1_1,
      { keyNamePrefix: 'minio-' },
      { buckets: [{ name: 'encryptedbucket', encryptionKey: 'minio-bucket-key' }] },
    );
    const policy = rendered(spec).config.policy.minio;
    expect(policy.allow).toEqual([
      '/v1/key/create/minio-*',
      '/v1/key/generate/minio-*',
      '/v1/key/decrypt/minio-*',
      '/v1/key/bulk/decrypt/minio-*',
      '/v1/key/list/*',
      '/v1/status',
      '/v1/metrics',
      '/v1/api',
    ]);
    expect(policyAllowsPath(policy, '/v1/key/generate/minio-bucket-key')).toBe(true);
    expect(policyAllowsPath(policy, '/v1/key/generate/other-key')).toBe(false);
    expect(policyAllowsPath(policy, '/v1/key/list/')).toBe(true);
    expect(policyAllowsPath(policy, '/v1/key/delete/minio-bucket-key')).toBe(false);
    expect(checkKesConfig(rendered(spec).config, spec)).toEqual([]);
  });

  test('buildMinioPolicy returns the same policy the config carries', () => {
    const spec = resolveDeclaration(seedDeclaration());
    expect(buildKesConfig(spec).policy).toEqual({ minio: buildMinioPolicy(spec) });
    expect(buildMinioPolicy(spec)).toEqual({ allow: SEED_ALLOW, identities: [KES_MINIO_IDENTITY_REF] });
  });

  test('admin mode makes ${MINIO_KES_IDENTITY} the admin and emits no policy', () => {
    const spec = resolveWith(OperatorRelease.V5_0_4, { adminMode: KesAdminMode.MINIO_IS_ADMIN });
    const { text, config } = rendered(spec);
    expect(config.admin).toEqual({ identity: '${MINIO_KES_IDENTITY}' });
    expect(config).not.toHaveProperty('policy');
    const body = text.split('\n').filter((l) => !l.startsWith('#'));
    expect(body.filter((l) => l.includes('${MINIO_KES_IDENTITY}'))).toEqual(['  identity: ${MINIO_KES_IDENTITY}']);
    expect(checkKesConfig(config, spec)).toEqual([]);
  });
});

describe('Azure authentication variants', () => {
  test('managed identity: managed_identity.client_id is ${AZURE_CLIENT_ID}, no credentials', () => {
    const spec = resolveWith(OperatorRelease.V5_0_4, { auth: AzureAuth.managedIdentity({ clientId: CLIENT_ID }) });
    const { text, config } = rendered(spec);
    expect(config.keystore.azure.keyvault).toEqual({
      endpoint: 'https://minio-kes-example.vault.azure.net',
      managed_identity: { client_id: '${AZURE_CLIENT_ID}' },
    });
    expect(text).not.toContain(CLIENT_ID);
    expect(spec.kes.env).toEqual([{ name: 'AZURE_CLIENT_ID', source: { value: CLIENT_ID } }]);
    expect(checkKesConfig(config, spec)).toEqual([]);
  });

  test('workload identity on the v7.1.1 KES image: no auth block (DefaultAzureCredential)', () => {
    const spec = resolveWith(OperatorRelease.V7_1_1, {
      auth: AzureAuth.workloadIdentity({ clientId: CLIENT_ID, tenantId: TENANT_ID }),
    });
    const { text, config } = rendered(spec);
    expect(config.keystore.azure.keyvault).toEqual({ endpoint: 'https://minio-kes-example.vault.azure.net' });
    expect(text).not.toContain('credentials');
    expect(text).not.toContain('managed_identity');
    expect(checkKesConfig(config, spec)).toEqual([]);
  });

  test('workload identity on operator v5.0.4 with a KES image ≥ 2024-06-17', () => {
    const spec = resolveWith(OperatorRelease.V5_0_4, {
      image: 'quay.io/minio/kes:2024-06-17T15-47-05Z',
      auth: AzureAuth.workloadIdentity({ clientId: CLIENT_ID, tenantId: TENANT_ID }),
    });
    expect(rendered(spec).config.keystore.azure.keyvault).toEqual({
      endpoint: 'https://minio-kes-example.vault.azure.net',
    });
  });

  test('canary: the client secret is only ever the ${AZURE_CLIENT_SECRET} reference, even with literal IDs', () => {
    const spec = resolveWith(OperatorRelease.V7_1_1, {
      auth: AzureAuth.clientSecret({ secretName: 'kes-azure-credentials', tenantId: TENANT_ID, clientId: CLIENT_ID }),
    });
    const { text, config } = rendered(spec);
    expect(config.keystore.azure.keyvault.credentials.client_secret).toBe('${AZURE_CLIENT_SECRET}');
    const secretLines = text.split('\n').filter((l) => l.includes('client_secret'));
    expect(secretLines).toEqual(['        client_secret: ${AZURE_CLIENT_SECRET}']);
    // The secret value itself is never an input: the env var comes from the referenced Secret.
    expect(spec.kes.env.find((e) => e.name === 'AZURE_CLIENT_SECRET')?.source).toEqual({
      secretName: 'kes-azure-credentials',
      secretKey: 'AZURE_CLIENT_SECRET',
    });
    expect(config.keystore.azure.keyvault.credentials.tenant_id).toBe('${AZURE_TENANT_ID}');
    expect(config.keystore.azure.keyvault.credentials.client_id).toBe('${AZURE_CLIENT_ID}');
  });
});

describe('renderKesConfig', () => {
  test('fails when the spec was not resolved and carries a bad duration', () => {
    const good = resolveDeclaration(seedDeclaration());
    const bad: ResolvedDeclaration = { ...good, kes: { ...good.kes, cacheExpiryAny: 'soon' } };
    expect(() => renderKesConfig(bad)).toThrow(
      'invalid KES server config (1 problem):\n  - cache.expiry.any: "soon" must be a Go duration such as 5m0s, 20s or 1h',
    );
  });
});

describe('checkKesConfig', () => {
  const spec = resolveDeclaration(seedDeclaration());

  test('fails when a legacy root: is planted', () => {
    const c = seedConfig(spec);
    c.root = 'disabled';
    expect(checkKesConfig(c, spec)).toEqual([
      'root: is the legacy admin field of KES ≤ v0.17.1; every KES the operator ships ignores it and exits with "no admin identity specified": use admin.identity',
    ]);
  });

  test('fails when there are two keystores', () => {
    const c = seedConfig(spec);
    c.keystore.fs = { path: './keys' };
    expect(checkKesConfig(c, spec)).toEqual([
      'keystore: has 2 keystores (azure, fs): KES needs exactly one, azure.keyvault ("more than once keystore specified")',
    ]);
  });

  test('fails when the keystore is not Azure Key Vault', () => {
    const c = seedConfig(spec);
    c.keystore = { fs: { path: './keys' } };
    expect(checkKesConfig(c, spec)).toEqual([
      'keystore: fs is not azure.keyvault: this library refuses any keystore but Azure Key Vault (no fs or in-memory keys)',
    ]);
  });

  test('fails when the keystore is missing or sits at the top level', () => {
    const c = seedConfig(spec);
    c.azure = c.keystore.azure;
    delete c.keystore;
    expect(checkKesConfig(c, spec)).toEqual([
      'azure: is a keystore block outside "keystore:"; KES ignores it and has no persistent keystore: move it to keystore.azure',
      'keystore: no keystore specified: exactly one keystore, azure.keyvault, is required (KES: "no keystore specified")',
    ]);
  });

  test('fails when the client secret is a literal, without echoing it', () => {
    const c = seedConfig(spec);
    c.keystore.azure.keyvault.credentials.client_secret = 'CANARY-s3cr3t-value';
    const problems = checkKesConfig(c, spec);
    expect(problems).toEqual([
      'keystore.azure.keyvault.credentials.client_secret: is a literal value (not shown); it must be the whole-value reference ${AZURE_CLIENT_SECRET} so that no credential is written into the config',
    ]);
    expect(problems.join('\n')).not.toContain('CANARY');
  });

  test('fails when a credential is a partial or wrong reference', () => {
    const c = seedConfig(spec);
    c.keystore.azure.keyvault.credentials.tenant_id = 'tenant-${AZURE_TENANT_ID}';
    c.keystore.azure.keyvault.credentials.client_id = '${AZURE_TENANT_ID}';
    expect(checkKesConfig(c, spec)).toEqual([
      'keystore.azure.keyvault.credentials.tenant_id: is a literal value (not shown); it must be the whole-value reference ${AZURE_TENANT_ID} so that no credential is written into the config',
      'keystore.azure.keyvault.credentials.client_id: "${AZURE_TENANT_ID}" must be ${AZURE_CLIENT_ID}',
    ]);
  });

  test('fails when a reference names a variable spec.kes.env does not provide', () => {
    const miSpec = resolveWith(OperatorRelease.V5_0_4, { auth: AzureAuth.managedIdentity({ clientId: CLIENT_ID }) });
    const c = seedConfig(miSpec);
    c.keystore.azure.keyvault = seedConfig(spec).keystore.azure.keyvault;
    expect(checkKesConfig(c, miSpec)).toEqual([
      'keystore.azure.keyvault: has credentials but kes.auth is managedIdentity (expected managed_identity)',
      'keystore.azure.keyvault: lacks managed_identity but kes.auth is managedIdentity (expected managed_identity)',
      'keystore.azure.keyvault.credentials.tenant_id: "${AZURE_TENANT_ID}" references AZURE_TENANT_ID, which spec.kes.env does not give the KES container',
      'keystore.azure.keyvault.credentials.client_secret: "${AZURE_CLIENT_SECRET}" references AZURE_CLIENT_SECRET, which spec.kes.env does not give the KES container',
    ]);
  });

  test('fails when both auth blocks are present', () => {
    const c = seedConfig(spec);
    c.keystore.azure.keyvault.managed_identity = { client_id: '${AZURE_CLIENT_ID}' };
    expect(checkKesConfig(c, spec)).toEqual([
      'keystore.azure.keyvault: has both credentials and managed_identity; KES fails with "more than one authentication method specified"',
      'keystore.azure.keyvault: has managed_identity but kes.auth is clientSecret (expected credentials)',
    ]);
  });

  test('fails when no auth block is given to a KES without DefaultAzureCredential', () => {
    const c = seedConfig(spec);
    delete c.keystore.azure.keyvault.credentials;
    expect(checkKesConfig(c, spec)).toEqual([
      'keystore.azure.keyvault: lacks credentials but kes.auth is clientSecret (expected credentials)',
      'keystore.azure.keyvault: has no auth block, which KES 2023-04-18T19-36-09Z refuses ("no authentication method specified"); DefaultAzureCredential needs KES 2024-06-17T15-47-05Z or later',
    ]);
  });

  test('fails when the endpoint differs from the declaration or is not a vault', () => {
    const c = seedConfig(spec);
    c.keystore.azure.keyvault.endpoint = 'https://other-vault.vault.azure.net';
    expect(checkKesConfig(c, spec)).toEqual([
      'keystore.azure.keyvault.endpoint: "https://other-vault.vault.azure.net" differs from the declared kes.keyVaultEndpoint "https://minio-kes-example.vault.azure.net"',
    ]);
    c.keystore.azure.keyvault.endpoint = 'http://vault.default.svc.cluster.local:8200';
    expect(checkKesConfig(c, spec)).toEqual([
      'keystore.azure.keyvault.endpoint: "http://vault.default.svc.cluster.local:8"... (43 characters) must be the Key Vault URI https://<vault>.vault.azure.net (or the .cn / usgovcloudapi.net clouds)',
    ]);
  });

  test('fails when a key name has "_"', () => {
    const c = seedConfig(spec);
    c.keys.push({ name: 'bad_key' });
    expect(checkKesConfig(c, spec)).toEqual([
      'keys[3].name: "bad_key" is not a valid EK name: must use only letters, digits and "-" (Azure Key Vault secret names allow no "_" or ".")',
    ]);
  });

  test('fails when keys is the legacy keystore mapping or lists a name twice', () => {
    const c = seedConfig(spec);
    c.keys = { vault: { endpoint: 'http://vault:8200' } };
    expect(checkKesConfig(c, spec)).toEqual([
      'keys: is a mapping (the keystore section of KES < v0.13.6): keys is a list of {name}; put the keystore under keystore:',
    ]);
    c.keys = [{ name: 'k1' }, { name: 'k1' }];
    expect(checkKesConfig(c, spec)).toEqual(['keys[1].name: "k1" is listed twice (KES refuses duplicate keys)']);
  });

  test('fails when a policy pattern has a mid-path "*"', () => {
    const c = seedConfig(spec);
    c.policy.minio.deny = ['/v1/key/*/encrypted-bucket-key'];
    expect(checkKesConfig(c, spec)).toEqual([
      'policy.minio.deny[0]: "/v1/key/*/encrypted-bucket-key" "*" is only allowed once, as the last character: from KES 2023-11-09 any other "*" is a literal and matches nothing (minio/kes#510)',
    ]);
  });

  test('fails when the policy allows key deletion', () => {
    const c = seedConfig(spec);
    c.policy.minio.allow.push('/v1/key/delete/*');
    expect(checkKesConfig(c, spec)).toEqual([
      'policy.minio.allow[8]: "/v1/key/delete/*" grants EK deletion; deleting an EK makes the data it protects unreadable: never allow /v1/key/delete/',
    ]);
  });

  test('fails when the policy lacks what MinIO calls (the operator example policy, bug-log B03)', () => {
    const c = seedConfig(spec);
    c.policy.minio.allow = ['/v1/api', '/v1/key/create/*', '/v1/key/generate/*', '/v1/key/decrypt/*', '/v1/key/list'];
    expect(checkKesConfig(c, spec)).toEqual([
      'policy.minio.allow[4]: "/v1/key/list" is not a KES API route: /v1/key/list/ takes a name; use /v1/key/list/* or /v1/key/list/<name>',
      'policy.minio: does not allow /v1/status: MinIO ≥ RELEASE.2023-02-17 calls it for KMS status and, until RELEASE.2023-11-20, liveness',
      'policy.minio: does not allow /v1/key/list/: mc admin kms key list and the Console list keys with an empty prefix (allow /v1/key/list/*)',
    ]);
  });

  test('fails when a bucket key is outside the policy prefix (bug-log B05)', () => {
    const c = seedConfig(spec);
    c.policy.minio.allow = c.policy.minio.allow
      .map((p: string) => p.replace(/\/\*$/, '/minio-*'))
      .map((p: string) => p.replace('/list/minio-*', '/list/*'));
    expect(checkKesConfig(c, spec)).toEqual([
      'policy.minio: does not allow /v1/key/create/encrypted-bucket-key: MinIO could not use EK "encrypted-bucket-key"',
      'policy.minio: does not allow /v1/key/generate/encrypted-bucket-key: MinIO could not use EK "encrypted-bucket-key"',
      'policy.minio: does not allow /v1/key/decrypt/encrypted-bucket-key: MinIO could not use EK "encrypted-bucket-key"',
    ]);
  });

  test('fails when no policy lists ${MINIO_KES_IDENTITY}, or lists a literal identity', () => {
    const c = seedConfig(spec);
    c.policy.minio.identities = ['3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22'];
    expect(checkKesConfig(c, spec)).toEqual([
      'policy.minio.identities[0]: "3ecfcdf38fcbe141ae26a1030f81e96b753365a4"... (64 characters) must be a ${VAR} reference such as ${MINIO_KES_IDENTITY}; a literal identity breaks when the client certificate is rotated (minio/kes#180)',
      'policy: no policy lists ${MINIO_KES_IDENTITY}; MinIO would get "not authorized" from KES',
    ]);
  });

  test('fails when a policy uses the misspelled identity: field', () => {
    const c = seedConfig(spec);
    c.policy.minio.identity = c.policy.minio.identities;
    delete c.policy.minio.identities;
    expect(checkKesConfig(c, spec)).toEqual([
      'policy.minio.identity: is not a KES field and is silently ignored (minio/kes#180); use identities',
      'policy.minio.identities: missing must be a list of identities',
      'policy: no policy lists ${MINIO_KES_IDENTITY}; MinIO would get "not authorized" from KES',
    ]);
  });

  test('fails when the admin identity is also in a policy', () => {
    const adminSpec = resolveWith(OperatorRelease.V7_1_1, { adminMode: KesAdminMode.MINIO_IS_ADMIN });
    const c = seedConfig(adminSpec);
    c.policy = { minio: buildMinioPolicy(adminSpec) };
    expect(checkKesConfig(c, adminSpec)).toEqual([
      'policy.minio.identities[0]: "${MINIO_KES_IDENTITY}" is also admin.identity; KES refuses an identity that is both admin and in a policy',
      'policy.minio.identities: lists ${MINIO_KES_IDENTITY}, the admin identity; KES refuses an identity that is both admin and in a policy',
    ]);
  });

  test('fails when the admin identity is missing or could enable an admin', () => {
    const c = seedConfig(spec);
    delete c.admin;
    expect(checkKesConfig(c, spec)).toEqual([
      'admin.identity: missing: an admin identity is required by every supported KES ("no admin identity specified")',
    ]);
    c.admin = { identity: '${MINIO_KES_IDENTITY}' };
    expect(checkKesConfig(c, spec)).toEqual([
      'admin.identity: "${MINIO_KES_IDENTITY}" could name a real identity; with kes.adminMode disabled use a non-hex value such as "disabled"',
      'policy.minio.identities[0]: "${MINIO_KES_IDENTITY}" is also admin.identity; KES refuses an identity that is both admin and in a policy',
    ]);
  });

  test('fails when on/off were read as YAML 1.1 booleans or audit is unset', () => {
    const c = seedConfig(spec);
    c.log = { error: true };
    expect(checkKesConfig(c, spec)).toEqual([
      'log.error: true is a boolean (an unquoted on/off read as YAML 1.1): write the string "on"',
      'log.audit: missing must be one of on, off, DEBUG, INFO, WARN, ERROR and set explicitly (unset audit means audit lines on stdout)',
    ]);
  });

  test('fails when version, address, TLS paths or cache are wrong', () => {
    const c = seedConfig(spec);
    c.version = 'v2';
    c.address = 'kes.example.svc:7373';
    c.tls.key = '/etc/kes/key.pem';
    delete c.cache.expiry.unused;
    c.paths = [];
    expect(checkKesConfig(c, spec)).toEqual([
      'paths: is not a KES server config field (KES ignores unknown fields silently); expected version, address, admin, tls, policy, cache, log, keys, keystore, api',
      'version: "v2" must be "v1"',
      'address: "kes.example.svc:7373" must be <ip>:<port> with an IP literal host; KES ≥ 2023-10-24 refuses host names ("is not a valid IP address")',
      'tls.key: "/etc/kes/key.pem" must be /tmp/kes/server.key, where the operator mounts the KES server key',
      'cache.expiry.unused: missing must be set explicitly (KES defaults changed across releases)',
    ]);
  });

  test('accepts IPv6 and empty-host addresses', () => {
    for (const address of ['[::]:7373', ':7373', '10.0.0.1:7373', KES_ADDRESS]) {
      const c = seedConfig(spec);
      c.address = address;
      expect(checkKesConfig(c, spec)).toEqual([]);
    }
  });

  test('fails when the config is not a mapping', () => {
    expect(checkKesConfig('version: v1', spec)).toEqual(['(root): the KES config must be a mapping']);
    expect(checkKesConfig(null, spec)).toEqual(['(root): the KES config must be a mapping']);
  });

  test('the disabled admin identity constant is not hex', () => {
    expect(KES_DISABLED_ADMIN_IDENTITY).not.toMatch(/^[0-9a-fA-F]+$/);
  });
});

describe('checkPolicyPattern', () => {
  test.each([
    '/v1/status',
    '/version',
    '/v1/api',
    '/v1/metrics',
    '/v1/key/list/*',
    '/v1/key/generate/minio-*',
    '/v1/key/decrypt/my-key',
    '/v1/key/bulk/decrypt/*',
    '/v1/identity/self/describe',
  ])('accepts %s', (pattern) => {
    expect(checkPolicyPattern(pattern)).toBeUndefined();
  });

  test.each([
    [
      '/v1/key/*/my-key',
      '"*" is only allowed once, as the last character: from KES 2023-11-09 any other "*" is a literal and matches nothing (minio/kes#510)',
    ],
    [
      '/v1/key/create/*-suffix',
      '"*" is only allowed once, as the last character: from KES 2023-11-09 any other "*" is a literal and matches nothing (minio/kes#510)',
    ],
    [
      '/v1/key/**',
      '"*" is only allowed once, as the last character: from KES 2023-11-09 any other "*" is a literal and matches nothing (minio/kes#510)',
    ],
    [
      '/v1/key/*',
      '"*" must follow a route that takes a key, policy or identity name (e.g. /v1/key/generate/<prefix>*): elsewhere it matches within one segment up to KES 2023-10-03 but across "/" from 2023-11-09',
    ],
    [
      '/v1/*',
      '"*" must follow a route that takes a key, policy or identity name (e.g. /v1/key/generate/<prefix>*): elsewhere it matches within one segment up to KES 2023-10-03 but across "/" from 2023-11-09',
    ],
    [
      '/v1/key/generate/key?',
      'must not contain "?", "[", "]" or "\\": glob syntax up to KES 2023-10-03, literal characters from 2023-11-09',
    ],
    [
      '/v1/key/generate/[ab]*',
      'must not contain "?", "[", "]" or "\\": glob syntax up to KES 2023-10-03, literal characters from 2023-11-09',
    ],
    ['v1/status', 'must start with "/v1/" or "/version" (a KES API path)'],
    ['/minio/health/live', 'must start with "/v1/" or "/version" (a KES API path)'],
    ['/v1/key/list', 'is not a KES API route: /v1/key/list/ takes a name; use /v1/key/list/* or /v1/key/list/<name>'],
    ['/v1/stauts', 'is not a KES API route'],
    ['/v1/key/generate/', 'names nothing: use /v1/key/generate/* or /v1/key/generate/<name>'],
    ['/v1/key/generate/a.b', 'name part "a.b" must use only letters, digits, "_" and "-" (KES names)'],
    ['/v1/key/generate/a/b*', 'name part "a/b" must use only letters, digits, "_" and "-" (KES names)'],
  ])('fails when the pattern is %s', (pattern, message) => {
    expect(checkPolicyPattern(pattern)).toBe(message);
  });

  /** `path.Match` restricted to `*` (the other glob characters are refused): `*` = any run of non-`/` characters. */
  function globMatch(pattern: string, path: string): boolean {
    const re = pattern
      .split('*')
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*');
    return new RegExp(`^${re}$`).test(path);
  }
  /** KES ≥ 2023-11-09 (kms-go `kes/policy.go`): trailing `*` = string prefix, else exact. */
  function prefixMatch(pattern: string, path: string): boolean {
    return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
  }

  const segment = fc.constantFrom(
    'v1',
    'key',
    'list',
    'generate',
    'decrypt',
    'delete',
    'bulk',
    'status',
    'version',
    'minio',
    'a',
    '',
  );
  const rawPath = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => `/${s.join('/')}`);
  const name = fc.stringMatching(/^[A-Za-z0-9_-]{0,12}$/);
  const nameRoute = fc.constantFrom(
    '/v1/key/create/',
    '/v1/key/generate/',
    '/v1/key/list/',
    '/v1/key/delete/',
    '/v1/key/bulk/decrypt/',
  );
  const candidatePattern = fc.oneof(
    fc.tuple(rawPath, fc.constantFrom('', '*', '-*', 'a*')).map(([p, tail]) => `${p}${tail}`),
    fc.tuple(nameRoute, name, fc.constantFrom('', '*')).map(([r, n, tail]) => `${r}${n}${tail}`),
    fc.tuple(nameRoute, name, rawPath, fc.constantFrom('', '*')).map(([r, n, p, tail]) => `${r}${n}${p}${tail}`),
  );
  // Paths KES would serve: a name never contains "/" (KES refuses such a name with 400 after the policy check).
  const servable = (p: string): boolean => !/^\/v1\/key\/(create|generate|list|delete|bulk\/decrypt)\/.*\//.test(p);
  const requestPath = fc.oneof(
    fc.tuple(nameRoute, name).map(([r, n]) => r + n),
    rawPath.filter(servable),
  );

  test('property: a pattern it accepts matches the same request paths under glob and prefix rules', () => {
    fc.assert(
      fc.property(candidatePattern, fc.array(requestPath, { minLength: 1, maxLength: 10 }), (pattern, paths) => {
        fc.pre(checkPolicyPattern(pattern) === undefined);
        for (const p of paths) {
          const glob = globMatch(pattern, p);
          expect(prefixMatch(pattern, p)).toBe(glob);
          expect(policyPatternMatches(pattern, p)).toBe(glob);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('property: every name-prefix wildcard on a key route is accepted and never reaches delete', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('create', 'generate', 'decrypt', 'list'),
        fc.stringMatching(/^[A-Za-z0-9-]{0,20}$/),
        name,
        (op, prefix, key) => {
          const pattern = `/v1/key/${op}/${prefix}*`;
          expect(checkPolicyPattern(pattern)).toBeUndefined();
          expect(policyPatternMatches(pattern, `/v1/key/delete/${prefix}${key}`)).toBe(false);
          expect(policyPatternMatches(pattern, `/v1/key/${op}/${prefix}${key}`)).toBe(true);
        },
      ),
    );
  });
});

describe('policyAllowsPath', () => {
  test('deny wins over allow', () => {
    const policy = { allow: ['/v1/key/generate/*'], deny: ['/v1/key/generate/secret-*'] };
    expect(policyAllowsPath(policy, '/v1/key/generate/public-key')).toBe(true);
    expect(policyAllowsPath(policy, '/v1/key/generate/secret-key')).toBe(false);
    expect(policyAllowsPath(policy, '/v1/status')).toBe(false);
  });
});

describe("checkKesConfig: the Key Vault endpoint's cloud and the KES image", () => {
  const china = 'https://minio-kes-example.vault.azure.cn';

  test('fails when a China endpoint reaches a KES image that hard-codes the public token resource (e.g. after a patch)', () => {
    const { parseKesImage } = require('../../lib/declaration');
    const spec = resolveWith(OperatorRelease.V7_1_1, { keyVaultEndpoint: china });
    expect(checkKesConfig(buildKesConfig(spec), spec)).toEqual([]);
    const oldImage = parseKesImage('quay.io/minio/kes:2024-04-12T13-50-00Z');
    const patched = { ...spec, kes: { ...spec.kes, imageInfo: oldImage } } as ResolvedDeclaration;
    expect(checkKesConfig(buildKesConfig(spec), patched)).toEqual([
      'keystore.azure.keyvault.endpoint: is in Azure China, which KES 2024-04-12T13-50-00Z cannot authenticate to (public token resource hard-coded); use KES 2024-06-17T15-47-05Z or later',
    ]);
  });

  test('the auth block keys are the same in every pinned image era (edge 2023-04-18, kesconf 2025-03-12)', () => {
    for (const release of [OperatorRelease.V5_0_4, OperatorRelease.V7_1_1]) {
      const cs = rendered(resolveWith(release)).config.keystore.azure.keyvault;
      expect(Object.keys(cs.credentials).sort()).toEqual(['client_id', 'client_secret', 'tenant_id']);
      const mi = rendered(resolveWith(release, { auth: AzureAuth.managedIdentity({ clientId: CLIENT_ID }) })).config
        .keystore.azure.keyvault;
      expect(mi).toEqual({
        endpoint: 'https://minio-kes-example.vault.azure.net',
        managed_identity: { client_id: '${AZURE_CLIENT_ID}' },
      });
    }
  });
});
