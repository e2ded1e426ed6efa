import { OperatorRelease, resolvePlatform, validatePlatform } from '../../lib';
import { platformDeclaration, teamTenant } from '../../examples/platform/platform';

const expectProblems = (decl: any, lines: string[]) => {
  expect(() => resolvePlatform(decl)).toThrow(
    `invalid MinIO SSE platform (${lines.length} problem${lines.length === 1 ? '' : 's'}):\n${lines.map((l) => `  - ${l}`).join('\n')}`,
  );
};

describe('cross-tenant validation', () => {
  test('the example platform is valid and resolves every tenant under the platform release', () => {
    expect(validatePlatform(platformDeclaration())).toEqual([]);
    const p = resolvePlatform(platformDeclaration({ release: OperatorRelease.V7_1_1 }));
    expect(p.tenants.map((t) => [t.tenant.name, t.release.tag, t.operatorNamespace])).toEqual([
      ['team-a', 'v7.1.1', 'minio-operator'],
      ['team-b', 'v7.1.1', 'minio-operator'],
      ['team-c', 'v7.1.1', 'minio-operator'],
    ]);
  });

  test('a platform with no tenant is valid (the operator alone)', () => {
    expect(resolvePlatform({ release: OperatorRelease.V5_0_4 }).tenants).toEqual([]);
  });

  test('fails when tenant names or namespaces repeat', () => {
    const a = teamTenant('team-a', 'vault-a');
    const b = teamTenant('team-b', 'vault-b');
    const sameName = { ...teamTenant('team-a', 'vault-x'), tenant: { ...a.tenant, namespace: 'other' } };
    const y = teamTenant('team-x', 'vault-y');
    const sameNs = { ...y, tenant: { ...y.tenant, namespace: 'team-b' } };
    expectProblems({ release: OperatorRelease.V5_0_4, tenants: [a, b, sameName, sameNs] }, [
      'tenants[2].tenant.name: "team-a" is also the name of tenants[0]: tenant names must be unique (each tenant has its own file, KES and Services)',
      'tenants[3].tenant.namespace: "team-b" is also the namespace of tenants[1]: each tenant needs its own namespace',
      'tenants[3].kes.auth.secretName: "kes-azure-credentials" is also tenants[1].kes.auth.secretName in namespace "team-b": Secret names must be unique per namespace',
    ]);
  });

  test('fails when tenants sharing a vault lack prefixes or have overlapping ones (case-insensitively)', () => {
    const tenants = [
      teamTenant('team-a', 'shared-vault', 'team-a-'),
      teamTenant('team-b', 'shared-vault'),
      teamTenant('team-c', 'SHARED-vault', 'TEAM-A-c-'),
      teamTenant('team-d', 'other-vault'),
    ];
    expectProblems({ release: OperatorRelease.V5_0_4, tenants }, [
      'tenants[1].kes.keyNamePrefix: is required: tenants[0], tenants[1], tenants[2] share vault "shared-vault"; each tenant in a shared vault needs its own key-name prefix, or its KES policy covers the other tenants\' EKs',
      'tenants[2].kes.keyNamePrefix: "TEAM-A-c-" overlaps "team-a-" of tenants[0] in the shared vault "shared-vault": no prefix may be a prefix of another (compared case-insensitively, as Key Vault names are)',
    ]);
  });

  test('fails when two tenants of a shared vault declare the same EK in different case', () => {
    const a = teamTenant('team-a', 'shared-vault');
    const b = teamTenant('team-b', 'shared-vault');
    const bUpper = { ...b, kes: { ...b.kes, defaultKeyName: 'Default-Key' } };
    const problems = validatePlatform({ release: OperatorRelease.V5_0_4, tenants: [a, bUpper] });
    expect(problems).toContainEqual({
      path: 'tenants[1].kes.defaultKeyName',
      message:
        'EK "Default-Key" is also an EK of tenants[0] in the shared vault "shared-vault" (Key Vault names are case-insensitive): each EK belongs to one tenant',
    });
    expect(problems).toContainEqual({
      path: 'tenants[1].buckets[0].encryptionKey',
      message:
        'EK "data-key" is also an EK of tenants[0] in the shared vault "shared-vault" (Key Vault names are case-insensitive): each EK belongs to one tenant',
    });
  });

  test('tenants in different vaults may use the same EK names and no prefix', () => {
    expect(
      validatePlatform({
        release: OperatorRelease.V5_0_4,
        tenants: [teamTenant('team-a', 'vault-a'), teamTenant('team-b', 'vault-b')],
      }),
    ).toEqual([]);
  });

  test('fails when Secret names collide in one namespace (reported with the namespace clash)', () => {
    const a = teamTenant('team-a', 'vault-a');
    const b = teamTenant('team-b', 'vault-b');
    const bInA = {
      ...b,
      tenant: { ...b.tenant, namespace: 'team-a', configurationSecretName: 'team-a-env-configuration' },
    };
    expectProblems({ release: OperatorRelease.V5_0_4, tenants: [a, bInA] }, [
      'tenants[1].tenant.namespace: "team-a" is also the namespace of tenants[0]: each tenant needs its own namespace',
      'tenants[1].tenant.configurationSecretName: "team-a-env-configuration" is also tenants[0].tenant.configurationSecretName in namespace "team-a": Secret names must be unique per namespace',
      'tenants[1].kes.auth.secretName: "kes-azure-credentials" is also tenants[0].kes.auth.secretName in namespace "team-a": Secret names must be unique per namespace',
    ]);
  });

  test('fails when a tenant names another release, operator namespace or cluster domain', () => {
    const a = teamTenant('team-a', 'vault-a');
    const b = {
      ...teamTenant('team-b', 'vault-b'),
      release: OperatorRelease.V7_1_1,
      operatorNamespace: 'other-operator',
    };
    const c0 = teamTenant('team-c', 'vault-c');
    const c = { ...c0, tenant: { ...c0.tenant, clusterDomain: 'corp.example' } };
    expectProblems({ release: OperatorRelease.V5_0_4, tenants: [a, b, c] }, [
      'tenants[1].release: "v7.1.1" differs from the platform\'s operator release "v5.0.4": one operator serves every tenant',
      'tenants[1].operatorNamespace: "other-operator" differs from the platform\'s operator namespace "minio-operator"',
      'tenants[2].tenant.clusterDomain: "corp.example" differs from the platform\'s cluster domain "cluster.local": the one operator builds every tenant\'s endpoints with it (CLUSTER_DOMAIN)',
    ]);
  });

  test('fails when a tenant is not compatible with the platform release, with its own problems under tenants[i]', () => {
    const a = teamTenant('team-a', 'vault-a');
    const unnamedPool = {
      ...a,
      tenant: { ...a.tenant, pools: [{ servers: 4, volumesPerServer: 4, storageSize: '1Ti' }] },
    };
    const b = teamTenant('team-b', 'vault-b');
    const oldKes = { ...b, kes: { ...b.kes, image: 'minio/kes:2023-02-22T18-43-45Z', replicas: 0 } };
    const problems = validatePlatform({ release: OperatorRelease.V7_1_1, tenants: [unnamedPool, oldKes] });
    expect(problems.map((p) => p.path)).toContain('tenants[1].kes.replicas');
    expect(problems.every((p) => p.path.startsWith('tenants[1].') || p.path.startsWith('tenants[0].'))).toBe(true);
    expect(validatePlatform({ release: OperatorRelease.V7_1_1, tenants: [unnamedPool] })).toEqual([]); // pool-0 by default
  });

  test('fails when the operator namespace is bad: reported once, at the platform path', () => {
    const decl = { ...platformDeclaration(), operatorNamespace: 'kube-system' };
    const problems = validatePlatform(decl);
    expect(problems).toEqual([
      {
        path: 'operatorNamespace',
        message:
          '"kube-system" is not a valid namespace: must not be a system namespace (default, kube-system, kube-public, kube-node-lease): the library creates and labels its namespaces',
      },
    ]);
  });

  test('fails when a tenant namespace is the operator namespace', () => {
    const a = teamTenant('team-a', 'vault-a');
    const problems = validatePlatform({
      release: OperatorRelease.V5_0_4,
      tenants: [{ ...a, tenant: { ...a.tenant, namespace: 'minio-operator' } }],
    });
    expect(problems.map((p) => p.path)).toEqual(['tenants[0].tenant.namespace']);
  });

  test('fails when the platform is malformed: unknown fields, no release, tenants not a list or not objects', () => {
    expect(validatePlatform({ release: 'v5.0.4', tenants: [] } as any)).toEqual([
      {
        path: 'release',
        message:
          '"v5.0.4" is not a supported operator release: use one of OperatorRelease.fromTag("v5.0.4"), OperatorRelease.fromTag("v7.1.1")',
      },
    ]);
    expect(validatePlatform({ release: OperatorRelease.V5_0_4, tenants: {} } as any)).toEqual([
      { path: 'tenants', message: 'an object must be a list of tenant declarations' },
    ]);
    expect(validatePlatform({ release: OperatorRelease.V5_0_4, tenants: [null], extra: 1 } as any)).toEqual([
      {
        path: 'extra',
        message:
          'is not a known field (expected one of release, operatorNamespace, clusterDomain, imageRegistry, imagePullSecrets, tenants)',
      },
      { path: 'tenants[0]', message: 'null must be a tenant declaration object' },
    ]);
    expect(validatePlatform(null as any)).toEqual([
      { path: '(root)', message: 'the platform declaration must be an object' },
    ]);
  });

  test('is linear: 1,000 tenants in one shared vault validate in a few seconds at most', () => {
    const tenants = Array.from({ length: 1000 }, (_, i) => teamTenant(`t${i}`, 'shared-vault', `t${i}-`));
    const t0 = Date.now();
    const problems = validatePlatform({ release: OperatorRelease.V5_0_4, tenants });
    // "t1-" and "t10-" differ at the third character: disjoint
    expect(problems).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

describe('cross-tenant validation of images', () => {
  test('fails when a tenant names another registry than the platform, or the platform registry is bad (once)', () => {
    const a = teamTenant('team-a', 'vault-a');
    const b = { ...teamTenant('team-b', 'vault-b'), imageRegistry: 'other.example.com' };
    const problems = validatePlatform({
      release: OperatorRelease.V7_1_1,
      imageRegistry: 'myregistry.azurecr.io',
      tenants: [a, b],
    });
    expect(problems).toEqual([
      {
        path: 'tenants[1].imageRegistry',
        message:
          '"other.example.com" differs from the platform\'s imageRegistry "myregistry.azurecr.io": the one operator pulls its images, and injects its sidecar into every tenant, from one registry',
      },
    ]);
    const bad = validatePlatform({
      release: OperatorRelease.V7_1_1,
      imageRegistry: 'https://x',
      tenants: [a, teamTenant('team-b', 'vault-b')],
    });
    expect(bad.map((p) => p.path)).toEqual(['imageRegistry']);
  });
});
