import { FieldKind, credentialHidden, display, looksLikeCredential } from './problems';
import { checkNoCredential } from './rules';

/**
 * Container image references: parsing, the `imageRegistry` rewrite, and registry validation.
 *
 * The grammar is the one container runtimes use (the `distribution/reference` package of the public
 * `distribution/distribution` repository, `reference/reference.go` and `normalize.go`):
 * `[host[:port]/]path[:tag][@sha256:<64 hex>]`. The first path component is a registry host only when it contains
 * a `.` or a `:` or is `localhost`; otherwise the image is on Docker Hub (`docker.io`), and a one-component Docker
 * Hub path lives under `library/` (`busybox` is `docker.io/library/busybox`).
 */

/** A parsed image reference. */
export interface ImageReference {
  /** The reference as given. */
  readonly image: string;
  /** Registry host with optional port, `docker.io` when the reference names none. */
  readonly registry: string;
  /** Whether the reference names its registry (`quay.io/minio/mc`), or relies on Docker Hub (`minio/mc`). */
  readonly explicitRegistry: boolean;
  /** Repository path inside the registry, normalized for Docker Hub: `minio/mc`, `library/busybox`. */
  readonly path: string;
  /** Tag, e.g. `RELEASE.2025-04-16T18-13-26Z`. @default - none */
  readonly tag?: string;
  /** Digest, `sha256:<64 hex>`. With a digest the runtime pulls by digest; a tag beside it is informational. */
  readonly digest?: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST = /^(?:localhost|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** Longest repository name (host and path) a registry accepts (distribution/reference `NameTotalLengthMax`). */
const NAME_MAX = 255;

/** Example shown in messages. */
const EXAMPLE = 'quay.io/minio/mc:RELEASE.2025-04-16T18-13-26Z';

function looksLikeHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/** Why `hostPort` (`host` or `host:port`) is not a registry host, or undefined. */
function checkHostPort(hostPort: string): string | undefined {
  if (hostPort.startsWith('[')) {
    return 'IPv6 literal hosts are not supported: use a DNS name';
  }
  const colon = hostPort.indexOf(':');
  const host = colon < 0 ? hostPort : hostPort.slice(0, colon);
  if (!HOST.test(host)) {
    return `host ${JSON.stringify(host)} is not a lowercase DNS name (letters, digits, '-' and '.')`;
  }
  if (colon >= 0) {
    const port = hostPort.slice(colon + 1);
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      return `port ${JSON.stringify(port)} is not a number from 1 to 65535`;
    }
  }
  return undefined;
}

/**
 * Parse an image reference.
 *
 * @param image e.g. `quay.io/minio/mc:RELEASE.2025-04-16T18-13-26Z`, `minio/mc@sha256:<64 hex>`,
 *   `registry.example.com:5000/minio/kes:2025-03-12T09-35-18Z@sha256:<64 hex>`
 * @returns the parts, or a string saying why `image` is not a valid reference (lowercase, starts with the rule)
 */
export function parseImageReference(image: string): ImageReference | string {
  if (typeof image !== 'string' || image === '') {
    return `must be an image reference such as ${EXAMPLE}`;
  }
  if (/\s/.test(image)) {
    return 'must not contain whitespace';
  }
  if (checkNoCredential(image)) {
    return checkNoCredential(image) as string;
  }
  if (image.includes('://')) {
    return `must not start with a scheme: an image reference is [host[:port]/]path[:tag][@sha256:digest], such as ${EXAMPLE}`;
  }
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) {
      return `digest ${JSON.stringify(digest)} is not sha256:<64 lowercase hex characters>`;
    }
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) {
      return `tag ${JSON.stringify(tag)} is not valid (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')`;
    }
  }
  const components = rest.split('/');
  let registry = 'docker.io';
  let explicitRegistry = false;
  if (components.length > 1 && looksLikeHost(components[0])) {
    const problem = checkHostPort(components[0]);
    if (problem) {
      return `registry ${problem}`;
    }
    registry = components.shift()!;
    explicitRegistry = true;
  }
  for (const c of components) {
    if (!PATH_COMPONENT.test(c)) {
      return `repository path component ${JSON.stringify(c)} is not valid (lowercase letters and digits, separated by '.', '_', '__' or '-'); expected a reference such as ${EXAMPLE}`;
    }
  }
  if (registry === 'index.docker.io') {
    registry = 'docker.io';
  }
  const path = registry === 'docker.io' && components.length === 1 ? `library/${components[0]}` : components.join('/');
  if (rest.length > NAME_MAX) {
    return `repository name is longer than ${NAME_MAX} characters`;
  }
  return {
    image,
    registry,
    explicitRegistry,
    path,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/**
 * Check an `imageRegistry` value: `host[:port][/path]`, e.g. `myregistry.azurecr.io`,
 * `registry.example.com:5000/mirror`. No scheme, no tag or digest, no trailing `/`; the host must contain a `.` or
 * a port or be `localhost`, or runtimes would read it as a Docker Hub path.
 * @returns why the value is not valid, or undefined
 */
export function checkImageRegistry(value: string): string | undefined {
  if (value === '') {
    return 'must not be empty: give host[:port][/path], such as myregistry.azurecr.io';
  }
  if (/\s/.test(value)) {
    return 'must not contain whitespace';
  }
  if (checkNoCredential(value)) {
    return checkNoCredential(value) as string;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) {
    return `must not include a scheme (${scheme[1]}://): give host[:port][/path], such as myregistry.azurecr.io (runtimes always pull over HTTPS unless the node trusts the registry as insecure)`;
  }
  if (value.includes('@')) {
    return 'must not include a digest: it is a registry (host[:port][/path]); digests belong on each image';
  }
  if (value.endsWith('/')) {
    return 'must not end with "/": give host[:port][/path], such as myregistry.azurecr.io/mirror';
  }
  const [hostPort, ...path] = value.split('/');
  if (!looksLikeHost(hostPort)) {
    return `host ${JSON.stringify(hostPort)} must contain a "." or a port, or be localhost: otherwise runtimes read it as a path on Docker Hub (docker.io/${value}/…)`;
  }
  const problem = checkHostPort(hostPort);
  if (problem) {
    return problem;
  }
  for (const c of path) {
    if (c.includes(':')) {
      return `must not include a tag (${JSON.stringify(c)}): it is a registry (host[:port][/path]); tags belong on each image`;
    }
    if (!PATH_COMPONENT.test(c)) {
      return `path component ${JSON.stringify(c)} is not valid (lowercase letters and digits, separated by '.', '_', '__' or '-')`;
    }
  }
  return undefined;
}

/**
 * The image as pulled from `registry`: the source registry is replaced and the repository path, tag and digest
 * are kept, as a mirror made by `crane copy`, `oras copy` or `az acr import` lays them out
 * (`quay.io/minio/minio:T` → `<registry>/minio/minio:T`; Docker Hub `minio/mc:T` → `<registry>/minio/mc:T`;
 * `busybox:T` → `<registry>/library/busybox:T`).
 *
 * An image already under `registry` is returned unchanged, so the rewrite is idempotent.
 *
 * @param image a valid image reference
 * @param registry a valid `imageRegistry` (see {@link checkImageRegistry}); undefined returns `image` unchanged
 * @throws Error when `image` or `registry` is not valid (validation reports both before this is called)
 */
export function withImageRegistry(image: string, registry: string | undefined): string {
  if (registry === undefined) {
    return image;
  }
  const problem = checkImageRegistry(registry);
  if (problem) {
    throw new Error(
      `imageRegistry ${looksLikeCredential(registry) ? credentialHidden(registry) : JSON.stringify(registry)} ${problem}`,
    );
  }
  const ref = parseImageReference(image);
  if (typeof ref === 'string') {
    throw new Error(`image ${looksLikeCredential(image) ? credentialHidden(image) : JSON.stringify(image)} ${ref}`);
  }
  if (isFromRegistry(image, registry)) {
    return image;
  }
  return `${registry}/${ref.path}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/**
 * Whether `image` is pulled from `registry` (its reference starts with `<registry>/`). Docker Hub references
 * without a host count as `docker.io`.
 */
export function isFromRegistry(image: string, registry: string): boolean {
  const ref = parseImageReference(image);
  if (typeof ref === 'string') {
    return false;
  }
  return `${ref.registry}/${ref.path}`.startsWith(`${registry}/`);
}

/** The image settings of a declaration, validated, with every default filled in. */
export interface ResolvedImages {
  /** `imageRegistry`, when set. */
  readonly registry?: string;
  /** `imagePullSecrets` (at most one). */
  readonly pullSecrets: readonly string[];
  /** Operator image (the release's, under `registry` when set). */
  readonly operator: string;
  /** Image the v7 operator is told to use for the MinIO pods' sidecar and init container; undefined at v5.0.4. */
  readonly operatorSidecar?: string;
}

/** What {@link resolveImageOptions} needs of a release. */
interface ReleaseImages {
  readonly operatorImage: string;
  readonly operatorSidecarImage?: string;
}

/**
 * Validate `imageRegistry` and `imagePullSecrets` and resolve the operator images.
 * @param checkSecretName the Secret-name rule (a DNS subdomain), returning why a name is invalid
 * @returns the problems (paths `imageRegistry`, `imagePullSecrets[i]`), and the resolved images when there are none
 */
export function resolveImageOptions(
  decl: { readonly imageRegistry?: unknown; readonly imagePullSecrets?: unknown },
  release: ReleaseImages,
  checkSecretName: (v: string) => string | undefined,
): { problems: { path: string; message: string }[]; images?: ResolvedImages } {
  const problems: { path: string; message: string }[] = [];
  const registry = decl.imageRegistry;
  if (registry !== undefined) {
    if (typeof registry !== 'string') {
      problems.push({
        path: 'imageRegistry',
        message: `${display(registry, FieldKind.NAME)} must be a string (host[:port][/path], such as myregistry.azurecr.io)`,
      });
    } else {
      const problem = checkImageRegistry(registry);
      if (problem) {
        problems.push({
          path: 'imageRegistry',
          message: `${display(registry, FieldKind.NAME)} is not a valid image registry: ${problem}`,
        });
      }
    }
  }
  const secrets = decl.imagePullSecrets ?? [];
  if (!Array.isArray(secrets)) {
    problems.push({ path: 'imagePullSecrets', message: 'must be a list of Secret names' });
  } else {
    if (secrets.length > 1) {
      problems.push({
        path: 'imagePullSecrets',
        message: `has ${secrets.length} entries: at most one, because the Tenant CRD holds a single spec.imagePullSecret (used for the MinIO and the KES pods)`,
      });
    }
    secrets.forEach((name: unknown, i: number) => {
      // A Secret name field may receive a pasted secret by mistake: the value is not shown.
      if (typeof name !== 'string') {
        problems.push({ path: `imagePullSecrets[${i}]`, message: 'must be a string (a Secret name)' });
        return;
      }
      const problem = checkSecretName(name);
      if (problem) {
        problems.push({
          path: `imagePullSecrets[${i}]`,
          message: `the ${name.length}-character value (not shown: it may be a secret pasted by mistake) is not a valid Secret name: ${problem}`,
        });
      }
    });
  }
  if (problems.length > 0) {
    return { problems };
  }
  const reg = registry as string | undefined;
  return {
    problems,
    images: {
      ...(reg !== undefined ? { registry: reg } : {}),
      pullSecrets: [...(secrets as string[])],
      operator: withImageRegistry(release.operatorImage, reg),
      ...(release.operatorSidecarImage
        ? { operatorSidecar: withImageRegistry(release.operatorSidecarImage, reg) }
        : {}),
    },
  };
}
