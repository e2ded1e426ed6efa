import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  checkDnsLabel,
  checkDnsSubdomain,
  checkInteger,
  isFromRegistry,
  OperatorRelease,
  parseImageReference,
  ResolvedKesEnv,
} from '../declaration';
import { hardenedContainerSecurityContext, standardLabels } from './common';
import { CrdSchemaValidator } from './crd-schema';
import { KesConfigSecret } from './kes-config';

/** One server pool of a {@link Tenant} (`spec.pools[]`). */
export interface TenantPool {
  /** Pool name (`spec.pools[].name`), unique in the Tenant. */
  readonly name: string;
  /** MinIO servers (pods) of the pool. */
  readonly servers: number;
  /** PVCs per server; `servers x volumesPerServer` must be at least 4 (checked at synth time). */
  readonly volumesPerServer: number;
  /** Size of each PVC, a Kubernetes quantity such as `100Gi`. */
  readonly storageSize: string;
  /** StorageClass of the PVCs. @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
}

/** Props of {@link Tenant}: what one MinIO Tenant with KES needs, nothing of the declaration around it. */
export interface TenantProps {
  /** Operator release the Tenant is written for (labels; `spec.kes.containerSecurityContext` where the CRD has it). */
  readonly release: OperatorRelease;
  /** Tenant name (`metadata.name`, a DNS-1035 label). */
  readonly name: string;
  /** Tenant namespace (`metadata.namespace`). */
  readonly namespace: string;
  /** MinIO image (`spec.image`), `[host[:port]/]path[:tag][@sha256:digest]`. */
  readonly image: string;
  /** Server pools (`spec.pools`), each with a PVC template `data`; at least one. */
  readonly pools: readonly TenantPool[];
  /** Secret holding the MinIO root credentials as `config.env` (`spec.configuration`); referenced, never created. */
  readonly configurationSecretName: string;
  /** Let the operator issue the MinIO TLS certificate (`spec.requestAutoCert`). @default true */
  readonly requestAutoCert?: boolean;
  /**
   * Pull Secret of the MinIO pods (`spec.imagePullSecret`); the operator puts it on the KES pods too.
   * @default - none
   */
  readonly imagePullSecret?: string;
  /**
   * Registry every image of the final Tenant must come from, `host[:port][/path]` (checked at synth time, after
   * escape-hatch patches; see {@link tenantImagesOf}). @default - images are not checked against a registry
   */
  readonly imageRegistry?: string;
  /** KES image (`spec.kes.image`). */
  readonly kesImage: string;
  /** KES replicas (`spec.kes.replicas`). @default 2 */
  readonly kesReplicas?: number;
  /** Name of the Secret holding KES's `server-config.yaml` (`spec.kes.kesSecret`). */
  readonly kesConfigSecretName: string;
  /** Default EK of the Tenant (`spec.kes.keyName`), used by MinIO for SSE-KMS without an explicit key. */
  readonly kesKeyName: string;
  /**
   * Every EK that exists for this Tenant (created by the bucket-encryption Job); `kesKeyName` must stay one of them
   * after escape-hatch patches (checked at synth time). @default - `[kesKeyName]`
   */
  readonly encryptionKeys?: readonly string[];
  /**
   * Env of the KES container (`spec.kes.env`): literal values, or Secret references for the values KES expands
   * from `${VAR}` in its config; written sorted by name. @default - none
   */
  readonly kesEnv?: readonly ResolvedKesEnv[];
  /** ServiceAccount of the KES pods (`spec.kes.serviceAccountName`). @default - the operator's default */
  readonly kesServiceAccountName?: string;
  /**
   * Label the KES pods `azure.workload.identity/use: "true"` (`spec.kes.labels`), so the AKS workload identity
   * webhook injects the federated token. @default false
   */
  readonly kesWorkloadIdentity?: boolean;
  /** Extra annotations of the KES pods (`spec.kes.annotations`). @default - none */
  readonly kesPodAnnotations?: Readonly<Record<string, string>>;
  /**
   * SHA-256 of the KES config, put on the KES pods as an annotation so the operator rolls KES when the config
   * changes (the operator does not watch the Secret). Ignored when `kesConfig` is given.
   * @default - no annotation, unless `kesConfig` is given
   */
  readonly kesConfigSha256?: string;
  /**
   * The KES config Secret construct. When given, the config-hash annotation on the KES pods is computed at synth
   * time from the Secret's final `server-config.yaml` (after any escape-hatch patch on the Secret), so a patched
   * config still rolls KES, and synth fails when a patch on the Tenant changes that annotation.
   * @default - the annotation comes from `kesConfigSha256`
   */
  readonly kesConfig?: KesConfigSecret;
  /**
   * `openAPIV3Schema` of the Tenant CRD of the release; when given, the final Tenant (after any escape-hatch JSON
   * patch) is validated against it at synth time and synth fails listing every violation.
   * @default - not validated at synth time
   */
  readonly crdSchema?: Record<string, unknown>;
}

/** Annotation on KES pods carrying the SHA-256 of the rendered KES config. */
export const KES_CONFIG_HASH_ANNOTATION = 'minio-sse-azure.io/kes-config-sha256';

/**
 * The operator's ClusterIP Service for MinIO: always `minio`, one Tenant per namespace (minio/operator
 * `pkg/apis/minio.min.io/v2/names.go` `MinIOCIServiceName`, v5.0.4 and v7.1.1).
 */
export const TENANT_SERVICE_NAME = 'minio';

/**
 * Suffix of the operator's headless Service for KES, `<tenant>-kes-hl-svc` (minio/operator
 * `pkg/apis/minio.min.io/v2/constants.go` `KESHLSvcNameSuffix`, v5.0.4 and v7.1.1).
 */
export const KES_SERVICE_SUFFIX = '-kes-hl-svc';

/**
 * A MinIO Tenant (`minio.min.io/v2`, kind `Tenant`) with KES (`spec.kes`) on Azure Key Vault.
 *
 * Typed subset: image, pull secret (`spec.imagePullSecret`, which the operator also puts on the KES pods),
 * configuration Secret, pools (named, PVC template `data`, hardened security contexts), auto-cert, and `spec.kes`
 * (image, replicas, `kesSecret`, `keyName`, env `${VAR}` sources, security context, workload-identity service
 * account and label, config-hash annotation). Everything else goes through the escape hatch:
 * `tenant.apiObject.addJsonPatch(JsonPatch.add('/spec/priorityClassName', 'high'))` — and with `crdSchema` set,
 * the patched result is still validated against the release's CRD.
 *
 * Facts: the Tenant CRD of each release (minio/operator `resources/base/crds/minio.min.io_tenants.yaml` at v5.0.4
 * and v7.1.1); how the operator runs KES from `spec.kes` (minio/operator
 * `pkg/resources/statefulsets/kes-statefulset.go` at the same tags).
 *
 * Synth-time checks (after escape-hatch patches): the CRD schema (with `crdSchema`), then
 * {@link tenantInvariants}, then the config-hash annotation (with `kesConfig`).
 */
export class Tenant extends Construct {
  /** Tenant name. */
  public readonly name: string;
  /** Tenant namespace. */
  public readonly namespace: string;
  /** The operator's ClusterIP Service for MinIO (`minio`). */
  public readonly serviceName: string;
  /** The operator's headless Service for KES (`<tenant>-kes-hl-svc`). */
  public readonly kesServiceName: string;
  /** The Tenant object; use `addJsonPatch` for fields the typed subset does not cover. */
  public readonly apiObject: ApiObject;

