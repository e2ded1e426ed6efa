import { stringify } from 'yaml';
import { looksLikeCredential } from './problems';

/**
 * Naming and format rules, as pure checks. Each returns `undefined` when the value is valid, or the reason
 * (a lowercase phrase naming the rule) when it is not. Callers add the path and the value.
 *
 * Every rule runs in time linear in its input: each checks a length cap first (stated in its docstring) and uses
 * no regular expression with nested or ambiguous quantifiers.
 */

/**
 * No credential in a URL, registry or image reference: refuses URL user info (`user:password@host`,
 * `https://token@host/…`) and anything shaped like an Entra ID client secret ({@link looksLikeCredential}). The
 * reason never quotes the value. Credentials belong in Secrets (KES reads the client secret from its env), never in
 * an endpoint, registry or image.
 */
export function checkNoCredential(value: string): string | undefined {
  if (looksLikeCredential(value)) {
    return 'must not contain user info (user:password@ before the host) or a credential: credentials belong in a Kubernetes Secret, never in a URL, registry or image reference';
  }
  return undefined;
}

/** DNS-1123 label: 1–63 of `[a-z0-9-]`, starting and ending alphanumeric (Kubernetes namespaces, Services). */
export function checkDnsLabel(value: string, maxLength = 63): string | undefined {
  if (value.length === 0 || value.length > maxLength) {
    return `must be 1 to ${maxLength} characters`;
  }
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(value)) {
    return 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit';
  }
  return undefined;
}

