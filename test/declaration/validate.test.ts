import fc from 'fast-check';
import { seedDeclaration } from '../../examples/seed';
import {
  AzureAuth,
  formatProblems,
  KesAdminMode,
  KES_ENV,
  KesPolicyEra,
  MinioSseDeclaration,
  OperatorRelease,
  resolveDeclaration,
  validateDeclaration,
} from '../../lib/declaration';

const TENANT_ID = '11111111-2222-3333-4444-555555555555';
const CLIENT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

/** The seed with parts replaced (shallow per section). */
function seedWith(
  parts: {
    tenant?: Partial<MinioSseDeclaration['tenant']>;
    kes?: Partial<MinioSseDeclaration['kes']>;
  } & Partial<Omit<MinioSseDeclaration, 'tenant' | 'kes'>> = {},
  release: OperatorRelease = OperatorRelease.V5_0_4,
): MinioSseDeclaration {
  const seed = seedDeclaration({ release });
  const { tenant, kes, ...rest } = parts;
  return { ...seed, ...rest, tenant: { ...seed.tenant, ...tenant }, kes: { ...seed.kes, ...kes } };
}

const MSG = {
  bucket:
    '"My_Bucket" is not a valid bucket name: must use only lowercase letters, digits, "." and "-", and begin and end with a letter or digit',
  ek: '"bad_key" is not a valid EK name: must use only letters, digits and "-" (Azure Key Vault secret names allow no "_" or ".")',
  http: '"http://x.vault.azure.net" is not a valid Key Vault endpoint: must use https:// (Key Vault refuses authenticated requests over plain http)',
  nonVault:
    '"https://example.com" is not a valid Key Vault endpoint: must be https://<vault-name>.vault.azure.net | vault.azure.cn | vault.usgovcloudapi.net with no path',
  tenantId:
    'a string of 10 characters (value not shown) is not a valid tenant ID: must be a UUID (8-4-4-4-12 hexadecimal digits)',
  pool: '1 server x 2 volumes = 2 drives is below the erasure-coding minimum of 4 drives per pool',
};

