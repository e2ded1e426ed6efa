/**
 * The example's synthesis is the library's {@link synthesize}: validate everything, synthesize once into a
 * temporary folder, swap it in. Re-exported here so the example and its tests share one entry point.
 */
export { synthesize } from '../../lib';
export type { SynthesizeOptions as SynthOptions } from '../../lib';
