import { installMocks, MockWorld } from '../azure/mocks';
import { fixtureCrds, operatorFixturesDir } from '../support/fixtures';

let world: MockWorld;
beforeAll(() => {
  world = installMocks({});
});
beforeEach(() => world.reset());

const today = () => new Date().toISOString().slice(0, 10);

// Imported lazily: the code under test must load after setMocks.
function lib() {
  return {
    ...require('../../lib/pulumi'),
    ...require('../../lib'),
    k8s: require('@pulumi/kubernetes'),
    azure: require('@pulumi/azure-native'),
  };
}

function stackArgs(overrides: Record<string, unknown> = {}) {
  const { seedDeclaration } = require('../../examples/seed');
  return {
    declaration: seedDeclaration(),
    azure: {
      existingVault: { resourceGroupName: 'rg-minio', vaultName: 'minio-kes-example', accessMode: 'accessPolicy' },
      clientSecrets: [{ name: 'primary', startDate: today() }],
    },
    crds: fixtureCrds(),
    ...overrides,
  };
}

function platformArgs(overrides: Record<string, unknown> = {}) {
  const { platformStackArgs } = require('../../examples/platform/pulumi/args');
  return {
    ...platformStackArgs({ crds: fixtureCrds(), accessMode: 'accessPolicy', startDate: today() }),
    ...overrides,
  };
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect((e as Error).constructor).toBe(Error);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

const CRDS = 'must be an OperatorCrds (OperatorCrds.fromRelease(), fromDirectory(…) or fromFiles(…))';
const PROVIDER =
  'must be a Kubernetes provider resource (new k8s.Provider(name, { kubeconfig }) from @pulumi/kubernetes)';

describe('Pulumi components: crds and kubernetesProvider of the wrong shape', () => {
  const badCrds: [string, unknown, string][] = [
    ['a string', 'x', 'a string'],
    ['a plain object', {}, 'an object'],
    ['a number', 5, '5'],
    [
      'a look-alike whose load throws',
      {
        load: () => {
          throw new TypeError('t');
        },
      },
      'an object',
    ],
  ];

  test.each(badCrds)('fails when MinioSseStack is given crds that is %s', (_what, crds, shown) => {
    expect(messageOf(() => new (lib().MinioSseStack)('s', stackArgs({ crds })))).toBe(
      `invalid MinioSseStack arguments (1 problem):\n  - crds: ${shown} ${CRDS}`,
    );
  });

  test.each(badCrds)('fails when MinioSseOperator is given crds that is %s', (_what, crds, shown) => {
    const { MinioSseOperator, OperatorRelease } = lib();
    expect(messageOf(() => new MinioSseOperator('o', { release: OperatorRelease.V7_1_1, crds }))).toBe(
      `invalid MinioSseOperator arguments (1 problem):\n  - crds: ${shown} ${CRDS}`,
    );
  });

  test.each(badCrds)('fails when MinioSsePlatformStack is given crds that is %s', (_what, crds, shown) => {
    expect(messageOf(() => new (lib().MinioSsePlatformStack)('p', platformArgs({ crds })))).toBe(
      `invalid MinioSsePlatformStack arguments (1 problem):\n  - crds: ${shown} ${CRDS}`,
    );
  });

  test('fails when MinioSseOperator is given an OperatorCrds subclass that throws, without its message', () => {
    const { MinioSseOperator, OperatorRelease, OperatorCrds } = lib();
    class Throwing extends OperatorCrds {
      load(): never {
        throw new TypeError('s3cr3t');
      }
    }
    const crds = Object.setPrototypeOf(OperatorCrds.fromDirectory(operatorFixturesDir()), Throwing.prototype);
    expect(messageOf(() => new MinioSseOperator('o', { release: OperatorRelease.V7_1_1, crds }))).toBe(
      'invalid MinioSseOperator arguments (1 problem):\n  - crds: the given CRD source threw a TypeError while loading the CRDs (message not shown); pass OperatorCrds.fromRelease(), fromDirectory(…) or fromFiles(…)',
    );
    expect(messageOf(() => new (lib().MinioSseStack)('s', stackArgs({ crds })))).toBe(
      'invalid MinioSseTenant arguments (1 problem):\n  - crds: the given CRD source threw a TypeError while loading the CRDs (message not shown); pass OperatorCrds.fromRelease(), fromDirectory(…) or fromFiles(…)',
    );
  });

  test.each([
    ['a string', 'x', 'a string'],
    ['a plain object', {}, 'an object'],
  ])('fails when MinioSseStack is given a kubernetesProvider that is %s', (_what, kubernetesProvider, shown) => {
    expect(messageOf(() => new (lib().MinioSseStack)('s', stackArgs({ kubernetesProvider })))).toBe(
      `invalid MinioSseStack arguments (1 problem):\n  - kubernetesProvider: ${shown} ${PROVIDER}`,
    );
  });

  test('fails when MinioSseOperator is given a provider of another package (azure-native)', () => {
    const { MinioSseOperator, OperatorRelease, azure } = lib();
    const kubernetesProvider = new azure.Provider('az');
    expect(
      messageOf(
        () => new MinioSseOperator('o', { release: OperatorRelease.V7_1_1, crds: fixtureCrds(), kubernetesProvider }),
      ),
    ).toBe(`invalid MinioSseOperator arguments (1 problem):\n  - kubernetesProvider: an object ${PROVIDER}`);
  });

  test('accepts a k8s.Provider', () => {
    const { MinioSseOperator, OperatorRelease, k8s } = lib();
    const kubernetesProvider = new k8s.Provider('k');
    expect(
      () => new MinioSseOperator('o', { release: OperatorRelease.V7_1_1, crds: fixtureCrds(), kubernetesProvider }),
    ).not.toThrow();
  });
});