  /**
   * @throws Error `invalid Tenant props:` listing every bad prop (names, images, pools, replicas), before any
   *   object is added
   */
  constructor(scope: Construct, id: string, props: TenantProps) {
    const problems = checkTenantProps(props);
    if (problems.length > 0) {
      throw new Error(`invalid Tenant props:\n  - ${problems.join('\n  - ')}`);
    }
    super(scope, id);
    const { release } = props;
    this.name = props.name;
    this.namespace = props.namespace;
    this.serviceName = TENANT_SERVICE_NAME;
    this.kesServiceName = `${props.name}${KES_SERVICE_SUFFIX}`;

    // Pod-level RuntimeDefault seccomp also covers containers the operator builds without a securityContext (v5.0.4).
    const podSecurityContext = {
      runAsUser: 1000,
      runAsGroup: 1000,
      runAsNonRoot: true,
      fsGroup: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const kesLabels = props.kesWorkloadIdentity ? { 'azure.workload.identity/use': 'true' } : undefined;
    const kesConfig = props.kesConfig;
    // Read when the Tenant is synthesized, from the Secret's final bytes (its patches applied then).
    const configHash = kesConfig ? Lazy.any({ produce: () => kesConfig.finalConfigSha256() }) : props.kesConfigSha256;
    const kesAnnotations: Record<string, unknown> = {
      ...props.kesPodAnnotations,
      ...(configHash ? { [KES_CONFIG_HASH_ANNOTATION]: configHash } : {}),
    };
    const pullSecret = props.imagePullSecret;

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'minio.min.io/v2',
      kind: 'Tenant',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: standardLabels('tenant', release, props.name),
      },
      spec: {
        image: props.image,
        imagePullPolicy: 'IfNotPresent',
        ...(pullSecret ? { imagePullSecret: { name: pullSecret } } : {}),
        configuration: { name: props.configurationSecretName },
        requestAutoCert: props.requestAutoCert ?? true,
        podManagementPolicy: 'Parallel',
        mountPath: '/export',
        pools: props.pools.map((p) => ({
          name: p.name,
          servers: p.servers,
          volumesPerServer: p.volumesPerServer,
          volumeClaimTemplate: {
            metadata: { name: 'data' },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: p.storageSize } },
              ...(p.storageClassName ? { storageClassName: p.storageClassName } : {}),
            },
          },
          securityContext: { ...podSecurityContext, fsGroupChangePolicy: 'OnRootMismatch' },
          containerSecurityContext: { ...hardenedContainerSecurityContext(), readOnlyRootFilesystem: false },
        })),
        kes: {
          image: props.kesImage,
          imagePullPolicy: 'IfNotPresent',
          replicas: props.kesReplicas ?? 2,
          kesSecret: { name: props.kesConfigSecretName },
          keyName: props.kesKeyName,
          env: kesEnv(props.kesEnv ?? []),
          securityContext: { ...podSecurityContext, fsGroupChangePolicy: 'OnRootMismatch' },
          ...(release.kesContainerSecurityContext
            ? { containerSecurityContext: { ...hardenedContainerSecurityContext(), readOnlyRootFilesystem: false } }
            : {}),
          ...(props.kesServiceAccountName ? { serviceAccountName: props.kesServiceAccountName } : {}),
          ...(kesLabels ? { labels: kesLabels } : {}),
          ...(Object.keys(kesAnnotations).length > 0 ? { annotations: kesAnnotations } : {}),
        },
      },
    });

    const rules: TenantRules = {
      encryptionKeys: props.encryptionKeys ?? [props.kesKeyName],
      kesConfigSecretName: props.kesConfigSecretName,
      imageRegistry: props.imageRegistry,
      imagePullSecret: pullSecret,
    };
    const validator = props.crdSchema ? CrdSchemaValidator.forSchema(props.crdSchema) : undefined;
    let lastChecked: { key: string; problems: string[] } | undefined;
    this.node.addValidation({
      validate: () => {
        const final = this.apiObject.toJson();
        // cdk8s's app.synth() validates the whole App once per chart: the same final object is checked once.
        const key = `${kesConfig?.finalConfigSha256() ?? ''}${JSON.stringify(final)}`;
        if (key === lastChecked?.key) {
          return lastChecked.problems;
        }
        const where = `Tenant ${props.namespace}/${props.name}`;
        const problems = [
          ...(validator?.validate(final) ?? []).map(
            (e) => `${where} does not match the ${release.tag} Tenant CRD: ${e}`,
          ),
          ...tenantInvariants(final, rules).map((e) => `${where}: ${e}`),
          ...(kesConfig ? kesHashProblems(final, kesConfig) : []).map((e) => `${where}: ${e}`),
        ];
        lastChecked = { key, problems };
        return problems;
      },
    });
  }
}

