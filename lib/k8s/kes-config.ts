import { createHash } from 'node:crypto';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { checkKesConfig, renderKesConfig } from '../kes';
import { ResolvedDeclaration } from '../declaration';
import { standardLabels } from './common';

/** Props of {@link KesConfigSecret}. */
export interface KesConfigSecretProps {
  /** The validated declaration. */
  readonly spec: ResolvedDeclaration;
}

/** The one key of the KES config Secret; the only key the operator mounts (research minio-operator.md §2.3). */
export const KES_CONFIG_KEY = 'server-config.yaml';

/**
 * The Secret the operator mounts into KES (`spec.kes.kesSecret`): one key, `server-config.yaml` (the only key
 * the operator projects, minio/operator `pkg/resources/statefulsets/kes-statefulset.go` at v5.0.4 and v7.1.1),
 * rendered by `renderKesConfig`. It holds no credential: every Azure value is a `${VAR}` reference that KES expands
 * from the env the Tenant feeds it.
 *
 * Escape hatch: `apiObject.addJsonPatch(…)`. The final object (patches applied) is checked again at synth time with
 * the same KES rules (`checkKesConfig`): synth fails when a patched config breaks one (e.g. both `credentials` and
 * `managed_identity`), when the Secret is renamed or moved, or when it gains another key. The config bytes are read
 * from `stringData["server-config.yaml"]`, else from base64 `data["server-config.yaml"]` (the API server lets
 * `stringData` win). {@link finalConfigSha256} is the hash the Tenant puts on the KES pods.
 *
 * @throws Error at construction when the config breaks a KES rule (`checkKesConfig`, via `renderKesConfig`)
 */
export class KesConfigSecret extends Construct {
  /** Secret name. */
  public readonly secretName: string;
  /** The rendered `server-config.yaml` (before any escape-hatch patch; see {@link finalConfigYaml}). */
  public readonly configYaml: string;
  /** SHA-256 (hex) of `configYaml` (before any escape-hatch patch; see {@link finalConfigSha256}). */
  public readonly configSha256: string;
  /** The Secret object. */
  public readonly apiObject: ApiObject;
  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: KesConfigSecretProps) {
    super(scope, id);
    const { spec } = props;
    this.secretName = spec.kes.configSecretName;
    this.namespace = spec.tenant.namespace;
    // renderKesConfig checks the model against every KES rule and throws here; the YAML text is parsed back and
    // checked once, at synth time, by the validation below (on the final, patched Secret) — not twice per tenant.
    this.configYaml = renderKesConfig(spec);
    this.configSha256 = sha256(this.configYaml);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: this.secretName,
        namespace: spec.tenant.namespace,
        labels: standardLabels('kes', spec.release, spec.tenant.name),
      },
      type: 'Opaque',
      stringData: { [KES_CONFIG_KEY]: this.configYaml },
    });
    this.node.addValidation({
      validate: () =>
        this.finalProblems(spec).map(
          (p) => `Secret ${this.namespace}/${this.secretName} (KES config, after escape-hatch patches): ${p}`,
        ),
    });
  }

  /**
   * `server-config.yaml` of the final Secret, patches applied: `stringData`, else base64-decoded `data`.
   * @returns the text, or undefined when the final Secret has neither
   */
  public finalConfigYaml(): string | undefined {
    return configOf(this.apiObject.toJson());
  }

  /** SHA-256 (hex) of {@link finalConfigYaml}, or of the empty string when the Secret lost its config. */
  public finalConfigSha256(): string {
    return sha256(this.finalConfigYaml() ?? '');
  }

  private finalProblems(spec: ResolvedDeclaration): string[] {
    const final = this.apiObject.toJson() as any;
    const problems: string[] = [];
    if (final?.metadata?.name !== this.secretName || final?.metadata?.namespace !== this.namespace) {
      problems.push(
        `metadata must stay ${this.namespace}/${this.secretName}: the Tenant's spec.kes.kesSecret names it (got ${JSON.stringify(final?.metadata?.namespace)}/${JSON.stringify(final?.metadata?.name)})`,
      );
    }
    const keys = [...Object.keys(final?.data ?? {}), ...Object.keys(final?.stringData ?? {})].filter(
      (k) => k !== KES_CONFIG_KEY,
    );
    if (keys.length > 0) {
      // Key names only: the values may be credentials.
      problems.push(
        `has keys other than ${KES_CONFIG_KEY} (${[...new Set(keys)].join(', ')}): the operator mounts only ${KES_CONFIG_KEY}, and the Secret must hold no credential`,
      );
    }
    const text = configOf(final);
    if (text === undefined) {
      problems.push(`has no ${KES_CONFIG_KEY} in stringData or data`);
      return problems;
    }
    if (text === this.configYaml) {
      // Unpatched: renderKesConfig already checked this very config against every KES rule at construction (the
      // YAML parsing back to that model is proven in test/kes), so it is not parsed again for every tenant.
      return problems;
    }
    let parsed: unknown;
    try {
      parsed = parse(text);
    } catch (e) {
      problems.push(`${KES_CONFIG_KEY} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
      return problems;
    }
    problems.push(...checkKesConfig(parsed, spec));
    return problems;
  }
}

function configOf(secret: any): string | undefined {
  const text = secret?.stringData?.[KES_CONFIG_KEY];
  if (typeof text === 'string') {
    return text;
  }
  const data = secret?.data?.[KES_CONFIG_KEY];
  return typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : undefined;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
