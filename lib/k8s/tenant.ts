import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AzureAuthMode, ResolvedDeclaration, ResolvedKesEnv } from '../spec';
import { hardenedContainerSecurityContext, standardLabels } from './common';
import { CrdSchemaValidator } from './crd-schema';

/** Props of {@link Tenant}. */
export interface TenantProps {
  /** The validated declaration (from `resolveDeclaration`). */
  readonly spec: ResolvedDeclaration;
  /** Name of the Secret holding KES's `server-config.yaml` (`spec.kes.kesSecret`). */
  readonly kesConfigSecretName: string;
  /**
   * SHA-256 of the KES config, put on the KES pods as an annotation so the operator rolls KES when the config
   * changes (the operator does not watch the Secret). @default - no annotation
   */
  readonly kesConfigSha256?: string;
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
 * Typed subset: image, configuration Secret, pools (named, PVC template `data`, hardened security contexts),
 * auto-cert, and `spec.kes` (image, replicas, `kesSecret`, `keyName`, env `${VAR}` sources, security context,
 * workload-identity service account and label). Everything else goes through the escape hatch:
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
    const kesAnnotations: Record<string, string> = {
      ...k.podAnnotations,
      ...(props.kesConfigSha256 ? { [KES_CONFIG_HASH_ANNOTATION]: props.kesConfigSha256 } : {}),
    };

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'minio.min.io/v2',
      kind: 'Tenant',
      metadata: { name: t.name, namespace: t.namespace, labels: standardLabels('tenant', spec.release, t.name) },
      spec: {
        image: t.image,
        imagePullPolicy: 'IfNotPresent',
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
    this.node.addValidation({
      validate: () => {
        const final = this.apiObject.toJson();
        const where = `Tenant ${t.namespace}/${t.name}`;
        return [
          ...(validator?.validate(final) ?? []).map((e) => `${where} does not match the ${spec.release.tag} Tenant CRD: ${e}`),
          ...tenantInvariants(final, spec).map((e) => `${where}: ${e}`),
        ];
      },
    });
  }
}

/** Env var names whose value is a credential: they may only come from a Secret (`valueFrom`), never `value`. */
const CREDENTIAL_ENV = /SECRET|PASSWORD|ROOT_USER|ACCESS_KEY|TOKEN|API_KEY/;

/**
 * What must still hold after escape-hatch patches, beyond the CRD schema: KES is configured, its default EK is
 * one the Job creates, the KES config Secret is the generated one, pools keep at least 4 drives, and no
 * credential is written as a literal env value.
 */
export function tenantInvariants(tenant: any, spec: ResolvedDeclaration): string[] {
  const problems: string[] = [];
  const kes = tenant?.spec?.kes;
  if (!kes) {
    problems.push('spec.kes was removed: bucket-default SSE-KMS needs KES (bug-log B10)');
  } else {
    if (!spec.encryptionKeys.includes(kes.keyName)) {
      problems.push(`spec.kes.keyName ${JSON.stringify(kes.keyName)} is not an EK the bucket-encryption Job creates (${spec.encryptionKeys.join(', ')})`);
    }
    if (kes.kesSecret?.name !== spec.kes.configSecretName) {
      problems.push(`spec.kes.kesSecret must name the generated KES config Secret ${JSON.stringify(spec.kes.configSecretName)}`);
    }
  }
  (tenant?.spec?.pools ?? []).forEach((p: any, i: number) => {
    if (!(Number(p?.servers) * Number(p?.volumesPerServer) >= 4)) {
      problems.push(`spec.pools[${i}] has fewer than 4 drives (servers x volumesPerServer)`);
    }
  });
  for (const [where, env] of [['spec.env', tenant?.spec?.env], ['spec.kes.env', kes?.env]] as const) {
    (Array.isArray(env) ? env : []).forEach((e: any, i: number) => {
      if (typeof e?.name === 'string' && CREDENTIAL_ENV.test(e.name) && e.value !== undefined) {
        problems.push(`${where}[${i}] ${e.name} has a literal value (not shown): credentials must come from a Secret (valueFrom.secretKeyRef)`);
      }
    });
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