/** DNS-1123 subdomain: 1–253 characters, dot-separated DNS labels (Secret and ConfigMap names). */
export function checkDnsSubdomain(value: string): string | undefined {
  if (value.length === 0 || value.length > 253) {
    return 'must be 1 to 253 characters';
  }
  if (!value.split('.').every((label) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(label))) {
    return 'must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Environment-variable or Secret data key: 1–253 of `[-._a-zA-Z0-9]` (Kubernetes Secret key rule). */
export function checkSecretKey(value: string): string | undefined {
  if (value.length > 253 || !/^[-._a-zA-Z0-9]{1,253}$/.test(value)) {
    return 'must be a Secret key: 1 to 253 of letters, digits, "-", "_" and "."';
  }
  return undefined;
}

/**
 * S3 bucket naming rules (AWS "General purpose bucket naming rules", enforced by MinIO `s3utils.CheckValidBucketNameStrict`):
 * 3–63 characters; lowercase letters, digits, `.` and `-`; begins and ends with a letter or digit; no `..`;
 * not an IPv4 address; no `xn--` prefix; no `-s3alias` / `--ol-s3` suffix.
 */
export function checkBucketName(value: string): string | undefined {
  if (value.length < 3 || value.length > 63) {
    return 'must be 3 to 63 characters';
  }
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(value)) {
    return 'must use only lowercase letters, digits, "." and "-", and begin and end with a letter or digit';
  }
  if (value.includes('..')) {
    return 'must not contain ".."';
  }
  if (value.includes('.-') || value.includes('-.')) {
    return 'must not have "-" next to "."';
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(value)) {
    return 'must not be formatted as an IP address';
  }
  if (value.startsWith('xn--')) {
    return 'must not start with "xn--"';
  }
  if (value.endsWith('-s3alias') || value.endsWith('--ol-s3')) {
    return 'must not end with "-s3alias" or "--ol-s3"';
  }
  if (value === 'minio') {
    return 'is reserved by MinIO (minio cmd isMinioReservedBucket)';
  }
  return undefined;
}

/**
 * EK (KES key) name that KES accepts and Azure Key Vault can store: 1–80 of `[A-Za-z0-9-]`, not starting or
 * ending with `-`. KES allows `_` (minio/kes `internal/api/api.go` `verifyName`, tag 2025-03-12T09-35-18Z) but Key
 * Vault secret names are 1–127 of letters, digits and `-` (Microsoft Learn, "Azure Key Vault keys, secrets, and
 * certificates overview", object names).
 */
export function checkKeyName(value: string): string | undefined {
  if (value.length === 0 || value.length > 80) {
    return 'must be 1 to 80 characters (KES name limit)';
  }
  if (!/^[A-Za-z0-9-]+$/.test(value)) {
    return 'must use only letters, digits and "-" (Azure Key Vault secret names allow no "_" or ".")';
  }
  if (value.startsWith('-') || value.endsWith('-')) {
    return 'must not start or end with "-" (KES name rule)';
  }
  return undefined;
}

/** A key-name prefix for policy scoping: like a key name but may end with `-`. */
export function checkKeyNamePrefix(value: string): string | undefined {
  if (value.length === 0 || value.length > 79) {
    return 'must be 1 to 79 characters';
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(value)) {
    return 'must use only letters, digits and "-", starting with a letter or digit';
  }
  return undefined;
}

/** A UUID (Entra tenant, client and object IDs): exactly 36 characters. */
export function checkUuid(value: string): string | undefined {
  if (
    value.length !== 36 ||
    !/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(value)
  ) {
    return 'must be a UUID (8-4-4-4-12 hexadecimal digits)';
  }
  return undefined;
}

/**
 * Azure Key Vault name: 3–24 characters, letters, digits and `-`, starting with a letter, ending with a letter
 * or digit, no `--` (Microsoft.KeyVault naming rules).
 */
export function checkKeyVaultName(value: string): string | undefined {
  if (value.length < 3 || value.length > 24) {
    return 'must be 3 to 24 characters';
  }
  if (!/^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$/.test(value)) {
    return 'must use letters, digits and "-", start with a letter and end with a letter or digit';
  }
  if (value.includes('--')) {
    return 'must not contain "--"';
  }
  return undefined;
}

/** Key Vault DNS suffixes per Azure cloud (public, China, US Government). */
export const KEY_VAULT_DNS_SUFFIXES: readonly string[] = [
  'vault.azure.net',
  'vault.azure.cn',
  'vault.usgovcloudapi.net',
];

/**
 * Key Vault endpoint as KES needs it: `https://<vault>.<suffix>` with an optional trailing `/`, at most 100
 * characters, where `<vault>` is a valid vault name and `<suffix>` a Key Vault DNS suffix. The Azure SDK KES uses
 * refuses plain http and checks the authentication challenge's resource against the vault host
 * (Azure/azure-sdk-for-go `sdk/security/keyvault/internal/challenge_policy.go`).
 */
export function checkKeyVaultEndpoint(value: string): string | undefined {
  const credential = checkNoCredential(value);
  if (credential) {
    return credential;
  }
  if (value.length > 100) {
    return 'must be at most 100 characters (https://<vault-name>.<Key Vault DNS suffix>)';
  }
  const m = /^https:\/\/([^./]+)\.([a-z.]+?)\/?$/.exec(value);
  if (!value.startsWith('https://')) {
    return 'must use https:// (Key Vault refuses authenticated requests over plain http)';
  }
  if (!m || !KEY_VAULT_DNS_SUFFIXES.includes(m[2])) {
    return `must be https://<vault-name>.${KEY_VAULT_DNS_SUFFIXES.join(' | ')} with no path`;
  }
  const nameProblem = checkKeyVaultName(m[1]);
  return nameProblem ? `vault name "${m[1]}" ${nameProblem}` : undefined;
}

/** The vault name inside a valid Key Vault endpoint. */
export function keyVaultNameOf(endpoint: string): string {
  return new URL(endpoint).hostname.split('.')[0];
}

/** Multipliers of the Kubernetes quantity suffixes (binary `Ki`…`Ei`, decimal `n`…`E`). */
const QUANTITY_FACTORS: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** Longest quantity or duration string read, in characters. */
export const MAX_QUANTITY_LENGTH = 64;

/**
 * The value of a Kubernetes quantity (`1Ti`, `500Gi`, `1e12`, `1.5`), in base units (bytes for storage); at most
 * {@link MAX_QUANTITY_LENGTH} characters.
 * @returns the number, or `undefined` when `value` is not a quantity
 */
export function parseQuantity(value: string): number | undefined {
  if (value.length > MAX_QUANTITY_LENGTH) {
    return undefined;
  }
  const m = /^\+?(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/.exec(value);
  if (!m) {
    return undefined;
  }
  const suffix = m[2] ?? '';
  const factor =
    suffix === '' ? 1 : /^[eE][+-]?\d+$/.test(suffix) ? 10 ** Number(suffix.slice(1)) : QUANTITY_FACTORS[suffix];
  return Number(m[1]) * factor;
}

/** Kubernetes quantity greater than zero (e.g. `1Ti`, `500Gi`, `1e12`), at most {@link MAX_QUANTITY_LENGTH} characters. */
export function checkPositiveQuantity(value: string): string | undefined {
  if (value.length > MAX_QUANTITY_LENGTH) {
    return `must be at most ${MAX_QUANTITY_LENGTH} characters`;
  }
  const quantity = parseQuantity(value);
  if (quantity === undefined) {
    return 'must be a Kubernetes quantity such as 1Ti or 500Gi';
  }
  if (!(quantity > 0)) {
    return 'must be greater than zero';
  }
  return undefined;
}

/**
 * Go duration as KES parses it (`time.ParseDuration`, golang/go `src/time/format.go`), e.g. `5m0s`, `20s`, `1h30m`;
 * must be ≥ 0, at most {@link MAX_QUANTITY_LENGTH} characters.
 */
export function checkGoDuration(value: string): string | undefined {
  if (value.length > MAX_QUANTITY_LENGTH) {
    return `must be at most ${MAX_QUANTITY_LENGTH} characters`;
  }
  if (value === '0') {
    return undefined;
  }
  // time.ParseDuration units; both micro signs (U+00B5, U+03BC) are accepted by Go.
  const unitNs: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < value.length) {
    part.lastIndex = at;
    const m = part.exec(value);
    if (!m) {
      return 'must be a Go duration such as 5m0s, 20s or 1h';
    }
    total += Number(m[1]) * unitNs[m[2]];
    at = part.lastIndex;
  }
  if (value.length === 0) {
    return 'must be a Go duration such as 5m0s, 20s or 1h';
  }
  if (total > 2 ** 63) {
    // past int64 nanoseconds (2^63 - 1 rounds to 2^63 as a double)
    return 'is longer than a Go duration can hold (about 2562047h)';
  }
  return undefined;
}

/** Integer within `[min, max]`. */
export function checkInteger(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return 'must be an integer';
  }
  if (value < min || value > max) {
    return max === Number.MAX_SAFE_INTEGER ? `must be at least ${min}` : `must be between ${min} and ${max}`;
  }
  return undefined;
}