/**
 * The construction-time checks of {@link TenantProps}: Kubernetes names (DNS-1123 label for the name and
 * namespace, subdomain for Secrets and the ServiceAccount), image references, at least one pool, and positive
 * integer counts. What escape-hatch patches can still break is checked at synth time ({@link tenantInvariants}).
 */
function checkTenantProps(props: TenantProps): string[] {
  const problems: string[] = [];
  const check = (field: string, value: unknown, rule: (v: string) => string | undefined, shown = true) => {
    const problem = typeof value === 'string' ? rule(value) : 'must be a string';
    if (problem) {
      problems.push(`${field} ${shown ? JSON.stringify(value) : '(value not shown)'} ${problem}`);
    }
  };
  const image = (v: string) => {
    const ref = parseImageReference(v);
    return typeof ref === 'string' ? `is not a valid image: ${ref}` : undefined;
  };
  check('name', props.name, (v) => checkDnsLabel(v));
  check('namespace', props.namespace, (v) => checkDnsLabel(v));
  check('image', props.image, image);
  check('kesImage', props.kesImage, image);
  check('configurationSecretName', props.configurationSecretName, checkDnsSubdomain);
  check('kesConfigSecretName', props.kesConfigSecretName, checkDnsSubdomain);
  if (props.imagePullSecret !== undefined) {
    check('imagePullSecret', props.imagePullSecret, checkDnsSubdomain, false);
  }
  if (props.kesServiceAccountName !== undefined) {
    check('kesServiceAccountName', props.kesServiceAccountName, checkDnsSubdomain);
  }
  if (!Array.isArray(props.pools) || props.pools.length === 0) {
    problems.push('pools must list at least one pool');
  } else {
    props.pools.forEach((p, i) => {
      for (const key of ['servers', 'volumesPerServer'] as const) {
        const problem = checkInteger(p?.[key], 1);
        if (problem) {
          problems.push(`pools[${i}].${key} ${JSON.stringify(p?.[key])} ${problem}`);
        }
      }
    });
  }
  if (props.kesReplicas !== undefined) {
    const problem = checkInteger(props.kesReplicas, 1);
    if (problem) {
      problems.push(`kesReplicas ${JSON.stringify(props.kesReplicas)} ${problem}`);
    }
  }
  return problems;
}

