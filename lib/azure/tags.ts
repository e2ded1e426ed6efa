import * as pulumi from '@pulumi/pulumi';
import { Problem, describe, fieldPath, isRecord } from '../declaration/problems';

/**
 * Azure tag limits (Microsoft Learn, "Use tags to organize your Azure resources and management hierarchy",
 * Limitations): at most 50 tag name/value pairs per resource; a tag name of at most 512 characters (128 for
 * storage accounts), a value of at most 256; names may not contain `<`, `>`, `%`, `&`, `\`, `?` or `/`.
 */
export const AZURE_TAG_LIMITS = { maxTags: 50, maxNameLength: 512, maxValueLength: 256 } as const;

const FORBIDDEN_IN_NAME = /[<>%&\\?/]/;

/** A value resolved later (an Output or a Promise): checked by Azure at deployment, not here. */
function isDeferred(v: unknown): boolean {
  try {
    return pulumi.Output.isInstance(v) || v instanceof Promise;
  } catch {
    return false;
  }
}

/**
 * The problems of an Azure `tags` argument: `undefined` or an Output passes; otherwise a plain object of at most
 * {@link AZURE_TAG_LIMITS}.maxTags entries, each name 1–512 characters without `< > % & \ ? /`, each value a string
 * (or an Output) of at most 256 characters. Values are never shown (a tag may hold anything); names are shown
 * quoted and capped. Pure; never throws.
 * @param path where the tags are, e.g. `newVault.tags`
 */
export function checkAzureTags(tags: unknown, path: string): Problem[] {
  if (tags === undefined || isDeferred(tags)) {
    return [];
  }
  if (!isRecord(tags)) {
    return [{ path, message: `${describe(tags)} must be an object of tag names to string values` }];
  }
  const problems: Problem[] = [];
  const names = Object.keys(tags);
  if (names.length > AZURE_TAG_LIMITS.maxTags) {
    problems.push({
      path,
      message: `has ${names.length} tags: Azure allows at most ${AZURE_TAG_LIMITS.maxTags} per resource`,
    });
  }
  for (const name of names.slice(0, AZURE_TAG_LIMITS.maxTags + 1)) {
    const at = fieldPath(path, name, true);
    if (name.length === 0 || name.length > AZURE_TAG_LIMITS.maxNameLength) {
      problems.push({ path: at, message: `tag name must be 1 to ${AZURE_TAG_LIMITS.maxNameLength} characters` });
    } else if (FORBIDDEN_IN_NAME.test(name)) {
      problems.push({ path: at, message: 'tag name must not contain <, >, %, &, \\, ? or / (Azure tag rules)' });
    }
    const value = tags[name];
    if (isDeferred(value)) {
      continue;
    }
    if (typeof value !== 'string') {
      problems.push({ path: at, message: `${describe(value)} must be a string (a tag value)` });
    } else if (value.length > AZURE_TAG_LIMITS.maxValueLength) {
      problems.push({
        path: at,
        message: `a tag value of ${value.length} characters (not shown) is longer than the ${AZURE_TAG_LIMITS.maxValueLength} Azure allows`,
      });
    }
  }
  return problems;
}
