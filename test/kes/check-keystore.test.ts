import { seedDeclaration } from '../../examples/seed';
import { buildKesConfig, checkKesConfig } from '../../lib/kes';
import { AzureAuth, OperatorRelease, ResolvedDeclaration, resolveDeclaration } from '../../lib/declaration';
import { CLIENT_ID, rendered, resolveWith, seedConfig } from './support';

describe('checkKesConfig', () => {
  const spec = resolveDeclaration(seedDeclaration());

  test('fails when there are two keystores', () => {
    const c = seedConfig(spec);
    c.keystore.fs = { path: './keys' };
    expect(checkKesConfig(c, spec)).toEqual([
      'keystore: has 2 keystores (azure, fs): KES needs exactly one, azure.keyvault ("more than once keystore specified")',
    ]);
  });

  test('fails when the keystore is not Azure Key Vault', () => {
    const c = seedConfig(spec);
    c.keystore = { fs: { path: './keys' } };
    expect(checkKesConfig(c, spec)).toEqual([
      'keystore: fs is not azure.keyvault: this library refuses any keystore but Azure Key Vault (no fs or in-memory keys)',
    ]);
  });

  test('fails when the keystore is missing or sits at the top level', () => {
    const c = seedConfig(spec);
    c.azure = c.keystore.azure;
    delete c.keystore;
    expect(checkKesConfig(c, spec)).toEqual([
      'azure: is a keystore block outside "keystore:"; KES ignores it and has no persistent keystore: move it to keystore.azure',
      'keystore: no keystore specified: exactly one keystore, azure.keyvault, is required (KES: "no keystore specified")',
    ]);
  });

  test('fails when the client secret is a literal, without echoing it', () => {
    const c = seedConfig(spec);
    c.keystore.azure.keyvault.credentials.client_secret = 'CANARY-s3cr3t-value';
    const problems = checkKesConfig(c, spec);
    expect(problems).toEqual([
      'keystore.azure.keyvault.credentials.client_secret: is a literal value (not shown); it must be the whole-value reference ${AZURE_CLIENT_SECRET} so that no credential is written into the config',
    ]);
    expect(problems.join('\n')).not.toContain('CANARY');
  });

  test('fails when a credential is a partial or wrong reference', () => {
    const c = seedConfig(spec);
    c.keystore.azure.keyvault.credentials.tenant_id = 'tenant-${AZURE_TENANT_ID}';
    c.keystore.azure.keyvault.credentials.client_id = '${AZURE_TENANT_ID}';
    expect(checkKesConfig(c, spec)).toEqual([
      'keystore.azure.keyvault.credentials.tenant_id: is a literal value (not shown); it must be the whole-value reference ${AZURE_TENANT_ID} so that no credential is written into the config',
      'keystore.azure.keyvault.credentials.client_id: "${AZURE_TENANT_ID}" must be ${AZURE_CLIENT_ID}',
    ]);
  });

  test('fails when a reference names a variable spec.kes.env does not provide', () => {
    const miSpec = resolveWith(OperatorRelease.V5_0_4, { auth: AzureAuth.managedIdentity({ clientId: CLIENT_ID }) });
    const c = seedConfig(miSpec);
    c.keystore.azure.keyvault = seedConfig(spec).keystore.azure.keyvault;
    expect(checkKesConfig(c, miSpec)).toEqual([
      'keystore.azure.keyvault: has credentials but kes.auth is managedIdentity (expected managed_identity)',
      'keystore.azure.keyvault: lacks managed_identity but kes.auth is managedIdentity (expected managed_identity)',
      'keystore.azure.keyvault.credentials.tenant_id: "${AZURE_TENANT_ID}" references AZURE_TENANT_ID, which spec.kes.env does not give the KES container',
      'keystore.azure.keyvault.credentials.client_secret: "${AZURE_CLIENT_SECRET}" references AZURE_CLIENT_SECRET, which spec.kes.env does not give the KES container',
    ]);
  });

  test('fails when both auth blocks are present', () => {
    const c = seedConfig(spec);
    c.keystore.azure.keyvault.managed_identity = { client_id: '${AZURE_CLIENT_ID}' };
    expect(checkKesConfig(c, spec)).toEqual([
      'keystore.azure.keyvault: has both credentials and managed_identity; KES fails with "more than one authentication method specified"',
      'keystore.azure.keyvault: has managed_identity but kes.auth is clientSecret (expected credentials)',
    ]);
  });

  test('fails when no auth block is given to a KES without DefaultAzureCredential', () => {
    const c = seedConfig(spec);
    delete c.keystore.azure.keyvault.credentials;
    expect(checkKesConfig(c, spec)).toEqual([
      'keystore.azure.keyvault: lacks credentials but kes.auth is clientSecret (expected credentials)',
      'keystore.azure.keyvault: has no auth block, which KES 2023-04-18T19-36-09Z refuses ("no authentication method specified"); DefaultAzureCredential needs KES 2024-06-17T15-47-05Z or later',
    ]);
  });

  test('fails when the endpoint differs from the declaration or is not a vault', () => {
    const c = seedConfig(spec);
    c.keystore.azure.keyvault.endpoint = 'https://other-vault.vault.azure.net';
    expect(checkKesConfig(c, spec)).toEqual([
      'keystore.azure.keyvault.endpoint: "https://other-vault.vault.azure.net" differs from the declared kes.keyVaultEndpoint "https://minio-kes-example.vault.azure.net"',
    ]);
    c.keystore.azure.keyvault.endpoint = 'http://vault.default.svc.cluster.local:8200';
    expect(checkKesConfig(c, spec)).toEqual([
      'keystore.azure.keyvault.endpoint: "http://vault.default.svc.cluster.local:8"... (43 characters) must be the Key Vault URI https://<vault>.vault.azure.net (or the .cn / usgovcloudapi.net clouds)',
    ]);
  });

  test('fails when a key name has "_"', () => {
    const c = seedConfig(spec);
    c.keys.push({ name: 'bad_key' });
    expect(checkKesConfig(c, spec)).toEqual([
      'keys[3].name: "bad_key" is not a valid EK name: must use only letters, digits and "-" (Azure Key Vault secret names allow no "_" or ".")',
    ]);
  });

  test('fails when keys is the legacy keystore mapping or lists a name twice', () => {
    const c = seedConfig(spec);
    c.keys = { vault: { endpoint: 'http://vault:8200' } };
    expect(checkKesConfig(c, spec)).toEqual([
      'keys: is a mapping (the keystore section of KES < v0.13.6): keys is a list of {name}; put the keystore under keystore:',
    ]);
    c.keys = [{ name: 'k1' }, { name: 'k1' }];
    expect(checkKesConfig(c, spec)).toEqual(['keys[1].name: "k1" is listed twice (KES refuses duplicate keys)']);
  });
});

