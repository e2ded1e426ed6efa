import { App } from 'cdk8s';
import { seedDeclaration } from '../../examples/seed';
import { OperatorChart, OperatorRelease, TenantChart, resolveDeclaration, validateDeclaration } from '../../lib';
import { checkOidcIssuerUrl } from '../../lib/azure/oidc-issuer';
import { formatProblems, looksLikeCredential } from '../../lib/declaration/problems';
import { fixtureCrds } from '../support/fixtures';

const SECRET = 'Zx8Q~SuperSecretClientValue123';
const NO_CREDENTIAL =
  'must not contain user info (user:password@ before the host) or a credential: credentials belong in a Kubernetes Secret, never in a URL, registry or image reference';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect((e as Error).constructor).toBe(Error);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('credentials pasted into URL user info are refused and never shown', () => {
  const seed = seedDeclaration();
  test.each([
    [
      'kes.keyVaultEndpoint',
      { ...seed, kes: { ...seed.kes, keyVaultEndpoint: `https://app:${SECRET}@minio-kes-example.vault.azure.net` } },
      'a string of 76 characters (value not shown: it looks like it holds a credential) is not a valid Key Vault endpoint',
    ],
    [
      'imageRegistry',
      { ...seed, imageRegistry: 'user:hunter2abc@myreg.example.com' },
      'a string of 33 characters (value not shown: it looks like it holds a credential) is not a valid image registry',
    ],
    [
      'tenant.image',
      { ...seed, tenant: { ...seed.tenant, image: `u:${SECRET}@quay.io/minio/minio:RELEASE.2023-04-20T17-56-55Z` } },
      'a string of 81 characters (value not shown: it looks like it holds a credential) is not a valid image',
    ],
  ])('fails when %s has user info, without echoing any part of it', (path, decl, shown) => {
    const message = messageOf(() => resolveDeclaration(decl));
    expect(message).toBe(`invalid MinIO SSE declaration (1 problem):\n  - ${path}: ${shown}: ${NO_CREDENTIAL}`);
    expect(message).not.toMatch(/hunter2|Zx8Q|SuperSecret|app:/);
  });

  test('fails when a workload-identity oidcIssuerUrl has user info, without echoing it', () => {
    expect(checkOidcIssuerUrl(`https://app:${SECRET}@x.example.com/`)).toBe(NO_CREDENTIAL);
  });

  test('the listing redacts user info and client-secret shapes a rule reason would quote', () => {
    const text = formatProblems([{ path: 'x', message: `vault name "app:${SECRET}@kv" and ${SECRET} and "u:p@h"` }]);
    expect(text).toBe(
      'invalid MinIO SSE declaration (1 problem):\n  - x: vault name "<credential not shown>@kv" and <credential not shown> and "<credential not shown>@h"',
    );
  });

  test('image digests, npm scopes and plain hosts are not taken for credentials', () => {
    for (const v of [
      'quay.io/minio/kes@sha256:' + 'a'.repeat(64),
      'busybox@sha256:' + 'b'.repeat(64),
      'from @pulumi/kubernetes',
      'https://kv.vault.azure.net/',
    ]) {
      expect([v, looksLikeCredential(v)]).toEqual([v, false]);
    }
    expect(validateDeclaration(seed)).toEqual([]);
  });
});

describe('workload-identity oidcIssuerUrl must be exact', () => {
  const AKS =
    'https://westeurope.oic.prod-aks.azure.com/11111111-2222-3333-4444-555555555555/aaaaaaaa-0000-1111-2222-333333333333/';
  test('accepts the AKS issuer as az aks show prints it', () => {
    expect(checkOidcIssuerUrl(AKS)).toBeUndefined();
  });
  test.each([
    [
      'whitespace and a newline',
      ` ${AKS}\n`,
      'must not contain whitespace or control characters: Entra ID matches the issuer exactly, so give it as az aks show --query oidcIssuerProfile.issuerUrl prints it',
    ],
    [
      'a backslash',
      'https:\\\\x.example.com/',
      'must not contain "\\": URL parsers read it as "/", and Entra ID matches the issuer exactly',
    ],
    [
      'one slash after the scheme',
      'https:/x.example.com/',
      'must start with "https://" exactly (lowercase scheme, two slashes): Entra ID matches the issuer exactly',
    ],
    [
      'an uppercase scheme',
      'HTTPS://x.example.com/',
      'must start with "https://" exactly (lowercase scheme, two slashes): Entra ID matches the issuer exactly',
    ],
    [
      'an uppercase host',
      'https://X.example.com/',
      'must be written in normalized form, here "https://x.example.com/" (lowercase host, a "/" after a bare host, percent-encoded path): Entra ID matches the issuer exactly, so it is registered as given, never rewritten',
    ],
    [
      'a bare host without its "/"',
      'https://x.example.com',
      'must be written in normalized form, here "https://x.example.com/" (lowercase host, a "/" after a bare host, percent-encoded path): Entra ID matches the issuer exactly, so it is registered as given, never rewritten',
    ],
  ])('fails when oidcIssuerUrl has %s', (_what, value, reason) => {
    expect(checkOidcIssuerUrl(value)).toBe(reason);
  });
});

