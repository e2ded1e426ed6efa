import { seedDeclaration } from '../../examples/seed';
import { buildMinioPolicy, checkKesConfig } from '../../lib/kes';
import { KesAdminMode, OperatorRelease, resolveDeclaration } from '../../lib/declaration';
import { resolveWith, seedConfig } from './support';

describe('checkKesConfig', () => {
  const spec = resolveDeclaration(seedDeclaration());

  test('fails when a policy pattern has a mid-path "*"', () => {
    const c = seedConfig(spec);
    c.policy.minio.deny = ['/v1/key/*/encrypted-bucket-key'];
    expect(checkKesConfig(c, spec)).toEqual([
      'policy.minio.deny[0]: "/v1/key/*/encrypted-bucket-key" "*" is only allowed once, as the last character: from KES 2023-11-09 any other "*" is a literal and matches nothing (minio/kes#510)',
    ]);
  });

  test('fails when the policy allows key deletion', () => {
    const c = seedConfig(spec);
    c.policy.minio.allow.push('/v1/key/delete/*');
    expect(checkKesConfig(c, spec)).toEqual([
      'policy.minio.allow[8]: "/v1/key/delete/*" grants EK deletion; deleting an EK makes the data it protects unreadable: never allow /v1/key/delete/',
    ]);
  });

  test('fails when the policy lacks what MinIO calls (the operator example policy, minio/operator#2000)', () => {
    const c = seedConfig(spec);
    c.policy.minio.allow = ['/v1/api', '/v1/key/create/*', '/v1/key/generate/*', '/v1/key/decrypt/*', '/v1/key/list'];
    expect(checkKesConfig(c, spec)).toEqual([
      'policy.minio.allow[4]: "/v1/key/list" is not a KES API route: /v1/key/list/ takes a name; use /v1/key/list/* or /v1/key/list/<name>',
      'policy.minio: does not allow /v1/status: MinIO ≥ RELEASE.2023-02-17 calls it for KMS status and, until RELEASE.2023-11-20, liveness',
      'policy.minio: does not allow /v1/key/list/: mc admin kms key list and the Console list keys with an empty prefix (allow /v1/key/list/*)',
    ]);
  });

  test('fails when a bucket key is outside the policy prefix (minio/operator#1283)', () => {
    const c = seedConfig(spec);
    c.policy.minio.allow = c.policy.minio.allow
      .map((p: string) => p.replace(/\/\*$/, '/minio-*'))
      .map((p: string) => p.replace('/list/minio-*', '/list/*'));
    expect(checkKesConfig(c, spec)).toEqual([
      'policy.minio: does not allow /v1/key/create/encrypted-bucket-key: MinIO could not use EK "encrypted-bucket-key"',
      'policy.minio: does not allow /v1/key/generate/encrypted-bucket-key: MinIO could not use EK "encrypted-bucket-key"',
      'policy.minio: does not allow /v1/key/decrypt/encrypted-bucket-key: MinIO could not use EK "encrypted-bucket-key"',
    ]);
  });

  test('fails when no policy lists ${MINIO_KES_IDENTITY}, or lists a literal identity', () => {
    const c = seedConfig(spec);
    c.policy.minio.identities = ['3ecfcdf38fcbe141ae26a1030f81e96b753365a46760ae6b578698a97c59fd22'];
    expect(checkKesConfig(c, spec)).toEqual([
      'policy.minio.identities[0]: "3ecfcdf38fcbe141ae26a1030f81e96b753365a4"... (64 characters) must be a ${VAR} reference such as ${MINIO_KES_IDENTITY}; a literal identity breaks when the client certificate is rotated (minio/kes#180)',
      'policy: no policy lists ${MINIO_KES_IDENTITY}; MinIO would get "not authorized" from KES',
    ]);
  });

  test('fails when a policy uses the misspelled identity: field', () => {
    const c = seedConfig(spec);
    c.policy.minio.identity = c.policy.minio.identities;
    delete c.policy.minio.identities;
    expect(checkKesConfig(c, spec)).toEqual([
      'policy.minio.identity: is not a KES field and is silently ignored (minio/kes#180); use identities',
      'policy.minio.identities: missing must be a list of identities',
      'policy: no policy lists ${MINIO_KES_IDENTITY}; MinIO would get "not authorized" from KES',
    ]);
  });

  test('fails when the admin identity is also in a policy', () => {
    const adminSpec = resolveWith(OperatorRelease.V7_1_1, { adminMode: KesAdminMode.MINIO_IS_ADMIN });
    const c = seedConfig(adminSpec);
    c.policy = { minio: buildMinioPolicy(adminSpec) };
    expect(checkKesConfig(c, adminSpec)).toEqual([
      'policy.minio.identities[0]: "${MINIO_KES_IDENTITY}" is also admin.identity; KES refuses an identity that is both admin and in a policy',
      'policy.minio.identities: lists ${MINIO_KES_IDENTITY}, the admin identity; KES refuses an identity that is both admin and in a policy',
    ]);
  });
});
