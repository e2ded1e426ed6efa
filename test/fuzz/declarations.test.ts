import fc from 'fast-check';
import { Testing } from 'cdk8s';
import { seedDeclaration } from '../../examples/seed';
import { AzureAuth, MinioSseCharts, OperatorRelease, resolveDeclaration } from '../../lib';
import { resolveInternal } from '../../lib/declaration/validate';
import { fixtureCrds } from '../support/fixtures';
import { validateObject } from '../support/k8s-validate';
import { kubectlParity } from '../support/kubectl-parity';

/**
 * Fuzz suite: generated and mutated declarations across both releases and every auth mode. Each case either throws
 * the one listing error or is accepted; every case is validated, a sample of the accepted ones is synthesized and
 * checked (CRD schema of the Tenant, kubernetes-models), and a smaller sample is decoded with the real kubectl and
 * compared object by object. Set FUZZ_SEED to replay a run, FUZZ_RUNS to change the number of cases.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SYNTH_SAMPLE = 40;
const PARITY_SAMPLE = 8;

const UUID_A = '11111111-2222-3333-4444-555555555555';
const UUID_B = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const NEW_KES_IMAGE = 'quay.io/minio/kes:2025-03-12T09-35-18Z';
const LISTING = /^invalid MinIO SSE declaration \((\d+) problems?\):\n( {2}- [^\n]*)(\n {2}- [^\n]*)*$/;

type Mode = 'clientSecret' | 'managedIdentity' | 'workloadIdentity';

function authOf(mode: Mode, options: Record<string, unknown>): AzureAuth {
  return mode === 'clientSecret'
    ? AzureAuth.clientSecret(options as never)
    : mode === 'managedIdentity'
      ? AzureAuth.managedIdentity(options as never)
      : AzureAuth.workloadIdentity(options as never);
}

function baseOptions(mode: Mode, literalIds: boolean): Record<string, unknown> {
  if (mode === 'clientSecret') {
    return literalIds
      ? { secretName: 'kes-azure-credentials', tenantId: UUID_A, clientId: UUID_B }
      : { secretName: 'kes-azure-credentials' };
  }
  return mode === 'managedIdentity' ? { clientId: UUID_B } : { clientId: UUID_B, tenantId: UUID_A };
}

/** Valid values that stress the output: YAML 1.1 words as names, free text with quotes, tabs and newlines. */
const validNames = fc.constantFrom(
  'yes',
  'no',
  'on',
  'off',
  'null',
  'true',
  'y',
  'n',
  '012',
  '1e3',
  '0x1f',
  'abc',
  'tenant-a',
);
const validText = fc.constantFrom(
  'plain',
  'a: b',
  '- x',
  '"quoted"',
  "'single'",
  'tab\there',
  'two\nlines',
  'trailing ',
  '#hash',
  '{x}',
  'ünïcödé ✓',
  '😀',
  '',
  ' ',
  'yes',
  '0o17x',
);

