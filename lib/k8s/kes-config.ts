import { createHash } from 'node:crypto';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { OperatorRelease } from '../declaration';
import { standardLabels } from './common';

/** Props of {@link KesConfigSecret}. */
export interface KesConfigSecretProps {
  /** Operator release (the `app.kubernetes.io/version` label). */
  readonly release: OperatorRelease;
  /** Secret name; the Tenant's `spec.kes.kesSecret` names it. */
  readonly secretName: string;
  /** Namespace of the Secret: the Tenant's namespace. */
  readonly namespace: string;
  /** Tenant the Secret belongs to (the `app.kubernetes.io/part-of` label). */
  readonly tenantName: string;
  /**
   * KES's `server-config.yaml`, as `renderKesConfig` renders it (checked against every KES rule there). It must
   * hold no credential: every Azure value a `${VAR}` reference KES expands from its env.
   */
  readonly config: string;
  /**
   * The KES rules a patched config is checked against at synth time (given the parsed YAML; returns one message
   * per broken rule), e.g. `(parsed) => checkKesConfig(parsed, resolved)`. Not called for an unpatched config,
   * which its renderer already checked.
   * @default - a patched config is only checked to parse as YAML
   */
  readonly checkConfig?: (config: unknown) => readonly string[];
}

/**
 * The one key of the KES config Secret; the only key the operator mounts (minio/operator
 * `pkg/resources/statefulsets/kes-statefulset.go`, the `kesSecret` volume items, at v5.0.4 and v7.1.1).
 */
export const KES_CONFIG_KEY = 'server-config.yaml';

/**
 * The Secret the operator mounts into KES (`spec.kes.kesSecret`): one key, `server-config.yaml` (the only key
 * the operator projects, minio/operator `pkg/resources/statefulsets/kes-statefulset.go` at v5.0.4 and v7.1.1),
 * given as `config` (rendered by `renderKesConfig`). It holds no credential: every Azure value is a `${VAR}`
 * reference that KES expands from the env the Tenant feeds it.
 *
 * Escape hatch: `apiObject.addJsonPatch(…)`. The final object (patches applied) is checked again at synth time with
 * the KES rules of `checkConfig`: synth fails when a patched config breaks one (e.g. both `credentials` and
 * `managed_identity`, with `checkKesConfig`), when the Secret is renamed or moved, or when it gains another key. The config bytes are read
 * from `stringData["server-config.yaml"]`, else from base64 `data["server-config.yaml"]` (the API server lets
 * `stringData` win). {@link finalConfigSha256} is the hash the Tenant puts on the KES pods.
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
    this.secretName = props.secretName;
    this.namespace = props.namespace;
    // The renderer checked the config against every KES rule; the final (patched) Secret is checked at synth time
    // by the validation below — not twice per tenant.
    this.configYaml = props.config;
    this.configSha256 = sha256(this.configYaml);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: this.secretName,
        namespace: props.namespace,
        labels: standardLabels('kes', props.release, props.tenantName),
      },
      type: 'Opaque',
      stringData: { [KES_CONFIG_KEY]: this.configYaml },
    });
    this.node.addValidation({
      validate: () =>
        this.finalProblems(props.checkConfig).map(
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

  private finalProblems(checkConfig: KesConfigSecretProps['checkConfig']): string[] {
    const final = rec(this.apiObject.toJson());
    const metadata = rec(final.metadata);
    const problems: string[] = [];
    if (metadata.name !== this.secretName || metadata.namespace !== this.namespace) {
      problems.push(
        `metadata must stay ${this.namespace}/${this.secretName}: the Tenant's spec.kes.kesSecret names it (got ${JSON.stringify(metadata.namespace)}/${JSON.stringify(metadata.name)})`,
      );
    }
    const keys = [...Object.keys(rec(final.data)), ...Object.keys(rec(final.stringData))].filter(
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
      // Unpatched: its renderer (renderKesConfig) already checked this very config against every KES rule (the YAML
      // parsing back to that model is proven in test/kes), so it is not parsed again for every tenant.
      return problems;
    }
    let parsed: unknown;
    try {
      parsed = parse(text);
    } catch (e) {
      problems.push(`${KES_CONFIG_KEY} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
      return problems;
    }
    problems.push(...(checkConfig ? checkConfig(parsed) : []));
    return problems;
  }
}

/** `value` when it is a plain object, else an empty record: for reading untyped JSON. */
function rec(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function configOf(secret: unknown): string | undefined {
  const text = rec(rec(secret).stringData)[KES_CONFIG_KEY];
  if (typeof text === 'string') {
    return text;
  }
  const data = rec(rec(secret).data)[KES_CONFIG_KEY];
  return typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : undefined;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
