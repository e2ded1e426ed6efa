import { JsonPatch, Testing } from 'cdk8s';
import { OperatorRelease } from '../../lib/declaration';
import { MinioOperator, SIDECAR_IMAGE_ENV } from '../../lib/k8s/operator';
import { OperatorCrds } from '../../lib/k8s/operator-crds';
import { fixtureCrds } from '../support/fixtures';

/** The operator alone, without CRDs (`alreadyInstalled()`), so the objects are the install objects only. */
function synthOperator(props: Partial<ConstructorParameters<typeof MinioOperator>[2]> = {}) {
  const chart = Testing.chart();
  const operator = new MinioOperator(chart, 'Operator', {
    release: OperatorRelease.V7_1_1,
    crds: OperatorCrds.alreadyInstalled(),
    ...props,
  });
  return { operator, objects: Testing.synth(chart) };
}

const deploymentOf = (objects: any[]) => objects.find((o) => o.kind === 'Deployment');

describe('MinioOperator alone', () => {
  test('defaults: namespace minio-operator, the install objects in dependency order, 2 replicas, the release images', () => {
    const { operator, objects } = synthOperator();
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect([...names].sort()).toEqual([
      'ClusterRole/minio-operator-role',
      'ClusterRoleBinding/minio-operator-binding',
      'Deployment/minio-operator',
      'Namespace/minio-operator',
      'Service/operator',
      'Service/sts',
      'ServiceAccount/minio-operator',
    ]);
    // Namespace first, the Deployment last, the binding after what it binds.
    expect(names[0]).toBe('Namespace/minio-operator');
    expect(names[names.length - 1]).toBe('Deployment/minio-operator');
    const binding = names.indexOf('ClusterRoleBinding/minio-operator-binding');
    expect(binding).toBeGreaterThan(names.indexOf('ServiceAccount/minio-operator'));
    expect(binding).toBeGreaterThan(names.indexOf('ClusterRole/minio-operator-role'));
    const deployment = deploymentOf(objects);
    expect(deployment.metadata.namespace).toBe('minio-operator');
    expect(deployment.spec.replicas).toBe(2);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe('quay.io/minio/operator:v7.1.1');
    expect(container.env).toContainEqual({ name: SIDECAR_IMAGE_ENV, value: operator.sidecarImage });
    expect(container.env.map((e: { name: string }) => e.name)).not.toContain('CLUSTER_DOMAIN');
    expect(deployment.spec.template.spec).not.toHaveProperty('imagePullSecrets');
    expect([operator.namespace, operator.deploymentName, operator.image, operator.crdObjects]).toEqual([
      'minio-operator',
      'minio-operator',
      'quay.io/minio/operator:v7.1.1',
      [],
    ]);
    expect(objects).toMatchSnapshot();
  });

  test('v5.0.4: the operator image is also the sidecar image; no sidecar env; the v5 ClusterRole groups', () => {
    const { operator, objects } = synthOperator({ release: OperatorRelease.V5_0_4 });
    expect(operator.sidecarImage).toBe(operator.image);
    const container = deploymentOf(objects).spec.template.spec.containers[0];
    expect(container.env.map((e: { name: string }) => e.name)).not.toContain(SIDECAR_IMAGE_ENV);
    const role = objects.find((o) => o.kind === 'ClusterRole');
    expect(JSON.stringify(role.rules)).not.toContain('job.min.io');
    expect(JSON.stringify(role.rules)).not.toContain('poddisruptionbudgets');
    expect(objects).toMatchSnapshot();
  });

  test('every prop reaches its field: namespace, replicas, image registry, pull secrets, cluster domain', () => {
    const { operator, objects } = synthOperator({
      namespace: 'ops',
      replicas: 1,
      imageRegistry: 'mirror.example.com/quay',
      imagePullSecrets: ['regcred'],
      clusterDomain: 'corp.example',
    });
    const deployment = deploymentOf(objects);
    expect(objects.filter((o) => o.metadata.namespace !== undefined).every((o) => o.metadata.namespace === 'ops')).toBe(
      true,
    );
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    const env = deployment.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'CLUSTER_DOMAIN', value: 'corp.example' });
    expect(operator.image).toBe('mirror.example.com/quay/minio/operator:v7.1.1');
    expect(env).toContainEqual({ name: SIDECAR_IMAGE_ENV, value: operator.sidecarImage });
    expect(operator.sidecarImage.startsWith('mirror.example.com/quay/')).toBe(true);
  });

  test('with CRDs from the fixtures, the CRDs come right after the Namespace', () => {
    const chart = Testing.chart();
    const operator = new MinioOperator(chart, 'Operator', { release: OperatorRelease.V7_1_1, crds: fixtureCrds() });
    const kinds = Testing.synth(chart).map((o) => o.kind);
    expect(operator.crdObjects.length).toBeGreaterThanOrEqual(2);
    expect(kinds.slice(0, 1 + operator.crdObjects.length)).toEqual([
      'Namespace',
      ...operator.crdObjects.map(() => 'CustomResourceDefinition'),
    ]);
  });

  test('fails when a pull Secret name is not a valid Secret name, without showing it', () => {
    expect(() => synthOperator({ imagePullSecrets: ['Bad_Name'] })).toThrow(
      /^invalid MinioOperator props:\n {2}- imagePullSecrets\[0\] \(value not shown\) is not a valid Secret name: /,
    );
  });

  test('fails when a patch points the Deployment image outside imageRegistry', () => {
    const chart = Testing.chart();
    const operator = new MinioOperator(chart, 'Operator', {
      release: OperatorRelease.V7_1_1,
      crds: OperatorCrds.alreadyInstalled(),
      imageRegistry: 'mirror.example.com',
    });
    operator.deployment.addJsonPatch(
      JsonPatch.replace('/spec/template/spec/containers/0/image', 'docker.io/evil/operator:1'),
    );
    expect(() => Testing.synth(chart)).toThrow(
      'Deployment minio-operator/minio-operator: spec.template.spec.containers[0].image "docker.io/evil/operator:1" is not under imageRegistry "mirror.example.com": mirror the image there and reference the mirrored copy',
    );
  });
});
