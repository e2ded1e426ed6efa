import { ApiObject, ApiObjectProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  checkDnsSubdomain,
  checkImageRegistry,
  isFromRegistry,
  OperatorRelease,
  parseImageReference,
  withImageRegistry,
} from '../declaration';
import { OperatorCrds } from './operator-crds';
import { hardenedContainerSecurityContext, standardLabels } from './common';
import { finalOperatorProblems } from './final-checks';

/** Props of {@link MinioOperator}. */
export interface MinioOperatorProps {
  /** Operator release to install. */
  readonly release: OperatorRelease;
  /** Where the CRDs come from. @default OperatorCrds.fromRelease() */
  readonly crds?: OperatorCrds;
  /** Namespace of the operator. @default 'minio-operator' */
  readonly namespace?: string;
  /** Operator replicas (leader election; the `operator` Service selects the leader). @default 2 */
  readonly replicas?: number;
  /**
   * Operator image (`[host[:port]/]path[:tag][@sha256:digest]`). At v5.0.4 the operator also runs it as the MinIO
   * pods' `sidecar` and `validate-arguments` init container. @default - the release's operator image
   */
  readonly image?: string;
  /**
   * Registry the operator image and (v7.1.1) the sidecar image are pulled from, `host[:port][/path]`; the
   * repository path, tag and digest are kept (see `withImageRegistry`). At v7.1.1 the Deployment always sets
   * `OPERATOR_SIDECAR_IMAGE` (minio/operator `pkg/resources/statefulsets/minio-sidecar.go` at v7.1.1), so the
   * sidecar image follows this registry too. @default - the images' own registries
   */
  readonly imageRegistry?: string;
  /**
   * Names of image pull Secrets in the operator namespace, put on the Deployment's pod (`imagePullSecrets`).
   * They do not reach tenant pods: the Tenant's `spec.imagePullSecret` does. @default - none
   */
  readonly imagePullSecrets?: string[];
  /**
   * The cluster's DNS domain; the operator builds KES and MinIO endpoints and certificates with it, read from its
   * `CLUSTER_DOMAIN` env (minio/operator `pkg/apis/minio.min.io/v2/helper.go` `GetClusterDomain`, v5.0.4 and
   * v7.1.1). @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

/**
 * The MinIO Operator install: Namespace, CRDs (from {@link OperatorCrds}), ServiceAccount, ClusterRole,
 * ClusterRoleBinding, Services `operator` and `sts`, Deployment `minio-operator`.
 *
 * Generated from facts of minio/operator `resources/base/` at the release tag (`cluster-role.yaml`,
 * `cluster-role-binding.yaml`, `service-account.yaml`, `service.yaml`, `deployment.yaml` at v5.0.4 and v7.1.1). Names the
 * operator code depends on are fixed: Deployment `minio-operator` (read to find the sidecar image), Services
 * `operator` and `sts`. The Operator Console of v5.0.4 is not installed (a UI, not needed for KES). The
 * Deployment's pod meets Pod Security "restricted" (v7.1.1 upstream does; at v5.0.4 we add the seccomp,
 * capability and escalation settings).
 */
export class MinioOperator extends Construct {
  /** The operator namespace. */
  public readonly namespace: string;
  /** Name of the operator Deployment (fixed by the operator code). */
  public readonly deploymentName = 'minio-operator';
  /** The CRD objects emitted (empty when already installed). */
  public readonly crdObjects: ApiObject[] = [];
  /** The operator Namespace object. */
  public readonly namespaceObject: ApiObject;
  /** The operator image the Deployment runs. */
  public readonly image: string;
  /**
   * The image of the `sidecar` and `validate-arguments` containers of the MinIO pods: the operator image at
   * v5.0.4, the `OPERATOR_SIDECAR_IMAGE` value at v7.1.1.
   */
  public readonly sidecarImage: string;
  /** The operator Deployment (escape hatch; with `imageRegistry`, its images must stay under it). */
  public readonly deployment: ApiObject;

