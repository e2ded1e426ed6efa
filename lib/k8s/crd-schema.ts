import { createHash } from 'node:crypto';
import type { ErrorObject, ValidateFunction } from 'ajv';

/** A JSON value as a CRD schema holds it (YAML core-schema data). */
type SchemaNode = Record<string, unknown>;

/**
 * Validate custom resources against a CRD's `openAPIV3Schema` the way the API server does with
 * `kubectl apply --validate=strict`: types, required fields, enums, and unknown fields (an object schema with
 * `properties` and neither `additionalProperties` nor `x-kubernetes-preserve-unknown-fields` refuses other keys).
 * `x-kubernetes-*` extensions and formats such as `int32` are not enforced. The verdict and every message are Ajv's
 * (JSON Schema draft-07, `allErrors`).
 *
 * Compiling the Tenant CRD schema with Ajv costs about 0.3–1 s of CPU, far more than one synthesis, so a schema made
 * only of the keywords below is first checked by a small interpreter that walks the object, not the schema:
 * `type` (with OpenAPI `nullable`), `properties`, `required`, `additionalProperties`, `items` (one schema), `anyOf`,
 * `allOf`, `enum` (scalar values), `pattern` (a Unicode RegExp, as Ajv's default `unicodeRegExp`), `minLength`/
 * `maxLength` (code points), `minItems`/`maxItems`, `minimum`/`maximum`, and the annotations `description`, `title`,
 * `default`, `example`, `format` and `x-kubernetes-*` (ignored, as Ajv does with `validateFormats: false` and
 * `strict: false`). It only ever answers "valid": when it finds a problem, Ajv is compiled and its errors are
 * returned, so the result is Ajv's in every case. A schema with any other keyword (or a malformed one) is compiled
 * with Ajv at once, as before.
 */
export class CrdSchemaValidator {
  private static readonly compiled = new WeakMap<object, CrdSchemaValidator>();
  private static readonly byDigest = new Map<string, CrdSchemaValidator>();

  /**
   * A validator for `openApiV3Schema`, built once per schema digest (SHA-256 of its JSON) in a process: the same
   * object is found without hashing, an equal copy by its digest.
   * @throws Error when the schema cannot be compiled by Ajv
   */
  public static forSchema(openApiV3Schema: SchemaNode): CrdSchemaValidator {
    let v = CrdSchemaValidator.compiled.get(openApiV3Schema);
    if (!v) {
      const digest = createHash('sha256').update(JSON.stringify(openApiV3Schema)).digest('hex');
      v = CrdSchemaValidator.byDigest.get(digest);
      if (!v) {
        v = new CrdSchemaValidator(openApiV3Schema);
        CrdSchemaValidator.byDigest.set(digest, v);
      }
      CrdSchemaValidator.compiled.set(openApiV3Schema, v);
    }
    return v;
  }

  private readonly schema: unknown;
  /** Whether every keyword of the schema is one the interpreter evaluates exactly as Ajv. */
  private readonly interpretable: boolean;
  private validateFn: ValidateFunction | undefined;

  /**
   * @param openApiV3Schema the `spec.versions[].schema.openAPIV3Schema` of a CRD
   * @throws Error when the schema uses keywords the interpreter does not know and Ajv cannot compile it
   */
  constructor(openApiV3Schema: SchemaNode) {
    this.schema = strictify(structuredClone(openApiV3Schema));
    this.interpretable = interpretable(this.schema);
    if (!this.interpretable) {
      this.validateFn = compileWithAjv(this.schema);
    }
  }

  /**
   * Validate one object (its `apiVersion`, `kind` and `metadata` are skipped by the CRD schema itself).
   * @returns one line per problem, `<json path>: <message>`; empty when valid
   */
  public validate(obj: unknown): string[] {
    if (this.interpretable && valid(this.schema, obj)) {
      return [];
    }
    this.validateFn ??= compileWithAjv(this.schema);
    if (this.validateFn(obj)) {
      return [];
    }
    return (this.validateFn.errors ?? []).map(formatError);
  }
}

