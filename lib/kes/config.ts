/**
 * The KES server configuration (`server-config.yaml`), rendered from a validated declaration.
 *
 * Pure: no cdk8s or Pulumi import. The output is the "new" KES format (`version: v1`, `admin.identity`), the only
 * one every KES image the operator ships accepts (the operator treats KES tags from v0.22.0 on as config v2:
 * minio/operator `pkg/resources/statefulsets/kes-statefulset.go` `getKesConfigVersion`, tag v5.0.4). Facts are cited per item; `kesconf`
 * means `minio/kes` `kesconf/config.go` and `kesconf/file.go` at tag `2025-03-12T09-35-18Z`, `edge` means
 * `minio/kes` `edge/server-config-yml.go` at tag `2023-04-18T19-36-09Z` (operator v5.0.4's default image).
 */
import { isIP } from 'net';
import { Document, Scalar } from 'yaml';
import { FieldKind, Problem, describe, display, escapeText } from '../declaration/problems';
import {
  AZURE_CLOUDS,
  AzureAuthMode,
  AzureCloud,
  MIN_KES_TAG_AZIDENTITY,
  azureCloudOfEndpoint,
} from '../declaration/azure-auth';
import { KesAdminMode } from '../declaration/declaration';
import { checkGoDuration, checkKeyName, checkKeyVaultEndpoint } from '../declaration/rules';
import { KES_ENV, ResolvedDeclaration } from '../declaration/validate';

/** Key of the KES config in the Secret named by `spec.kes.kesSecret`; the only key the operator mounts. */
export const KES_CONFIG_SECRET_KEY = 'server-config.yaml';

/**
 * Address KES listens on. KES ≥ 2023-10-24T20-26-51Z requires an IP literal (or an empty host); a hostname fails
 * with "'<host>' is not a valid IP address" (minio/kes `cmd/kes/server.go`). Port 7373 is the port of the
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

/**
 * The least-privilege policy for MinIO's identity `${MINIO_KES_IDENTITY}` (routes: minio/kes `internal/api/api.go`, tag
 * 2025-03-12T09-35-18Z; MinIO's calls: minio/minio `internal/kms/kes.go`):
 *
 * - `/v1/key/create/<p>*`, `/v1/key/generate/<p>*`, `/v1/key/decrypt/<p>*`: the EK operations MinIO performs
 *   (startup create of the default EK, SSE, IAM/config encryption); `<p>` is `spec.kes.keyNamePrefix` or empty;
 * - `/v1/key/bulk/decrypt/<p>*`: bulk ETag decryption of MinIO < RELEASE.2023-08-23 (route gone from KES
 *   2023-10-24 on; harmless there);
 * - `/v1/key/list/*`: `mc admin kms key list` and the Console key picker; unrestricted because MinIO lists with an
 *   empty prefix;
 * - `/v1/status`: status and (MinIO RELEASE.2023-02-17 … 2023-11-20) liveness (minio/minio#16908);
 * - `/v1/metrics` (MinIO < RELEASE.2024-05-10) and `/v1/api` (kms:API).
 *
 * Never `/v1/key/delete/*` (losing an EK loses the data it protects). Every pattern is an exact path or ends in one
 * `*` after a name-taking route, so it means the same under glob (KES ≤ 2023-10-03) and prefix (KES ≥ 2023-11-09)
 * matching (see {@link checkPolicyPattern}).
 *
 * Used by {@link buildKesConfig} unless `spec.kes.adminMode` is `MINIO_IS_ADMIN`.
 */
export function buildMinioPolicy(spec: ResolvedDeclaration): KesPolicy {
  const p = spec.kes.keyNamePrefix ?? '';
  return {
    allow: [
      `/v1/key/create/${p}*`,
      `/v1/key/generate/${p}*`,
      `/v1/key/decrypt/${p}*`,
      `/v1/key/bulk/decrypt/${p}*`,
      '/v1/key/list/*',
      '/v1/status',
      '/v1/metrics',
      '/v1/api',
    ],
    identities: [KES_MINIO_IDENTITY_REF],
  };
}

