/** Shared helpers of the test/kes tests: declarations resolved from the seed, and its KES config rendered and parsed. */
import { parse } from 'yaml';
import { seedDeclaration } from '../../examples/seed';
import { renderKesConfig } from '../../lib/kes';
import { MinioSseDeclaration, OperatorRelease, ResolvedDeclaration, resolveDeclaration } from '../../lib/declaration';

export const TENANT_ID = '11111111-2222-3333-4444-555555555555';
export const CLIENT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const SEED_ALLOW = [
  '/v1/key/create/*',
  '/v1/key/generate/*',
  '/v1/key/decrypt/*',
  '/v1/key/bulk/decrypt/*',
  '/v1/key/list/*',
  '/v1/status',
  '/v1/metrics',
  '/v1/api',
];

/** A parsed YAML mapping, mutable for planting faults. */
export type AnyRec = Record<string, any>;

export function resolveWith(
  release: OperatorRelease,
  kes: Partial<MinioSseDeclaration['kes']> = {},
  rest: Partial<MinioSseDeclaration> = {},
): ResolvedDeclaration {
  const seed = seedDeclaration({ release });
  return resolveDeclaration({ ...seed, ...rest, kes: { ...seed.kes, ...kes } });
}

/** Render and parse back. */
export function rendered(spec: ResolvedDeclaration): { text: string; config: AnyRec } {
  const text = renderKesConfig(spec);
  return { text, config: parse(text) as AnyRec };
}

/** A deep, mutable copy of the seed config as parsed YAML, for planting faults. */
export function seedConfig(spec: ResolvedDeclaration): AnyRec {
  return parse(renderKesConfig(spec)) as AnyRec;
}