function compileWithAjv(schema: unknown): ValidateFunction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: a valid object never pays for loading Ajv
  const { default: Ajv } = require('ajv') as typeof import('ajv');
  // `code.optimize: false` skips Ajv's generated-code optimisation passes: same checks, about a third less compile time.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { optimize: false } });
  return ajv.compile(schema as SchemaNode);
}

function formatError(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(root)' : e.instancePath;
  const params = e.params as { additionalProperty?: string; allowedValues?: unknown };
  if (e.keyword === 'additionalProperties') {
    return `${where}: unknown field ${JSON.stringify(params.additionalProperty)}`;
  }
  if (e.keyword === 'enum') {
    return `${where}: ${e.message} ${JSON.stringify(params.allowedValues)}`;
  }
  return `${where}: ${e.message}`;
}

/** Adds `additionalProperties: false` where the API server would prune or reject unknown fields. */
function strictify(schema: unknown): unknown {
  if (schema === null || typeof schema !== 'object') {
    return schema;
  }
  if (Array.isArray(schema)) {
    return schema.map(strictify);
  }
  const node = schema as SchemaNode;
  for (const [k, v] of Object.entries(node)) {
    if (k !== 'enum' && k !== 'default' && k !== 'example') {
      node[k] = strictify(v);
    }
  }
  if (
    node.type === 'object' &&
    node.properties &&
    node.additionalProperties === undefined &&
    node['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    node.additionalProperties = false;
  }
  return node;
}

// ---- The interpreter. Each check mirrors the code Ajv 8 generates (ajv/dist/compile/validate/dataType.js,
// ajv/dist/vocabularies/*), with the options above: `strictNumbers` off (`strict: false`), `ownProperties` off (a
// property is present when it is not `undefined`), Unicode patterns and code-point string lengths.

const JSON_TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);
const ANNOTATIONS_STRING = new Set(['description', 'title', 'format']);
const ANNOTATIONS_ANY = new Set(['default', 'example']);
const COUNTS = new Set(['minLength', 'maxLength', 'minItems', 'maxItems']);
const BOUNDS = new Set(['minimum', 'maximum']);
const patterns = new WeakMap<SchemaNode, RegExp>();

const isNode = (x: unknown): x is SchemaNode => x !== null && typeof x === 'object' && !Array.isArray(x);
const isSchema = (x: unknown): boolean => typeof x === 'boolean' || isNode(x);

/** Whether every keyword of `schema` (recursively) is one {@link valid} evaluates, in a form Ajv accepts. */
function interpretable(schema: unknown): boolean {
  if (typeof schema === 'boolean') {
    return true;
  }
  if (!isNode(schema)) {
    return false;
  }
  const types = schemaTypes(schema);
  if (types === undefined) {
    return false;
  }
  for (const [k, v] of Object.entries(schema)) {
    if (k.startsWith('x-kubernetes-') || ANNOTATIONS_ANY.has(k)) {
      continue;
    }
    if (ANNOTATIONS_STRING.has(k)) {
      if (typeof v !== 'string') return false;
    } else if (k === 'type' || k === 'nullable') {
      // checked by schemaTypes
    } else if (k === 'properties') {
      if (!isNode(v) || !Object.values(v).every(interpretable)) return false;
    } else if (k === 'additionalProperties' || k === 'items') {
      if (!isSchema(v) || !interpretable(v)) return false;
    } else if (k === 'anyOf' || k === 'allOf') {
      if (!Array.isArray(v) || v.length === 0 || !v.every((s) => isSchema(s) && interpretable(s))) return false;
    } else if (k === 'required') {
      if (!Array.isArray(v) || !v.every((p) => typeof p === 'string') || new Set(v).size !== v.length) return false;
    } else if (k === 'enum') {
      if (!Array.isArray(v) || v.length === 0 || !v.every((e) => e === null || typeof e !== 'object')) return false;
    } else if (k === 'pattern') {
      if (typeof v !== 'string') return false;
      try {
        patterns.set(schema, new RegExp(v, 'u'));
      } catch {
        return false;
      }
    } else if (COUNTS.has(k)) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return false;
    } else if (BOUNDS.has(k)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
    } else {
      return false;
    }
  }
  return true;
}

