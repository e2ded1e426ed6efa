import { App, Testing } from 'cdk8s';
import { seedDeclaration } from '../../examples/seed';
import {
  AzureAuth,
  MinioSseCharts,
  MinioSseDeclaration,
  OperatorRelease,
  resolveDeclaration,
  validateDeclaration,
} from '../../lib';
import * as rules from '../../lib/declaration/rules';
import { FieldKind, display, formatProblems } from '../../lib/declaration/problems';
import { fixtureCrds } from '../support/fixtures';
import { kubectlParity } from '../support/kubectl-parity';

const CLIENT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const TENANT_ID = '11111111-2222-3333-4444-555555555555';

function messageOf(decl: unknown): string {
  try {
    resolveDeclaration(decl);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the declaration to be refused');
}

function withKes(kes: Record<string, unknown>, release = OperatorRelease.V7_1_1): MinioSseDeclaration {
  const seed = seedDeclaration({ release });
  return { ...seed, kes: { ...seed.kes, ...kes } } as MinioSseDeclaration;
}

describe('total validation: any JavaScript value gets the one listing error', () => {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const cases: [string, unknown, string][] = [
    ['null', null, '  - (root): null is not a declaration: the declaration must be an object'],
    ['a BigInt', 10n, '  - (root): 10n is not a declaration: the declaration must be an object'],
    ['a symbol', Symbol('x'), '  - (root): a symbol is not a declaration: the declaration must be an object'],
    ['a RegExp', /x/, '  - (root): a RegExp is not a declaration: the declaration must be an object'],
    ['a revoked proxy', revoked.proxy, '  - (root): could not be read (reading it threw a TypeError); pass plain data'],
    [
      'a cycle',
      { ...seedDeclaration(), tenant: cyclic },
      '  - tenant.self: refers to an object that contains it (a cycle); pass plain data',
    ],
  ];
  test.each(cases)('fails when the declaration is %s', (_what, value, line) => {
    const message = messageOf(value);
    expect(message).toMatch(/^invalid MinIO SSE declaration \(\d+ problems?\):\n/);
    expect(message.split('\n')).toContain(line);
  });

  test('fails when a getter throws, without showing its message', () => {
    const tenant = Object.defineProperty({ ...seedDeclaration().tenant }, 'name', {
      enumerable: true,
      get: () => {
        throw new Error('s3cr3t');
      },
    });
    const message = messageOf({ ...seedDeclaration(), tenant });
    expect(message).toContain('  - tenant.name: could not be read (reading it threw a Error); pass plain data');
    expect(message).not.toContain('s3cr3t');
  });

  test('fails when a prefix is a RegExp, a count a BigInt and a name has a throwing toString', () => {
    const seed = seedDeclaration();
    const decl = {
      ...seed,
      tenant: {
        ...seed.tenant,
        name: {
          toString: () => {
            throw new Error('x');
          },
        },
        pools: [{ ...seed.tenant.pools[0], servers: 4n }],
      },
      kes: { ...seed.kes, keyNamePrefix: /minio-/ },
    };
    const message = messageOf(decl);
    expect(message).toContain('  - tenant.name: an object must be a string');
    expect(message).toContain('  - tenant.pools[0].servers: 4n must be an integer');
    expect(message).toContain('  - kes.keyNamePrefix: a RegExp must be a string');
  });

  test('fails when __proto__ and constructor keys are given, naming them as unknown fields', () => {
    const decl = {
      ...seedDeclaration(),
      tenant: { ...seedDeclaration().tenant, ...JSON.parse('{"__proto__": {"x": 1}, "constructor": 1}') },
    };
    const paths = validateDeclaration(decl).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['tenant.__proto__', 'tenant.constructor']));
  });

  test('fails when the charts get bad input, before any chart is added', () => {
    const app = Testing.app();
    expect(() => new MinioSseCharts(app, { declaration: 42 as never, crds: fixtureCrds() })).toThrow(
      /^invalid MinIO SSE declaration \(1 problem\):\n {2}- \(root\): 42 is not a declaration/,
    );
    expect(app.charts).toHaveLength(0);
  });
});

