import { Testing } from 'cdk8s';
import { OperatorRelease } from '../../lib/declaration';
import { MinioSseCharts } from '../../lib/k8s/charts';
import { tenantNamespaceLabels } from '../../lib/k8s/common';
import { seedDeclaration } from '../../examples/seed';
import { fixtureCrds } from '../support/fixtures';

const PSA = 'pod-security.kubernetes.io/';

function tenantNamespace(release: OperatorRelease): { metadata: { labels: Record<string, string> } } {
  const charts = new MinioSseCharts(Testing.app(), { declaration: seedDeclaration({ release }), crds: fixtureCrds() });
  const objs = [charts.operatorChart, charts.tenantChart].flatMap((c) => Testing.synth(c));
  const ns = objs.find(
    (o) => o.kind === 'Namespace' && o.metadata.name === seedDeclaration({ release }).tenant.namespace,
  );
  expect(ns).toBeDefined();
  return ns;
}

describe('Pod Security labels on the tenant Namespace', () => {
  test('v7.1.1: enforce, warn and audit restricted (every operator-built container takes our security contexts)', () => {
    const labels = tenantNamespace(OperatorRelease.V7_1_1).metadata.labels;
    expect(Object.fromEntries(Object.entries(labels).filter(([k]) => k.startsWith(PSA)))).toEqual({
      [`${PSA}enforce`]: 'restricted',
      [`${PSA}warn`]: 'restricted',
      [`${PSA}audit`]: 'restricted',
    });
    expect(labels['app.kubernetes.io/component']).toBe('tenant');
  });

  test('v5.0.4: warn and audit restricted only (the operator builds its init container, sidecar and KES without a securityContext)', () => {
    const labels = tenantNamespace(OperatorRelease.V5_0_4).metadata.labels;
    expect(labels[`${PSA}enforce`]).toBeUndefined();
    expect(labels[`${PSA}warn`]).toBe('restricted');
    expect(labels[`${PSA}audit`]).toBe('restricted');
  });

  test('the helper is keyed by release', () => {
    expect(tenantNamespaceLabels(OperatorRelease.V7_1_1)[`${PSA}enforce`]).toBe('restricted');
    expect(Object.keys(tenantNamespaceLabels(OperatorRelease.V5_0_4)).sort()).toEqual([`${PSA}audit`, `${PSA}warn`]);
  });
});