/**
 * Build the KES server config for a resolved declaration.
 *
 * - `admin.identity` is {@link KES_DISABLED_ADMIN_IDENTITY} and MinIO gets {@link buildMinioPolicy}; with
 *   `KesAdminMode.MINIO_IS_ADMIN` the admin is `${MINIO_KES_IDENTITY}` and there is no policy (KES refuses an
 *   identity that is both admin and in a policy, kesconf).
 * - The Azure auth block follows `spec.kes.auth.mode`: `clientSecret` → `credentials` with `${AZURE_TENANT_ID}`,
 *   `${AZURE_CLIENT_ID}`, `${AZURE_CLIENT_SECRET}`; `managedIdentity` → `managed_identity` with
 *   `${AZURE_CLIENT_ID}`; `workloadIdentity` → no block (DefaultAzureCredential). Values are whole-value `${VAR}`
 *   references because KES expands only whole scalars (kesconf `env[T].UnmarshalYAML`); the variables come from
 *   `spec.kes.env`.
 *
 * Does not validate: pass a declaration from `resolveDeclaration`. {@link renderKesConfig} checks the result.
 */
export function buildKesConfig(spec: ResolvedDeclaration): KesServerConfig {
  const minioIsAdmin = spec.kes.adminMode === KesAdminMode.MINIO_IS_ADMIN;
  return {
    version: 'v1',
    address: KES_ADDRESS,
    admin: { identity: minioIsAdmin ? KES_MINIO_IDENTITY_REF : KES_DISABLED_ADMIN_IDENTITY },
    tls: { key: KES_TLS_KEY_PATH, cert: KES_TLS_CERT_PATH },
    ...(minioIsAdmin ? {} : { policy: { [KES_MINIO_POLICY_NAME]: buildMinioPolicy(spec) } }),
    cache: { expiry: { any: spec.kes.cacheExpiryAny, unused: spec.kes.cacheExpiryUnused } },
    log: { error: 'on', audit: 'off' },
    keys: spec.kes.keys.map((name) => ({ name })),
    keystore: { azure: { keyvault: buildKeyVault(spec) } },
  };
}

function buildKeyVault(spec: ResolvedDeclaration): KesAzureKeyVault {
  const endpoint = spec.kes.endpoint;
  switch (spec.kes.auth.mode) {
    case AzureAuthMode.CLIENT_SECRET:
      return {
        endpoint,
        credentials: {
          tenant_id: envRef(KES_ENV.TENANT_ID),
          client_id: envRef(KES_ENV.CLIENT_ID),
          client_secret: envRef(KES_ENV.CLIENT_SECRET),
        },
      };
    case AzureAuthMode.MANAGED_IDENTITY:
      return { endpoint, managed_identity: { client_id: envRef(KES_ENV.CLIENT_ID) } };
    case AzureAuthMode.WORKLOAD_IDENTITY:
      return { endpoint };
  }
}

const HEADER = [
  ' KES server configuration, generated by minio-sse-azure from a validated declaration. Do not edit.',
  ' Values such as ${AZURE_CLIENT_SECRET} and ${MINIO_KES_IDENTITY} are expanded by KES from its',
  ' environment (spec.kes.env and the operator), so this file holds no credential.',
].join('\n');

/**
 * Render the KES server config as YAML text: {@link buildKesConfig}, checked with {@link checkKesConfig}, then
 * written deterministically (fixed key order, no line folding) under a short generated-file comment. `log.error`
 * and `log.audit` are double-quoted so that YAML 1.1 readers see the strings `on`/`off`, not booleans.
 *
 * @throws Error listing the problems when the built config fails {@link checkKesConfig} (only possible for a
 *   declaration that did not come from `resolveDeclaration`)
 */
