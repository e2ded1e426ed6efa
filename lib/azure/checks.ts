/**
 * What the checks of the Azure arguments share: Outputs and Promises left uninspected, the value display (the
 * declaration layer's `display`, with Outputs and Promises named), unknown fields and booleans.
 */
import * as pulumi from '@pulumi/pulumi';
import { Problem } from '../declaration/validate';
import { FieldKind, display, isShowableKey as isShowableFieldName } from '../declaration/problems';

export const DAY_MS = 86_400_000;

export function isDeferred(value: unknown): boolean {
  return pulumi.Output.isInstance(value) || value instanceof Promise;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A value as shown in a message when it is not a string: Outputs and Promises by name, anything else as the shared
 * display policy describes it (`lib/declaration/problems.ts`). Never throws.
 */
export function showNonString(value: unknown): string {
  if (isDeferred(value)) {
    return pulumi.Output.isInstance(value) ? 'an Output' : 'a Promise';
  }
  return display(value, FieldKind.SECRET);
}

/** A string as shown: quoted, escaped, at most 40 characters of it (the shared display policy for names). */
export function quoted(value: string): string {
  return display(value, FieldKind.NAME);
}

/** An invalid value of a field that could receive a secret pasted by mistake: {@link FieldKind.SECRET}. */
export function show(value: unknown): string {
  return typeof value === 'string' ? display(value, FieldKind.SECRET) : showNonString(value);
}

/** An invalid value of an enum, boolean or number field: {@link FieldKind.WORD}. */
export function showWord(value: unknown): string {
  return typeof value === 'string' ? display(value, FieldKind.WORD) : showNonString(value);
}

/** An invalid value of a date field: {@link FieldKind.DATE}. */
export function showDate(value: unknown): string {
  return typeof value === 'string' ? display(value, FieldKind.DATE) : showNonString(value);
}

/** A field name that may be shown in a path (the shared display policy). */
export function isShowableKey(key: string): boolean {
  return isShowableFieldName(key);
}

export function checkKeys(
  problems: Problem[],
  obj: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key) && obj[key] !== undefined) {
      if (isShowableKey(key)) {
        problems.push({
          path: path ? `${path}.${key}` : key,
          message: `unknown field; expected one of ${allowed.join(', ')}`,
        });
      } else {
        problems.push({
          path: path || 'args',
          message: `a field whose name is not shown (it may be a secret pasted by mistake) is unknown; expected one of ${allowed.join(', ')}`,
        });
      }
    }
  }
}

export function checkBoolean(problems: Problem[], value: unknown, path: string): void {
  if (value !== undefined && typeof value !== 'boolean') {
    problems.push({ path, message: `${showWord(value)} must be a boolean` });
  }
}

/** `null` counts as absent, like `undefined`: both say "not this kind of vault". */
export function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null;
}