/**
 * Kubernetes qualified name (label and annotation keys): optional DNS-subdomain prefix and `/`, then 1–63 of
 * `[A-Za-z0-9-_.]` starting and ending alphanumeric; at most 317 characters (253 + `/` + 63).
 */
export function checkQualifiedName(value: string): string | undefined {
  if (value.length > 317) {
    return 'must be at most 317 characters (a 253-character prefix, "/" and a 63-character name)';
  }
  const slash = value.lastIndexOf('/');
  const prefix = slash >= 0 ? value.slice(0, slash) : undefined;
  const name = slash >= 0 ? value.slice(slash + 1) : value;
  if (prefix !== undefined && checkDnsSubdomain(prefix)) {
    return 'must have a DNS-subdomain prefix before "/"';
  }
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(name)) {
    return 'must be 1 to 63 of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Longest free-form value (an annotation value), in characters. */
export const MAX_TEXT_LENGTH = 16384;

/**
 * Characters that YAML readers do not agree on: C0 controls other than tab, line feed and carriage return, DEL,
 * C1 controls (U+0085 NEXT LINE included), U+2028/U+2029 (line and paragraph separators), U+FEFF (BOM), U+FFFE,
 * U+FFFF, and unpaired surrogates. The `yaml` package writes several of them raw, and go-yaml (sigs.k8s.io/yaml,
 * the reader of `kubectl apply` and Argo CD) refuses them or reads them as line breaks (go-yaml `readerc.go` /
 * `scannerc.go` `is_printable`, `is_break`, tag v2.4.0).
 */
const NON_PORTABLE_CHAR =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Free-form text copied verbatim into the output (annotation values): at most `maxLength` characters (default
 * {@link MAX_TEXT_LENGTH}) and none of the characters YAML readers disagree on (see {@link NON_PORTABLE_CHAR}).
 */
export function checkPortableText(value: string, maxLength = MAX_TEXT_LENGTH): string | undefined {
  if (value.length > maxLength) {
    return `must be at most ${maxLength} characters`;
  }
  const m = NON_PORTABLE_CHAR.exec(value);
  if (m) {
    const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return `contains U+${code} at character ${m.index + 1}: control characters, U+0085, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF and unpaired surrogates are refused because YAML readers (kubectl's go-yaml) read them differently or refuse them`;
  }
  return undefined;
}

/** Plain scalars that go-yaml v2 (sigs.k8s.io/yaml) resolves to a boolean, null, float or merge key (`resolve.go`). */
const GO_YAML_WORDS = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'on',
  'On',
  'ON',
  'true',
  'True',
  'TRUE',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'off',
  'Off',
  'OFF',
  'false',
  'False',
  'FALSE',
  '',
  '~',
  'null',
  'Null',
  'NULL',
  '<<',
  '.nan',
  '.NaN',
  '.NAN',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
]);

