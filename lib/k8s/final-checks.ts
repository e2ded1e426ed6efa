/**
 * Checks of the FINAL synthesized objects (after every escape-hatch `addJsonPatch`), beyond the CRD schema: a patch
 * must not undo what the declaration layer (`lib/declaration`) enforced. Each function returns the problems of one
 * final object as strings (the form cdk8s `node.addValidation` takes); {@link assertFinalObjectsValid} collects the
 * problems of every construct into one listing error.
 */
import { IConstruct } from 'constructs';
import { parse } from 'yaml';
import { envListsOf } from './tenant';
import {
  AzureAuthMode,
  checkAzureAuthCloud,
  escapeText,
  isFromRegistry,
  parseKesImage,
  ResolvedDeclaration,
  showValue,
} from '../declaration';

/** Env var names whose value is a credential (any case): only `valueFrom` may set them, never `value`. */
export const CREDENTIAL_ENV_NAME = /SECRET|PASSWORD|ROOT_USER|ACCESS_KEY|TOKEN|API_KEY/i;

/**
 * Env vars the operator derives from `spec.kes` for the MinIO container: `MINIO_KMS_KES_ENDPOINT`, `_CERT_FILE`,
 * `_KEY_FILE`, `_CA_PATH`, `_KEY_NAME` (minio/operator `pkg/resources/statefulsets/minio-statefulset.go` at v5.0.4),
 * plus `_CAPATH` (minio/operator `pkg/configuration/tenant_configuration.go` at v7.1.1). The library owns them
 * through the declaration: a `spec.env` entry with this prefix (any case) would redirect MinIO's KMS or default EK.
 */
export const KES_OWNED_ENV_PREFIX = 'MINIO_KMS_KES_';

/**
 * Names that say where a credential is, not what it is (`SSE_CONFIG_SECRET_NAME`, `SSE_CONFIG_ENV_FILE`): not
 * credentials, though {@link CREDENTIAL_ENV_NAME} matches them.
 */
const CREDENTIAL_LOCATION_ENV_NAME = /_(NAME|FILE|PATH|DIR)$/i;

/** `scheme://<user-info>@…`: a URL carrying a user name and/or password. */
const URL_WITH_USER_INFO = /^\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#\s]*@/;

/** Erasure set sizes of at least 4 drives (as the declaration: minio `cmd/endpoint-ellipses.go`). */
const ERASURE_SET_SIZES = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

type Json = Record<string, unknown>;
const rec = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** An `env` list of a final object, with its path (e.g. `spec.env`, `spec.template.spec.containers[0].env`). */
export interface EnvList {
  readonly path: string;
  readonly env: readonly unknown[];
}

/**
 * Literal env values that must come from a Secret: with `credentialNames`, names matching
 * {@link CREDENTIAL_ENV_NAME} (except names ending in `_NAME`, `_FILE`, `_PATH`, `_DIR`); always, values that are URLs with user-info (`amqp://user:pass@host`). Values are
 * never shown.
 */
export function literalEnvProblems(lists: readonly EnvList[], credentialNames: boolean): string[] {
  const problems: string[] = [];
  for (const { path, env } of lists) {
    env.forEach((raw, i) => {
      const e = rec(raw);
      const name = typeof e.name === 'string' ? e.name : '';
      if (e.value === undefined) {
        return;
      }
      const shownName = showValue(name);
      if (credentialNames && CREDENTIAL_ENV_NAME.test(name) && !CREDENTIAL_LOCATION_ENV_NAME.test(name)) {
        problems.push(
          `${path}[${i}] ${shownName} has a literal value (not shown): credentials must come from a Secret (valueFrom.secretKeyRef)`,
        );
      } else if (typeof e.value === 'string' && URL_WITH_USER_INFO.test(e.value)) {
        problems.push(
          `${path}[${i}] ${shownName} is a URL with user-info (value not shown): a credential in a URL must come from a Secret (valueFrom.secretKeyRef)`,
        );
      }
    });
  }
  return problems;
}

/** The `env` lists of the containers and init containers of a pod spec at `path`. */
export function podEnvLists(podSpec: unknown, path: string): EnvList[] {
  const pod = rec(podSpec);
  return (['initContainers', 'containers'] as const).flatMap((kind) =>
    list(pod[kind]).map((c, i) => ({ path: `${path}.${kind}[${i}].env`, env: list(rec(c).env) })),
  );
}