/** Hostile values that cannot be printed or reused: made fresh for each build. */
const SPECIALS: Record<string, () => unknown> = {
  throwingGetter: () =>
    Object.defineProperty({}, 'name', {
      enumerable: true,
      get: () => {
        throw new Error('boom "secret"');
      },
    }),
  throwingProxy: () =>
    new Proxy(
      {},
      {
        ownKeys: () => {
          throw new TypeError('trap');
        },
        get: () => {
          throw new RangeError('x');
        },
      },
    ),
  revoked: () => {
    const r = Proxy.revocable({}, {});
    r.revoke();
    return r.proxy;
  },
  revokedArray: () => {
    const r = Proxy.revocable([], {});
    r.revoke();
    return r.proxy;
  },
  cyclic: () => {
    const o: Record<string, unknown> = { name: 'x' };
    o.self = o;
    return o;
  },
  cyclicArray: () => {
    const a: unknown[] = [];
    a.push(a);
    return a;
  },
  badToString: () => ({
    toString: () => {
      throw new Error('no');
    },
    valueOf: () => {
      throw new Error('no');
    },
    [Symbol.toPrimitive]: () => {
      throw new Error('no');
    },
  }),
  protoKey: () => JSON.parse('{"__proto__": {"name": "x"}, "servers": 4}'),
  constructorKey: () => JSON.parse('{"constructor": "x", "name": "x"}'),
  nullProto: () => Object.assign(Object.create(null), { name: 'abc' }),
  classInstance: () =>
    new (class Foo {
      public name = 'abc';
    })(),
  hugeSparse: () => {
    const a: unknown[] = [];
    a.length = 2 ** 31;
    return a;
  },
  getterArray: () => {
    const a = [1, 2];
    Object.defineProperty(a, 0, {
      get: () => {
        throw new Error('x');
      },
    });
    return a;
  },
  badToStringTag: () => ({
    get [Symbol.toStringTag]() {
      throw new Error('x');
    },
  }),
  lyingArray: () => new Proxy([], { get: (t, k) => (k === 'length' ? 1e9 : Reflect.get(t, k)) }),
  craftedKey: () => ({ 'evil\n  - tenant.name: fake line': 1 }),
};

function materialize(v: unknown): unknown {
  return typeof v === 'string' && v.startsWith('$$') && SPECIALS[v.slice(2)] ? SPECIALS[v.slice(2)]() : v;
}

/** Values that are wrong in a hostile way. */
function hostile(): fc.Arbitrary<unknown> {
  // Built in build() from a token, so fast-check can print and replay the case.
  const special = fc.constantFrom(...Object.keys(SPECIALS)).map((k) => `$$${k}`);
  const strings = fc.oneof(
    fc.constantFrom(
      '0o17',
      '0O7',
      '~',
      '',
      ' ',
      'x\u2028y',
      'x\u2029',
      'x\u0085y',
      '\ufeffx',
      'x\u007f',
      'x\u009b',
      'a\u0000b',
      'x\ud800',
      '\udc00',
      'a\nb',
      'Ünï',
      'a'.repeat(300),
      '9'.repeat(100000),
      '1.'.repeat(50000),
      'a/'.repeat(50000),
    ),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );
  return fc.oneof(
    fc.anything({
      withBigInt: true,
      withNullPrototype: true,
      withMap: true,
      withSet: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
      withBoxedValues: true,
      maxDepth: 2,
    }),
    fc.constantFrom<unknown>(
      10n,
      Symbol('s'),
      () => 1,
      /re/,
      new Date(0),
      new Map([['a', 1]]),
      NaN,
      Infinity,
      -0,
      2 ** 53,
      1.5,
      -1,
      null,
      undefined,
      [],
      {},
      [[]],
      new String('x'),
    ),
    special,
    strings,
  );
}

const FIELD_PATHS = [
  'release',
  'operatorNamespace',
  'tenant',
  'tenant.name',
  'tenant.namespace',
  'tenant.pools',
  'tenant.pools.0',
  'tenant.pools.0.name',
  'tenant.pools.0.servers',
  'tenant.pools.0.volumesPerServer',
  'tenant.pools.0.storageSize',
  'tenant.pools.0.storageClassName',
  'tenant.configurationSecretName',
  'tenant.image',
  'tenant.requestAutoCert',
  'tenant.clusterDomain',
  'kes',
  'kes.keyVaultEndpoint',
  'kes.auth',
  'kes.defaultKeyName',
  'kes.keys',
  'kes.keys.0',
  'kes.keyNamePrefix',
  'kes.replicas',
  'kes.image',
  'kes.adminMode',
  'kes.cacheExpiryAny',
  'kes.cacheExpiryUnused',
  'kes.configSecretName',
  'kes.podAnnotations',
  'kes.podAnnotations.example.com/note',
  'buckets',
  'buckets.0',
  'buckets.0.name',
  'buckets.0.encryptionKey',
  'bucketEncryptionJob',
  'bucketEncryptionJob.image',
  'bucketEncryptionJob.backoffLimit',
  'bucketEncryptionJob.activeDeadlineSeconds',
  'bucketEncryptionJob.ttlSecondsAfterFinished',
  'bucketEncryptionJob.insecureSkipTlsVerify',
  'bucketEncryptionJob.caConfigMapName',
  'unknownField',
  'tenant.__proto__',
  'kes.constructor',
];
const AUTH_FIELDS = [
  'secretName',
  'tenantId',
  'clientId',
  'clientSecretKey',
  'tenantIdKey',
  'clientIdKey',
  'serviceAccountName',
  'clientSecret',
];

