import { display, FieldKind, problemsError } from './problems';

/**
 * The MinIO Operator releases this library supports, as data.
 *
 * Every image and version fact below is read from `minio/operator` at the release tag
 * (`pkg/apis/minio.min.io/v2/constants.go`, `resources/base/`, `docs/notes/`). The CRD digests are the SHA-256 of
 * `resources/base/crds/<file>` at the tag.
 */
export interface OperatorReleaseProps {
  /** Operator git tag, e.g. `v5.0.4`. */
  readonly tag: string;
  /** Operator image. */
  readonly operatorImage: string;
  /** MinIO server image the operator defaults to at this tag (pinned explicitly in every Tenant we emit). */
  readonly minioImage: string;
  /** KES image the operator defaults to at this tag (pinned explicitly in every Tenant we emit). */
  readonly kesImage: string;
  /** `mc` client image of the same period, from quay.io (Docker Hub no longer serves `minio/mc`). */
  readonly mcImage: string;
  /**
   * Image of the `sidecar` container and the `validate-arguments` init container the operator adds to every MinIO
   * pod, when it is not the operator image. At v5.0.4 both run the operator image, read from container
   * `minio-operator` of Deployment `minio-operator` (minio/operator `pkg/controller/main-controller.go`,
   * `pkg/resources/statefulsets/minio-statefulset.go` at v5.0.4): undefined. At v7.1.1 the default is
   * `quay.io/minio/operator-sidecar:v7.0.1`, overridden by the operator's `OPERATOR_SIDECAR_IMAGE` env
   * (`pkg/resources/statefulsets/minio-sidecar.go` at v7.1.1), which the library always sets.
   * @default - the operator image
   */
  readonly operatorSidecarImage?: string;
  /** Minimum Kubernetes minor version, e.g. `1.21`. */
  readonly minKubernetes: string;
  /** Whether `spec.pools[].name` is required by the CRD (from v5.0.15). */
  readonly poolNameRequired: boolean;
  /** Whether `spec.credsSecret` still exists in the CRD (removed in v6.0.0). */
  readonly credsSecretInCrd: boolean;
  /** Whether the kustomize install carries the Operator Console (removed in v6.0.0). */
  readonly hasConsoleUi: boolean;
  /** Default of `OPERATOR_STS_ENABLED` in the install (`off` at v5, `on` from v6). */
  readonly stsEnabled: boolean;
  /** Whether the KES container security context field exists (`spec.kes.containerSecurityContext`, from 2024-03). */
  readonly kesContainerSecurityContext: boolean;
  /** Whether the `config.env` parser reads only lines starting with `export ` (v7). */
  readonly configEnvRequiresExport: boolean;
  /** Whether the ClusterRole grants `job.min.io` and `policy/poddisruptionbudgets` (v7.1.1 install). */
  readonly rbacJobsAndPdbs: boolean;
  /** Whether the operator Deployment uses `strategy: Recreate` (v7.1.1 install). */
  readonly recreateStrategy: boolean;
  /** Served versions of `policybindings.sts.min.io`, storage version last. */
  readonly policyBindingVersions: readonly string[];
  /** Upstream URL of the tenants CRD at this tag. */
  readonly tenantsCrdUrl: string;
  /** SHA-256 (hex) of the tenants CRD at this tag. */
  readonly tenantsCrdSha256: string;
  /** Upstream URL of the policybindings CRD at this tag. */
  readonly policyBindingsCrdUrl: string;
  /** SHA-256 (hex) of the policybindings CRD at this tag. */
  readonly policyBindingsCrdSha256: string;
}

const CRD_BASE = 'https://raw.githubusercontent.com/minio/operator';

