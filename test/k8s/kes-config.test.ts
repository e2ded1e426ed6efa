import { createHash } from 'node:crypto';
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { OperatorRelease } from '../../lib/declaration';
import { KES_CONFIG_KEY, KesConfigSecret, KesConfigSecretProps } from '../../lib/k8s/kes-config';

const CONFIG = 'address: 0.0.0.0:7373\nkeystore:\n  azure:\n    keyvault:\n      endpoint: https://v.vault.azure.net\n';
const WHERE = 'Secret storage/store-kes-config (KES config, after escape-hatch patches)';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function props(overrides: Partial<KesConfigSecretProps> = {}): KesConfigSecretProps {
  return {
    release: OperatorRelease.V7_1_1,
    secretName: 'store-kes-config',
    namespace: 'storage',
    tenantName: 'store',
    config: CONFIG,
    ...overrides,
  };
}

function build(
  p: KesConfigSecretProps,
  patch?: (s: KesConfigSecret) => void,
): { chart: Chart; secret: KesConfigSecret } {
  const chart = Testing.chart();
  const secret = new KesConfigSecret(chart, 'KesConfig', p);
  patch?.(secret);
  return { chart, secret };
}

/** The problems of a failing synth, without cdk8s's construct-path prefix. */
function synthProblems(p: KesConfigSecretProps, patch?: (s: KesConfigSecret) => void): string[] {
  try {
    Testing.synth(build(p, patch).chart);
  } catch (e) {
    return (e as Error).message
      .split('\n')
      .slice(1)
      .map((l) => l.trim().replace(/^\[[^\]]*\] /, ''));
  }
  return ['(synth succeeded)'];
}

describe('KesConfigSecret alone', () => {
  test('one Opaque Secret with the config as stringData server-config.yaml, labelled as part of the tenant', () => {
    const { chart, secret } = build(props());
    const objects = Testing.synth(chart);
    expect(objects).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'store-kes-config',
          namespace: 'storage',
          labels: {
            'app.kubernetes.io/managed-by': 'minio-sse-azure',
            'app.kubernetes.io/component': 'kes',
            'app.kubernetes.io/version': '7.1.1',
            'app.kubernetes.io/part-of': 'store',
          },
        },
        type: 'Opaque',
        stringData: { [KES_CONFIG_KEY]: CONFIG },
      },
    ]);
    expect(KES_CONFIG_KEY).toBe('server-config.yaml');
    expect([secret.secretName, secret.configYaml, secret.configSha256]).toEqual([
      'store-kes-config',
      CONFIG,
      sha256(CONFIG),
    ]);
    expect(secret.finalConfigSha256()).toBe(sha256(CONFIG));
    expect(objects).toMatchSnapshot();
  });

  test('an unpatched config is not re-checked; a patched one is parsed and given to checkConfig', () => {
    const checkConfig = jest.fn((): string[] => []);
    Testing.synth(build(props({ checkConfig })).chart);
    expect(checkConfig).not.toHaveBeenCalled();

    const { chart, secret } = build(props({ checkConfig }), (s) =>
      s.apiObject.addJsonPatch(JsonPatch.replace(`/stringData/${KES_CONFIG_KEY}`, 'address: 0.0.0.0:7374\n')),
    );
    Testing.synth(chart);
    expect(checkConfig).toHaveBeenCalledWith({ address: '0.0.0.0:7374' });
    expect(secret.finalConfigYaml()).toBe('address: 0.0.0.0:7374\n');
    expect(secret.finalConfigSha256()).toBe(sha256('address: 0.0.0.0:7374\n'));
  });

  test('the final config is read from base64 data when stringData is gone', () => {
    const text = 'address: 0.0.0.0:7375\n';
    const { secret } = build(props(), (s) => {
      s.apiObject.addJsonPatch(JsonPatch.remove('/stringData'));
      s.apiObject.addJsonPatch(JsonPatch.add('/data', { [KES_CONFIG_KEY]: Buffer.from(text).toString('base64') }));
    });
    expect(secret.finalConfigYaml()).toBe(text);
  });

  test('fails when a patched config breaks a rule of checkConfig, listing its messages', () => {
    const checkConfig = () => ['keystore.azure.keyvault.credentials and managed_identity are both set'];
    const problems = synthProblems(props({ checkConfig }), (s) =>
      s.apiObject.addJsonPatch(JsonPatch.replace(`/stringData/${KES_CONFIG_KEY}`, 'address: x\n')),
    );
    expect(problems).toEqual([`${WHERE}: keystore.azure.keyvault.credentials and managed_identity are both set`]);
  });

  test('fails when the patched config is not YAML', () => {
    const problems = synthProblems(props(), (s) =>
      s.apiObject.addJsonPatch(JsonPatch.replace(`/stringData/${KES_CONFIG_KEY}`, 'a: [unclosed\n')),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      new RegExp(`^${WHERE.replace(/[()]/g, '\\$&')}: server-config.yaml is not valid YAML: `),
    );
  });

  test('fails when a patch renames the Secret, adds a key (naming it, not its value) or drops the config', () => {
    expect(synthProblems(props(), (s) => s.apiObject.addJsonPatch(JsonPatch.replace('/metadata/name', 'x')))).toEqual([
      `${WHERE}: metadata must stay storage/store-kes-config: the Tenant's spec.kes.kesSecret names it (got "storage"/"x")`,
    ]);
    const extra = synthProblems(props(), (s) =>
      s.apiObject.addJsonPatch(JsonPatch.add('/stringData/client-secret', 'hunter2-value')),
    );
    expect(extra).toEqual([
      `${WHERE}: has keys other than server-config.yaml (client-secret): the operator mounts only server-config.yaml, and the Secret must hold no credential`,
    ]);
    expect(extra.join('\n')).not.toContain('hunter2-value');
    expect(synthProblems(props(), (s) => s.apiObject.addJsonPatch(JsonPatch.remove('/stringData')))).toEqual([
      `${WHERE}: has no server-config.yaml in stringData or data`,
    ]);
  });
});
