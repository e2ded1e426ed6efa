/**
 * Naming and format rules, as pure checks. Each returns `undefined` when the value is valid, or the reason
 * (a lowercase phrase naming the rule) when it is not. Callers add the path and the value.
 */

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

/** DNS-1123 subdomain: at most 253 characters, dot-separated labels (Secret and ConfigMap names). */
export function checkDnsSubdomain(value: string): string | undefined {
  if (value.length === 0 || value.length > 253) {
    return 'must be 1 to 253 characters';
  }
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(value)) {
    return 'must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Environment-variable or Secret data key: `[-._a-zA-Z0-9]+` (Kubernetes Secret key rule). */
export function checkSecretKey(value: string): string | undefined {
  if (!/^[-._a-zA-Z0-9]{1,253}$/.test(value)) {
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
 * ending with `-`. KES allows `_` but Key Vault secret names do not (research kes.md §5.1, bug-log H1).
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

/** A UUID (Entra tenant, client and object IDs). */
export function checkUuid(value: string): string | undefined {
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(value)) {
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
export const KEY_VAULT_DNS_SUFFIXES: readonly string[] = ['vault.azure.net', 'vault.azure.cn', 'vault.usgovcloudapi.net'];

/**
 * Key Vault endpoint as KES needs it: `https://<vault>.<suffix>` with an optional trailing `/`, where `<vault>`
 * is a valid vault name and `<suffix>` a Key Vault DNS suffix (bug-log B18; the SDK refuses non-https and
 * checks the challenge resource against the host, research kes.md §4.5).
 */
export function checkKeyVaultEndpoint(value: string): string | undefined {
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
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

/**
 * The value of a Kubernetes quantity (`1Ti`, `500Gi`, `1e12`, `1.5`), in base units (bytes for storage).
 * @returns the number, or `undefined` when `value` is not a quantity
 */
export function parseQuantity(value: string): number | undefined {
  const m = /^\+?(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/.exec(value);
  if (!m) {
    return undefined;
  }
  const suffix = m[2] ?? '';
  const factor = suffix === '' ? 1 : /^[eE][+-]?\d+$/.test(suffix) ? 10 ** Number(suffix.slice(1)) : QUANTITY_FACTORS[suffix];
  return Number(m[1]) * factor;
}

/** Kubernetes quantity greater than zero (e.g. `1Ti`, `500Gi`, `1e12`). */
export function checkPositiveQuantity(value: string): string | undefined {
  const quantity = parseQuantity(value);
  if (quantity === undefined) {
    return 'must be a Kubernetes quantity such as 1Ti or 500Gi';
  }
  if (!(quantity > 0)) {
    return 'must be greater than zero';
  }
  return undefined;
}

/** Go duration as KES parses it (`time.ParseDuration`), e.g. `5m0s`, `20s`, `1h30m`; must be ≥ 0. */
export function checkGoDuration(value: string): string | undefined {
  if (value === '0') {
    return undefined;
  }
  // time.ParseDuration units; both micro signs (U+00B5, U+03BC) are accepted by Go.
  const unitNs: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  const part = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
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
  if (total > 9223372036854775807) {
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
 * `[A-Za-z0-9-_.]` starting and ending alphanumeric.
 */
export function checkQualifiedName(value: string): string | undefined {
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