export function renderKesConfig(spec: ResolvedDeclaration): string {
  const config = buildKesConfig(spec);
  const problems = checkKesConfig(config, spec);
  if (problems.length > 0) {
    throw new Error(
      `invalid KES server config (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  const doc = new Document(config);
  doc.commentBefore = HEADER;
  for (const field of ['error', 'audit']) {
    const node = doc.getIn(['log', field], true);
    if (node instanceof Scalar) {
      node.type = Scalar.QUOTE_DOUBLE;
    }
  }
  return doc.toString({ lineWidth: 0 });
}

// ---------------------------------------------------------------------------------------------------------------
// Policy patterns

/** KES routes without a name argument (minio/kes `internal/api/api.go`, 2025-03-12; `/v1/ready` from 2023-05-02). */
const EXACT_ROUTES: readonly string[] = [
  '/version',
  '/v1/ready',
  '/v1/status',
  '/v1/metrics',
  '/v1/api',
  '/v1/identity/self/describe',
  '/v1/log/error',
  '/v1/log/audit',
];

/**
 * KES routes whose last segment is a key, policy or identity name (never containing `/`), so a trailing `*`
 * there matches the same in both pattern eras. `/v1/key/bulk/decrypt/` exists up to KES 2023-10-03 only.
 */
const NAME_ROUTES: readonly string[] = [
  '/v1/key/create/',
  '/v1/key/import/',
  '/v1/key/describe/',
  '/v1/key/list/',
  '/v1/key/delete/',
  '/v1/key/generate/',
  '/v1/key/encrypt/',
  '/v1/key/decrypt/',
  '/v1/key/hmac/',
  '/v1/key/bulk/decrypt/',
  '/v1/policy/describe/',
  '/v1/policy/read/',
  '/v1/policy/list/',
  '/v1/identity/describe/',
  '/v1/identity/list/',
];

/**
 * Check one KES policy pattern: it must mean the same under both KES matching rules — `path.Match` globs up to
 * KES 2023-10-03 (operator v5.0.4's default image) and "trailing `*` is a string prefix, anything else exact" from
 * 2023-11-09 (minio/kms-go `kes/policy.go`; minio/kes#510). Accepted:
 *
 * - an exact route without a name (`/v1/status`, `/version`, …);
 * - a name-taking route plus a name (`/v1/key/generate/my-key`);
 * - a name-taking route plus a name prefix and one trailing `*` (`/v1/key/generate/my-*`, `/v1/key/list/*`).
 *
 * So `*` appears at most once, as the last character, after the last `/` of a route whose last segment is a name
 * (a name never contains `/`, so glob and prefix matching agree). `/v1/key/*` is refused: it matches nothing
 * under globs but every key route, delete included, under prefix matching.
 *
 * @returns `undefined` when valid, else the reason (a lowercase phrase)
 */
export function checkPolicyPattern(pattern: string): string | undefined {
  if (typeof pattern !== 'string') {
    return 'must be a string';
  }
  if (!pattern.startsWith('/v1/') && !pattern.startsWith('/version')) {
    return 'must start with "/v1/" or "/version" (a KES API path)';
  }
  if (/[?[\]\\]/.test(pattern)) {
    return 'must not contain "?", "[", "]" or "\\": glob syntax up to KES 2023-10-03, literal characters from 2023-11-09';
  }
  const star = pattern.indexOf('*');
  if (star !== -1 && star !== pattern.length - 1) {
    return '"*" is only allowed once, as the last character: from KES 2023-11-09 any other "*" is a literal and matches nothing (minio/kes#510)';
  }
  const body = star === -1 ? pattern : pattern.slice(0, -1);
  if (star === -1 && EXACT_ROUTES.includes(pattern)) {
    return undefined;
  }
  const route = NAME_ROUTES.find((r) => body.startsWith(r));
  if (route === undefined) {
    if (star !== -1) {
      return '"*" must follow a route that takes a key, policy or identity name (e.g. /v1/key/generate/<prefix>*): elsewhere it matches within one segment up to KES 2023-10-03 but across "/" from 2023-11-09';
    }
    const asRoute = NAME_ROUTES.find((r) => r === `${pattern}/`);
    return asRoute
      ? `is not a KES API route: ${asRoute} takes a name; use ${asRoute}* or ${asRoute}<name>`
      : 'is not a KES API route';
  }
  const name = body.slice(route.length);
  if (!/^[A-Za-z0-9_-]*$/.test(name)) {
    return `name part ${JSON.stringify(name)} must use only letters, digits, "_" and "-" (KES names)`;
  }
  if (star === -1 && name.length === 0) {
    return `names nothing: use ${route}* or ${route}<name>`;
  }
  return undefined;
}

/**
 * Whether a pattern that passed {@link checkPolicyPattern} matches a request path: exact, or the part before the
 * trailing `*` is a prefix of the path and the rest contains no `/`. For paths KES serves (names never contain
 * `/`) this is the answer of both KES matching rules; a path with `/` in the name is treated as not matching, as
 * the glob rule does (the prefix rule lets it through to a 400 "invalid key name").
 */
export function policyPatternMatches(pattern: string, path: string): boolean {
  if (!pattern.endsWith('*')) {
    return pattern === path;
  }
  const prefix = pattern.slice(0, -1);
  return path.startsWith(prefix) && !path.slice(prefix.length).includes('/');
}

/** Whether a policy lets a request path through: some allow pattern matches and no deny pattern does (KES policy evaluation). */
export function policyAllowsPath(policy: Pick<KesPolicy, 'allow' | 'deny'>, path: string): boolean {
  const deny = policy.deny ?? [];
  return !deny.some((p) => policyPatternMatches(p, path)) && policy.allow.some((p) => policyPatternMatches(p, path));
}

// ---------------------------------------------------------------------------------------------------------------
// Checker

const TOP_LEVEL_FIELDS = ['version', 'address', 'admin', 'tls', 'policy', 'cache', 'log', 'keys', 'keystore', 'api'];
const KEYSTORE_BACKENDS = ['fs', 'vault', 'fortanix', 'gemalto', 'gcp', 'aws', 'azure', 'entrust', 'kes'];
const LOG_LEVELS = ['on', 'off', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const ENV_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

type Rec = Record<string, unknown>;

function isRec(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A config value as shown in a message: the shared display policy for names (escaped, capped); never a credential. */
function show(x: unknown): string {
  if (x === undefined) {
    return 'missing';
  }
  if (typeof x === 'string' || x === null || typeof x !== 'object') {
    return display(x, FieldKind.NAME);
  }
  // Lists and mappings of config values (patterns, identities): compact JSON, escaped and capped.
  let text: string;
  try {
    text = JSON.stringify(x) ?? describe(x);
  } catch {
    text = describe(x);
  }
  return escapeText(text.length > 120 ? `${text.slice(0, 117)}...` : text);
}

function envRef(name: string): string {
  return `\${${name}}`;
}

/** KES name rule (≥ 2023-10-24, minio/kes `auth.go` `validName`): 1–80 of `[A-Za-z0-9_-]`, not `_`, no leading/trailing `-`. */
function checkKesName(value: string): string | undefined {
  if (
    value.length === 0 ||
    value.length > 80 ||
    value === '_' ||
    !/^[A-Za-z0-9_-]+$/.test(value) ||
    /^-|-$/.test(value)
  ) {
    return 'must be 1 to 80 of letters, digits, "_" and "-", not "_" alone, not starting or ending with "-" (KES name rule)';
  }
  return undefined;
}

/**
 * Check a KES server config — the typed model from {@link buildKesConfig} or any value parsed from YAML — against
 * the rules of every KES image this library supports and against the declaration it was made for. Used by
 * {@link renderKesConfig} and by the k8s layer before it writes the config Secret. Never throws for bad data and
 * never echoes a credential value.
 *
 * Problems found (each `<path>: <reason>`):
 * - legacy or misplaced fields: top-level `root` (ignored since KES v0.17.3, which then exits "no admin identity
 *   specified"), unknown top-level fields (KES ignores them silently; e.g. a keystore block outside `keystore:`),
 *   `keys` as a mapping, policy `paths` or `identity` (minio/kes#111, minio/kes#133, minio/kes#180);
 * - `version` not `v1`; `address` not `ip:port`; `tls.key`/`tls.cert` not the operator mount paths;
 * - `admin.identity` missing, not matching `spec.kes.adminMode`, or also listed in a policy (kesconf);
 * - policies: invalid names, patterns failing {@link checkPolicyPattern}, an allow pattern on `/v1/key/delete/`,
 *   identities that are not `${VAR}` references to `MINIO_KES_IDENTITY` or a `spec.kes.env` variable, an identity
 *   in two policies; unless MinIO is the admin, no policy for `${MINIO_KES_IDENTITY}` or one that does not allow
 *   `/v1/status`, `/v1/key/list/`, and create/generate/decrypt of every EK in `spec.encryptionKeys` (minio/operator#2000,
 *   minio/operator#1283);
 * - `cache.expiry.any`/`.unused` missing or not Go durations; `log.error`/`log.audit` missing or not one of
 *   `on`, `off`, `DEBUG`, `INFO`, `WARN`, `ERROR` (a boolean means an unquoted `on`/`off` read as YAML 1.1);
 * - `keys[].name` invalid for Azure Key Vault ({@link checkKeyName}) or duplicated;
 * - `keystore` not exactly one block `azure.keyvault`; `endpoint` not `spec.kes.endpoint`, or in a non-public cloud
 *   with a KES image before 2024-06-17T15-47-05Z; an auth block that does
 *   not match `spec.kes.auth.mode`, both auth blocks, or neither on a KES image without DefaultAzureCredential;
 *   credential values that are not whole `${VAR}` references to the expected `spec.kes.env` variable.
 *
 * @returns the problems; empty when the config is acceptable
 */
export function checkKesConfig(config: unknown, spec: ResolvedDeclaration): string[] {
  return checkKesConfigProblems(config, spec).map((p) => `${p.path}: ${p.message}`);
}

/**
 * {@link checkKesConfig} as {@link Problem}s (path into the config, message), the form every checker of the
 * library returns; format them with `formatProblems`.
 */
export function checkKesConfigProblems(config: unknown, spec: ResolvedDeclaration): Problem[] {
  const out: Problem[] = [];
  const add = (path: string, message: string): void => {
    out.push({ path, message });
  };
  if (!isRec(config)) {
    add('(root)', 'the KES config must be a mapping');
    return out;
  }
  const knownVars = new Set<string>([KES_ENV.MINIO_IDENTITY, ...spec.kes.env.map((e) => e.name)]);

  // Top level.
  for (const key of Object.keys(config)) {
    if (key === 'root') {
      add(
        'root',
        'is the legacy admin field of KES ≤ v0.17.1; every KES the operator ships ignores it and exits with "no admin identity specified": use admin.identity',
      );
    } else if (KEYSTORE_BACKENDS.includes(key)) {
      add(
        key,
        `is a keystore block outside "keystore:"; KES ignores it and has no persistent keystore: move it to keystore.${key}`,
      );
    } else if (!TOP_LEVEL_FIELDS.includes(key)) {
      add(
        key,
        `is not a KES server config field (KES ignores unknown fields silently); expected ${TOP_LEVEL_FIELDS.join(', ')}`,
      );
    }
  }
  if (config.version !== 'v1') {
    add('version', `${show(config.version)} must be "v1"`);
  }
  checkAddress(config.address, add);

  // Admin.
  const minioIsAdmin = spec.kes.adminMode === KesAdminMode.MINIO_IS_ADMIN;
  const admin = isRec(config.admin) ? config.admin.identity : undefined;
  if (typeof admin !== 'string' || admin.trim() === '') {
    add(
      'admin.identity',
      `${show(admin)}: an admin identity is required by every supported KES ("no admin identity specified")`,
    );
  } else if (minioIsAdmin && admin !== KES_MINIO_IDENTITY_REF) {
    add(
      'admin.identity',
      `${show(admin)} must be ${KES_MINIO_IDENTITY_REF} when kes.adminMode is ${KesAdminMode.MINIO_IS_ADMIN}`,
    );
  } else if (!minioIsAdmin && (/^[0-9a-fA-F]+$/.test(admin) || ENV_REF.test(admin.trim()))) {
    add(
      'admin.identity',
      `${show(admin)} could name a real identity; with kes.adminMode ${KesAdminMode.DISABLED} use a non-hex value such as "${KES_DISABLED_ADMIN_IDENTITY}"`,
    );
  }

  // TLS.
  const tls = isRec(config.tls) ? config.tls : {};
  if (tls.key !== KES_TLS_KEY_PATH) {
    add('tls.key', `${show(tls.key)} must be ${KES_TLS_KEY_PATH}, where the operator mounts the KES server key`);
  }
  if (tls.cert !== KES_TLS_CERT_PATH) {
    add(
      'tls.cert',
      `${show(tls.cert)} must be ${KES_TLS_CERT_PATH}, where the operator mounts the KES server certificate`,
    );
  }

  // Policies.
  const minioPolicies = checkPolicies(config.policy, typeof admin === 'string' ? admin : undefined, knownVars, add);
  if (minioIsAdmin) {
    for (const name of minioPolicies) {
      add(
        `policy.${name}.identities`,
        `lists ${KES_MINIO_IDENTITY_REF}, the admin identity; KES refuses an identity that is both admin and in a policy`,
      );
    }
  } else if (minioPolicies.length === 0) {
    add('policy', `no policy lists ${KES_MINIO_IDENTITY_REF}; MinIO would get "not authorized" from KES`);
  } else if (minioPolicies.length === 1) {
    checkMinioNeeds(minioPolicies[0], (config.policy as Rec)[minioPolicies[0]] as Rec, spec, add);
  }

  // Cache and log.
  const expiry = isRec(config.cache) && isRec(config.cache.expiry) ? config.cache.expiry : {};
  for (const field of ['any', 'unused']) {
    const v = expiry[field];
    const reason =
      typeof v === 'string' ? checkGoDuration(v) : 'must be set explicitly (KES defaults changed across releases)';
    if (reason) {
      add(`cache.expiry.${field}`, `${show(v)} ${reason}`);
    }
  }
  const log = isRec(config.log) ? config.log : {};
  for (const field of ['error', 'audit']) {
    const v = log[field];
    if (typeof v === 'boolean') {
      add(
        `log.${field}`,
        `${show(v)} is a boolean (an unquoted on/off read as YAML 1.1): write the string "${v ? 'on' : 'off'}"`,
      );
    } else if (typeof v !== 'string' || !LOG_LEVELS.includes(v)) {
      add(
        `log.${field}`,
        `${show(v)} must be one of ${LOG_LEVELS.join(', ')} and set explicitly (unset audit means audit lines on stdout)`,
      );
    }
  }

  // Keys.
  checkKeys(config.keys, add);

  // Keystore.
  checkKeystore(config.keystore, spec, knownVars, add);
  return out;
}

type Add = (path: string, message: string) => void;

function checkAddress(address: unknown, add: Add): void {
  const m = typeof address === 'string' ? /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(address) : null;
  const host = m ? (m[1] ?? m[2]) : undefined;
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65535 || (host !== '' && isIP(host ?? '') === 0)) {
    add(
      'address',
      `${show(address)} must be <ip>:<port> with an IP literal host; KES ≥ 2023-10-24 refuses host names ("is not a valid IP address")`,
    );
  }
}

/** Checks `policy`; returns the names of the policies that list `${MINIO_KES_IDENTITY}`. */
function checkPolicies(policy: unknown, admin: string | undefined, knownVars: Set<string>, add: Add): string[] {
  if (policy === undefined) {
    return [];
  }
  if (!isRec(policy)) {
    add('policy', 'must be a mapping of policy name to {allow, deny, identities}');
    return [];
  }
  const owner = new Map<string, string>();
  const minio: string[] = [];
  for (const [name, p] of Object.entries(policy)) {
    const path = `policy.${name}`;
    const nameProblem = checkKesName(name);
    if (nameProblem) {
      add(path, `policy name ${JSON.stringify(name)} ${nameProblem}`);
    }
    if (!isRec(p)) {
      add(path, 'must be a mapping with allow, deny and identities');
      continue;
    }
    for (const key of Object.keys(p)) {
      if (key === 'paths') {
        add(`${path}.paths`, 'is the legacy rule list of KES < v0.15.0; use allow (and deny)');
      } else if (key === 'identity') {
        add(`${path}.identity`, 'is not a KES field and is silently ignored (minio/kes#180); use identities');
      } else if (!['allow', 'deny', 'identities'].includes(key)) {
        add(`${path}.${key}`, 'is not a KES policy field; expected allow, deny, identities');
      }
    }
    for (const list of ['allow', 'deny']) {
      const patterns = p[list];
      if (patterns === undefined) {
        continue;
      }
      if (!Array.isArray(patterns)) {
        add(`${path}.${list}`, 'must be a list of API path patterns');
        continue;
      }
      patterns.forEach((pattern: unknown, i) => {
        const reason = typeof pattern === 'string' ? checkPolicyPattern(pattern) : 'must be a string';
        if (reason) {
          add(`${path}.${list}[${i}]`, `${show(pattern)} ${reason}`);
        } else if (list === 'allow' && (pattern as string).startsWith('/v1/key/delete/')) {
          add(
            `${path}.allow[${i}]`,
            `${show(pattern)} grants EK deletion; deleting an EK makes the data it protects unreadable: never allow /v1/key/delete/`,
          );
        }
      });
    }
    const ids = p.identities;
    if (!Array.isArray(ids)) {
      add(`${path}.identities`, `${show(ids)} must be a list of identities`);
      continue;
    }
    ids.forEach((id: unknown, i) => {
      const idPath = `${path}.identities[${i}]`;
      const ref = typeof id === 'string' ? ENV_REF.exec(id) : null;
      if (!ref) {
        add(
          idPath,
          `${show(id)} must be a \${VAR} reference such as ${KES_MINIO_IDENTITY_REF}; a literal identity breaks when the client certificate is rotated (minio/kes#180)`,
        );
        return;
      }
      if (!knownVars.has(ref[1])) {
        add(
          idPath,
          `${show(id)} references ${ref[1]}, which the KES container does not get (expected ${KES_ENV.MINIO_IDENTITY} or one of spec.kes.env)`,
        );
      }
      if (id === admin) {
        add(idPath, `${show(id)} is also admin.identity; KES refuses an identity that is both admin and in a policy`);
      }
      const prev = owner.get(id as string);
      if (prev !== undefined && prev !== name) {
        add(idPath, `${show(id)} is already in policy ${JSON.stringify(prev)}; KES allows one policy per identity`);
      }
      owner.set(id as string, name);
      if (id === KES_MINIO_IDENTITY_REF && !minio.includes(name)) {
        minio.push(name);
      }
    });
  }
  return minio;
}

/** MinIO's calls that its policy must let through (minio/minio `internal/kms/kes.go` and its callers in `cmd/`). */
function checkMinioNeeds(name: string, p: Rec, spec: ResolvedDeclaration, add: Add): void {
  const strings = (x: unknown): string[] =>
    Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
  const policy = { allow: strings(p.allow), deny: strings(p.deny) };
  const needs: [string, string][] = [
    ['/v1/status', 'MinIO ≥ RELEASE.2023-02-17 calls it for KMS status and, until RELEASE.2023-11-20, liveness'],
    ['/v1/key/list/', 'mc admin kms key list and the Console list keys with an empty prefix (allow /v1/key/list/*)'],
  ];
  for (const key of spec.encryptionKeys) {
    for (const op of ['create', 'generate', 'decrypt']) {
      needs.push([`/v1/key/${op}/${key}`, `MinIO could not use EK ${JSON.stringify(key)}`]);
    }
  }
  for (const [path, why] of needs) {
    if (!policyAllowsPath(policy, path)) {
      add(`policy.${name}`, `does not allow ${path}: ${why}`);
    }
  }
}

function checkKeys(keys: unknown, add: Add): void {
  if (keys === undefined) {
    return;
  }
  if (isRec(keys)) {
    add(
      'keys',
      'is a mapping (the keystore section of KES < v0.13.6): keys is a list of {name}; put the keystore under keystore:',
    );
    return;
  }
  if (!Array.isArray(keys)) {
    add('keys', `${show(keys)} must be a list of {name}`);
    return;
  }
  const seen = new Set<string>();
  keys.forEach((k: unknown, i) => {
    const name = isRec(k) ? k.name : undefined;
    if (typeof name !== 'string') {
      add(`keys[${i}]`, `${show(k)} must be a mapping {name: <EK name>}`);
      return;
    }
    const reason = checkKeyName(name);
    if (reason) {
      add(`keys[${i}].name`, `${JSON.stringify(name)} is not a valid EK name: ${reason}`);
    }
    if (seen.has(name)) {
      add(`keys[${i}].name`, `${JSON.stringify(name)} is listed twice (KES refuses duplicate keys)`);
    }
    seen.add(name);
  });
}

function checkKeystore(keystore: unknown, spec: ResolvedDeclaration, knownVars: Set<string>, add: Add): void {
  if (!isRec(keystore) || Object.keys(keystore).length === 0) {
    add(
      'keystore',
      'no keystore specified: exactly one keystore, azure.keyvault, is required (KES: "no keystore specified")',
    );
    return;
  }
  const backends = Object.keys(keystore);
  if (backends.length > 1) {
    add(
      'keystore',
      `has ${backends.length} keystores (${backends.join(', ')}): KES needs exactly one, azure.keyvault ("more than once keystore specified")`,
    );
  }
  if (!backends.includes('azure')) {
    add(
      'keystore',
      `${backends.join(', ')} is not azure.keyvault: this library refuses any keystore but Azure Key Vault (no fs or in-memory keys)`,
    );
    return;
  }
  const azure = keystore.azure;
  const kv = isRec(azure) ? azure.keyvault : undefined;
  if (!isRec(azure) || Object.keys(azure).length !== 1 || !isRec(kv)) {
    add('keystore.azure', 'must hold exactly one block, keyvault');
    if (!isRec(kv)) {
      return;
    }
  }
  const path = 'keystore.azure.keyvault';
  for (const key of Object.keys(kv)) {
    if (!['endpoint', 'credentials', 'managed_identity'].includes(key)) {
      add(
        `${path}.${key}`,
        'is not a field of the Azure Key Vault keystore; expected endpoint, credentials, managed_identity',
      );
    }
  }
  const endpoint = kv.endpoint;
  if (typeof endpoint !== 'string' || checkKeyVaultEndpoint(endpoint) !== undefined) {
    add(
      `${path}.endpoint`,
      `${show(endpoint)} must be the Key Vault URI https://<vault>.vault.azure.net (or the .cn / usgovcloudapi.net clouds)`,
    );
  } else if (endpoint.replace(/\/$/, '') !== spec.kes.endpoint) {
    add(
      `${path}.endpoint`,
      `${show(endpoint)} differs from the declared kes.keyVaultEndpoint ${JSON.stringify(spec.kes.endpoint)}`,
    );
  } else {
    const cloud = azureCloudOfEndpoint(endpoint);
    if (cloud !== undefined && cloud !== AzureCloud.PUBLIC && !spec.kes.imageInfo.supportsSovereignClouds) {
      add(
        `${path}.endpoint`,
        `is in ${AZURE_CLOUDS[cloud].displayName}, which KES ${spec.kes.imageInfo.tag} cannot authenticate to (public token resource hard-coded); use KES ${MIN_KES_TAG_AZIDENTITY} or later`,
      );
    }
  }

  const hasCreds = kv.credentials !== undefined;
  const hasMi = kv.managed_identity !== undefined;
  if (hasCreds && hasMi) {
    add(
      path,
      'has both credentials and managed_identity; KES fails with "more than one authentication method specified"',
    );
  }
  const mode = spec.kes.auth.mode;
  const expected =
    mode === AzureAuthMode.CLIENT_SECRET
      ? 'credentials'
      : mode === AzureAuthMode.MANAGED_IDENTITY
        ? 'managed_identity'
        : 'no auth block';
  if ((mode === AzureAuthMode.CLIENT_SECRET && !hasCreds) || (mode !== AzureAuthMode.CLIENT_SECRET && hasCreds)) {
    add(path, `${hasCreds ? 'has' : 'lacks'} credentials but kes.auth is ${mode} (expected ${expected})`);
  }
  if ((mode === AzureAuthMode.MANAGED_IDENTITY && !hasMi) || (mode !== AzureAuthMode.MANAGED_IDENTITY && hasMi)) {
    add(path, `${hasMi ? 'has' : 'lacks'} managed_identity but kes.auth is ${mode} (expected ${expected})`);
  }
  if (!hasCreds && !hasMi && !spec.kes.imageInfo.supportsDefaultAzureCredential) {
    add(
      path,
      `has no auth block, which KES ${spec.kes.imageInfo.tag} refuses ("no authentication method specified"); DefaultAzureCredential needs KES 2024-06-17T15-47-05Z or later`,
    );
  }

  const refBlock = (block: string, fields: [string, string][]): void => {
    const b = kv[block];
    if (b === undefined) {
      return;
    }
    if (!isRec(b)) {
      add(`${path}.${block}`, `must be a mapping with ${fields.map(([f]) => f).join(', ')}`);
      return;
    }
    for (const key of Object.keys(b)) {
      if (!fields.some(([f]) => f === key)) {
        add(`${path}.${block}.${key}`, `is not a field of ${block}; expected ${fields.map(([f]) => f).join(', ')}`);
      }
    }
    for (const [field, variable] of fields) {
      const v = b[field];
      const fieldPath = `${path}.${block}.${field}`;
      const ref = typeof v === 'string' ? ENV_REF.exec(v) : null;
      if (v === undefined) {
        add(fieldPath, `is missing: must be \${${variable}}`);
      } else if (!ref) {
        // Never echo the value: it may be a credential.
        add(
          fieldPath,
          `is a literal value (not shown); it must be the whole-value reference \${${variable}} so that no credential is written into the config`,
        );
      } else if (ref[1] !== variable) {
        add(fieldPath, `${show(v)} must be \${${variable}}`);
      } else if (!knownVars.has(ref[1])) {
        add(fieldPath, `${show(v)} references ${variable}, which spec.kes.env does not give the KES container`);
      }
    }
  };
  refBlock('credentials', [
    ['tenant_id', KES_ENV.TENANT_ID],
    ['client_id', KES_ENV.CLIENT_ID],
    ['client_secret', KES_ENV.CLIENT_SECRET],
  ]);
  refBlock('managed_identity', [['client_id', KES_ENV.CLIENT_ID]]);
}
