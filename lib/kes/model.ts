/**
 * The KES server configuration (`server-config.yaml`) as a typed model: the fixed values this library writes and the
 * shape of the "new" KES format (`version: v1`, `admin.identity`), the only one every KES image the operator ships
 * accepts (the operator treats KES tags from v0.22.0 on as config v2: minio/operator
 * `pkg/resources/statefulsets/kes-statefulset.go` `getKesConfigVersion`, tag v5.0.4).
 *
 * Pure: no cdk8s or Pulumi import. Facts are cited per item; `kesconf` means `minio/kes` `kesconf/config.go` and
 * `kesconf/file.go` at tag `2025-03-12T09-35-18Z`, `edge` means `minio/kes` `edge/server-config-yml.go` at tag
 * `2023-04-18T19-36-09Z` (operator v5.0.4's default image).
 */
import { KES_ENV } from '../declaration/validate';
import { envRef } from './parsed';

/** Key of the KES config in the Secret named by `spec.kes.kesSecret`; the only key the operator mounts. */
export const KES_CONFIG_SECRET_KEY = 'server-config.yaml';

/**
 * Address KES listens on. KES ≥ 2023-10-24T20-26-51Z requires an IP literal (or an empty host); a hostname fails
 * with "'<host>' is not a valid IP address" (minio/kes `cmd/kes/server.go`, tag 2023-10-24T20-26-51Z). Port 7373 is the port of the
 * operator's headless Service `<tenant>-kes-hl-svc` (minio/operator `pkg/resources/statefulsets/kes-statefulset.go`).
 */
export const KES_ADDRESS = '0.0.0.0:7373';

/**
 * Where the operator mounts the KES server key and certificate (projected volume at `/tmp/kes`, minio/operator
 * `kes-statefulset.go`).
 */
export const KES_TLS_KEY_PATH = '/tmp/kes/server.key';
/** See {@link KES_TLS_KEY_PATH}. */
export const KES_TLS_CERT_PATH = '/tmp/kes/server.crt';

/**
 * `admin.identity` value that disables the admin: KES requires the field, and any value that is not a hex
 * identity can never match a client certificate (kesconf `ymlToServerConfig`).
 */
export const KES_DISABLED_ADMIN_IDENTITY = 'disabled';

/** Name of the policy granted to MinIO's client identity. */
export const KES_MINIO_POLICY_NAME = 'minio';

/**
 * `${MINIO_KES_IDENTITY}`: the operator injects the env var (minio/operator `pkg/resources/statefulsets/kes-statefulset.go`,
 * tag v5.0.4), KES expands the reference (kesconf).
 */
export const KES_MINIO_IDENTITY_REF = envRef(KES_ENV.MINIO_IDENTITY);

/** A KES log level as written in `log.error` / `log.audit` (kesconf accepts `on`, `off` and slog level names). */
export type KesLogLevel = 'on' | 'off' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** One KES policy (`policy.<name>`). Patterns are plain strings: KES never expands `${VAR}` in them. */
export interface KesPolicy {
  /** API path patterns this policy allows. */
  readonly allow: readonly string[];
  /** API path patterns this policy denies; deny wins over allow. @default - none */
  readonly deny?: readonly string[];
  /** Identities (or `${VAR}` references to them) bound to this policy. An identity may be in one policy only. */
  readonly identities: readonly string[];
}

/** `keystore.azure.keyvault.credentials`: an Entra app's client secret. Every value is a `${VAR}` reference. */
export interface KesAzureCredentials {
  readonly tenant_id: string;
  readonly client_id: string;
  readonly client_secret: string;
}

/**
 * `keystore.azure.keyvault.managed_identity`: a user-assigned managed identity. Same YAML keys (`credentials.tenant_id`,
 * `client_id`, `client_secret`; `managed_identity.client_id`) in every pinned KES image: `minio/kes`
 * `edge/server-config-yml.go` at `2023-04-18T19-36-09Z` and `kesconf/config.go` at `2025-03-12T09-35-18Z`.
 */
export interface KesAzureManagedIdentity {
  readonly client_id: string;
}

/**
 * `keystore.azure.keyvault`. At most one of `credentials` and `managed_identity` (kesconf: "more than one
 * authentication method specified"); with neither, KES ≥ 2024-06-17T15-47-05Z uses DefaultAzureCredential
 * (minio/kes commit `4b6f9dc`), older images fail with "no authentication method specified".
 */
export interface KesAzureKeyVault {
  /** Vault URI, e.g. `https://<vault>.vault.azure.net`. */
  readonly endpoint: string;
  readonly credentials?: KesAzureCredentials;
  readonly managed_identity?: KesAzureManagedIdentity;
}

/**
 * Typed model of the KES server config, new format, with the fields this library emits. Field names are the YAML
 * keys (kesconf `ymlFile`).
 */
export interface KesServerConfig {
  /** Only `v1` is accepted (kesconf; optional since KES v0.22.3, emitted always). */
  readonly version: 'v1';
  /** `ip:port`, see {@link KES_ADDRESS}. */
  readonly address: string;
  /** Required by every KES from v0.17.3 on ("no admin identity specified"). */
  readonly admin: { readonly identity: string };
  /** Server key and certificate paths, see {@link KES_TLS_KEY_PATH}. */
  readonly tls: { readonly key: string; readonly cert: string };
  /** Policies by name. Absent when MinIO is the admin (an identity may not be admin and in a policy). */
  readonly policy?: Readonly<Record<string, KesPolicy>>;
  /** Key cache. Both set explicitly: KES defaults changed four times (minio/kes `cmd/kes/server.go` `configureCache`, tags 2023-10-27 … 2025-03-12). */
  readonly cache: { readonly expiry: { readonly any: string; readonly unused: string } };
  /** Logging. `audit` is set explicitly: unset means INFO, i.e. audit lines on stdout (kesconf). */
  readonly log: { readonly error: KesLogLevel; readonly audit: KesLogLevel };
  /**
   * Keys to create at startup. Honoured by KES ≤ 2023-10-03 (and untagged master), ignored 2023-10-24 …
   * 2025-03-12 (minio/kes#519); the bucket-encryption Job creates them either way.
   */
  readonly keys: readonly { readonly name: string }[];
  /** Exactly one keystore: Azure Key Vault. */
  readonly keystore: { readonly azure: { readonly keyvault: KesAzureKeyVault } };
}
