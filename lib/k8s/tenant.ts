import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { AzureAuthMode, isFromRegistry, ResolvedDeclaration, ResolvedKesEnv } from '../declaration';
import { hardenedContainerSecurityContext, standardLabels } from './common';
import { CrdSchemaValidator } from './crd-schema';
import { KesConfigSecret } from './kes-config';

/** Props of {@link Tenant}. */
export interface TenantProps {
  /** The validated declaration (from `resolveDeclaration`). */
  readonly spec: ResolvedDeclaration;
  /** Name of the Secret holding KES's `server-config.yaml` (`spec.kes.kesSecret`). */
  readonly kesConfigSecretName: string;
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
  readonly crdSchema?: Record<string, any>;
}

/** Annotation on KES pods carrying the SHA-256 of the rendered KES config. */
export const KES_CONFIG_HASH_ANNOTATION = 'minio-sse-azure.io/kes-config-sha256';

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
 * Facts: research minio-operator.md §2 (fields per release), §3 (how the operator runs KES).
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

  constructor(scope: Construct, id: string, props: TenantProps) {
    super(scope, id);
    const { spec } = props;
    const t = spec.tenant;
    const k = spec.kes;
    this.name = t.name;
    this.namespace = t.namespace;
    this.serviceName = t.serviceName;
    this.kesServiceName = k.serviceName;

    const podSecurityContext = { runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, fsGroup: 1000 };
    const workload = k.auth.mode === AzureAuthMode.WORKLOAD_IDENTITY;
    const kesLabels = workload ? { 'azure.workload.identity/use': 'true' } : undefined;
    const kesConfig = props.kesConfig;
    // Read when the Tenant is synthesized, from the Secret's final bytes (its patches applied then).
    const configHash = kesConfig ? Lazy.any({ produce: () => kesConfig.finalConfigSha256() }) : props.kesConfigSha256;
    const kesAnnotations: Record<string, unknown> = {
      ...k.podAnnotations,
      ...(configHash ? { [KES_CONFIG_HASH_ANNOTATION]: configHash } : {}),
    };
    const pullSecret = spec.images.pullSecrets[0];

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'minio.min.io/v2',
      kind: 'Tenant',
      metadata: { name: t.name, namespace: t.namespace, labels: standardLabels('tenant', spec.release, t.name) },
      spec: {
        image: t.image,
        imagePullPolicy: 'IfNotPresent',
        ...(pullSecret ? { imagePullSecret: { name: pullSecret } } : {}),
        configuration: { name: t.configurationSecretName },
        requestAutoCert: t.requestAutoCert,
        podManagementPolicy: 'Parallel',
        mountPath: '/export',
        pools: t.pools.map((p) => ({
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
          image: k.image,
          imagePullPolicy: 'IfNotPresent',
          replicas: k.replicas,
          kesSecret: { name: props.kesConfigSecretName },
          keyName: k.defaultKeyName,
          env: kesEnv(k.env),
          securityContext: { ...podSecurityContext, fsGroupChangePolicy: 'OnRootMismatch' },
          ...(spec.release.kesContainerSecurityContext
            ? { containerSecurityContext: { ...hardenedContainerSecurityContext(), readOnlyRootFilesystem: false } }
            : {}),
          ...(k.serviceAccountName ? { serviceAccountName: k.serviceAccountName } : {}),
          ...(kesLabels ? { labels: kesLabels } : {}),
          ...(Object.keys(kesAnnotations).length > 0 ? { annotations: kesAnnotations } : {}),
        },
      },
    });

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
        const where = `Tenant ${t.namespace}/${t.name}`;
        const problems = [
          ...(validator?.validate(final) ?? []).map(
            (e) => `${where} does not match the ${spec.release.tag} Tenant CRD: ${e}`,
          ),
          ...tenantInvariants(final, spec).map((e) => `${where}: ${e}`),
          ...(kesConfig ? kesHashProblems(final, kesConfig) : []).map((e) => `${where}: ${e}`),
        ];
        lastChecked = { key, problems };
        return problems;
      },
    });
  }
}

/** Env var names whose value is a credential: they may only come from a Secret (`valueFrom`), never `value`. */
const CREDENTIAL_ENV = /SECRET|PASSWORD|ROOT_USER|ACCESS_KEY|TOKEN|API_KEY/;

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

/**
 * Every container image a Tenant names, with its path: `spec.image`, `spec.kes.image`,
 * `spec.sideCars.containers[].image`, `spec.initContainers[].image` (v7), and the OCI image volumes
 * `spec.additionalVolumes[].image.reference` / `spec.sideCars.volumes[].image.reference` (v7.1.1 CRD). The
 * operator's own sidecar image is set on the operator Deployment, not here.
 */