describe('OperatorRelease.fromTag is total', () => {
  const tags = OperatorRelease.all()
    .map((r) => r.tag)
    .join(', ');
  test.each([
    ['a symbol', Symbol('x'), 'a symbol'],
    ['an object', {}, 'an object'],
    ['a number', 5, '5'],
    ['an unknown tag', 'v9.9.9', '"v9.9.9"'],
  ])('fails when fromTag is given %s', (_what, tag, shown) => {
    expect(messageOf(() => OperatorRelease.fromTag(tag as string))).toBe(
      `invalid operator release (1 problem):\n  - tag: ${shown} is not a supported operator release: expected one of ${tags}`,
    );
  });
  test('finds a supported tag', () => {
    expect(OperatorRelease.fromTag('v7.1.1')).toBe(OperatorRelease.V7_1_1);
  });
});

describe('OperatorChart and TenantChart props', () => {
  test.each([
    ['null', null, '  - (root): null must be an object { declaration } or { release, operatorNamespace?, … }'],
    [
      'a number release',
      { release: 5 },
      '  - release: 5 is not a supported operator release: use OperatorRelease.fromTag(<tag>)',
    ],
    [
      'a spec of garbage',
      { spec: { release: 5 } },
      "  - spec: an object must be a resolved declaration: pass resolveDeclaration(declaration)'s result",
    ],
  ])('fails when OperatorChart props are %s', (_what, props, line) => {
    const app = new App();
    expect(messageOf(() => new OperatorChart(app, 'o', props as never))).toBe(
      `invalid OperatorChart props (1 problem):\n${line}`,
    );
    expect(app.charts).toHaveLength(0);
  });

  test('fails when OperatorChart has a bad operatorNamespace and an unknown prop', () => {
    expect(
      messageOf(
        () =>
          new OperatorChart(new App(), 'o', {
            release: OperatorRelease.V7_1_1,
            operatorNamespace: 'BAD NS\n',
            bogus: 1,
            crds: fixtureCrds(),
          } as never),
      ),
    ).toBe(
      'invalid OperatorChart props (2 problems):\n' +
        '  - bogus: is not a known field (expected one of declaration, spec, release, operatorNamespace, clusterDomain, imageRegistry, imagePullSecrets, crds)\n' +
        '  - operatorNamespace: "BAD NS\\n" is not a valid namespace: must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
    );
  });

  test.each([
    [
      'null',
      null,
      '  - (root): null must be an object { declaration, operatorChart?, tenantCrdSchema?, emitNamespace? }',
    ],
    [
      'a raw declaration as spec',
      { declaration: seedDeclaration() },
      "  - declaration: is a declaration, not a resolved one: pass resolveDeclaration(declaration)'s result (it validates the declaration and fills in every default)",
    ],
  ])('fails when TenantChart props are %s', (_what, props, line) => {
    expect(messageOf(() => new TenantChart(new App(), 't', props as never))).toBe(
      `invalid TenantChart props (1 problem):\n${line}`,
    );
  });

  test('accepts a resolved declaration', () => {
    const spec = resolveDeclaration(seedDeclaration());
    const schema = fixtureCrds().tenantSchema(spec.release);
    expect(() => new TenantChart(new App(), 't', { declaration: spec, tenantCrdSchema: schema })).not.toThrow();
  });
});
