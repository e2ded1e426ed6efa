/**
 * The `policy` section of a KES server config read from arbitrary parsed YAML: policy names, fields, patterns
 * (the grammar of `policy.ts`), identities, and what MinIO's own policy must allow.
 */
import { KES_ENV, ResolvedDeclaration } from '../declaration/validate';
import { KES_MINIO_IDENTITY_REF } from './model';
import { Add, ENV_REF, Rec, isRec, show } from './parsed';
import { checkPolicyPattern, policyAllowsPath } from './policy';

/** KES name rule (minio/kes `auth.go` `validName`, from tag 2023-10-24T20-26-51Z): 1–80 of `[A-Za-z0-9_-]`, not `_`, no leading/trailing `-`. */
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

/** Checks `policy`; returns the names of the policies that list `${MINIO_KES_IDENTITY}`. */
export function checkPolicies(policy: unknown, admin: string | undefined, knownVars: Set<string>, add: Add): string[] {
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
export function checkMinioNeeds(name: string, p: Rec, spec: ResolvedDeclaration, add: Add): void {
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