/** What {@link tenantInvariants} checks a final Tenant object against. */
export interface TenantRules {
  /** Every EK that exists for the Tenant; `spec.kes.keyName` must be one of them. */
  readonly encryptionKeys: readonly string[];
  /** The generated KES config Secret; `spec.kes.kesSecret.name` must stay this. */
  readonly kesConfigSecretName: string;
  /** Registry every image must come from. @default - not checked */
  readonly imageRegistry?: string;
  /** The declared pull Secret; `spec.imagePullSecret.name` must stay this. @default - not checked */
  readonly imagePullSecret?: string;
}

/** Env var names whose value is a credential: they may only come from a Secret (`valueFrom`), never `value`. */
const CREDENTIAL_ENV = /SECRET|PASSWORD|ROOT_USER|ACCESS_KEY|TOKEN|API_KEY/i;

/**
 * Every `env` list in a Tenant object, with its path (`spec.env`, `spec.kes.env`, `spec.sideCars.containers[0].env`,
 * `spec.initContainers[1].env`, …). The whole object is walked, so a container list of any release is covered:
 * the v5.0.4 CRD has env lists at `spec.env`, `spec.kes.env` and `spec.sideCars.containers[].env`; v7.1.1 adds
 * `spec.initContainers[].env` (minio/operator `resources/base/crds/minio.min.io_tenants.yaml` at each tag).
 */
export function envListsOf(obj: unknown, path = ''): { path: string; env: unknown[] }[] {
  if (obj === null || typeof obj !== 'object') {
    return [];
  }
  if (Array.isArray(obj)) {
    return obj.flatMap((item, i) => envListsOf(item, `${path}[${i}]`));
  }
  return Object.entries(obj as Record<string, unknown>).flatMap(([key, value]) => {
    const here = path === '' ? key : `${path}.${key}`;
    return key === 'env' && Array.isArray(value) ? [{ path: here, env: value }] : envListsOf(value, here);
  });
}