/** go-yaml v2 `yamlStyleFloat` (gopkg.in/yaml.v2 `resolve.go`, tag v2.4.0), applied after `_` are removed. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * Go `strconv.ParseInt(s, 0, 64)` syntax once `_` are removed: optional sign, `0x`/`0o`/`0b` prefix, a leading `0`
 * for octal, else decimal (golang/go `src/strconv/atoi.go`). The int64/uint64 range is not checked: a decimal
 * out of range is still read as a float by go-yaml, and a prefixed one is refused here anyway (over-approximation).
 */
const GO_INT_BASE0 = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;

/**
 * Go `strconv.ParseFloat` of a decimal that starts with `.`: digits with single `_` between digits, optional
 * exponent (golang/go `src/strconv/atof.go` `readFloat` and `atoi.go` `underscoreOK`).
 */
const GO_DOT_FLOAT = /^\.[0-9]+(_[0-9]+)*([eE][-+]?[0-9]+(_[0-9]+)*)?$/;

/**
 * Whether go-yaml v2 would read `value`, written as a plain scalar, as something other than a string. Mirrors
 * `resolve()` in gopkg.in/yaml.v2 `resolve.go` (tag v2.4.0, the reader under sigs.k8s.io/yaml and kubectl):
 * - the words of `resolveMap` (booleans, nulls, `.inf`/`.nan`, `<<`);
 * - a value starting with `.`: `strconv.ParseFloat(in)` (Go float syntax, `_` between digits allowed);
 * - a value starting with a digit, `+` or `-`: a timestamp (over-approximated as `YYYY-M-D…`), else — after
 *   **every `_` is removed** (`strings.Replace(in, "_", "", -1)`) — `strconv.ParseInt(plain, 0, 64)` /
 *   `ParseUint`, `yamlStyleFloat` then `ParseFloat`, and `ParseInt(plain[2:], 2, 64)` after a `0b` prefix (which
 *   takes a sign: `0b+1` is 1);
 * - anything else is a string.
 * Over-approximates where go-yaml would fail on range (`1e400`, a 20-digit hex): refusing is the safe side.
 * Linear time: each pattern is unambiguous.
 */
function goYamlReadsAsNonString(value: string): boolean {
  if (GO_YAML_WORDS.has(value)) {
    return true;
  }
  const first = value.charAt(0);
  if (first === '.') {
    return GO_DOT_FLOAT.test(value);
  }
  if (!/^[0-9+-]$/.test(first)) {
    return false;
  }
  if (/^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/.test(value)) {
    return true;
  }
  const plain = value.replace(/_/g, '');
  return (
    GO_INT_BASE0.test(plain) ||
    YAML_STYLE_FLOAT.test(plain) ||
    (plain.startsWith('0b') && /^[-+]?[01]+$/.test(plain.slice(2))) ||
    (plain.startsWith('-0b') && /^[01]+$/.test(plain.slice(3)))
  );
}

/**
 * A string every YAML reader takes as this same string in the library's output: a value go-yaml v2 would read
 * as a number, boolean, null or timestamp (`0o17`, `yes`, `1e3`, `~`) is refused when the `yaml` package (used by
 * cdk8s `Yaml.stringify` with `version: '1.1'`) would write it unquoted. Linear time.
 */
export function checkYamlScalar(value: string): string | undefined {
  if (!goYamlReadsAsNonString(value)) {
    return undefined;
  }
  const written = stringify(value, { version: '1.1', lineWidth: 0 });
  if (written.startsWith('"') || written.startsWith("'")) {
    return undefined;
  }
  return 'would be written unquoted and read as a number, boolean or null by YAML 1.1 readers such as kubectl (go-yaml); choose another value';
}