/** The types `schema` allows (with `nullable: true` adding `null`), `[]` for any; `undefined` when Ajv refuses it. */
function schemaTypes(schema: SchemaNode): string[] | undefined {
  const t = schema.type;
  const types = t === undefined ? [] : Array.isArray(t) ? t : [t];
  if (!types.every((x) => typeof x === 'string' && JSON_TYPES.has(x)) || new Set(types).size !== types.length) {
    return undefined;
  }
  const n = schema.nullable;
  if (n !== undefined && (typeof n !== 'boolean' || types.length === 0 || (n === false && types.includes('null')))) {
    return undefined;
  }
  return n === true && !types.includes('null') ? [...types, 'null'] : (types as string[]);
}

function hasType(type: string, data: unknown): boolean {
  switch (type) {
    case 'null':
      return data === null;
    case 'array':
      return Array.isArray(data);
    case 'object':
      return isNode(data);
    case 'integer':
      return typeof data === 'number' && !(data % 1) && !isNaN(data);
    default:
      return typeof data === type;
  }
}

/** Whether `data` satisfies `schema` (one that {@link interpretable} accepted), as Ajv would decide. */
function valid(schema: unknown, data: unknown): boolean {
  if (typeof schema === 'boolean') {
    return schema;
  }
  const s = schema as SchemaNode;
  const types = schemaTypes(s)!;
  if (types.length > 0 && !types.some((t) => hasType(t, data))) {
    return false;
  }
  if (s.enum !== undefined && !(s.enum as unknown[]).some((e) => e === data)) {
    return false;
  }
  if (s.anyOf !== undefined && !(s.anyOf as unknown[]).some((sub) => valid(sub, data))) {
    return false;
  }
  if (s.allOf !== undefined && !(s.allOf as unknown[]).every((sub) => valid(sub, data))) {
    return false;
  }
  if (typeof data === 'string') {
    return validString(s, data);
  }
  if (typeof data === 'number') {
    return (
      (s.minimum === undefined || data >= (s.minimum as number)) &&
      (s.maximum === undefined || data <= (s.maximum as number))
    );
  }
  if (Array.isArray(data)) {
    return validArray(s, data);
  }
  if (isNode(data)) {
    return validObject(s, data);
  }
  return true;
}

function validString(s: SchemaNode, data: string): boolean {
  if (s.minLength !== undefined || s.maxLength !== undefined) {
    const length = [...data].length;
    if (
      length < ((s.minLength as number | undefined) ?? 0) ||
      length > ((s.maxLength as number | undefined) ?? Infinity)
    ) {
      return false;
    }
  }
  const re = patterns.get(s);
  return re === undefined || re.test(data);
}

function validArray(s: SchemaNode, data: unknown[]): boolean {
  if (
    data.length < ((s.minItems as number | undefined) ?? 0) ||
    data.length > ((s.maxItems as number | undefined) ?? Infinity)
  ) {
    return false;
  }
  return s.items === undefined || data.every((item) => valid(s.items, item));
}

function validObject(s: SchemaNode, data: SchemaNode): boolean {
  if (s.required !== undefined && (s.required as string[]).some((p) => data[p] === undefined)) {
    return false;
  }
  const props = s.properties as SchemaNode | undefined;
  if (props !== undefined) {
    for (const p of Object.keys(props)) {
      if (data[p] !== undefined && !valid(props[p], data[p])) {
        return false;
      }
    }
  }
  const extra = s.additionalProperties;
  if (extra !== undefined && extra !== true) {
    for (const key in data) {
      if ((props === undefined || !Object.prototype.hasOwnProperty.call(props, key)) && !valid(extra, data[key])) {
        return false;
      }
    }
  }
  return true;
}
