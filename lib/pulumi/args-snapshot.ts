import * as pulumi from '@pulumi/pulumi';
import { OperatorCrds } from '../k8s/operator-crds';
import { Snapshot } from '../declaration/snapshot';
import { snapshotDeclaration } from '../declaration/validate';

/**
 * Pulumi component arguments read defensively into plain data (see `snapshot` in `lib/declaration/snapshot.ts`): getters
 * and proxies that throw, cycles, BigInt and class instances become problems or opaque values, while Outputs,
 * Promises, resources (providers, parents), CRD sources, release and auth objects are kept. Never throws.
 */
export function snapshotPulumiArgs(args: unknown): Snapshot {
  return snapshotDeclaration(
    args,
    (v) =>
      pulumi.Output.isInstance(v) || v instanceof Promise || pulumi.Resource.isInstance(v) || v instanceof OperatorCrds,
  );
}
