import {
  FieldKind,
  checkImageRegistry,
  display,
  isFromRegistry,
  parseImageReference,
  resolveImageOptions,
  withImageRegistry,
} from '../../lib/declaration';

const DIGEST = `sha256:${'a1'.repeat(32)}`;

describe('parseImageReference', () => {
  test.each([
    [
      'quay.io/minio/mc:RELEASE.2025-04-16T18-13-26Z',
      { registry: 'quay.io', explicitRegistry: true, path: 'minio/mc', tag: 'RELEASE.2025-04-16T18-13-26Z' },
    ],
    [
      'minio/mc:RELEASE.2023-04-12T02-21-51Z',
      { registry: 'docker.io', explicitRegistry: false, path: 'minio/mc', tag: 'RELEASE.2023-04-12T02-21-51Z' },
    ],
    ['busybox:1.33.1', { registry: 'docker.io', explicitRegistry: false, path: 'library/busybox', tag: '1.33.1' }],
    [
      'docker.io/minio/minio:RELEASE.2023-04-20T17-56-55Z',
      { registry: 'docker.io', explicitRegistry: true, path: 'minio/minio', tag: 'RELEASE.2023-04-20T17-56-55Z' },
    ],
    ['index.docker.io/busybox:1', { registry: 'docker.io', explicitRegistry: true, path: 'library/busybox', tag: '1' }],
    [
      'registry.example.com:5000/minio/kes:2025-03-12T09-35-18Z',
      { registry: 'registry.example.com:5000', path: 'minio/kes', tag: '2025-03-12T09-35-18Z' },
    ],
    ['localhost:5000/minio/mc@' + DIGEST, { registry: 'localhost:5000', path: 'minio/mc', digest: DIGEST }],
    ['localhost/minio/mc:1', { registry: 'localhost', path: 'minio/mc', tag: '1' }],
    [
      `quay.io/minio/kes:2025-03-12T09-35-18Z@${DIGEST}`,
      { registry: 'quay.io', path: 'minio/kes', tag: '2025-03-12T09-35-18Z', digest: DIGEST },
    ],
  ])('parses %s', (image, expected) => {
    expect(parseImageReference(image)).toMatchObject({ image, ...expected });
  });

  test('a digest-only reference has no tag', () => {
    const ref = parseImageReference(`quay.io/minio/minio@${DIGEST}`);
    expect(ref).toEqual({
      image: `quay.io/minio/minio@${DIGEST}`,
      registry: 'quay.io',
      explicitRegistry: true,
      path: 'minio/minio',
      digest: DIGEST,
    });
  });

  test.each([
    ['', 'must be an image reference such as quay.io/minio/mc:RELEASE.2025-04-16T18-13-26Z'],
    ['quay.io/minio/mc :1', 'must not contain whitespace'],
    [
      'https://quay.io/minio/mc:1',
      'must not start with a scheme: an image reference is [host[:port]/]path[:tag][@sha256:digest], such as quay.io/minio/mc:RELEASE.2025-04-16T18-13-26Z',
    ],
    ['quay.io/minio/mc@sha256:abc', 'digest "sha256:abc" is not sha256:<64 lowercase hex characters>'],
    [
      `quay.io/minio/mc@sha512:${'a'.repeat(128)}`,
      `digest "sha512:${'a'.repeat(128)}" is not sha256:<64 lowercase hex characters>`,
    ],
    [
      'quay.io/minio/mc:-bad',
      "tag \"-bad\" is not valid (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')",
    ],
    ['quay.io:99999/minio/mc:1', 'registry port "99999" is not a number from 1 to 65535'],
    ['Quay.io/minio/mc:1', "registry host \"Quay.io\" is not a lowercase DNS name (letters, digits, '-' and '.')"],
    [
      'quay.io/MinIO/mc:1',
      "repository path component \"MinIO\" is not valid (lowercase letters and digits, separated by '.', '_', '__' or '-'); expected a reference such as quay.io/minio/mc:RELEASE.2025-04-16T18-13-26Z",
    ],
  ])('fails when the reference is %j', (image, reason) => {
    expect(parseImageReference(image)).toBe(reason);
  });
});