describe('output parity with real clients', () => {
  test.each(OperatorRelease.all().map((r) => [r.tag, r] as const))(
    'kubectl decodes every synthesized object of %s exactly as the library holds it, with YAML 1.1 words as names and free text',
    (_tag, release) => {
      const seed = seedDeclaration({ release });
      const decl = {
        ...seed,
        operatorNamespace: 'on',
        tenant: { ...seed.tenant, namespace: 'yes' },
        kes: {
          ...seed.kes,
          keys: ['y', 'N', '012', '1e3', '0x1f'],
          podAnnotations: {
            'example.com/note': 'two\nlines\tand "quotes" ünï 😀',
            team: 'no',
            'a.b/c': '~',
            other: '0o17x',
          },
        },
        buckets: [{ name: 'off', encryptionKey: 'null' }],
      } as MinioSseDeclaration;
      const charts = new MinioSseCharts(new App({ outdir: '/tmp' }), { declaration: decl, crds: fixtureCrds() });
      expect(kubectlParity([charts.operatorChart, charts.tenantChart])).toEqual([]);
    },
  );

  test.each([
    ['U+2028', 'a\u2028b', 'U+2028 at character 2'],
    ['U+2029', 'a\u2029', 'U+2029 at character 2'],
    ['U+0085', '\u0085', 'U+0085 at character 1'],
    ['a C0 control', 'a\u0001', 'U+0001 at character 2'],
    ['a C1 control', 'ab\u009b', 'U+009B at character 3'],
    ['a BOM', '\ufeffx', 'U+FEFF at character 1'],
    ['a lone surrogate', 'x\ud800', 'U+D800 at character 2'],
  ])('fails when an annotation value contains %s', (_what, value, where) => {
    const problems = validateDeclaration(withKes({ podAnnotations: { team: value } }));
    expect(problems).toEqual([
      {
        path: 'kes.podAnnotations["team"]',
        message: `${display(value, FieldKind.SECRET)} is not a valid annotation value: contains ${where}: control characters, U+0085, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF and unpaired surrogates are refused because YAML readers (kubectl's go-yaml) read them differently or refuse them`,
      },
    ]);
  });

  test('fails when a name would be read as a number by YAML 1.1 readers (0o17)', () => {
    expect(validateDeclaration({ ...seedDeclaration(), operatorNamespace: '0o17' })).toEqual([
      {
        path: 'operatorNamespace',
        message:
          '"0o17" is not a valid namespace: would be written unquoted and read as a number, boolean or null by YAML 1.1 readers such as kubectl (go-yaml); choose another value',
      },
    ]);
  });

  test('fails when an annotation key is "constructor" (validates, then crashes cdk8s serialization)', () => {
    expect(validateDeclaration(withKes({ podAnnotations: { constructor: 'x' } }))).toEqual([
      {
        path: 'kes.podAnnotations["constructor"]',
        message: 'is refused: cdk8s cannot serialize a map with a key named "constructor"',
      },
    ]);
  });
});

describe('linear-time rules', () => {
  const stringRules: [string, (v: string) => unknown][] = [
    ['checkDnsLabel', rules.checkDnsLabel],
    ['checkDnsSubdomain', rules.checkDnsSubdomain],
    ['checkSecretKey', rules.checkSecretKey],
    ['checkBucketName', rules.checkBucketName],
    ['checkKeyName', rules.checkKeyName],
    ['checkKeyNamePrefix', rules.checkKeyNamePrefix],
    ['checkUuid', rules.checkUuid],
    ['checkKeyVaultName', rules.checkKeyVaultName],
    ['checkKeyVaultEndpoint', rules.checkKeyVaultEndpoint],
    ['parseQuantity', rules.parseQuantity],
    ['checkPositiveQuantity', rules.checkPositiveQuantity],
    ['checkGoDuration', rules.checkGoDuration],
    ['checkQualifiedName', rules.checkQualifiedName],
    ['checkPortableText', rules.checkPortableText],
    ['checkYamlScalar', rules.checkYamlScalar],
  ];
  const shapes = ['a', '1', '1.', 'a-', 'a.', 'a/', '1m', '-', 'ab.-'].map(
    (unit) => unit.repeat(Math.ceil(100_000 / unit.length)).slice(0, 100_000) + '!',
  );
  test.each(stringRules)('every string rule answers a 100,000-character input in under 50 ms: %s', (_name, rule) => {
    for (const input of shapes) {
      const start = process.hrtime.bigint();
      rule(input);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      expect(ms).toBeLessThan(50);
    }
  });

  test('the whole declaration answers 100,000-character values in every string field in under 50 ms each', () => {
    const long = '1'.repeat(100_000) + 'x';
    const seed = seedDeclaration();
    const start = process.hrtime.bigint();
    validateDeclaration({
      ...seed,
      operatorNamespace: long,
      tenant: { ...seed.tenant, name: long, image: long, pools: [{ ...seed.tenant.pools[0], storageSize: long }] },
      kes: {
        ...seed.kes,
        image: long,
        cacheExpiryAny: long,
        cacheExpiryUnused: long,
        keyVaultEndpoint: long,
        podAnnotations: { [long]: long },
      },
    });
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(50 * 10);
  });
});