describe('validateDeclaration', () => {
  test.each(OperatorRelease.all())('accepts the seed for operator %s', (release) => {
    expect(validateDeclaration(seedDeclaration({ release }))).toEqual([]);
  });

  test('fails when a bucket name breaks the S3 rules', () => {
    const decl = seedWith({ buckets: [{ name: 'My_Bucket', encryptionKey: 'encrypted-bucket-key' }] });
    expect(validateDeclaration(decl)).toEqual([{ path: 'buckets[0].name', message: MSG.bucket }]);
  });

  test('fails when an EK name contains "_"', () => {
    expect(validateDeclaration(seedWith({ kes: { keys: ['bad_key'] } }))).toEqual([
      { path: 'kes.keys[0]', message: MSG.ek },
    ]);
  });

  test('fails when a bucket key contains "_"', () => {
    const decl = seedWith({ buckets: [{ name: 'encryptedbucket', encryptionKey: 'bad_key' }] });
    expect(validateDeclaration(decl)).toEqual([{ path: 'buckets[0].encryptionKey', message: MSG.ek }]);
  });

  test('fails when the Key Vault endpoint is not https', () => {
    expect(validateDeclaration(seedWith({ kes: { keyVaultEndpoint: 'http://x.vault.azure.net' } }))).toEqual([
      { path: 'kes.keyVaultEndpoint', message: MSG.http },
    ]);
  });

  test('fails when the Key Vault endpoint is not a vault host', () => {
    expect(validateDeclaration(seedWith({ kes: { keyVaultEndpoint: 'https://example.com' } }))).toEqual([
      { path: 'kes.keyVaultEndpoint', message: MSG.nonVault },
    ]);
  });

  test('fails when the Key Vault endpoint misses the dot before vault.azure.net (typo in minio/docs `common-minio-kes-azure.rst`)', () => {
    expect(validateDeclaration(seedWith({ kes: { keyVaultEndpoint: 'https://myvaultvault.azure.net' } }))).toEqual([
      {
        path: 'kes.keyVaultEndpoint',
        message:
          '"https://myvaultvault.azure.net" is not a valid Key Vault endpoint: must be https://<vault-name>.vault.azure.net | vault.azure.cn | vault.usgovcloudapi.net with no path',
      },
    ]);
  });

  test('fails when the tenant ID is not a UUID', () => {
    const auth = AzureAuth.clientSecret({ secretName: 'kes-azure-credentials', tenantId: 'not-a-uuid' });
    expect(validateDeclaration(seedWith({ kes: { auth } }))).toEqual([
      { path: 'kes.auth.tenantId', message: MSG.tenantId },
    ]);
  });

  test('fails when a pool is below the erasure-coding minimum', () => {
    const decl = seedWith({
      tenant: { pools: [{ name: 'pool-0', servers: 1, volumesPerServer: 2, storageSize: '1Ti' }] },
    });
    expect(validateDeclaration(decl)).toEqual([{ path: 'tenant.pools[0]', message: MSG.pool }]);
  });

  test('fails when workload identity is used with the v5.0.4 default KES image, naming kes.auth', () => {
    const auth = AzureAuth.workloadIdentity({ clientId: CLIENT_ID, tenantId: TENANT_ID });
    expect(validateDeclaration(seedWith({ kes: { auth } }))).toEqual([
      {
        path: 'kes.auth',
        message:
          'workload identity needs a KES image from 2024-06-17T15-47-05Z on (DefaultAzureCredential); "quay.io/minio/kes:2023-04-18T19-36-09Z" only supports client-secret or managed-identity auth: set kes.image',
      },
    ]);
  });

  test('fails when the KES image has a broken tag', () => {
    expect(validateDeclaration(seedWith({ kes: { image: 'quay.io/minio/kes:2023-10-24T20-26-51Z' } }))).toEqual([
      {
        path: 'kes.image',
        message:
          '"quay.io/minio/kes:2023-10-24T20-26-51Z" is not a usable KES image: tag "2023-10-24T20-26-51Z" has broken policy matching and keystore reload (minio/kes kes-go v0.2.0); use 2023-11-09T17-35-47Z or later',
      },
    ]);
  });

  test.each([
    [
      'quay.io/minio/kes:latest',
      'tag "latest" is not a KES date tag (YYYY-MM-DDTHH-MM-SSZ); semver and floating tags use other config formats',
    ],
    ['minio/kes', 'has no tag; pin a KES date tag such as 2025-03-12T09-35-18Z'],
    [
      'minio/kes:v0.22.3',
      'tag "v0.22.3" is not a KES date tag (YYYY-MM-DDTHH-MM-SSZ); semver and floating tags use other config formats',
    ],
  ])('fails when the KES image is %s', (image, reason) => {
    expect(validateDeclaration(seedWith({ kes: { image } }))).toEqual([
      { path: 'kes.image', message: `${JSON.stringify(image)} is not a usable KES image: ${reason}` },
    ]);
  });

  test('fails when an EK does not start with keyNamePrefix', () => {
    expect(validateDeclaration(seedWith({ kes: { keyNamePrefix: 'minio-' } }))).toEqual([
      {
        path: 'buckets[0].encryptionKey',
        message:
          '"encrypted-bucket-key" does not start with kes.keyNamePrefix "minio-"; the KES policy would refuse it',
      },
    ]);
  });

  test('fails when the auth is not made by an AzureAuth factory', () => {
    const auth = { mode: 'clientSecret', options: { secretName: 'x' } } as unknown as AzureAuth;
    expect(validateDeclaration(seedWith({ kes: { auth } }))).toEqual([
      {
        path: 'kes.auth',
        message:
          'is required: use AzureAuth.clientSecret(…), AzureAuth.managedIdentity(…) or AzureAuth.workloadIdentity(…)',
      },
    ]);
  });
});