type Mutation =
  | { kind: 'set'; path: string; value: unknown }
  | { kind: 'auth'; field: string; value: unknown }
  | { kind: 'name'; path: string; value: string }
  | { kind: 'proxy'; path: string; throwing: boolean }
  | { kind: 'root'; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      path: fc.constantFrom(...FIELD_PATHS),
      value: hostile(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('auth' as const),
      field: fc.constantFrom(...AUTH_FIELDS),
      value: fc.oneof(hostile(), fc.constantFrom<unknown>('kes-azure-credentials', 'AZURE_CLIENT_SECRET', UUID_A)),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('name' as const),
      path: fc.constantFrom(
        'operatorNamespace',
        'tenant.namespace',
        'buckets.0.name',
        'kes.keys.0',
        'tenant.pools.0.name',
        'kes.podAnnotations.example.com/note',
      ),
      value: fc.oneof(validNames, validText),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('proxy' as const),
      path: fc.constantFrom('', 'tenant', 'kes', 'tenant.pools', 'buckets.0'),
      throwing: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('root' as const), value: hostile() }) },
);

const fuzzCase = fc.record({
  release: fc.constantFrom(...OperatorRelease.all()),
  mode: fc.constantFrom<Mode>('clientSecret', 'managedIdentity', 'workloadIdentity'),
  literalIds: fc.boolean(),
  annotations: fc.dictionary(
    fc.constantFrom('example.com/note', 'team', 'a.b/c-d', 'constructor', 'toString', 'hasOwnProperty'),
    validText,
    { maxKeys: 3 },
  ),
  mutations: fc.oneof(
    { weight: 1, arbitrary: fc.constant([] as Mutation[]) },
    { weight: 4, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) },
  ),
});

type FuzzCase = typeof fuzzCase extends fc.Arbitrary<infer T> ? T : never;

function setPath(root: Record<string, any>, path: string, value: unknown): void {
  try {
    setPathUnsafe(root, path, value);
  } catch {
    // the path runs through a hostile value set by an earlier mutation: leave it
  }
}

