/**
 * The resolved declaration: what `resolveDeclaration` (validate.ts) returns after every rule passed and every default was
 * filled in, and what every renderer and construct consumes.
 */
import { AzureAuth, EnvSource } from './azure-auth';
import { BucketDeclaration, BucketEncryptionJobOptions, KesAdminMode, PoolDeclaration } from './declaration';
import { ResolvedImages } from './image';
import { KesImageInfo } from './kes-image';
import { OperatorRelease } from './release';

export interface ResolvedDeclaration {
  readonly release: OperatorRelease;
  readonly operatorNamespace: string;
  readonly tenant: ResolvedTenant;
  readonly kes: ResolvedKes;
  /** Every EK the Job creates, in order: the default EK, `kes.keys`, then bucket keys; no duplicates. */
  readonly encryptionKeys: readonly string[];
  readonly buckets: readonly BucketDeclaration[];
  readonly job: ResolvedJobOptions;
  /** `imageRegistry`, `imagePullSecrets` and the operator images (the other images are rewritten in place). */
  readonly images: ResolvedImages;
}

export interface ResolvedPool extends PoolDeclaration {
  readonly name: string;
}

export interface ResolvedTenant {
  readonly name: string;
  readonly namespace: string;
  readonly pools: readonly ResolvedPool[];
  readonly configurationSecretName: string;
  readonly image: string;
  readonly requestAutoCert: boolean;
  readonly clusterDomain: string;
  /** The operator's ClusterIP Service for MinIO; always `minio` (operator `MinIOCIServiceName`). */
  readonly serviceName: string;
  /** `minio.<ns>.svc.<domain>`. */
  readonly serviceHost: string;
  /** 443 with TLS, 80 without (operator Service ports). */
  readonly servicePort: number;
  /** `https://…` or `http://…` URL of the MinIO S3 API inside the cluster. */
  readonly serviceUrl: string;
}

/** One environment variable of the KES container and where its value comes from. */
export interface ResolvedKesEnv {
  readonly name: string;
  readonly source: EnvSource;
}

export interface ResolvedKes {
  readonly endpoint: string;
  readonly vaultName: string;
  readonly auth: AzureAuth;
  readonly defaultKeyName: string;
  /** EKs written to the KES config `keys:` (default EK first). */
  readonly keys: readonly string[];
  readonly keyNamePrefix?: string;
  readonly replicas: number;
  readonly image: string;
  readonly imageInfo: KesImageInfo;
  readonly adminMode: KesAdminMode;
  readonly cacheExpiryAny: string;
  readonly cacheExpiryUnused: string;
  readonly configSecretName: string;
  /** Headless Service the operator creates for KES: `<tenant>-kes-hl-svc`. */
  readonly serviceName: string;
  /** Service account for workload identity, when used. */
  readonly serviceAccountName?: string;
  /** Env vars KES needs for the `${VAR}` references in its config, in a stable order. */
  readonly env: readonly ResolvedKesEnv[];
  /** Extra KES pod annotations. */
  readonly podAnnotations: Readonly<Record<string, string>>;
}

export interface ResolvedJobOptions extends Required<Omit<BucketEncryptionJobOptions, 'ttlSecondsAfterFinished'>> {
  readonly ttlSecondsAfterFinished?: number;
}

/** Env var names used by the rendered KES config. */
export const KES_ENV = {
  TENANT_ID: 'AZURE_TENANT_ID',
  CLIENT_ID: 'AZURE_CLIENT_ID',
  CLIENT_SECRET: 'AZURE_CLIENT_SECRET',
  /**
   * Injected by the operator with the MinIO client certificate identity (minio/operator
   * `pkg/resources/statefulsets/kes-statefulset.go`, tag v5.0.4).
   */
  MINIO_IDENTITY: 'MINIO_KES_IDENTITY',
} as const;
