import { createHash } from 'node:crypto';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { checkKesConfig, renderKesConfig } from '../kes';
import { ResolvedDeclaration } from '../spec';
import { standardLabels } from './common';

/** Props of {@link KesConfigSecret}. */
export interface KesConfigSecretProps {
  /** The validated declaration. */
  readonly spec: ResolvedDeclaration;
}

/**
 * The Secret the operator mounts into KES (`spec.kes.kesSecret`): one key, `server-config.yaml` (the only key
 * the operator projects, research minio-operator.md §2.3), rendered by `renderKesConfig`. It holds no credential:
 * every Azure value is a `${VAR}` reference that KES expands from the env the Tenant feeds it.
 *
 * @throws Error at construction when the rendered config breaks a KES rule (`checkKesConfig`)
 */
export class KesConfigSecret extends Construct {
  /** Secret name. */
  public readonly secretName: string;
  /** The rendered `server-config.yaml`. */
  public readonly configYaml: string;
  /** SHA-256 (hex) of `configYaml`. */
  public readonly configSha256: string;
  /** The Secret object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: KesConfigSecretProps) {
    super(scope, id);
    const { spec } = props;
    this.secretName = spec.kes.configSecretName;
    this.configYaml = renderKesConfig(spec);
    const problems = checkKesConfig(parse(this.configYaml), spec);
    if (problems.length > 0) {
      throw new Error(`rendered KES config breaks KES rules:\n  - ${problems.join('\n  - ')}`);
    }
    this.configSha256 = createHash('sha256').update(this.configYaml).digest('hex');
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: this.secretName,
        namespace: spec.tenant.namespace,
        labels: standardLabels('kes', spec.release, spec.tenant.name),
      },
      type: 'Opaque',
      stringData: { 'server-config.yaml': this.configYaml },
    });
  }
}