  /**
   * @throws Error when `image`, `imageRegistry` or an `imagePullSecrets` name is not valid, or when the CRDs cannot
   *   be loaded
   */
  constructor(scope: Construct, id: string, props: MinioOperatorProps) {
    super(scope, id);
    const release = props.release;
    const registry = props.imageRegistry;
    const problems: string[] = [];
    if (registry !== undefined && checkImageRegistry(registry)) {
      problems.push(
        `imageRegistry ${JSON.stringify(registry)} is not a valid image registry: ${checkImageRegistry(registry)}`,
      );
    }
    if (props.image !== undefined && typeof parseImageReference(props.image) === 'string') {
      problems.push(`image ${JSON.stringify(props.image)} is not a valid image: ${parseImageReference(props.image)}`);
    }
    (props.imagePullSecrets ?? []).forEach((n, i) => {
      const problem = checkDnsSubdomain(n);
      if (problem) {
        problems.push(`imagePullSecrets[${i}] (value not shown) is not a valid Secret name: ${problem}`);
      }
    });
    if (problems.length > 0) {
      throw new Error(`invalid MinioOperator props:\n  - ${problems.join('\n  - ')}`);
    }
    this.image = withImageRegistry(props.image ?? release.operatorImage, registry);
    this.sidecarImage = release.operatorSidecarImage
      ? withImageRegistry(release.operatorSidecarImage, registry)
      : this.image;
    const ns = (this.namespace = props.namespace ?? 'minio-operator');
    const crds = props.crds ?? OperatorCrds.fromRelease();
    const labels = standardLabels('operator', release);
    const name = 'minio-operator';

    this.namespaceObject = new ApiObject(this, 'Namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels },
    });

    crds.load(release).forEach((file) =>
      file.objects.forEach((obj) => {
        const crdProps = obj as unknown as ApiObjectProps;
        const crd = new ApiObject(this, `Crd-${String(crdProps.metadata?.name)}`, crdProps);
        this.crdObjects.push(crd);
      }),
    );

    const sa = new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: ns, labels },
    });

    const role = new ApiObject(this, 'ClusterRole', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'minio-operator-role', labels },
      rules: clusterRoleRules(release),
    });

    const binding = new ApiObject(this, 'ClusterRoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'minio-operator-binding', labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'minio-operator-role' },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
    });

    const operatorSvc = new ApiObject(this, 'OperatorService', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'operator', namespace: ns, labels: { ...labels, name } },
      spec: {
        type: 'ClusterIP',
        ports: [{ name: 'http', port: 4221 }],
        selector: { name, operator: 'leader' },
      },
    });

    const stsSvc = new ApiObject(this, 'StsService', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'sts', namespace: ns, labels: { ...labels, name } },
      spec: {
        type: 'ClusterIP',
        ports: [{ name: 'https', port: 4223, targetPort: 4223 }],
        selector: { name },
      },
    });

    const env = [
      ...(release.hasConsoleUi ? [{ name: 'MINIO_CONSOLE_TLS_ENABLE', value: 'off' }] : []),
      { name: 'OPERATOR_STS_ENABLED', value: release.stsEnabled ? 'on' : 'off' },
      ...(release.operatorSidecarImage ? [{ name: SIDECAR_IMAGE_ENV, value: this.sidecarImage }] : []),
      ...(props.clusterDomain && props.clusterDomain !== 'cluster.local'
        ? [{ name: 'CLUSTER_DOMAIN', value: props.clusterDomain }]
        : []),
    ];
    const podLabels = { name, 'app.kubernetes.io/instance': name, 'app.kubernetes.io/name': 'operator' };
    const deployment = (this.deployment = new ApiObject(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: this.deploymentName, namespace: ns, labels: { ...labels, ...podLabels } },
      spec: {
        replicas: props.replicas ?? 2,
        ...(release.recreateStrategy ? { strategy: { type: 'Recreate' } } : {}),
        selector: { matchLabels: { name } },
        template: {
          metadata: { labels: podLabels },
          spec: {
            serviceAccountName: name,
            ...(props.imagePullSecrets?.length
              ? { imagePullSecrets: props.imagePullSecrets.map((n) => ({ name: n })) }
              : {}),
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1000,
              runAsGroup: 1000,
              fsGroup: 1000,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'minio-operator',
                image: this.image,
                imagePullPolicy: 'IfNotPresent',
                args: ['controller'],
                env,
                resources: { requests: { cpu: '200m', memory: '256Mi', 'ephemeral-storage': '500Mi' } },
                securityContext: { ...hardenedContainerSecurityContext(), readOnlyRootFilesystem: false },
              },
            ],
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  {
                    labelSelector: { matchExpressions: [{ key: 'name', operator: 'In', values: [name] }] },
                    topologyKey: 'kubernetes.io/hostname',
                  },
                ],
              },
            },
          },
        },
      },
    }));
    this.node.addValidation({ validate: () => finalOperatorProblems(deployment.toJson()) });
    if (registry !== undefined) {
      this.node.addValidation({ validate: () => operatorImagesOutside(deployment.toJson(), registry, ns) });
    }

    // Order inside the chart: Namespace and CRDs first, then RBAC, Services and the Deployment.
    for (const obj of [sa, role, binding, operatorSvc, stsSvc, deployment]) {
      obj.addDependency(this.namespaceObject, ...this.crdObjects);
    }
    binding.addDependency(sa, role);
    deployment.addDependency(sa, binding);
  }
}

