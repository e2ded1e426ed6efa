import fc from 'fast-check';
import {
  checkBucketName,
  checkDnsLabel,
  checkDnsSubdomain,
  checkGoDuration,
  checkInteger,
  checkKeyName,
  checkKeyNamePrefix,
  checkKeyVaultEndpoint,
  checkKeyVaultName,
  checkPositiveQuantity,
  checkSecretKey,
  checkUuid,
  KEY_VAULT_DNS_SUFFIXES,
  keyVaultNameOf,
} from '../../lib/declaration';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

/** Insert `ch` into `s` at a position chosen by `at` (modulo length + 1). */
function insertAt(s: string, ch: string, at: number): string {
  const i = at % (s.length + 1);
  return s.slice(0, i) + ch + s.slice(i);
}

describe('checkDnsLabel', () => {
  test.each(['a', 'minio-tenant-1', '0abc', 'a'.repeat(63)])('accepts %s', (v) => {
    expect(checkDnsLabel(v)).toBeUndefined();
  });

  test.each([
    ['', 'must be 1 to 63 characters'],
    ['a'.repeat(64), 'must be 1 to 63 characters'],
    [
      'Minio',
      'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
    ],
    [
      '-minio',
      'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
    ],
    [
      'minio-',
      'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
    ],
    ['a.b', 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit'],
  ])('fails when the label is %j', (v, message) => {
    expect(checkDnsLabel(v)).toBe(message);
  });

  test('fails when the label exceeds a custom maximum', () => {
    expect(checkDnsLabel('a'.repeat(53), 52)).toBe('must be 1 to 52 characters');
    expect(checkDnsLabel('a'.repeat(52), 52)).toBeUndefined();
  });

  test('property: labels from the DNS-1123 grammar pass', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/), (v) => {
        expect(checkDnsLabel(v)).toBeUndefined();
      }),
    );
  });
});

describe('checkDnsSubdomain', () => {
  test.each(['kube-root-ca.crt', 'a', 'minio-tenant-1-kes-config'])('accepts %s', (v) => {
    expect(checkDnsSubdomain(v)).toBeUndefined();
  });

  test.each([
    ['', 'must be 1 to 253 characters'],
    ['a'.repeat(254), 'must be 1 to 253 characters'],
    [
      'a..b',
      'must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
    ],
    [
      'My-Secret',
      'must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
    ],
    [
      'a_b',
      'must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
    ],
  ])('fails when the name is %j', (v, message) => {
    expect(checkDnsSubdomain(v)).toBe(message);
  });
});

describe('checkSecretKey', () => {
  test.each(['AZURE_CLIENT_SECRET', 'config.env', 'tls.crt', 'a-b'])('accepts %s', (v) => {
    expect(checkSecretKey(v)).toBeUndefined();
  });

  test.each(['', 'a b', 'a/b', 'k'.repeat(254)])('fails when the key is %j', (v) => {
    expect(checkSecretKey(v)).toBe('must be a Secret key: 1 to 253 of letters, digits, "-", "_" and "."');
  });
});

