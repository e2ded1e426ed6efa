/**
 * What a KES image can do, derived from its date tag.
 *
 * KES changed its config parser, policy pattern matching and Azure authentication several times; the tag of
 * the image decides which rules apply. Facts from `minio/kes` at the tags named (`kesconf/file.go`,
 * `internal/keystore/azure/`, `cmd/kes/server.go`):
 * - `2023-10-24T20-26-51Z` and `2023-10-27T22-05-35Z` have a policy-matching bug (kes-go v0.2.0) and a SIGHUP
 *   reload that swaps in an in-memory keystore: refused.
 * - up to `2023-10-03T00-48-37Z` policy patterns are `path.Match` globs; from `2023-11-09T17-35-47Z` a
 *   trailing `*` is a string prefix and everything else is exact.
 * - `keys:` in the config is created at startup up to `2023-10-03…` and ignored from `2023-10-24…` to
 *   `2025-03-12T09-35-18Z` (the last tag).
 * - Azure without a `credentials` or `managed_identity` block (DefaultAzureCredential, hence workload identity)
 *   needs `2024-06-17T15-47-05Z` or later (`minio/kes` commit `4b6f9dc`).
 */
export enum KesPolicyEra {
  /** `path.Match` globs: `*` matches within one path segment (KES ≤ 2023-10-03). */
  GLOB = 'glob',
  /** Prefix matching: a trailing `*` matches any suffix, anything else is exact (KES ≥ 2023-11-09). */
  PREFIX = 'prefix',
}

/** A parsed KES image reference with the capabilities its date tag implies. */
export interface KesImageInfo {
  /** The full image reference, e.g. `quay.io/minio/kes:2023-04-18T19-36-09Z`. */
  readonly image: string;
  /** The date tag, e.g. `2023-04-18T19-36-09Z`. */
  readonly tag: string;
  /** Policy pattern era. */
  readonly policyEra: KesPolicyEra;
  /** Whether KES creates the config's `keys:` at startup. */
  readonly createsConfigKeys: boolean;
  /** Whether the Azure keystore may omit both auth blocks (DefaultAzureCredential / workload identity). */
  readonly supportsDefaultAzureCredential: boolean;
  /**
   * Whether KES can authenticate to a non-public Azure cloud (China, US Government): from 2024-06-17T15-47-05Z,
   * when it moved to azidentity/azsecrets; before, the token resource `https://vault.azure.net` and the public
   * authority are hard-coded (`minio/kes` `internal/keystore/azure/key-vault.go` at tag `2024-04-12T13-50-00Z`).
   */
  readonly supportsSovereignClouds: boolean;
  /** Whether `GET /v1/ready` exists (from 2023-05-02). */
  readonly hasReadyApi: boolean;
}

const DATE_TAG = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})Z$/;

/** The last KES release tag (minio/kes is archived; `minio/kes` `README.md` at master, commit `63649d0`). */
export const LAST_KES_TAG = '2025-03-12T09-35-18Z';

/** Tags that must never be used (broken policy matching, keystore swap on reload). */
export const BROKEN_KES_TAGS: readonly string[] = ['2023-10-24T20-26-51Z', '2023-10-27T22-05-35Z'];

/**
 * Parse a KES image reference.
 *
 * @param image an image reference whose tag is a KES date tag (`YYYY-MM-DDTHH-MM-SSZ`), optionally followed by
 *   `@sha256:<digest>`. A digest-only reference (`repo@sha256:…`) is refused: the date tag is how the era is
 *   stated, so pin `repo:<date tag>@sha256:<digest>` (runtimes pull by the digest and ignore the tag beside it).
 * @returns the capabilities, or a string explaining why the image cannot be used
 */
export function parseKesImage(image: string): KesImageInfo | string {
  const withoutDigest = image.split('@')[0];
  const colon = withoutDigest.lastIndexOf(':');
  const slash = withoutDigest.lastIndexOf('/');
  if (colon <= slash) {
    if (image.includes('@')) {
      // The config format, policy matching and Azure auth depend on the KES release; a digest does not say which.
      return 'is pinned by digest only: write it as <repository>:<KES date tag>@sha256:<digest> (e.g. quay.io/minio/kes:2025-03-12T09-35-18Z@sha256:…) so the library knows which KES release it is; the runtime pulls by the digest';
    }
    return 'has no tag; pin a KES date tag such as 2025-03-12T09-35-18Z';
  }
  const tag = withoutDigest.slice(colon + 1);
  if (!DATE_TAG.test(tag)) {
    return `tag "${tag}" is not a KES date tag (YYYY-MM-DDTHH-MM-SSZ); semver and floating tags use other config formats`;
  }
  const [, y, mo, d, h, mi, se] = DATE_TAG.exec(tag)!.map(Number);
  const when = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  if (when.getUTCMonth() !== mo - 1 || when.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) {
    return `tag "${tag}" is not a real date and time`;
  }
  if (tag > LAST_KES_TAG) {
    return `tag "${tag}" is newer than the last KES release ${LAST_KES_TAG} (KES is archived upstream); its config format is unknown`;
  }
  if (BROKEN_KES_TAGS.includes(tag)) {
    return `tag "${tag}" has broken policy matching and keystore reload (minio/kes kes-go v0.2.0); use 2023-11-09T17-35-47Z or later`;
  }
  if (tag < '2023-02-15T14-54-37Z') {
    return `tag "${tag}" predates the date-tagged KES releases the operator supports; use 2023-04-18T19-36-09Z or later`;
  }
  const policyEra = tag <= '2023-10-03T00-48-37Z' ? KesPolicyEra.GLOB : KesPolicyEra.PREFIX;
  return {
    image,
    tag,
    policyEra,
    createsConfigKeys: tag <= '2023-10-03T00-48-37Z',
    supportsDefaultAzureCredential: tag >= '2024-06-17T15-47-05Z',
    supportsSovereignClouds: tag >= '2024-06-17T15-47-05Z',
    hasReadyApi: tag >= '2023-05-02T22-48-10Z',
  };
}