/**
 * Env var of the v7 operator naming the MinIO pods' sidecar image (minio/operator
 * `pkg/resources/statefulsets/minio-sidecar.go` at v7.1.1).
 */
export const SIDECAR_IMAGE_ENV = 'OPERATOR_SIDECAR_IMAGE';

/** Images of the final operator Deployment (containers, init containers, the sidecar env) not under `registry`. */
function operatorImagesOutside(deployment: unknown, registry: string, ns: string): string[] {
  const rec = (v: unknown): Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const pod = rec(rec(rec(rec(deployment).spec).template).spec);
  const found: [string, unknown][] = [];
  for (const list of ['initContainers', 'containers'] as const) {
    arr(pod[list]).forEach((c, i) => {
      found.push([`spec.template.spec.${list}[${i}].image`, rec(c).image]);
      arr(rec(c).env).forEach((e, j) => {
        if (rec(e).name === SIDECAR_IMAGE_ENV) {
          found.push([`spec.template.spec.${list}[${i}].env[${j}] ${SIDECAR_IMAGE_ENV}`, rec(e).value]);
        }
      });
    });
  }
  return found
    .filter(([, image]) => !(typeof image === 'string' && isFromRegistry(image, registry)))
    .map(
      ([where, image]) =>
        `Deployment ${ns}/minio-operator: ${where} ${JSON.stringify(image)} is not under imageRegistry ${JSON.stringify(registry)}: mirror the image there and reference the mirrored copy`,
    );
}

/**
 * ClusterRole rules of `minio-operator-role` (minio/operator `resources/base/cluster-role.yaml` at v5.0.4 and
 * v7.1.1; v7.1.1 adds the `job.min.io` group and PodDisruptionBudgets).
 */
export function clusterRoleRules(release: OperatorRelease): Record<string, unknown>[] {
  const v7 = release.rbacJobsAndPdbs;
  const rules: Record<string, unknown>[] = [
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'update'] },
    { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'update', 'list'] },
    { apiGroups: [''], resources: ['namespaces', 'nodes'], verbs: ['get', 'watch', 'list'] },
    {
      apiGroups: [''],
      resources: ['pods', 'services', 'events', 'configmaps'],
      verbs: ['get', 'watch', 'create', 'list', 'delete', 'deletecollection', 'update', 'patch'],
    },
    {
      apiGroups: [''],
      resources: ['secrets'],
      verbs: ['get', 'watch', 'create', 'update', 'list', 'delete', 'deletecollection'],
    },
    {
      apiGroups: [''],
      resources: ['serviceaccounts'],
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    },
    {
      apiGroups: ['rbac.authorization.k8s.io'],
      resources: ['roles', 'rolebindings'],
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    },
    {
      apiGroups: ['apps'],
      resources: ['statefulsets', 'deployments', 'deployments/finalizers'],
      verbs: ['get', 'create', 'list', 'patch', 'watch', 'update', 'delete'],
    },
    {
      apiGroups: ['batch'],
      resources: ['jobs'],
      verbs: ['get', 'create', 'list', 'patch', 'watch', 'update', 'delete'],
    },
    {
      apiGroups: ['certificates.k8s.io'],
      resources: [
        'certificatesigningrequests',
        'certificatesigningrequests/approval',
        'certificatesigningrequests/status',
      ],
      verbs: ['update', 'create', 'get', 'delete', 'list'],
    },
    {
      apiGroups: ['certificates.k8s.io'],
      resources: ['signers'],
      resourceNames: [
        'kubernetes.io/legacy-unknown',
        'kubernetes.io/kube-apiserver-client',
        'kubernetes.io/kubelet-serving',
        'beta.eks.amazonaws.com/app-serving',
      ],
      verbs: ['approve', 'sign'],
    },
    { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
    {
      apiGroups: v7 ? ['minio.min.io', 'sts.min.io', 'job.min.io'] : ['minio.min.io', 'sts.min.io'],
      resources: ['*'],
      verbs: ['*'],
    },
    { apiGroups: ['min.io'], resources: ['*'], verbs: ['*'] },
    { apiGroups: ['monitoring.coreos.com'], resources: ['prometheuses'], verbs: ['*'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update', 'create'] },
  ];
  if (v7) {
    rules.push({
      apiGroups: ['policy'],
      resources: ['poddisruptionbudgets'],
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'deletecollection'],
    });
  }
  return rules;
}
