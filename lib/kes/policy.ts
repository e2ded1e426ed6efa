/**
 * The KES policy pattern grammar this library accepts: patterns that mean the same under both KES matching eras —
 * `path.Match` globs up to KES 2023-10-03 and "trailing `*` is a string prefix, anything else exact" from 2023-11-09
 * (minio/kms-go `kes/policy.go`; minio/kes#510) — and how such a pattern matches a request path. Pure.
 */
import { KesPolicy } from './model';

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