/**
 * The mc releases the bucket-encryption Job script (lib/k8s/bucket-encryption/) is proven against, oldest and
 * newest: one fake-mc profile each (test/support/fake-mc/profiles/<release>.sh), holding what that mc prints,
 * read from github.com/minio/mc `cmd/*.go` at the tag. They are the `mcImage` tags of v5.0.4 and v7.1.1. The one
 * change between them that the script depends on: `mc admin kms key status --json` prints the booleans
 * `encryption`/`decryption` at RELEASE.2023-04-12T02-21-51Z but not at RELEASE.2025-04-16T18-13-26Z
 * (cmd/admin-kms-key-status.go `kmsKeyStatusMsg`), so the script checks only what both print.
 * A `bucketEncryptionJob.image` must carry an mc release tag within this range (see {@link checkBucketEncryptionMcImage}).
 */
export const BUCKET_ENCRYPTION_MC_RANGE = {
  oldest: 'RELEASE.2023-04-12T02-21-51Z',
  newest: 'RELEASE.2025-04-16T18-13-26Z',
} as const;

/** An mc release tag: `RELEASE.YYYY-MM-DDTHH-MM-SSZ` (fixed width, so string order is time order). */
const MC_RELEASE_TAG = /^RELEASE\.\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/;

/**
 * Rule for `bucketEncryptionJob.image`: its tag (`repo:TAG` or `repo:TAG@sha256:…`; any registry) must be an mc
 * release within {@link BUCKET_ENCRYPTION_MC_RANGE}, inclusive.
 * @returns undefined when valid, else the reason, naming the range
 */
export function checkBucketEncryptionMcImage(image: string): string | undefined {
  const ref = image.split('@')[0];
  const colon = ref.lastIndexOf(':');
  const tag = colon > ref.lastIndexOf('/') ? ref.slice(colon + 1) : '';
  const { oldest, newest } = BUCKET_ENCRYPTION_MC_RANGE;
  const range = `the bucket-encryption script is proven against mc ${oldest} to ${newest}`;
  if (!MC_RELEASE_TAG.test(tag)) {
    return `${range}, and this image's tag is not an mc release tag (RELEASE.YYYY-MM-DDTHH-MM-SSZ); use e.g. quay.io/minio/mc:${newest}, or your mirror's copy with that tag (a digest may follow: repo:tag@sha256:…)`;
  }
  if (tag < oldest || tag > newest) {
    return `${range}, not ${tag}; use an mc image with a release tag in that range, e.g. quay.io/minio/mc:${newest}`;
  }
  return undefined;
}

/**
 * A supported MinIO Operator release. Use the static members; the constructor is private so that every
 * release the library emits is one whose facts were checked.
 *
 * @example OperatorRelease.V5_0_4
 */
export class OperatorRelease implements OperatorReleaseProps {
  /** v5.0.4 (2023-04-21), the release the seed documentation pins. Kubernetes ≥ 1.21. */
  public static readonly V5_0_4 = new OperatorRelease({
    tag: 'v5.0.4',
    operatorImage: 'quay.io/minio/operator:v5.0.4',
    minioImage: 'quay.io/minio/minio:RELEASE.2023-04-20T17-56-55Z',
    kesImage: 'quay.io/minio/kes:2023-04-18T19-36-09Z',
    mcImage: 'quay.io/minio/mc:RELEASE.2023-04-12T02-21-51Z',
    minKubernetes: '1.21',
    poolNameRequired: false,
    credsSecretInCrd: true,
    hasConsoleUi: true,
    stsEnabled: false,
    kesContainerSecurityContext: false,
    configEnvRequiresExport: false,
    rbacJobsAndPdbs: false,
    recreateStrategy: false,
    policyBindingVersions: ['v1alpha1'],
    tenantsCrdUrl: `${CRD_BASE}/v5.0.4/resources/base/crds/minio.min.io_tenants.yaml`,
    tenantsCrdSha256: '858ba86e6d1591e3251772f0b83da16e0ffe777de031d3f427b546054c7c00b6',
    policyBindingsCrdUrl: `${CRD_BASE}/v5.0.4/resources/base/crds/sts.min.io_policybindings.yaml`,
    policyBindingsCrdSha256: '4969f610cbeba4ec4201c47b258a11f7a182b6fa49cf8815784e44fd8e02ad87',
  });

