import * as fc from 'fast-check';
import { Testing } from 'cdk8s';
import { CrdSchemaValidator, MinioSseCharts, OperatorRelease } from '../../lib';
import { seedDeclaration } from '../../examples/seed';
import { fixtureCrds, tenantCrdSchema } from '../support/fixtures';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Node = Record<string, unknown>;

/** The seed's Tenant as synthesized for `release`. */
function seedTenant(release: OperatorRelease): Node {
  const charts = new MinioSseCharts(Testing.app(), { declaration: seedDeclaration({ release }), crds: fixtureCrds() });
  return Testing.synth(charts.tenantChart).find((o: Node) => o.kind === 'Tenant') as Node;
}

/** Every property path of the schema (`[]` stands for an array item, `extraKey` for an additional property) with
 * its schema, down to `depth` levels. */
function schemaPaths(
  schema: unknown,
  depth: number,
  prefix: string[] = [],
  out: [string[], Node][] = [],
): [string[], Node][] {
  if (depth === 0 || schema === null || typeof schema !== 'object') {
    return out;
  }
  const s = schema as Node;
  const visit = (seg: string, sub: unknown): void => {
    if (sub !== null && typeof sub === 'object') {
      out.push([[...prefix, seg], sub as Node]);
      schemaPaths(sub, depth - 1, [...prefix, seg], out);
    }
  };
  visit('[]', s.items);
  for (const [k, sub] of Object.entries((s.properties as Node | undefined) ?? {})) {
    visit(k, sub);
  }
  visit('extraKey', s.additionalProperties);
  for (const sub of (s.anyOf as unknown[]) ?? []) {
    schemaPaths(sub, depth - 1, prefix, out);
  }
  return out;
}

/** A copy of `obj` with `value` set at `path`, creating objects and one-item arrays on the way. */
function setPath(obj: Node, path: string[], value: Json): Node {
  const copy = structuredClone(obj);
  let cur: Node | unknown[] = copy;
  path.forEach((seg, i) => {
    const last = i === path.length - 1;
    const next = path[i + 1];
    const fresh = (): Json => (last ? value : next === '[]' ? [] : {});
    if (Array.isArray(cur)) {
      if (last) cur[0] = value;
      else if (cur[0] === null || typeof cur[0] !== 'object') cur[0] = fresh();
      cur = cur[0] as Node;
    } else {
      if (last) cur[seg] = value;
      else if (cur[seg] === null || typeof cur[seg] !== 'object') cur[seg] = fresh();
      cur = cur[seg] as Node;
    }
  });
  return copy;
}

const SAMPLES: Json[] = [
  '',
  'x',
  '1Gi',
  '100m',
  '-1',
  'true',
  0,
  1,
  -1,
  1.5,
  2 ** 40,
  true,
  false,
  null,
  {},
  [],
  ['a'],
  [{}],
];
const values: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...SAMPLES),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  fc.dictionary(
    fc.constantFrom('name', 'key', 'value', 'unknownField', 'claimName', 'storage'),
    fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>,
    { maxKeys: 3 },
  ),
);

describe.each(OperatorRelease.all().map((r) => [r.tag, r] as const))('Tenant CRD schema of %s', (_tag, release) => {
  const schema = tenantCrdSchema(release);
  const validator = CrdSchemaValidator.forSchema(schema);
  // `$comment` is a draft-07 keyword Ajv ignores, unknown to the interpreter: this validator always runs Ajv.
  const ajvOnly = new CrdSchemaValidator({ ...schema, $comment: 'reference: Ajv only' });
  const tenant = seedTenant(release);
  const all = schemaPaths(schema, 9);
  const paths = all.map(([p]) => p);
  // paths whose schema carries a keyword beyond type/properties, so each is hit often
  const keywordPaths = all
    .filter(([, s]) => ['pattern', 'minLength', 'enum', 'nullable', 'anyOf', 'required'].some((k) => k in s))
    .map(([p]) => p);

  test('a valid Tenant is accepted without compiling the schema with Ajv', () => {
    const fresh = new CrdSchemaValidator(schema);
    expect(fresh.validate(tenant)).toEqual([]);
    expect(Reflect.get(fresh, 'validateFn')).toBeUndefined();
    expect(Reflect.get(ajvOnly, 'validateFn')).toBeDefined();
    expect(ajvOnly.validate(tenant)).toEqual([]);
  });

  test('gives Ajv’s problems for any value at any schema path (differential, fast-check)', () => {
    expect(paths.length).toBeGreaterThan(100);
    let invalid = 0;
    fc.assert(
      fc.property(fc.constantFrom(...paths), values, (p, v) => {
        const obj = setPath(tenant, p, v);
        const expected = ajvOnly.validate(obj);
        if (expected.length > 0) invalid++;
        expect(validator.validate(obj)).toEqual(expected);
      }),
      { numRuns: 600 },
    );
    // the generator reaches both verdicts
    expect(invalid).toBeGreaterThan(50);
    expect(invalid).toBeLessThan(600);
  });

  test('gives Ajv’s problems for every sample value at every path with a pattern, length, enum, nullable, anyOf or required', () => {
    expect(keywordPaths.length).toBeGreaterThan(20);
    let invalid = 0;
    for (const p of keywordPaths) {
      for (const v of SAMPLES) {
        const obj = setPath(tenant, p, v);
        const expected = ajvOnly.validate(obj);
        if (expected.length > 0) invalid++;
        expect(validator.validate(obj)).toEqual(expected);
      }
    }
    expect(invalid).toBeGreaterThan(keywordPaths.length);
  });

  test('fails when a required field is missing, as Ajv reports it', () => {
    const obj = structuredClone(tenant) as { spec: Node };
    delete obj.spec.pools;
    expect(validator.validate(obj)).toEqual(["/spec: must have required property 'pools'"]);
  });
});
