/**
 * Helpers for reading a KES config that may be arbitrary parsed YAML (e.g. after an escape-hatch patch): narrowing
 * `unknown` to a mapping, `${VAR}` references, and how a value is shown in a problem message. Internal to lib/kes
 * (not exported by its index).
 */
import { FieldKind, describe, display, escapeText } from '../declaration/problems';

/** A whole-value `${VAR}` reference, the only form KES expands (minio/kes `kesconf/config.go` `env[T].UnmarshalYAML`, tag 2025-03-12T09-35-18Z). */
export const ENV_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** A parsed YAML mapping. */
export type Rec = Record<string, unknown>;

/** Records one problem: a path into the config and a reason. */
export type Add = (path: string, message: string) => void;

/** Whether a parsed value is a YAML mapping (not null, not a list). */
export function isRec(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A config value as shown in a message: the shared display policy for names (escaped, capped); never a credential. */
export function show(x: unknown): string {
  if (x === undefined) {
    return 'missing';
  }
  if (typeof x === 'string' || x === null || typeof x !== 'object') {
    return display(x, FieldKind.NAME);
  }
  // Lists and mappings of config values (patterns, identities): compact JSON, escaped and capped.
  let text: string;
  try {
    text = JSON.stringify(x) ?? describe(x);
  } catch {
    text = describe(x);
  }
  return escapeText(text.length > 120 ? `${text.slice(0, 117)}...` : text);
}

/** The `${name}` reference text. */
export function envRef(name: string): string {
  return `\${${name}}`;
}