describe('one echo policy', () => {
  test('fails when two Secret keys are the same, showing neither the key nor the Secret name', () => {
    const auth = AzureAuth.clientSecret({
      secretName: 'my-credentials',
      clientSecretKey: 'SAMEKEY',
      tenantIdKey: 'SAMEKEY',
    });
    const message = messageOf(withKes({ auth }));
    expect(message).toContain(
      '  - kes.auth.tenantIdKey: is the same key as kes.auth.clientSecretKey; each value needs its own key in the credentials Secret',
    );
    expect(message).not.toContain('SAMEKEY');
    expect(message).not.toContain('my-credentials');
  });

  test('fails when an unknown field name is crafted to add lines, without echoing it', () => {
    const decl = { ...seedDeclaration(), 'x\n  - tenant.name: fake': 1 };
    const message = messageOf(decl);
    expect(message.split('\n')).toEqual([
      'invalid MinIO SSE declaration (1 problem):',
      expect.stringMatching(/^ {2}- \(root\)\[a field name of 23 characters, not shown\]: is not a known field/),
    ]);
  });

  test('fails when a workload-identity service account name is invalid, without showing it (anything under auth)', () => {
    const auth = AzureAuth.workloadIdentity({
      clientId: CLIENT_ID,
      tenantId: TENANT_ID,
      serviceAccountName: 'Pa55word!',
    });
    expect(validateDeclaration(withKes({ auth }))).toEqual([
      {
        path: 'kes.auth.serviceAccountName',
        message:
          'a string of 9 characters (value not shown) is not a valid service account name: must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
      },
    ]);
  });

  test('shown values and annotation keys have control characters escaped; the formatter keeps one line per problem', () => {
    expect(display('a\u2028b\nc', FieldKind.NAME)).toBe('"a\\u2028b\\nc"');
    const text = formatProblems([{ path: 'a\nb', message: 'x\u2029y' }]);
    expect(text.split('\n')).toEqual(['invalid MinIO SSE declaration (1 problem):', '  - a\\u000ab: x\\u2029y']);
  });
});

describe('total validation at the Azure and Pulumi entry points', () => {
  test('fails when KesAzureIdentity arguments hold a cycle or a throwing getter, with problems instead of an exception', () => {
    const { validateKesAzureIdentityArgs } = require('../../lib/azure');
    const cyclic: Record<string, unknown> = { vaultName: 'v' };
    cyclic.self = cyclic;
    expect(validateKesAzureIdentityArgs({ existingVault: cyclic, clientSecrets: [] })).toEqual([
      { path: 'existingVault.self', message: 'refers to an object that contains it (a cycle); pass plain data' },
    ]);
  });

  test('fails when MinioSseStack arguments are a revoked proxy, with problems instead of an exception', () => {
    const { validateStackArgs } = require('../../lib/pulumi');
    const r = Proxy.revocable({}, {});
    r.revoke();
    expect(validateStackArgs(r.proxy)).toEqual([
      { path: '(root)', message: 'could not be read (reading it threw a TypeError); pass plain data' },
    ]);
  });
});

