import fc from 'fast-check';
import { checkPolicyPattern, policyAllowsPath, policyPatternMatches } from '../../lib/kes';

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
