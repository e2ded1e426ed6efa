import { AzureAuth } from './azure-auth';
import { OperatorRelease } from './release';

/**
 * The one typed declaration behind both front doors (`cdk8s synth` and `pulumi up`).
 * Validate it with `validateDeclaration` / `resolveDeclaration` (in `lib/declaration/validate.ts`) before use.
 */
export interface MinioSseDeclaration {
  /** MinIO Operator release: decides images, CRD schema and operator install objects. */
  readonly release: OperatorRelease;
  /** Namespace of the operator install. @default 'minio-operator' */
  readonly operatorNamespace?: string;
  /** The MinIO Tenant. */
  readonly tenant: TenantDeclaration;
  /** KES, the key server between MinIO and Azure Key Vault (`spec.kes`). */
  readonly kes: KesDeclaration;
  /** Buckets that get bucket-default SSE-KMS. @default - none */
  readonly buckets?: BucketDeclaration[];
  /** Options of the bucket-encryption reconciler Job. @default - see {@link BucketEncryptionJobOptions} */
  readonly bucketEncryptionJob?: BucketEncryptionJobOptions;
  /**
   * Registry that every image the library emits is pulled from, as `host[:port][/path]` (no scheme, tag or
   * digest; the host has a `.` or a port or is `localhost`), e.g. `myregistry.azurecr.io` or
   * `registry.example.com:5000/mirror`. Each image keeps its repository path, tag and digest and gets this
   * registry: `quay.io/minio/minio:T` becomes `<imageRegistry>/minio/minio:T` (Docker Hub `minio/mc:T` becomes
   * `<imageRegistry>/minio/mc:T`). It applies to the operator image, the operator's sidecar and init-container image
   * (v5.0.4: the operator image itself, read from Deployment `minio-operator`; v7.1.1: `OPERATOR_SIDECAR_IMAGE`),
   * MinIO, KES and the Job's `mc`, including images set in `tenant.image`, `kes.image` and
   * `bucketEncryptionJob.image` (an image already under this registry is kept). After escape-hatch patches, every
   * image in the Tenant (`spec.image`, `spec.kes.image`, `spec.sideCars.containers[].image`,
   * `spec.initContainers[].image`) must still come from it.
   * @default - the upstream registries of the release table (`quay.io`)
   */
  readonly imageRegistry?: string;
  /**
   * Names of `kubernetes.io/dockerconfigjson` Secrets used to pull the images: set on the operator Deployment,
   * the Tenant (`spec.imagePullSecret`, which the operator puts on the MinIO and the KES pods — minio/operator
   * `pkg/resources/statefulsets/minio-statefulset.go` and `kes-statefulset.go` at v5.0.4 and v7.1.1) and the
   * bucket-encryption Job. At most one: the Tenant CRD holds a single pull secret. The Secret is referenced, never
   * created: it must exist in the operator namespace and in the tenant namespace.
   * @default - none
   */
  readonly imagePullSecrets?: string[];
}

/** A MinIO Tenant (`tenants.minio.min.io/v2`). */
export interface TenantDeclaration {
  /** Tenant name (DNS-1123 label, at most 52 characters so `<name>-kes-hl-svc` stays a valid Service name). */
  readonly name: string;
  /** Namespace of the Tenant, its KES and its Job (DNS-1123 label). */
  readonly namespace: string;
  /** Server pools; at least one. */
  readonly pools: PoolDeclaration[];
  /**
   * Name of an existing Secret in the Tenant namespace with key `config.env` holding `export MINIO_ROOT_USER=…`
   * and `export MINIO_ROOT_PASSWORD=…` (`spec.configuration`). Referenced, never synthesized.
   */
  readonly configurationSecretName: string;
  /** MinIO image. @default - the release's MinIO image */
  readonly image?: string;
  /**
   * Let the operator issue MinIO's TLS certificate through a Kubernetes CSR (`spec.requestAutoCert`).
   * @default true
   */
  readonly requestAutoCert?: boolean;
  /** Kubernetes cluster domain, used for the in-cluster service DNS names. @default 'cluster.local' */
  readonly clusterDomain?: string;
}

