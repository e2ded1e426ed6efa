import { display, FieldKind } from '../declaration/problems';
import { checkNoCredential } from '../declaration/rules';

/** Longest OIDC issuer URL accepted, in characters. */
export const MAX_OIDC_ISSUER_URL_LENGTH = 600;

/**
 * Check a workload-identity OIDC issuer URL, registered as is in the federated identity credential's `issuer`.
 *
 * Entra ID compares a token's `iss` claim with the federated credential's issuer as an exact string (Microsoft
 * Learn, "Workload identity federation", "Important considerations and restrictions": the issuer must match
 * exactly), so the value is never normalized: anything `new URL(value).href` would rewrite is refused rather than
 * changed. The AKS issuer is `https://<region>.oic.prod-aks.azure.com/<tenant-id>/<guid>/`, with its trailing `/`
 * (`az aks show --query oidcIssuerProfile.issuerUrl`).
 *
 * Refused: more than {@link MAX_OIDC_ISSUER_URL_LENGTH} characters; URL user info or a credential; whitespace and
 * control characters; `\`; a value that is not an absolute URL; a scheme other than `https`; anything not starting
 * with the exact `https://`; a query, fragment or user info; a value that differs from its normalized form (upper-
 * case host, missing `/` after a bare host, unencoded characters, `.` segments).
 * @returns why the value is not valid (never quoting it), or undefined
 */
export function checkOidcIssuerUrl(value: string): string | undefined {
  if (value.length > MAX_OIDC_ISSUER_URL_LENGTH) {
    return 'must be a plain https URL of at most 600 characters, without query, fragment or user info';
  }
  const credential = checkNoCredential(value);
  if (credential) {
    return credential;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(value)) {
    return 'must not contain whitespace or control characters: Entra ID matches the issuer exactly, so give it as az aks show --query oidcIssuerProfile.issuerUrl prints it';
  }
  if (value.includes('\\')) {
    return 'must not contain "\\": URL parsers read it as "/", and Entra ID matches the issuer exactly';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL; expected the AKS OIDC issuer URL, https://<region>.oic.prod-aks.azure.com/<tenant-id>/<guid>/ (az aks show --query oidcIssuerProfile.issuerUrl)';
  }
  if (url.protocol !== 'https:') {
    return `must use https:// (got ${url.protocol.replace(/:$/, '')}://): Entra ID trusts only https OIDC issuers, and the AKS issuer is https`;
  }
  if (!value.startsWith('https://')) {
    return 'must start with "https://" exactly (lowercase scheme, two slashes): Entra ID matches the issuer exactly';
  }
  if (url.search !== '' || url.hash !== '' || value.includes('?') || value.includes('#') || url.username !== '') {
    return 'must be a plain https URL of at most 600 characters, without query, fragment or user info';
  }
  if (url.href !== value) {
    return `must be written in normalized form, here ${display(url.href, FieldKind.NAME)} (lowercase host, a "/" after a bare host, percent-encoded path): Entra ID matches the issuer exactly, so it is registered as given, never rewritten`;
  }
  return undefined;
}