describe('checkBucketName', () => {
  test.each(['encryptedbucket', 'abc', 'my.bucket-1', 'a'.repeat(63), '1-2', 'a--b'])('accepts %s', (v) => {
    expect(checkBucketName(v)).toBeUndefined();
  });

  test.each([
    ['ab', 'must be 3 to 63 characters'],
    ['a'.repeat(64), 'must be 3 to 63 characters'],
    ['My_Bucket', 'must use only lowercase letters, digits, "." and "-", and begin and end with a letter or digit'],
    ['-bucket', 'must use only lowercase letters, digits, "." and "-", and begin and end with a letter or digit'],
    ['bucket.', 'must use only lowercase letters, digits, "." and "-", and begin and end with a letter or digit'],
    ['my..bucket', 'must not contain ".."'],
    ['my.-bucket', 'must not have "-" next to "."'],
    ['my-.bucket', 'must not have "-" next to "."'],
    ['192.168.5.4', 'must not be formatted as an IP address'],
    ['xn--bucket', 'must not start with "xn--"'],
    ['bucket-s3alias', 'must not end with "-s3alias" or "--ol-s3"'],
    ['bucket--ol-s3', 'must not end with "-s3alias" or "--ol-s3"'],
  ])('fails when the bucket name is %j', (v, message) => {
    expect(checkBucketName(v)).toBe(message);
  });

  // Valid grammar: alphanumeric runs joined by a single "." or by one or more "-".
  const alnumRun = fc.array(fc.constantFrom(...LOWER_ALNUM), { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
  const separator = fc.oneof(
    fc.constant('.'),
    fc.integer({ min: 1, max: 2 }).map((n) => '-'.repeat(n)),
  );
  const validBucket = fc
    .tuple(alnumRun, fc.array(fc.tuple(separator, alnumRun), { maxLength: 8 }))
    .map(([head, rest]) => head + rest.map(([s, r]) => s + r).join(''))
    .filter(
      (v) =>
        v.length >= 3 &&
        v.length <= 63 &&
        !/^\d+\.\d+\.\d+\.\d+$/.test(v) &&
        !v.startsWith('xn--') &&
        !v.endsWith('-s3alias') &&
        !v.endsWith('--ol-s3'),
    );

  test('property: every name from the valid-bucket grammar passes', () => {
    fc.assert(
      fc.property(validBucket, (v) => {
        expect(checkBucketName(v)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  test('property: a name containing "_" or an uppercase letter fails', () => {
    fc.assert(
      fc.property(validBucket, fc.constantFrom('_', ...UPPER), fc.nat(), (v, bad, at) => {
        expect(checkBucketName(insertAt(v, bad, at))).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });

  test('property: any string with "_" or uppercase fails', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), fc.constantFrom('_', ...UPPER), fc.nat(), (v, bad, at) => {
        expect(checkBucketName(insertAt(v, bad, at))).toBeDefined();
      }),
    );
  });
});

describe('checkKeyName', () => {
  test.each(['minio-encryption-key-alpha', 'a', 'A1', 'k'.repeat(80), 'my-minio-key'])('accepts %s', (v) => {
    expect(checkKeyName(v)).toBeUndefined();
  });

  test.each([
    ['', 'must be 1 to 80 characters (KES name limit)'],
    ['k'.repeat(81), 'must be 1 to 80 characters (KES name limit)'],
    ['bad_key', 'must use only letters, digits and "-" (Azure Key Vault secret names allow no "_" or ".")'],
    ['bad.key', 'must use only letters, digits and "-" (Azure Key Vault secret names allow no "_" or ".")'],
    ['bad key', 'must use only letters, digits and "-" (Azure Key Vault secret names allow no "_" or ".")'],
    ['-key', 'must not start or end with "-" (KES name rule)'],
    ['key-', 'must not start or end with "-" (KES name rule)'],
  ])('fails when the EK name is %j', (v, message) => {
    expect(checkKeyName(v)).toBe(message);
  });

  const validKey = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9-]{0,78}[A-Za-z0-9])?$/);

  test('property: names from [A-Za-z0-9-], not starting or ending with "-", at most 80, pass', () => {
    fc.assert(
      fc.property(validKey, (v) => {
        expect(v.length).toBeLessThanOrEqual(80);
        expect(checkKeyName(v)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  test('property: any such name with "_" inserted fails', () => {
    fc.assert(
      fc.property(validKey, fc.nat(), (v, at) => {
        expect(checkKeyName(insertAt(v, '_', at))).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });

  test('property: names longer than 80 fail', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{81,120}$/), (v) => {
        expect(checkKeyName(v)).toBe('must be 1 to 80 characters (KES name limit)');
      }),
    );
  });
});

describe('checkKeyNamePrefix', () => {
  test.each(['minio-', 'm', 'tenant1-keys-'])('accepts %s', (v) => {
    expect(checkKeyNamePrefix(v)).toBeUndefined();
  });

  test.each([
    ['', 'must be 1 to 79 characters'],
    ['p'.repeat(80), 'must be 1 to 79 characters'],
    ['-minio', 'must use only letters, digits and "-", starting with a letter or digit'],
    ['minio_', 'must use only letters, digits and "-", starting with a letter or digit'],
  ])('fails when the prefix is %j', (v, message) => {
    expect(checkKeyNamePrefix(v)).toBe(message);
  });

  test('property: a valid prefix plus a valid key tail makes a valid key name (when short enough)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,20}$/),
        fc.stringMatching(/^[A-Za-z0-9]{1,10}$/),
        (prefix, tail) => {
          expect(checkKeyNamePrefix(prefix)).toBeUndefined();
          expect(checkKeyName(prefix + tail)).toBeUndefined();
        },
      ),
    );
  });
});

describe('checkUuid', () => {
  test.each(['11111111-2222-3333-4444-555555555555', 'AAAAAAAA-bbbb-CCCC-dddd-EEEEEEEEEEEE'])('accepts %s', (v) => {
    expect(checkUuid(v)).toBeUndefined();
  });

  test.each([
    'not-a-uuid',
    '',
    '11111111222233334444555555555555',
    '11111111-2222-3333-4444-55555555555g',
    '{11111111-2222-3333-4444-555555555555}',
  ])('fails when the value is %j', (v) => {
    expect(checkUuid(v)).toBe('must be a UUID (8-4-4-4-12 hexadecimal digits)');
  });

  test('property: every generated UUID passes', () => {
    fc.assert(
      fc.property(fc.uuid(), (v) => {
        expect(checkUuid(v)).toBeUndefined();
      }),
    );
  });
});

describe('checkKeyVaultName', () => {
  test.each(['kv1', 'minio-kes-example', 'a'.repeat(24)])('accepts %s', (v) => {
    expect(checkKeyVaultName(v)).toBeUndefined();
  });

  test.each([
    ['kv', 'must be 3 to 24 characters'],
    ['a'.repeat(25), 'must be 3 to 24 characters'],
    ['1vault', 'must use letters, digits and "-", start with a letter and end with a letter or digit'],
    ['vault-', 'must use letters, digits and "-", start with a letter and end with a letter or digit'],
    ['va_ult', 'must use letters, digits and "-", start with a letter and end with a letter or digit'],
    ['va--ult', 'must not contain "--"'],
  ])('fails when the vault name is %j', (v, message) => {
    expect(checkKeyVaultName(v)).toBe(message);
  });
});

describe('checkKeyVaultEndpoint', () => {
  test.each([
    'https://minio-kes-example.vault.azure.net',
    'https://minio-kes-example.vault.azure.net/',
    'https://kes-gov.vault.usgovcloudapi.net',
    'https://kes-cn.vault.azure.cn',
  ])('accepts %s', (v) => {
    expect(checkKeyVaultEndpoint(v)).toBeUndefined();
  });

  test.each([
    ['http://x.vault.azure.net', 'must use https:// (Key Vault refuses authenticated requests over plain http)'],
    [
      'https://example.com',
      'must be https://<vault-name>.vault.azure.net | vault.azure.cn | vault.usgovcloudapi.net with no path',
    ],
    [
      'https://myvaultvault.azure.net',
      'must be https://<vault-name>.vault.azure.net | vault.azure.cn | vault.usgovcloudapi.net with no path',
    ],
    [
      'https://kv1.vault.azure.net/secrets',
      'must be https://<vault-name>.vault.azure.net | vault.azure.cn | vault.usgovcloudapi.net with no path',
    ],
    [
      'https://kv1.vault.azure.net:443',
      'must be https://<vault-name>.vault.azure.net | vault.azure.cn | vault.usgovcloudapi.net with no path',
    ],
    ['https://x.vault.azure.net', 'vault name "x" must be 3 to 24 characters'],
    ['https://va--ult.vault.azure.net', 'vault name "va--ult" must not contain "--"'],
  ])('fails when the endpoint is %j', (v, message) => {
    expect(checkKeyVaultEndpoint(v)).toBe(message);
  });

  test('lists the three Azure clouds', () => {
    expect(KEY_VAULT_DNS_SUFFIXES).toEqual(['vault.azure.net', 'vault.azure.cn', 'vault.usgovcloudapi.net']);
  });

  test('property: https://<valid vault name>.<cloud suffix> passes and keyVaultNameOf returns the name', () => {
    const vaultName = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/).filter((v) => !v.includes('--'));
    fc.assert(
      fc.property(vaultName, fc.constantFrom(...KEY_VAULT_DNS_SUFFIXES), fc.boolean(), (name, suffix, slash) => {
        const endpoint = `https://${name}.${suffix}${slash ? '/' : ''}`;
        expect(checkKeyVaultEndpoint(endpoint)).toBeUndefined();
        expect(keyVaultNameOf(endpoint)).toBe(name.toLowerCase());
      }),
    );
  });
});

describe('keyVaultNameOf', () => {
  test('returns the first label of the host', () => {
    expect(keyVaultNameOf('https://minio-kes-example.vault.azure.net')).toBe('minio-kes-example');
    expect(keyVaultNameOf('https://kes-gov.vault.usgovcloudapi.net/')).toBe('kes-gov');
  });
});

describe('checkPositiveQuantity', () => {
  test.each(['1Ti', '500Gi', '1e12', '0.5Ti', '100M', '+1Gi', '.5Gi'])('accepts %s', (v) => {
    expect(checkPositiveQuantity(v)).toBeUndefined();
  });

  test.each([
    ['1TB', 'must be a Kubernetes quantity such as 1Ti or 500Gi'],
    ['', 'must be a Kubernetes quantity such as 1Ti or 500Gi'],
    ['-1Gi', 'must be a Kubernetes quantity such as 1Ti or 500Gi'],
    ['1.2.3Gi', 'must be a Kubernetes quantity such as 1Ti or 500Gi'],
    ['Gi', 'must be a Kubernetes quantity such as 1Ti or 500Gi'],
    ['0Gi', 'must be greater than zero'],
    ['0', 'must be greater than zero'],
  ])('fails when the quantity is %j', (v, message) => {
    expect(checkPositiveQuantity(v)).toBe(message);
  });

  test('property: a positive integer with a binary suffix passes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom('Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', ''),
        (n, suffix) => {
          expect(checkPositiveQuantity(`${n}${suffix}`)).toBeUndefined();
        },
      ),
    );
  });
});

describe('checkGoDuration', () => {
  test.each(['0', '5m0s', '20s', '1h30m', '1.5h', '300ms', '10us', '10µs', '1ns'])('accepts %s', (v) => {
    expect(checkGoDuration(v)).toBeUndefined();
  });

  test.each(['', '5', '-1s', '5 m', '1d', 'soon', '1h 30m'])('fails when the duration is %j', (v) => {
    expect(checkGoDuration(v)).toBe('must be a Go duration such as 5m0s, 20s or 1h');
  });

  test('property: concatenated <number><unit> terms pass', () => {
    const term = fc
      .tuple(fc.nat({ max: 10_000 }), fc.constantFrom('ns', 'us', 'µs', 'ms', 's', 'm', 'h'))
      .map(([n, u]) => `${n}${u}`);
    fc.assert(
      fc.property(fc.array(term, { minLength: 1, maxLength: 4 }), (terms) => {
        expect(checkGoDuration(terms.join(''))).toBeUndefined();
      }),
    );
  });
});

describe('checkInteger', () => {
  test('accepts integers within bounds', () => {
    expect(checkInteger(1, 1)).toBeUndefined();
    expect(checkInteger(64, 1, 64)).toBeUndefined();
  });

  test.each([
    [1.5, 1, undefined, 'must be an integer'],
    ['2', 1, undefined, 'must be an integer'],
    [Number.NaN, 1, undefined, 'must be an integer'],
    [0, 1, undefined, 'must be at least 1'],
    [65, 1, 64, 'must be between 1 and 64'],
  ])('fails when the value is %p (min %p, max %p)', (v, min, max, message) => {
    expect(checkInteger(v, min as number, max as number | undefined)).toBe(message);
  });

  test('property: integers outside [min, max] fail, inside pass', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: -100, max: 100 }),
        fc.nat({ max: 100 }),
        (v, min, span) => {
          const max = min + span;
          const inside = v >= min && v <= max;
          expect(checkInteger(v, min, max) === undefined).toBe(inside);
        },
      ),
    );
  });
});