describe('total validation at the charts entry point', () => {
  test.each([
    ['null props', null, '  - (root): null must be an object { declaration, crds?, operatorChartId?, tenantChartId? }'],
    [
      'crds that are not an OperatorCrds',
      { declaration: seedDeclaration(), crds: { load: 1 } },
      '  - crds: an object must be an OperatorCrds (OperatorCrds.fromRelease(), fromDirectory(…) or fromFiles(…))',
    ],
    [
      'a chart id with a path separator',
      { declaration: seedDeclaration(), operatorChartId: '../x' },
      '  - operatorChartId: "../x" is not a valid chart id: must be 1 to 63 of letters, digits, ".", "_" and "-", starting with a letter or digit (it names the output file)',
    ],
  ])('fails when MinioSseCharts gets %s, before any chart is added', (_what, props, line) => {
    const app = Testing.app();
    let message = '';
    try {
      new MinioSseCharts(app, props as never);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^invalid MinioSseCharts props \(1 problem\):\n/);
    expect(message.split('\n')).toContain(line);
    expect(app.charts).toHaveLength(0);
  });
});

describe('total validation at the synthesize entry point', () => {
  const { synthesize } = require('../../lib/k8s/synthesize');
  test.each([
    ['null', null, '  - (root): null must be an object { declaration, outdir, crds?, configure? }'],
    ['an outdir that is a number', { declaration: seedDeclaration(), outdir: 5 }, '  - outdir: 5 must be a string'],
    [
      'a configure that is not a function',
      { declaration: seedDeclaration(), outdir: '/tmp/x-never-written', configure: 'x' },
      '  - configure: a string must be a function (charts, app) => void',
    ],
  ])('fails when synthesize gets %s, writing nothing', (_what, options, line) => {
    let message = '';
    try {
      synthesize(options);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^invalid synthesize options \(1 problem\):\n/);
    expect(message.split('\n')).toContain(line);
  });

  test('fails when synthesize gets a declaration that is not one, with the declaration listing', () => {
    expect(() => synthesize({ declaration: 42n, outdir: '/tmp/minio-sse-never-written', crds: fixtureCrds() })).toThrow(
      /^invalid MinIO SSE declaration \(1 problem\):\n {2}- \(root\): 42n is not a declaration/,
    );

    expect(require('node:fs').existsSync('/tmp/minio-sse-never-written')).toBe(false);
  });
});

test('fails when MinioSseCharts gets a revoked proxy as the declaration, with the declaration listing', () => {
  const r = Proxy.revocable([], {});
  r.revoke();
  expect(() => new MinioSseCharts(Testing.app(), { declaration: r.proxy as never, crds: fixtureCrds() })).toThrow(
    /^invalid MinIO SSE declaration \(2 problems\):\n {2}- \(root\): could not be read \(reading it threw a TypeError\); pass plain data\n/,
  );
});

describe('total validation at the platform entry points', () => {
  const { validatePlatform } = require('../../lib/declaration');

  const { MinioSsePlatform } = require('../../lib/k8s/platform');
  test('fails when the platform declaration is a revoked proxy or holds a cycle, with problems instead of an exception', () => {
    const r = Proxy.revocable({}, {});
    r.revoke();
    expect(validatePlatform(r.proxy)).toEqual([
      { path: '(root)', message: 'could not be read (reading it threw a TypeError); pass plain data' },
    ]);
    const cyclic: Record<string, unknown> = { release: OperatorRelease.V5_0_4, tenants: [] };
    (cyclic.tenants as unknown[]).push(cyclic);
    expect(validatePlatform(cyclic)).toEqual([
      { path: 'tenants[0]', message: 'refers to an object that contains it (a cycle); pass plain data' },
    ]);
  });

  test('fails when MinioSsePlatform gets null props, before any chart is added', () => {
    const app = Testing.app();
    expect(() => new MinioSsePlatform(app, null)).toThrow(
      /^invalid MinioSsePlatform props \(1 problem\):\n {2}- \(root\): null must be an object \{ declaration, crds\?, installOperator\?, operatorChartId\? \}$/,
    );
    expect(app.charts).toHaveLength(0);
  });
});
