import { createHash } from 'node:crypto';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';

/**
 * Validate custom resources against a CRD's `openAPIV3Schema` the way the API server does with
 * `kubectl apply --validate=strict`: types, required fields, enums, and unknown fields (an object schema with
 * `properties` and neither `additionalProperties` nor `x-kubernetes-preserve-unknown-fields` refuses other keys).
 * `x-kubernetes-*` extensions and formats such as `int32` are not enforced. Uses Ajv (JSON Schema draft-07).
 */
export class CrdSchemaValidator {
  private static readonly compiled = new WeakMap<object, CrdSchemaValidator>();
  private static readonly byDigest = new Map<string, CrdSchemaValidator>();

  /**
   * A validator for `openApiV3Schema`, compiled once per schema digest (SHA-256 of its JSON) in a process: the same
   * object is found without hashing, an equal copy by its digest. Compiling the v7.1.1 Tenant CRD schema takes
   * roughly 0.3–1 s.
   */
  public static forSchema(openApiV3Schema: Record<string, any>): CrdSchemaValidator {
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

  private readonly validateFn: ValidateFunction;

  /**
   * @param openApiV3Schema the `spec.versions[].schema.openAPIV3Schema` of a CRD
   * @throws Error when the schema cannot be compiled
   */
  constructor(openApiV3Schema: Record<string, any>) {
    // `code.optimize: false` skips Ajv's generated-code optimisation passes: same checks, about a third less compile time.
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { optimize: false } });
    this.validateFn = ajv.compile(strictify(structuredClone(openApiV3Schema)));
  }

  /**
   * Validate one object (its `apiVersion`, `kind` and `metadata` are skipped by the CRD schema itself).
   * @returns one line per problem, `<json path>: <message>`; empty when valid
   */
  public validate(obj: unknown): string[] {
    if (this.validateFn(obj)) {
      return [];
    }
    return (this.validateFn.errors ?? []).map(formatError);
  }
}

function formatError(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(root)' : e.instancePath;
  if (e.keyword === 'additionalProperties') {
    return `${where}: unknown field ${JSON.stringify((e.params as any).additionalProperty)}`;
  }
  if (e.keyword === 'enum') {
    return `${where}: ${e.message} ${JSON.stringify((e.params as any).allowedValues)}`;
  }
  return `${where}: ${e.message}`;
}

/** Adds `additionalProperties: false` where the API server would prune or reject unknown fields. */
function strictify(schema: any): any {
  if (schema === null || typeof schema !== 'object') {
    return schema;
  }
  if (Array.isArray(schema)) {
    return schema.map(strictify);
  }
  for (const [k, v] of Object.entries(schema)) {
    if (k !== 'enum' && k !== 'default' && k !== 'example') {
      schema[k] = strictify(v);
    }
  }
  if (
    schema.type === 'object' &&
    schema.properties &&
    schema.additionalProperties === undefined &&
    schema['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    schema.additionalProperties = false;
  }
  return schema;
}