/**
 * Problems of the final Tenant beyond `tenantInvariants` (lib/k8s/tenant.ts): its identity (namespace, name,
 * `spec.configuration.name`), the KES image era rules on the final `spec.kes.image`, KES-owned MinIO env,
 * URL credentials in every env list, `spec.kes.env` against the declaration and the final KES config, and the pool
 * rules of the declaration.
 * @param tenant the final Tenant object (`apiObject.toJson()`)
 * @param spec the resolved declaration it was built from
 * @param kesConfigYaml the final `server-config.yaml` of the KES config Secret, if known
 * @param envLists every env list of the Tenant (`envListsOf(tenant.spec, 'spec')`)
 */
export function finalTenantProblems(
  tenant: unknown,
  spec: ResolvedDeclaration,
  kesConfigYaml: string | undefined,
  envLists: readonly EnvList[],
): string[] {
  const t = rec(tenant);
  const meta = rec(t.metadata);
  const s = rec(t.spec);
  const kes = rec(s.kes);
  const problems: string[] = [];

  // Identity: the Job, the KES Service name and the root Secret all derive from the declared names.
  const same = (path: string, actual: unknown, expected: string, why: string) => {
    if (actual !== expected) {
      problems.push(`${path} is ${showValue(actual)}, not the declared ${showValue(expected)}: ${why}`);
    }
  };
  same('metadata.namespace', meta.namespace, spec.tenant.namespace, 'set tenant.namespace in the declaration');
  same(
    'metadata.name',
    meta.name,
    spec.tenant.name,
    'set tenant.name in the declaration (the Job and the KES Service derive from it)',
  );
  same(
    'spec.configuration.name',
    rec(s.configuration).name,
    spec.tenant.configurationSecretName,
    'set tenant.configurationSecretName in the declaration (the Job reads the root credentials from it)',
  );

  // KES image: the era rules of the declaration, on the final image.
  if (s.kes !== undefined && kes.image !== spec.kes.image) {
    problems.push(...kesImageProblems(kes.image, spec));
  }

  // MinIO env owned by the library (through spec.kes).
  list(s.env).forEach((raw, i) => {
    const name = rec(raw).name;
    if (typeof name === 'string' && name.toUpperCase().startsWith(KES_OWNED_ENV_PREFIX)) {
      problems.push(
        `spec.env[${i}] ${showValue(name)} is set by the operator from spec.kes (endpoint, client certificate, CA, default EK): the library owns ${KES_OWNED_ENV_PREFIX}*; declare kes.* instead`,
      );
    }
  });

  // URL credentials in any env list (literal credential names are refused by tenantInvariants).
  problems.push(...literalEnvProblems(envLists, false));

  if (s.kes !== undefined) {
    problems.push(...kesEnvProblems(list(kes.env), spec, kesConfigYaml));
  }

  // Pools: the declaration's rules (fewer than 4 drives is reported by tenantInvariants).
  if (!Array.isArray(s.pools) || s.pools.length === 0) {
    problems.push('spec.pools is empty: a Tenant needs at least one pool (declare tenant.pools)');
  } else {
    s.pools.forEach((raw, i) => {
      const p = rec(raw);
      const total = Number(p.servers) * Number(p.volumesPerServer);
      if (Number.isSafeInteger(total) && total >= 4 && !ERASURE_SET_SIZES.some((size) => total % size === 0)) {
        problems.push(
          `spec.pools[${i}] has ${total} drives (servers x volumesPerServer), which cannot be split into equal erasure sets of 4 to 16 drives; use a drive count divisible by one of ${ERASURE_SET_SIZES.join(', ')}`,
        );
      }
    });
  }
  return problems;
}

/** The declaration's KES image rules (`parseKesImage`, workload identity, sovereign clouds) on a final image. */
function kesImageProblems(image: unknown, spec: ResolvedDeclaration): string[] {
  if (typeof image !== 'string') {
    return [`spec.kes.image ${showValue(image)} must be a string`];
  }
  const info = parseKesImage(image);
  if (typeof info === 'string') {
    return [`spec.kes.image ${showValue(image)} is not a usable KES image: ${info}`];
  }
  const problems: string[] = [];
  const mode = spec.kes.auth.mode;
  if (mode === AzureAuthMode.WORKLOAD_IDENTITY && !info.supportsDefaultAzureCredential) {
    problems.push(
      `spec.kes.image ${showValue(image)}: workload identity needs a KES image from 2024-06-17T15-47-05Z on (DefaultAzureCredential)`,
    );
  }
  for (const p of checkAzureAuthCloud(spec.kes.endpoint, mode, info.tag, image).problems) {
    problems.push(`spec.kes.image: ${p.message}`);
  }
  return problems;
}