describe('checkImageRegistry', () => {
  test.each([
    'myregistry.azurecr.io',
    'registry.example.com:5000',
    'registry.example.com:5000/mirror/quay',
    'localhost:5000',
    'localhost',
  ])('accepts %s', (value) => {
    expect(checkImageRegistry(value)).toBeUndefined();
  });

  test.each([
    ['', 'must not be empty: give host[:port][/path], such as myregistry.azurecr.io'],
    [
      'https://myregistry.azurecr.io',
      'must not include a scheme (https://): give host[:port][/path], such as myregistry.azurecr.io (runtimes always pull over HTTPS unless the node trusts the registry as insecure)',
    ],
    ['myregistry.azurecr.io/', 'must not end with "/": give host[:port][/path], such as myregistry.azurecr.io/mirror'],
    [
      'myregistry.azurecr.io/mirror:v1',
      'must not include a tag ("mirror:v1"): it is a registry (host[:port][/path]); tags belong on each image',
    ],
    [
      `myregistry.azurecr.io@${DIGEST}`,
      'must not include a digest: it is a registry (host[:port][/path]); digests belong on each image',
    ],
    [
      'myregistry',
      'host "myregistry" must contain a "." or a port, or be localhost: otherwise runtimes read it as a path on Docker Hub (docker.io/myregistry/…)',
    ],
    ['registry.example.com:0', 'port "0" is not a number from 1 to 65535'],
    ['registry.example.com:http', 'port "http" is not a number from 1 to 65535'],
    [
      'MyRegistry.azurecr.io',
      "host \"MyRegistry.azurecr.io\" is not a lowercase DNS name (letters, digits, '-' and '.')",
    ],
    ['[::1]:5000', 'IPv6 literal hosts are not supported: use a DNS name'],
    [
      'myregistry.azurecr.io/Mirror',
      "path component \"Mirror\" is not valid (lowercase letters and digits, separated by '.', '_', '__' or '-')",
    ],
    ['my registry.io', 'must not contain whitespace'],
  ])('fails when the registry is %j', (value, reason) => {
    expect(checkImageRegistry(value)).toBe(reason);
  });
});

describe('withImageRegistry', () => {
  test.each([
    [
      'quay.io/minio/minio:RELEASE.2025-04-08T15-41-24Z',
      'myregistry.azurecr.io',
      'myregistry.azurecr.io/minio/minio:RELEASE.2025-04-08T15-41-24Z',
    ],
    [
      'minio/mc:RELEASE.2023-04-12T02-21-51Z',
      'myregistry.azurecr.io',
      'myregistry.azurecr.io/minio/mc:RELEASE.2023-04-12T02-21-51Z',
    ],
    ['busybox:1.33.1', 'registry.example.com:5000', 'registry.example.com:5000/library/busybox:1.33.1'],
    [
      'registry.example.com:5000/minio/kes:2025-03-12T09-35-18Z',
      'myregistry.azurecr.io/mirror',
      'myregistry.azurecr.io/mirror/minio/kes:2025-03-12T09-35-18Z',
    ],
    [`quay.io/minio/mc@${DIGEST}`, 'localhost:5000', `localhost:5000/minio/mc@${DIGEST}`],
    [
      `quay.io/minio/kes:2025-03-12T09-35-18Z@${DIGEST}`,
      'r.example.com/m',
      `r.example.com/m/minio/kes:2025-03-12T09-35-18Z@${DIGEST}`,
    ],
    ['quay.io/minio/mc:1', undefined, 'quay.io/minio/mc:1'],
  ])('%s under %s is %s', (image, registry, expected) => {
    expect(withImageRegistry(image, registry)).toBe(expected);
  });

  test('is idempotent: an image already under the registry (with a path) is kept', () => {
    const once = withImageRegistry('quay.io/minio/minio:RELEASE.2025-04-08T15-41-24Z', 'myregistry.azurecr.io/mirror');
    expect(withImageRegistry(once, 'myregistry.azurecr.io/mirror')).toBe(once);
    expect(isFromRegistry(once, 'myregistry.azurecr.io/mirror')).toBe(true);
    // A registry that is only a prefix of another host is not the same registry.
    expect(isFromRegistry('myregistry.azurecr.io.evil.example/minio/minio:1', 'myregistry.azurecr.io')).toBe(false);
    expect(isFromRegistry('minio/mc:1', 'docker.io')).toBe(true);
  });

  test('fails when the registry or the image is not valid', () => {
    expect(() => withImageRegistry('quay.io/minio/mc:1', 'https://r.example.com')).toThrow(
      'imageRegistry "https://r.example.com" must not include a scheme (https://)',
    );
    expect(() => withImageRegistry('quay.io/minio/mc :1', 'r.example.com')).toThrow(
      'image "quay.io/minio/mc :1" must not contain whitespace',
    );
  });
});

describe('resolveImageOptions messages use the one display helper of problems.ts', () => {
  const release = { operatorImage: 'quay.io/minio/operator:v7.1.1' };
  const checkName = (): undefined => undefined;

  test('fails when imageRegistry is an object: only its type is shown, never its content', () => {
    const { problems } = resolveImageOptions({ imageRegistry: { token: 'hunter2' } }, release, checkName);
    expect(problems).toEqual([
      {
        path: 'imageRegistry',
        message: `${display({}, FieldKind.NAME)} must be a string (host[:port][/path], such as myregistry.azurecr.io)`,
      },
    ]);
    expect(problems[0].message.startsWith('an object must be a string')).toBe(true);
  });

  test('fails when imageRegistry is long and invalid: shown capped as display caps every name', () => {
    const registry = `${'a'.repeat(60)}/Bad`;
    const { problems } = resolveImageOptions({ imageRegistry: registry }, release, checkName);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toBe(
      `${display(registry, FieldKind.NAME)} is not a valid image registry: ${checkImageRegistry(registry)}`,
    );
    expect(problems[0].message).toContain('... (64 characters)');
  });
});