/** `value` when it is a plain object (not an array), else an empty record: for walking untyped JSON. */
function rec(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** `value` when it is an array, else an empty array. */
function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Every container image a Tenant names, with its path: `spec.image`, `spec.kes.image`,
 * `spec.sideCars.containers[].image`, `spec.initContainers[].image` (v7), and the OCI image volumes
 * `spec.additionalVolumes[].image.reference` / `spec.sideCars.volumes[].image.reference` (v7.1.1 CRD). The
 * operator's own sidecar image is set on the operator Deployment, not here.
 */
export function tenantImagesOf(tenant: unknown): { path: string; image: unknown }[] {
  const s = rec(rec(tenant).spec);
  const kes = rec(s.kes);
  const sideCars = rec(s.sideCars);
  const volumeImages = (volumes: unknown, at: string) =>
    list(volumes)
      .map((v, i) => ({ path: `${at}[${i}].image.reference`, image: rec(rec(v).image).reference, has: rec(v).image }))
      .filter((v) => v.has !== undefined)
      .map(({ path, image }) => ({ path, image }));
  return [
    ...(s.image !== undefined ? [{ path: 'spec.image', image: s.image }] : []),
    ...(kes.image !== undefined ? [{ path: 'spec.kes.image', image: kes.image }] : []),
    ...list(sideCars.containers).map((c, i) => ({
      path: `spec.sideCars.containers[${i}].image`,
      image: rec(c).image,
    })),
    ...list(s.initContainers).map((c, i) => ({ path: `spec.initContainers[${i}].image`, image: rec(c).image })),
    ...volumeImages(s.additionalVolumes, 'spec.additionalVolumes'),
    ...volumeImages(sideCars.volumes, 'spec.sideCars.volumes'),
  ];
}

/** The config-hash annotation of the final Tenant must be the hash of the KES config Secret's final bytes. */
function kesHashProblems(tenant: unknown, kesConfig: KesConfigSecret): string[] {
  const kes = rec(rec(tenant).spec).kes;
  const actual = rec(rec(kes).annotations)[KES_CONFIG_HASH_ANNOTATION];
  const expected = kesConfig.finalConfigSha256();
  if (kes && actual !== expected) {
    return [
      `spec.kes.annotations[${JSON.stringify(KES_CONFIG_HASH_ANNOTATION)}] is ${JSON.stringify(actual)}, not the SHA-256 of the final KES config (${expected}): KES would not roll when its config changes`,
    ];
  }
  return [];
}

/**
 * What must still hold after escape-hatch patches, beyond the CRD schema: KES is configured, its default EK is
 * one of `rules.encryptionKeys`, the KES config Secret is the generated one, pools keep at least 4 drives, no
 * credential is written as a literal env value in any env list of the Tenant (see {@link envListsOf}), with
 * `rules.imageRegistry` every image comes from it (see {@link tenantImagesOf}), and the declared pull secret stays.
 *
 * Without `spec.kes` MinIO has no KMS, so `mc encrypt set sse-kms` fails with "KMS is not configured"
 * (minio/minio issues #14586 and #16905).
 * @returns one message per broken rule, each starting with the field path; empty when all hold
 */
export function tenantInvariants(tenant: unknown, rules: TenantRules): string[] {
  const problems: string[] = [];
  const spec = rec(rec(tenant).spec);
  const kes = spec.kes ? rec(spec.kes) : undefined;
  if (!kes) {
    problems.push(
      'spec.kes was removed: bucket-default SSE-KMS needs KES (without it MinIO reports "KMS is not configured", minio/minio#14586)',
    );
  } else {
    if (!rules.encryptionKeys.includes(kes.keyName as string)) {
      problems.push(
        `spec.kes.keyName ${JSON.stringify(kes.keyName)} is not an EK the bucket-encryption Job creates (${rules.encryptionKeys.join(', ')})`,
      );
    }
    if (rec(kes.kesSecret).name !== rules.kesConfigSecretName) {
      problems.push(
        `spec.kes.kesSecret must name the generated KES config Secret ${JSON.stringify(rules.kesConfigSecretName)}`,
      );
    }
  }
  list(spec.pools).forEach((p, i) => {
    if (!(Number(rec(p).servers) * Number(rec(p).volumesPerServer) >= 4)) {
      problems.push(`spec.pools[${i}] has fewer than 4 drives (servers x volumesPerServer)`);
    }
  });
  for (const { path: where, env } of envListsOf(rec(tenant).spec, 'spec')) {
    env.forEach((item, i) => {
      const e = rec(item);
      if (typeof e.name === 'string' && CREDENTIAL_ENV.test(e.name) && e.value !== undefined) {
        problems.push(
          `${where}[${i}] ${e.name} has a literal value (not shown): credentials must come from a Secret (valueFrom.secretKeyRef)`,
        );
      }
    });
  }
  const registry = rules.imageRegistry;
  if (registry !== undefined) {
    for (const { path: where, image } of tenantImagesOf(tenant)) {
      if (!(typeof image === 'string' && isFromRegistry(image, registry))) {
        problems.push(
          `${where} ${JSON.stringify(image)} is not under imageRegistry ${JSON.stringify(registry)}: mirror the image there and reference the mirrored copy`,
        );
      }
    }
  }
  const pullSecret = rules.imagePullSecret;
  if (pullSecret !== undefined && rec(spec.imagePullSecret).name !== pullSecret) {
    problems.push(
      'spec.imagePullSecret no longer names the declared imagePullSecrets[0]: the MinIO and KES pods could not pull from the registry',
    );
  }
  return problems;
}

/** `spec.kes.env` entries: literal values, or `valueFrom.secretKeyRef` for Secret-held values; sorted by name. */
export function kesEnv(env: readonly ResolvedKesEnv[]): Record<string, unknown>[] {
  return [...env]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((e) =>
      'value' in e.source
        ? { name: e.name, value: e.source.value }
        : { name: e.name, valueFrom: { secretKeyRef: { name: e.source.secretName, key: e.source.secretKey } } },
    );
}
