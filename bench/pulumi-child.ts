/**
 * Child process of `npm run bench` for the Pulumi pair, each run cold in its own process:
 * - `load`: require `@pulumi/pulumi`, the library (`lib`, `lib/azure`, `lib/pulumi`) and the seed, then exit;
 * - `eval`: the same modules with `pulumi.runtime.setMocks` installed first (the test suite's mocks), then the seed
 *   `MinioSseStack`, and the process runs until every registration has reached the mock monitor (the event loop
 *   empties by itself: no sleeps). Prints `{ mode, resources }` on exit.
 *
 * argv[2]: `load` | `eval`; env BENCH_CRDS_DIR: the fixtures folder.
 */
import '@pulumi/pulumi'; // loaded first in both modes

const mode = process.argv[2];
if (mode !== 'load' && mode !== 'eval') {
  throw new Error(`mode must be load or eval, got ${JSON.stringify(mode)}`);
}
process.on('unhandledRejection', (e) => {
  console.error(e);
  process.exit(1);
});

let registered = (): number => 0;
if (mode === 'eval') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { installMocks } = require('../test/azure/mocks') as typeof import('../test/azure/mocks');
  const world = installMocks({
    newResource: (args) =>
      args.type === 'random:index/randomPassword:RandomPassword'
        ? { id: `${args.name}-id`, state: { ...args.inputs, result: 'bench-not-a-secret-0123456789abcdefXYZ' } }
        : undefined,
  });
  registered = () => world.resources.length;
}
// Loaded after setMocks in eval mode (the SDK reads the mock monitor when resources register).
/* eslint-disable @typescript-eslint/no-require-imports */
const lib = require('../lib') as typeof import('../lib');
const azure = require('../lib/azure') as typeof import('../lib/azure');
const stackModule = require('../lib/pulumi') as typeof import('../lib/pulumi');
const { seedDeclaration } = require('../examples/seed') as typeof import('../examples/seed');
/* eslint-enable @typescript-eslint/no-require-imports */

if (mode === 'eval') {
  new stackModule.MinioSseStack('minio-sse', {
    declaration: seedDeclaration(),
    azure: {
      existingVault: {
        resourceGroupName: 'rg-minio',
        vaultName: 'minio-kes-example',
        accessMode: azure.KeyVaultAccessMode.RBAC,
      },
      clientSecrets: [{ name: 'primary', startDate: new Date().toISOString().slice(0, 10) }],
    },
    crds: lib.OperatorCrds.fromDirectory(process.env.BENCH_CRDS_DIR!),
  });
}
process.on('exit', () => {
  process.stdout.write(`${JSON.stringify({ mode, resources: registered() })}\n`);
});