/**
 * `spec.kes.env` of the final Tenant: every declared entry unchanged (literal value, or `secretKeyRef` to the
 * declared Secret and key, no `value` beside it); every `${VAR}` of the final KES config provided; no entry
 * reading the tenant's root configuration Secret; no literal value on an undeclared `AZURE_*` entry.
 */
function kesEnvProblems(
  env: readonly unknown[],
  spec: ResolvedDeclaration,
  kesConfigYaml: string | undefined,
): string[] {
  const problems: string[] = [];
  const byName = new Map<string, { index: number; entry: Json }[]>();
  env.forEach((raw, index) => {
    const entry = rec(raw);
    if (typeof entry.name === 'string') {
      byName.set(entry.name, [...(byName.get(entry.name) ?? []), { index, entry }]);
    }
  });
  for (const [name, entries] of byName) {
    if (entries.length > 1) {
      problems.push(`spec.kes.env has ${entries.length} entries named ${showValue(name)}: give each variable once`);
    }
  }
  const declared = new Map(spec.kes.env.map((e) => [e.name, e.source]));
  for (const [name, source] of declared) {
    const found = byName.get(name)?.[0];
    if (!found) {
      problems.push(
        `spec.kes.env no longer has ${name}: the KES config references \${${name}} and KES exits when it is unset`,
      );
      continue;
    }
    const { index, entry } = found;
    const ref = rec(rec(entry.valueFrom).secretKeyRef);
    if ('value' in source) {
      if (entry.value !== source.value || entry.valueFrom !== undefined) {
        problems.push(
          `spec.kes.env[${index}] ${name} is not the declared value (not shown): set it in the declaration (kes.*)`,
        );
      }
    } else if (entry.value !== undefined) {
      problems.push(
        `spec.kes.env[${index}] ${name} has a literal value (not shown): it must come from Secret ${showValue(source.secretName)} key ${showValue(source.secretKey)} (valueFrom.secretKeyRef) as declared`,
      );
    } else if (ref.name !== source.secretName || ref.key !== source.secretKey) {
      problems.push(
        `spec.kes.env[${index}] ${name} reads Secret ${showValue(ref.name)} key ${showValue(ref.key)}, not the declared credentials Secret ${showValue(source.secretName)} key ${showValue(source.secretKey)}`,
      );
    }
  }
  for (const [name, entries] of byName) {
    if (declared.has(name)) {
      continue;
    }
    const { index, entry } = entries[0];
    const ref = rec(rec(entry.valueFrom).secretKeyRef);
    if (ref.name !== undefined && ref.name === spec.tenant.configurationSecretName) {
      problems.push(
        `spec.kes.env[${index}] ${showValue(name)} reads the tenant's root configuration Secret ${showValue(ref.name)}: KES must never see the MinIO root credentials`,
      );
    } else if (name.toUpperCase().startsWith('AZURE_') && entry.value !== undefined) {
      problems.push(
        `spec.kes.env[${index}] ${showValue(name)} has a literal value (not shown): Azure settings come from the declaration (kes.auth), credentials from a Secret`,
      );
    }
  }
  if (kesConfigYaml !== undefined) {
    // KES expands a whole-value ${VAR} (surrounding spaces trimmed) and exits when VAR is unset (minio/kes
    // kesconf/config.go `env[T].UnmarshalYAML` at tag 2025-03-12T09-35-18Z). The operator sets MINIO_KES_IDENTITY.
    const provided = new Set([...byName.keys(), 'MINIO_KES_IDENTITY']);
    const referenced = envReferencesOf(kesConfigYaml);
    for (const name of referenced) {
      if (!provided.has(name) && !declared.has(name)) {
        problems.push(
          `spec.kes.env does not provide ${name}: the final KES config references \${${name}} and KES exits when it is unset`,
        );
      }
    }
  }
  return problems;
}

