import { checkDnsLabel, checkDnsSubdomain, OperatorRelease } from '../../lib/declaration';
import { CrdSchemaValidator } from '../../lib/k8s/crd-schema';
import { tenantCrdSchema } from './fixtures';

/** Cluster-scoped kinds the library emits. */
export const CLUSTER_SCOPED = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding']);

const MODEL_PATHS: Record<string, string> = {
  'v1/Namespace': 'kubernetes-models/v1/Namespace',
  'v1/Secret': 'kubernetes-models/v1/Secret',
  'v1/ConfigMap': 'kubernetes-models/v1/ConfigMap',
  'v1/Service': 'kubernetes-models/v1/Service',
  'v1/ServiceAccount': 'kubernetes-models/v1/ServiceAccount',
  'apps/v1/Deployment': 'kubernetes-models/apps/v1/Deployment',
  'batch/v1/Job': 'kubernetes-models/batch/v1/Job',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding':
    'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'apiextensions.k8s.io/v1/CustomResourceDefinition':
    'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition',
};

/**
 * Validate one synthesized object: core kinds with kubernetes-models (its AJV validators of the Kubernetes
 * OpenAPI), Tenants against the release's CRD schema from the fixtures, plus what neither checks: metadata.name
 * format, namespace presence by scope.
 * @returns problems, empty when valid
 */
export function validateObject(obj: any, release: OperatorRelease): string[] {
  const id = `${obj?.kind}/${obj?.metadata?.name}`;
  const problems: string[] = [];
  const name = obj?.metadata?.name;
  const nameProblem =
    obj?.kind === 'Namespace' || obj?.kind === 'Service' ? checkDnsLabel(name ?? '') : checkDnsSubdomain(name ?? '');
  if (nameProblem && !(obj?.kind === 'CustomResourceDefinition')) {
    problems.push(`${id}: metadata.name ${nameProblem}`);
  }
  if (CLUSTER_SCOPED.has(obj.kind) && obj.metadata.namespace !== undefined) {
    problems.push(`${id}: cluster-scoped object has metadata.namespace`);
  }
  if (!CLUSTER_SCOPED.has(obj.kind) && !obj.metadata.namespace) {
    problems.push(`${id}: namespaced object without metadata.namespace`);
  }
  if (obj.apiVersion === 'minio.min.io/v2' && obj.kind === 'Tenant') {
    problems.push(
      ...CrdSchemaValidator.forSchema(tenantCrdSchema(release))
        .validate(obj)
        .map((e) => `${id}: ${e}`),
    );
    return problems;
  }
  const modelPath = MODEL_PATHS[`${obj.apiVersion}/${obj.kind}`];
  if (!modelPath) {
    problems.push(`${id}: no validator for ${obj.apiVersion} ${obj.kind}`);
    return problems;
  }

  const mod = require(modelPath);
  const Model = mod[obj.kind] ?? mod.default;
  try {
    new Model(obj).validate();
  } catch (e) {
    problems.push(`${id}: ${(e as Error).message}`);
  }
  return problems;
}