describe("checkKesConfig: the Key Vault endpoint's cloud and the KES image", () => {
  const china = 'https://minio-kes-example.vault.azure.cn';

  test('fails when a China endpoint reaches a KES image that hard-codes the public token resource (e.g. after a patch)', () => {
    const { parseKesImage } = require('../../lib/declaration');
    const spec = resolveWith(OperatorRelease.V7_1_1, { keyVaultEndpoint: china });
    expect(checkKesConfig(buildKesConfig(spec), spec)).toEqual([]);
    const oldImage = parseKesImage('quay.io/minio/kes:2024-04-12T13-50-00Z');
    const patched = { ...spec, kes: { ...spec.kes, imageInfo: oldImage } } as ResolvedDeclaration;
    expect(checkKesConfig(buildKesConfig(spec), patched)).toEqual([
      'keystore.azure.keyvault.endpoint: is in Azure China, which KES 2024-04-12T13-50-00Z cannot authenticate to (public token resource hard-coded); use KES 2024-06-17T15-47-05Z or later',
    ]);
  });

  test('the auth block keys are the same in every pinned image era (edge 2023-04-18, kesconf 2025-03-12)', () => {
    for (const release of [OperatorRelease.V5_0_4, OperatorRelease.V7_1_1]) {
      const cs = rendered(resolveWith(release)).config.keystore.azure.keyvault;
      expect(Object.keys(cs.credentials).sort()).toEqual(['client_id', 'client_secret', 'tenant_id']);
      const mi = rendered(resolveWith(release, { auth: AzureAuth.managedIdentity({ clientId: CLIENT_ID }) })).config
        .keystore.azure.keyvault;
      expect(mi).toEqual({
        endpoint: 'https://minio-kes-example.vault.azure.net',
        managed_identity: { client_id: '${AZURE_CLIENT_ID}' },
      });
    }
  });
});