export function tenantImagesOf(tenant: any): { path: string; image: unknown }[] {
  const s = tenant?.spec ?? {};
  const list = (x: unknown): any[] => (Array.isArray(x) ? x : []);
  return [
    ...(s.image !== undefined ? [{ path: 'spec.image', image: s.image }] : []),
    ...(s.kes?.image !== undefined ? [{ path: 'spec.kes.image', image: s.kes.image }] : []),
    ...list(s.sideCars?.containers).map((c, i) => ({ path: `spec.sideCars.containers[${i}].image`, image: c?.image })),
    ...list(s.initContainers).map((c, i) => ({ path: `spec.initContainers[${i}].image`, image: c?.image })),
    ...list(s.additionalVolumes)
      .map((v, i) => ({
        path: `spec.additionalVolumes[${i}].image.reference`,
        image: v?.image?.reference,
        has: v?.image !== undefined,
      }))
      .filter((v) => v.has)
      .map(({ path, image }) => ({ path, image })),
    ...list(s.sideCars?.volumes)
      .map((v, i) => ({
        path: `spec.sideCars.volumes[${i}].image.reference`,
        image: v?.image?.reference,
        has: v?.image !== undefined,
      }))
      .filter((v) => v.has)
      .map(({ path, image }) => ({ path, image })),
  ];
}

/** The config-hash annotation of the final Tenant must be the hash of the KES config Secret's final bytes. */
function kesHashProblems(tenant: any, kesConfig: KesConfigSecret): string[] {
  const actual = tenant?.spec?.kes?.annotations?.[KES_CONFIG_HASH_ANNOTATION];
  const expected = kesConfig.finalConfigSha256();
  if (tenant?.spec?.kes && actual !== expected) {
    return [
      `spec.kes.annotations[${JSON.stringify(KES_CONFIG_HASH_ANNOTATION)}] is ${JSON.stringify(actual)}, not the SHA-256 of the final KES config (${expected}): KES would not roll when its config changes`,
    ];
  }
  return [];
}

/**
 * What must still hold after escape-hatch patches, beyond the CRD schema: KES is configured, its default EK is
 * one the Job creates, the KES config Secret is the generated one, pools keep at least 4 drives, no credential is
 * written as a literal env value in any env list of the Tenant (see {@link envListsOf}), with `imageRegistry` every
 * image comes from it (see {@link tenantImagesOf}), and the declared pull secret stays.
 */
export function tenantInvariants(tenant: any, spec: ResolvedDeclaration): string[] {
  const problems: string[] = [];
  const kes = tenant?.spec?.kes;
  if (!kes) {
    problems.push('spec.kes was removed: bucket-default SSE-KMS needs KES (bug-log B10)');
  } else {
    if (!spec.encryptionKeys.includes(kes.keyName)) {
      problems.push(
        `spec.kes.keyName ${JSON.stringify(kes.keyName)} is not an EK the bucket-encryption Job creates (${spec.encryptionKeys.join(', ')})`,
      );
    }
    if (kes.kesSecret?.name !== spec.kes.configSecretName) {
      problems.push(
        `spec.kes.kesSecret must name the generated KES config Secret ${JSON.stringify(spec.kes.configSecretName)}`,
      );
    }
  }
  (tenant?.spec?.pools ?? []).forEach((p: any, i: number) => {
    if (!(Number(p?.servers) * Number(p?.volumesPerServer) >= 4)) {
      problems.push(`spec.pools[${i}] has fewer than 4 drives (servers x volumesPerServer)`);
    }
  });
  for (const { path: where, env } of envListsOf(tenant?.spec, 'spec')) {
    env.forEach((e: any, i: number) => {
      if (typeof e?.name === 'string' && CREDENTIAL_ENV.test(e.name) && e.value !== undefined) {
        problems.push(
          `${where}[${i}] ${e.name} has a literal value (not shown): credentials must come from a Secret (valueFrom.secretKeyRef)`,
        );
      }
    });
  }
  const registry = spec.images.registry;
  if (registry !== undefined) {
    for (const { path: where, image } of tenantImagesOf(tenant)) {
      if (!(typeof image === 'string' && isFromRegistry(image, registry))) {
        problems.push(
          `${where} ${JSON.stringify(image)} is not under imageRegistry ${JSON.stringify(registry)}: mirror the image there and reference the mirrored copy`,
        );
      }
    }
  }
  const pullSecret = spec.images.pullSecrets[0];
  if (pullSecret !== undefined && tenant?.spec?.imagePullSecret?.name !== pullSecret) {
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