/** One server pool (`spec.pools[]`). */
export interface PoolDeclaration {
  /** Pool name (DNS-1123 label). @default 'pool-<index>' */
  readonly name?: string;
  /** MinIO servers (pods) in the pool; integer ≥ 1. Immutable once applied. */
  readonly servers: number;
  /** Volumes (PVCs) per server; integer ≥ 1. Immutable once applied. */
  readonly volumesPerServer: number;
  /** Size of each volume, a Kubernetes quantity such as `1Ti`. */
  readonly storageSize: string;
  /** StorageClass of the volumes. @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
}

/** Whether MinIO gets a scoped policy (recommended) or becomes the KES admin. */
export enum KesAdminMode {
  /** `admin.identity` disabled; MinIO gets a least-privilege policy. */
  DISABLED = 'disabled',
  /**
   * MinIO's identity is the KES admin: it may also delete and import keys. Opt-in only (upstream CI made MinIO the
   * admin to work around a short policy: minio/operator#2000, minio/docs#779).
   */
  MINIO_IS_ADMIN = 'minioIsAdmin',
}

/** KES with the Azure Key Vault keystore. */
export interface KesDeclaration {
  /**
   * Key Vault URI: `https://<vault>.vault.azure.net` (or the `.vault.azure.cn` / `.vault.usgovcloudapi.net`
   * clouds). KES stores each EK as a Key Vault secret of the same name (minio/kes internal/keystore/azure).
   */
  readonly keyVaultEndpoint: string;
  /** How KES authenticates to Key Vault. */
  readonly auth: AzureAuth;
  /** The default EK (`spec.kes.keyName` → `MINIO_KMS_KES_KEY_NAME`): encrypts MinIO's config and IAM data. */
  readonly defaultKeyName: string;
  /** Further EKs to pre-declare (KES `keys:` and created by the Job). @default - none */
  readonly keys?: string[];
  /**
   * Restrict MinIO's create/generate/decrypt rights to EK names starting with this prefix; every declared EK
   * must then start with it. @default - every key name
   */
  readonly keyNamePrefix?: string;
  /** KES replicas. @default 2 */
  readonly replicas?: number;
  /** KES image (must carry a KES date tag). @default - the release's KES image */
  readonly image?: string;
  /** Admin identity. @default KesAdminMode.DISABLED */
  readonly adminMode?: KesAdminMode;
  /** `cache.expiry.any`, a Go duration. @default '5m0s' */
  readonly cacheExpiryAny?: string;
  /** `cache.expiry.unused`, a Go duration. @default '20s' */
  readonly cacheExpiryUnused?: string;
  /** Name of the Secret holding `server-config.yaml`. @default '<tenant>-kes-config' */
  readonly configSecretName?: string;
  /**
   * Extra annotations on the KES pods (`spec.kes.annotations`). Changing one makes the operator roll KES — the
   * Pulumi stack uses this to restart KES when the active Azure client secret changes. @default - none
   */
  readonly podAnnotations?: Record<string, string>;
}

/** A bucket with bucket-default SSE-KMS. */
export interface BucketDeclaration {
  /** Bucket name (S3 naming rules). */
  readonly name: string;
  /** EK used as the bucket's default SSE-KMS key; created by the Job when not already present. */
  readonly encryptionKey: string;
}

/** Options of the bucket-encryption reconciler Job. */
export interface BucketEncryptionJobOptions {
  /** `mc` image. @default - the release's `mc` image */
  readonly image?: string;
  /** Retries of the Job's pod. @default 3 */
  readonly backoffLimit?: number;
  /** Upper bound on the Job's run time, in seconds. @default 1800 */
  readonly activeDeadlineSeconds?: number;
  /**
   * Delete the finished Job after this many seconds. GitOps tools that track the Job will re-create it after
   * deletion; leave unset for them. @default - never deleted
   */
  readonly ttlSecondsAfterFinished?: number;
  /** Readiness polls before giving up. @default 60 */
  readonly readinessAttempts?: number;
  /** Seconds between readiness polls. @default 10 */
  readonly readinessIntervalSeconds?: number;
  /**
   * Skip TLS verification of MinIO. Only for test clusters. @default false
   */
  readonly insecureSkipTlsVerify?: boolean;
  /**
   * ConfigMap (key `ca.crt`) with the CA that signed MinIO's certificate.
   * @default 'kube-root-ca.crt' - the cluster CA published in every namespace, which signs operator auto-cert CSRs
   */
  readonly caConfigMapName?: string;
}