function setPathUnsafe(root: Record<string, any>, path: string, value: unknown): void {
  const annotation = path.startsWith('kes.podAnnotations.') ? path.slice('kes.podAnnotations.'.length) : undefined;
  const parts = annotation !== undefined ? ['kes', 'podAnnotations', annotation] : path.split('.');
  let obj: any = root;
  for (const part of parts.slice(0, -1)) {
    if (obj === null || typeof obj !== 'object') return;
    obj = obj[part];
  }
  if (obj !== null && typeof obj === 'object') {
    Object.defineProperty(obj, parts[parts.length - 1], {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
}

function getPath(root: any, path: string): any {
  try {
    return path === ''
      ? root
      : path.split('.').reduce((o, p) => (o !== null && typeof o === 'object' ? o[p] : undefined), root);
  } catch {
    return undefined;
  }
}

/** The declaration of a case (built fresh each time: cases with proxies and getters are not reusable data). */
function build(c: FuzzCase): unknown {
  const seed = seedDeclaration({ release: c.release }) as any;
  let options = baseOptions(c.mode, c.literalIds);
  const decl: any = {
    ...seed,
    tenant: { ...seed.tenant, pools: seed.tenant.pools.map((p: object) => ({ ...p })) },
    kes: {
      ...seed.kes,
      keys: [...seed.kes.keys],
      podAnnotations: { ...c.annotations },
      ...(c.mode === 'workloadIdentity' && c.release === OperatorRelease.V5_0_4 ? { image: NEW_KES_IMAGE } : {}),
    },
    buckets: seed.buckets.map((b: object) => ({ ...b })),
    bucketEncryptionJob: {},
  };
  decl.kes.auth = authOf(c.mode, options);
  let root: unknown = decl;
  for (const m of c.mutations) {
    if (m.kind === 'set' || m.kind === 'name') {
      setPath(decl, m.path, materialize(m.value));
    } else if (m.kind === 'auth') {
      options = { ...options, [m.field]: materialize(m.value) };
      setPath(decl, 'kes.auth', authOf(c.mode, options));
    } else if (m.kind === 'root') {
      root = materialize(m.value);
    } else {
      const target = getPath(decl, m.path);
      if (target !== null && typeof target === 'object') {
        const proxy = new Proxy(
          target,
          m.throwing
            ? {
                get: (t, k) =>
                  k === 'name' || k === 'kes' || k === 'servers'
                    ? (() => {
                        throw new Error('trap');
                      })()
                    : Reflect.get(t, k),
              }
            : {},
        );
        if (m.path === '') root = proxy;
        else setPath(decl, m.path, proxy);
      }
    }
  }
  return root;
}

describe('fuzz: generated and mutated declarations', () => {
  test(`every case throws the listing error or synthesizes output that passes every check (seed ${SEED}, ${RUNS} cases)`, () => {
    const crds = fixtureCrds();
    let accepted = 0;
    let rejected = 0;
    let synthesized = 0;
    let parityChecked = 0;
    const started = process.hrtime.bigint();

    console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    fc.assert(
      fc.property(fuzzCase, (c) => {
        let ok = false;
        try {
          resolveDeclaration(build(c));
          ok = true;
        } catch (e) {
          if (!(e instanceof Error) || !LISTING.test(e.message) || e.message.includes('internal error')) {
            let stack: unknown = e instanceof Error ? e.stack : e;
            try {
              resolveInternal(build(c));
            } catch (inner) {
              stack = inner instanceof Error ? inner.stack : inner;
            }

            console.log('not the listing error:', stack);
          }
          expect(e).toBeInstanceOf(Error);
          const message = (e as Error).message;
          expect(message).toMatch(LISTING);
          expect(message).not.toContain('internal error');
          const n = Number(LISTING.exec(message)![1]);
          expect(message.split('\n')).toHaveLength(n + 1);
          rejected++;
        }
        if (!ok) {
          // The charts entry point answers the same way, before adding anything to the app.
          if (rejected % 50 === 0) {
            const app = Testing.app();
            expect(() => new MinioSseCharts(app, { declaration: build(c) as never, crds })).toThrow(LISTING);
            expect(app.charts).toHaveLength(0);
          }
          return;
        }
        accepted++;
        if (synthesized >= SYNTH_SAMPLE) {
          return;
        }
        synthesized++;
        const app = Testing.app();
        const charts = new MinioSseCharts(app, { declaration: build(c) as never, crds });
        const objects = [...charts.operatorChart.toJson(), ...charts.tenantChart.toJson()];
        expect(objects.flatMap((o) => validateObject(o, c.release))).toEqual([]);
        if (parityChecked < PARITY_SAMPLE && (synthesized % 5 === 1 || c.mutations.some((m) => m.kind === 'name'))) {
          parityChecked++;
          expect(kubectlParity([charts.operatorChart, charts.tenantChart])).toEqual([]);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;

    console.log(
      `fuzz: ${RUNS} cases in ${ms.toFixed(0)} ms (${((ms * 1000) / RUNS).toFixed(0)} µs per case): ${rejected} rejected with the listing error, ${accepted} accepted, ${synthesized} synthesized and checked, ${parityChecked} compared with kubectl`,
    );
    expect(rejected + accepted).toBe(RUNS);
    expect(synthesized).toBe(SYNTH_SAMPLE);
    expect(parityChecked).toBeGreaterThan(3);
  }, 300_000);
});