/**
 * The `${VAR}` names a KES config expands: string values that are, once trimmed, `${VAR}` as a whole (minio/kes
 * kesconf/config.go `env[T].UnmarshalYAML` at tag 2025-03-12T09-35-18Z); comments do not count. None when the text
 * is not YAML (the KES config Secret's own check reports that).
 */
function envReferencesOf(yamlText: string): Set<string> {
  const found = new Set<string>();
  let doc: unknown;
  try {
    doc = parse(yamlText);
  } catch {
    return found;
  }
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      const m = /^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}$/.exec(v.trim());
      if (m) {
        found.add(m[1]);
      }
    } else if (v !== null && typeof v === 'object') {
      Object.values(v as Record<string, unknown>).forEach(walk);
    }
  };
  walk(doc);
  return found;
}

/**
 * Problems of the final bucket-encryption Job: literal credentials or URL credentials in any container or init
 * container env, and (with `imageRegistry`) an image of a container or init container outside the registry.
 * @param job the final Job (`apiObject.toJson()`)
 */
export function finalJobProblems(job: unknown, spec: ResolvedDeclaration): string[] {
  const pod = rec(rec(rec(rec(job).spec).template).spec);
  const problems = literalEnvProblems(podEnvLists(pod, 'spec.template.spec'), true);
  const registry = spec.images.registry;
  if (registry !== undefined) {
    for (const kind of ['initContainers', 'containers'] as const) {
      list(pod[kind]).forEach((c, i) => {
        const image = rec(c).image;
        if (!(typeof image === 'string' && isFromRegistry(image, registry))) {
          problems.push(
            `spec.template.spec.${kind}[${i}].image ${showValue(image)} is not under imageRegistry ${showValue(registry)}: mirror the image there and reference the mirrored copy`,
          );
        }
      });
    }
  }
  const meta = rec(rec(job).metadata);
  return problems.map((p) => `Job ${String(meta.namespace)}/${String(meta.name)}: ${p}`);
}

/** Problems of the final operator Deployment: literal credentials or URL credentials in any container env. */
export function finalOperatorProblems(deployment: unknown): string[] {
  const d = rec(deployment);
  const meta = rec(d.metadata);
  const pod = rec(rec(rec(d.spec).template).spec);
  return literalEnvProblems(podEnvLists(pod, 'spec.template.spec'), true).map(
    (p) => `Deployment ${String(meta.namespace)}/${String(meta.name)}: ${p}`,
  );
}

/** What the listing error of {@link assertFinalObjectsValid} is about. */
export const FINAL_OBJECTS_WHAT = 'MinIO SSE manifests (final objects, after escape-hatch patches)';

/**
 * Run every construct validation under `scope` (cdk8s `node.validate()`, the checks `app.synth()` runs) and throw
 * one listing error when any fails: `invalid MinIO SSE manifests (final objects, after escape-hatch patches) (N
 * problems):` then one `  - [<construct path>] <problem>` line per problem (the wording of cdk8s's own lines).
 * @throws Error listing every problem; nothing when all pass
 */
export function assertFinalObjectsValid(scope: IConstruct | readonly IConstruct[]): void {
  const roots = Array.isArray(scope) ? (scope as readonly IConstruct[]) : [scope as IConstruct];
  const lines: string[] = [];
  for (const root of roots) {
    for (const c of root.node.findAll()) {
      for (const e of c.node.validate()) {
        lines.push(`  - [${escapeText(c.node.path)}] ${escapeText(e)}`);
      }
    }
  }
  if (lines.length > 0) {
    const n = lines.length;
    throw new Error(`invalid ${FINAL_OBJECTS_WHAT} (${n} problem${n === 1 ? '' : 's'}):\n${lines.join('\n')}`);
  }
}

/**
 * {@link finalTenantProblems} of a Tenant construct's final object, each prefixed `Tenant <ns>/<name>: ` (the
 * declared names), for `node.addValidation`.
 */
export function finalTenantChecks(
  tenant: { readonly apiObject: { toJson(): unknown } },
  spec: ResolvedDeclaration,
  kesConfig: { finalConfigYaml(): string | undefined } | undefined,
): string[] {
  const final = tenant.apiObject.toJson();
  const where = `Tenant ${spec.tenant.namespace}/${spec.tenant.name}`;
  return finalTenantProblems(final, spec, kesConfig?.finalConfigYaml(), envListsOf(rec(final).spec, 'spec')).map(
    (e) => `${where}: ${e}`,
  );
}