describe('resolveDeclaration', () => {
  test('fails when the declaration has many problems, listing every one with its path in one Error', () => {
    const decl = seedWith({
      tenant: { pools: [{ name: 'pool-0', servers: 1, volumesPerServer: 2, storageSize: '1Ti' }] },
      kes: {
        keyVaultEndpoint: 'http://x.vault.azure.net',
        keys: ['bad_key'],
        auth: AzureAuth.clientSecret({ secretName: 'kes-azure-credentials', tenantId: 'not-a-uuid' }),
      },
      buckets: [{ name: 'My_Bucket', encryptionKey: 'encrypted-bucket-key' }],
    });
    const expected = [
      'invalid MinIO SSE declaration (5 problems):',
      `  - tenant.pools[0]: ${MSG.pool}`,
      `  - kes.keyVaultEndpoint: ${MSG.http}`,
      `  - kes.keys[0]: ${MSG.ek}`,
      `  - kes.auth.tenantId: ${MSG.tenantId}`,
      `  - buckets[0].name: ${MSG.bucket}`,
    ].join('\n');
    let thrown: unknown;
    try {
      resolveDeclaration(decl);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe(expected);
    expect((thrown as Error).message).toBe(formatProblems(validateDeclaration(decl)));
  });

  test('fails when the non-vault endpoint is combined with other problems, still reporting each', () => {
    const decl = seedWith({
      kes: { keyVaultEndpoint: 'https://example.com', defaultKeyName: 'bad_key' },
    });
    expect(() => resolveDeclaration(decl)).toThrow(
      [
        'invalid MinIO SSE declaration (2 problems):',
        `  - kes.keyVaultEndpoint: ${MSG.nonVault}`,
        `  - kes.defaultKeyName: ${MSG.ek}`,
      ].join('\n'),
    );
  });

  test('fails when there is one problem, with the singular heading', () => {
    expect(() => resolveDeclaration(seedWith({ kes: { keys: ['bad_key'] } }))).toThrow(
      `invalid MinIO SSE declaration (1 problem):\n  - kes.keys[0]: ${MSG.ek}`,
    );
  });

  describe('defaults of the resolved seed', () => {
    const spec = resolveDeclaration(seedDeclaration());

    test('names the KES config Secret, KES Service and MinIO service', () => {
      expect(spec.kes.configSecretName).toBe('minio-tenant-1-kes-config');
      expect(spec.kes.serviceName).toBe('minio-tenant-1-kes-hl-svc');
      expect(spec.tenant.serviceName).toBe('minio');
      expect(spec.tenant.serviceHost).toBe('minio.minio-tenant-1.svc.cluster.local');
      expect(spec.tenant.servicePort).toBe(443);
      expect(spec.tenant.serviceUrl).toBe('https://minio.minio-tenant-1.svc.cluster.local:443');
      expect(spec.operatorNamespace).toBe('minio-operator');
    });

    test('orders encryptionKeys default first, then keys, then bucket keys, without duplicates', () => {
      expect(spec.kes.keys).toEqual([
        'minio-encryption-key-alpha',
        'minio-encryption-key-baker',
        'minio-encryption-key-charlie',
      ]);
      expect(spec.encryptionKeys).toEqual([
        'minio-encryption-key-alpha',
        'minio-encryption-key-baker',
        'minio-encryption-key-charlie',
        'encrypted-bucket-key',
      ]);
    });

    test('dedupes a bucket key that is also a declared EK', () => {
      const r = resolveDeclaration(
        seedWith({
          kes: { defaultKeyName: 'k-default', keys: ['k-one'] },
          buckets: [
            { name: 'bucket-a', encryptionKey: 'k-one' },
            { name: 'bucket-b', encryptionKey: 'k-two' },
            { name: 'bucket-c', encryptionKey: 'k-default' },
          ],
        }),
      );
      expect(r.encryptionKeys).toEqual(['k-default', 'k-one', 'k-two']);
    });

    test('pins the release images and KES defaults', () => {
      expect(spec.tenant.image).toBe(OperatorRelease.V5_0_4.minioImage);
      expect(spec.kes.image).toBe('quay.io/minio/kes:2023-04-18T19-36-09Z');
      expect(spec.kes.imageInfo.policyEra).toBe(KesPolicyEra.GLOB);
      expect(spec.kes.replicas).toBe(2);
      expect(spec.kes.adminMode).toBe(KesAdminMode.DISABLED);
      expect(spec.kes.cacheExpiryAny).toBe('5m0s');
      expect(spec.kes.cacheExpiryUnused).toBe('20s');
      expect(spec.kes.vaultName).toBe('minio-kes-example');
      expect(spec.kes.endpoint).toBe('https://minio-kes-example.vault.azure.net');
      expect(spec.job.image).toBe(OperatorRelease.V5_0_4.mcImage);
      expect(spec.job).toMatchObject({
        backoffLimit: 3,
        activeDeadlineSeconds: 1800,
        readinessAttempts: 60,
        readinessIntervalSeconds: 10,
        insecureSkipTlsVerify: false,
        caConfigMapName: 'kube-root-ca.crt',
      });
      expect(spec.job.ttlSecondsAfterFinished).toBeUndefined();
    });

    test('feeds every client-secret env var from the referenced Secret', () => {
      expect(spec.kes.env).toEqual([
        { name: KES_ENV.CLIENT_ID, source: { secretName: 'kes-azure-credentials', secretKey: 'AZURE_CLIENT_ID' } },
        {
          name: KES_ENV.CLIENT_SECRET,
          source: { secretName: 'kes-azure-credentials', secretKey: 'AZURE_CLIENT_SECRET' },
        },
        { name: KES_ENV.TENANT_ID, source: { secretName: 'kes-azure-credentials', secretKey: 'AZURE_TENANT_ID' } },
      ]);
    });

    test('uses literal tenant and client IDs when given, the client secret always from the Secret', () => {
      const r = resolveDeclaration(seedDeclaration({ tenantId: TENANT_ID, clientId: CLIENT_ID }));
      expect(r.kes.env).toEqual([
        { name: 'AZURE_CLIENT_ID', source: { value: CLIENT_ID } },
        {
          name: 'AZURE_CLIENT_SECRET',
          source: { secretName: 'kes-azure-credentials', secretKey: 'AZURE_CLIENT_SECRET' },
        },
        { name: 'AZURE_TENANT_ID', source: { value: TENANT_ID } },
      ]);
    });

    test('serves plain http on port 80 without auto-cert', () => {
      const r = resolveDeclaration(seedWith({ tenant: { requestAutoCert: false } }));
      expect(r.tenant.serviceUrl).toBe('http://minio.minio-tenant-1.svc.cluster.local:80');
    });

    test('names default pools pool-<index>', () => {
      const r = resolveDeclaration(
        seedWith({
          tenant: {
            pools: [
              { servers: 4, volumesPerServer: 4, storageSize: '1Ti' },
              { servers: 2, volumesPerServer: 2, storageSize: '1Ti' },
            ],
          },
        }),
      );
      expect(r.tenant.pools.map((p) => p.name)).toEqual(['pool-0', 'pool-1']);
    });
  });

  test('resolves workload identity with the v7.1.1 KES image and a default service account', () => {
    const auth = AzureAuth.workloadIdentity({ clientId: CLIENT_ID, tenantId: TENANT_ID });
    const r = resolveDeclaration(seedWith({ kes: { auth } }, OperatorRelease.V7_1_1));
    expect(r.kes.imageInfo.supportsDefaultAzureCredential).toBe(true);
    expect(r.kes.imageInfo.policyEra).toBe(KesPolicyEra.PREFIX);
    expect(r.kes.serviceAccountName).toBe('minio-tenant-1-kes');
    // the AKS webhook injects AZURE_CLIENT_ID / AZURE_TENANT_ID / AZURE_FEDERATED_TOKEN_FILE itself
    expect(r.kes.env).toEqual([]);
  });

  test('resolves workload identity on operator v5.0.4 once kes.image is new enough', () => {
    const auth = AzureAuth.workloadIdentity({ clientId: CLIENT_ID, tenantId: TENANT_ID, serviceAccountName: 'kes-wi' });
    const r = resolveDeclaration(seedWith({ kes: { auth, image: 'quay.io/minio/kes:2025-03-12T09-35-18Z' } }));
    expect(r.kes.image).toBe('quay.io/minio/kes:2025-03-12T09-35-18Z');
    expect(r.kes.serviceAccountName).toBe('kes-wi');
  });
});

describe('unknown fields', () => {
  test('fails when a field name is misspelled, naming the path and the known fields', () => {
    const decl = seedWith({ tenant: { requestAutocert: false } as any });
    expect(validateDeclaration(decl)).toEqual([
      {
        path: 'tenant.requestAutocert',
        message:
          'is not a known field (expected one of name, namespace, pools, configurationSecretName, image, requestAutoCert, clusterDomain)',
      },
    ]);
  });

  test('fails when a secret value is put into the auth options, without repeating the value', () => {
    const canary = 'CANARY-client-secret-7f3a';
    const auth = AzureAuth.clientSecret({ secretName: 'kes-azure-credentials', clientSecret: canary } as any);
    const problems = validateDeclaration(seedWith({ kes: { auth } }));
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('kes.auth.clientSecret');
    expect(problems[0].message).toMatch(/secret values are never declared/);
    expect(JSON.stringify(problems)).not.toContain(canary);
  });
});

describe('bucket-encryption Job bounds', () => {
  test('fails when activeDeadlineSeconds does not exceed the readiness wait bound', () => {
    const decl = seedWith({
      bucketEncryptionJob: { activeDeadlineSeconds: 600, readinessAttempts: 30, readinessIntervalSeconds: 10 },
    });
    expect(validateDeclaration(decl)).toEqual([
      {
        path: 'bucketEncryptionJob.activeDeadlineSeconds',
        message:
          '600 must be at least 900 s: the readiness wait bound of 600 s (2 stages x 30 attempts x 10 s) plus 300 s for the EK and bucket work, or the Job is killed before it finishes',
      },
    ]);
  });
});

describe('rules found by adversarial testing', () => {
  const problemsOf = (decl: MinioSseDeclaration) => validateDeclaration(decl);
  const one = (decl: MinioSseDeclaration) => {
    const p = problemsOf(decl);
    expect(p).toHaveLength(1);
    return p[0];
  };

  test('fails when the KES StatefulSet name "<tenant>-kes" would exceed 52 characters', () => {
    const p = one(seedWith({ tenant: { name: `t${'x'.repeat(48)}` } }));
    expect(p.path).toBe('tenant.name');
    expect(p.message).toMatch(/must be 1 to 48 characters/);
  });

  test('fails when the tenant name starts with a digit (operator Service names must start with a letter)', () => {
    expect(one(seedWith({ tenant: { name: '1tenant' } })).message).toMatch(/must start with a lowercase letter/);
  });

  test('fails when "<tenant>-<pool>" would exceed 52 characters', () => {
    const p = one(
      seedWith({ tenant: { pools: [{ name: 'p'.repeat(38), servers: 4, volumesPerServer: 4, storageSize: '1Ti' }] } }),
    );
    expect(p.path).toBe('tenant.pools[0].name');
    expect(p.message).toMatch(/must be 1 to 37 characters/);
  });

  test.each([
    [17, 1],
    [1, 17],
    [19, 1],
  ])(
    'fails when %i servers x %i volumes cannot be split into erasure sets of 4 to 16 drives',
    (servers, volumesPerServer) => {
      const p = one(seedWith({ tenant: { pools: [{ servers, volumesPerServer, storageSize: '1Ti' }] } }));
      expect(p.message).toMatch(/cannot be split into equal erasure sets of 4 to 16 drives/);
    },
  );

  test('fails when an int32 field overflows', () => {
    const p = one(seedWith({ tenant: { pools: [{ servers: 3e9, volumesPerServer: 4, storageSize: '1Ti' }] } }));
    expect(p).toEqual({ path: 'tenant.pools[0].servers', message: '3000000000 must be between 1 and 2147483647' });
  });

  test('fails when two EKs differ only in letter case (Key Vault names are case-insensitive)', () => {
    const p = one(seedWith({ kes: { keys: ['minio-encryption-key-alpha', 'Minio-Encryption-Key-Alpha'] } }));
    expect(p.path).toBe('kes.keys[1]');
    expect(p.message).toMatch(/only in letter case/);
  });

  test('fails when Secret names or keys collide', () => {
    const auth = AzureAuth.clientSecret({
      secretName: 'minio-tenant-1-env-configuration',
      clientIdKey: 'AZURE_CLIENT_SECRET',
    });
    const paths = problemsOf(seedWith({ kes: { auth } })).map((p) => p.path);
    expect(paths).toEqual(['kes.auth.clientIdKey', 'kes.auth.secretName']);
    const same = problemsOf(seedWith({ kes: { configSecretName: 'kes-azure-credentials' } })).map((p) => p.path);
    expect(same).toEqual(['kes.configSecretName']);
  });

  test('fails when requestAutoCert is not a boolean', () => {
    expect(one(seedWith({ tenant: { requestAutoCert: 'false' as unknown as boolean } }))).toEqual({
      path: 'tenant.requestAutoCert',
      message: '"false" must be a boolean',
    });
  });

  test.each(['minio', '.minio.sys'])('fails when the bucket name is the reserved %s', (name) => {
    expect(one(seedWith({ buckets: [{ name, encryptionKey: 'encrypted-bucket-key' }] })).path).toBe('buckets[0].name');
  });

  test.each(['kube-system', 'default'])('fails when the tenant namespace is the system namespace %s', (ns) => {
    expect(one(seedWith({ tenant: { namespace: ns } })).message).toMatch(/must not be a system namespace/);
  });

  test.each(['quay.io/minio/minio', 'quay.io/minio/minio:latest'])(
    'fails when the MinIO image %s is not pinned',
    (image) => {
      expect(one(seedWith({ tenant: { image } })).message).toMatch(/must be pinned/);
    },
  );

  test.each(['1m', '0.0001', '1Ki'])('fails when the storage size %s is below 1Gi', (storageSize) => {
    expect(one(seedWith({ tenant: { pools: [{ servers: 4, volumesPerServer: 4, storageSize }] } })).message).toMatch(
      /at least 1Gi/,
    );
  });

  test.each(['quay.io/minio/kes:2025-02-30T09-35-18Z', 'quay.io/minio/kes:2099-01-01T00-00-00Z'])(
    'fails when the KES tag %s is not a real release date',
    (image) => {
      expect(one(seedWith({ kes: { image } })).path).toBe('kes.image');
    },
  );

  test("fails when a pod annotation uses the library's reserved prefix", () => {
    const p = one(seedWith({ kes: { podAnnotations: { 'minio-sse-azure.io/kes-config-sha256': 'x' } } }));
    expect(p.message).toMatch(/is reserved/);
  });

  test('reports a missing field as required, and an invalid tenant name only once', () => {
    const decl = seedWith({ tenant: { name: undefined as unknown as string } });
    expect(problemsOf(decl)).toEqual([{ path: 'tenant.name', message: 'is required (a tenant name)' }]);
  });

  test('fails with a listed problem, not a TypeError, for null pools and buckets, BigInt, symbols and cycles', () => {
    const cyclic: any = { name: 'x' };
    cyclic.self = cyclic;
    const decl = seedWith({
      tenant: {
        pools: [null as any, { servers: 4n as any, volumesPerServer: 4, storageSize: '1Ti' }],
        name: Symbol('t') as any,
      },
      buckets: [null as any, cyclic],
    });
    const problems = problemsOf(decl);
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'tenant.name',
        'tenant.pools[0]',
        'tenant.pools[1].servers',
        'buckets[0]',
        'buckets[1].self',
      ]),
    );
  });

  test('never throws for arbitrary values in any field (property test)', () => {
    const fields = ['release', 'operatorNamespace', 'tenant', 'kes', 'buckets', 'bucketEncryptionJob'];
    fc.assert(
      fc.property(
        fc.constantFrom(...fields),
        fc.anything({ withBigInt: true, withNullPrototype: true }),
        (field, value) => {
          const decl = { ...seedDeclaration(), [field]: value } as unknown as MinioSseDeclaration;
          expect(() => validateDeclaration(decl)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom('name', 'namespace', 'pools', 'configurationSecretName', 'image', 'requestAutoCert'),
        fc.anything({ withBigInt: true }),
        (field, value) => {
          const seed = seedDeclaration();
          const decl = { ...seed, tenant: { ...seed.tenant, [field]: value } } as unknown as MinioSseDeclaration;
          expect(() => validateDeclaration(decl)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });

  test('fails when a Secret name is one the operator creates for the tenant', () => {
    const p = one(seedWith({ tenant: { configurationSecretName: 'minio-tenant-1-tls' } }));
    expect(p.path).toBe('tenant.configurationSecretName');
    expect(p.message).toMatch(
      /names a Secret the operator creates for this tenant \(<tenant>-tls, <tenant>-kes-tls or <tenant>-client-tls\); choose another name/,
    );
  });
});

describe('the client-secret slot annotation is owned by the Azure/Pulumi layer', () => {
  const SLOT = 'minio-sse-azure.io/azure-client-secret-slot';

  /** A fresh copy of the declaration layer (and the seed built with it), with `load` run first. */
  function freshProblems(load: () => void): { path: string; message: string }[] {
    let problems: { path: string; message: string }[] = [];
    jest.isolateModules(() => {
      load();
      // The seed (examples/seed.ts) loads the whole library, so its release and auth are rebuilt with this copy.
      const decl = require('../../lib/declaration');
      const seed = seedWith();
      const options = seed.kes.auth.clientSecretOptions;
      expect(options).toBeDefined();
      problems = decl.validateDeclaration({
        ...seed,
        release: decl.OperatorRelease.V5_0_4,
        kes: { ...seed.kes, auth: decl.AzureAuth.clientSecret({ ...options }), podAnnotations: { [SLOT]: 'primary' } },
      });
    });
    return problems;
  }

  test('fails when the declaration layer alone sees the slot annotation: it is under the reserved prefix', () => {
    const problems = freshProblems(() => undefined);
    expect(problems).toEqual([
      {
        // the annotation name is shown as every map key is: quoted, at most 40 characters
        path: 'kes.podAnnotations["minio-sse-azure.io/azure-client-secret-s"... (43 characters)]',
        message: 'is reserved: the library sets annotations under minio-sse-azure.io/',
      },
    ]);
  });

  test('a declaration carrying it reads back once the layer that owns it is loaded (effectiveDeclaration)', () => {
    const problems = freshProblems(() => {
      expect(require('../../lib/azure/slot-annotation').ACTIVE_CLIENT_SECRET_ANNOTATION).toBe(SLOT);
    });
    expect(problems).toEqual([]);
  });
});