  /** v7.1.1 (2025-04-23), the latest release tag. Kubernetes ≥ 1.30. */
  public static readonly V7_1_1 = new OperatorRelease({
    tag: 'v7.1.1',
    operatorImage: 'quay.io/minio/operator:v7.1.1',
    minioImage: 'quay.io/minio/minio:RELEASE.2025-04-08T15-41-24Z',
    kesImage: 'quay.io/minio/kes:2025-03-12T09-35-18Z',
    mcImage: 'quay.io/minio/mc:RELEASE.2025-04-16T18-13-26Z',
    operatorSidecarImage: 'quay.io/minio/operator-sidecar:v7.0.1',
    minKubernetes: '1.30',
    poolNameRequired: true,
    credsSecretInCrd: false,
    hasConsoleUi: false,
    stsEnabled: true,
    kesContainerSecurityContext: true,
    configEnvRequiresExport: true,
    rbacJobsAndPdbs: true,
    recreateStrategy: true,
    policyBindingVersions: ['v1alpha1', 'v1beta1'],
    tenantsCrdUrl: `${CRD_BASE}/v7.1.1/resources/base/crds/minio.min.io_tenants.yaml`,
    tenantsCrdSha256: '48385fa45f640f3979fa8013c06fa51361c0a7279ac347b49330c1ae6bd0dbe2',
    policyBindingsCrdUrl: `${CRD_BASE}/v7.1.1/resources/base/crds/sts.min.io_policybindings.yaml`,
    policyBindingsCrdSha256: '78f7afecf9664fbb2ce93c456702ac286dbd2b4d6a0f78a7a35183023693a3d4',
  });

  /** Every supported release, oldest first. */
  public static all(): OperatorRelease[] {
    return [OperatorRelease.V5_0_4, OperatorRelease.V7_1_1];
  }

  /**
   * Look a release up by tag. Total: any value that is not the tag of a supported release (a symbol, an object, a
   * number, an unknown string) gets the listing error, never a TypeError.
   * @param tag a release tag, e.g. `v7.1.1`
   * @throws Error `invalid operator release (1 problem):` naming the value (escaped, capped) and the supported tags
   */
  public static fromTag(tag: string): OperatorRelease {
    const found = typeof tag === 'string' ? OperatorRelease.all().find((r) => r.tag === tag) : undefined;
    if (!found) {
      throw problemsError(
        [
          {
            path: 'tag',
            message: `${display(tag, FieldKind.NAME)} is not a supported operator release: expected one of ${OperatorRelease.all()
              .map((r) => r.tag)
              .join(', ')}`,
          },
        ],
        'operator release',
      );
    }
    return found;
  }

  /** Whether `x` is one of the supported release objects. */
  public static isRelease(x: unknown): x is OperatorRelease {
    return OperatorRelease.all().includes(x as OperatorRelease);
  }

  public readonly tag!: string;
  public readonly operatorImage!: string;
  public readonly minioImage!: string;
  public readonly kesImage!: string;
  public readonly mcImage!: string;
  public readonly operatorSidecarImage?: string;
  public readonly minKubernetes!: string;
  public readonly poolNameRequired!: boolean;
  public readonly credsSecretInCrd!: boolean;
  public readonly hasConsoleUi!: boolean;
  public readonly stsEnabled!: boolean;
  public readonly kesContainerSecurityContext!: boolean;
  public readonly configEnvRequiresExport!: boolean;
  public readonly rbacJobsAndPdbs!: boolean;
  public readonly recreateStrategy!: boolean;
  public readonly policyBindingVersions!: readonly string[];
  public readonly tenantsCrdUrl!: string;
  public readonly tenantsCrdSha256!: string;
  public readonly policyBindingsCrdUrl!: string;
  public readonly policyBindingsCrdSha256!: string;

  private constructor(props: OperatorReleaseProps) {
    Object.assign(this, props);
    Object.freeze(this);
  }

  /** The release tag without the `v`, as used by the Helm charts and `app.kubernetes.io/version`. */
  public get version(): string {
    return this.tag.replace(/^v/, '');
  }

  public toString(): string {
    return this.tag;
  }
}
