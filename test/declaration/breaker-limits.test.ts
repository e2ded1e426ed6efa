import { seedDeclaration } from '../../examples/seed';
import { MinioSseDeclaration, validateDeclaration } from '../../lib';

const seed = seedDeclaration() as MinioSseDeclaration & Record<string, any>;

describe('limits found by the adversarial run', () => {
  test('fails when the KES pod annotations total more than 256 KiB (Kubernetes TotalAnnotationSizeLimitB)', () => {
    const podAnnotations = Object.fromEntries(Array.from({ length: 17 }, (_v, i) => [`k${i}`, 'y'.repeat(16000)]));
    expect(validateDeclaration({ ...seed, kes: { ...seed.kes, podAnnotations } })).toEqual([
      {
        path: 'kes.podAnnotations',
        message:
          'total 272041 bytes of annotation names and values; Kubernetes allows at most 262144 (256 KiB) per object, and the KES pods would be refused',
      },
    ]);
  });

  test('accepts annotations just under 256 KiB', () => {
    const podAnnotations = Object.fromEntries(Array.from({ length: 16 }, (_v, i) => [`k${i}`, 'y'.repeat(16000)]));
    expect(validateDeclaration({ ...seed, kes: { ...seed.kes, podAnnotations } })).toEqual([]);
  });

  test('fails when servers x volumesPerServer exceeds 2^31 - 1 drives', () => {
    const pool = { ...seed.tenant.pools[0], servers: 2147483647, volumesPerServer: 2147483647 };
    expect(validateDeclaration({ ...seed, tenant: { ...seed.tenant, pools: [pool] } })).toEqual([
      {
        path: 'tenant.pools[0]',
        message:
          '2147483647 servers x 2147483647 volumes = 4611686014132420609 drives, more than the 2147483647 (2^31 - 1) a pool can have (servers and volumesPerServer are int32 in the Tenant CRD)',
      },
    ]);
  });

  test.each([
    ['the KES credentials Secret', 'kes-azure-credentials', 'kes.auth.secretName'],
    ['the root config Secret', seed.tenant.configurationSecretName, 'tenant.configurationSecretName'],
  ])('fails when imagePullSecrets names %s', (_what, name, field) => {
    expect(validateDeclaration({ ...seed, imagePullSecrets: [name] })).toEqual([
      {
        path: 'imagePullSecrets[0]',
        message: `names the Secret of ${field}, which holds credentials: the kubelet would send it to the registry as a pull secret; give the registry's own docker-registry Secret`,
      },
    ]);
  });

  test('accepts a registry pull Secret of its own', () => {
    expect(validateDeclaration({ ...seed, imagePullSecrets: ['acr-pull'] })).toEqual([]);
  });
});
