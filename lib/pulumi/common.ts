import * as pulumi from '@pulumi/pulumi';

/** Freeze a value deeply: what is validated is what is applied, even if a caller touches the arrays afterwards. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.values(value as Record<string, unknown>).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/**
 * Options giving a child an alias under `legacyParent`: the URN it had when it was a direct child of that resource
 * (Pulumi derives the aliases of the child's own children from it).
 */
export function legacyAliases(
  legacyParent: pulumi.Resource | undefined,
): Pick<pulumi.CustomResourceOptions, 'aliases'> {
  return legacyParent ? { aliases: [{ parent: legacyParent }] } : {};
}
