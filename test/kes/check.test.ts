import { seedDeclaration } from '../../examples/seed';
import { checkKesConfig, KES_ADDRESS, KES_DISABLED_ADMIN_IDENTITY } from '../../lib/kes';
import { resolveDeclaration } from '../../lib/declaration';
import { seedConfig } from './support';

describe('checkKesConfig', () => {
  const spec = resolveDeclaration(seedDeclaration());

  test('fails when a legacy root: is planted', () => {
    const c = seedConfig(spec);
    c.root = 'disabled';
    expect(checkKesConfig(c, spec)).toEqual([
      'root: is the legacy admin field of KES ≤ v0.17.1; every KES the operator ships ignores it and exits with "no admin identity specified": use admin.identity',
    ]);
  });

  test('fails when the admin identity is missing or could enable an admin', () => {
    const c = seedConfig(spec);
    delete c.admin;
    expect(checkKesConfig(c, spec)).toEqual([
      'admin.identity: missing: an admin identity is required by every supported KES ("no admin identity specified")',
    ]);
    c.admin = { identity: '${MINIO_KES_IDENTITY}' };
    expect(checkKesConfig(c, spec)).toEqual([
      'admin.identity: "${MINIO_KES_IDENTITY}" could name a real identity; with kes.adminMode disabled use a non-hex value such as "disabled"',
      'policy.minio.identities[0]: "${MINIO_KES_IDENTITY}" is also admin.identity; KES refuses an identity that is both admin and in a policy',
    ]);
  });

  test('fails when on/off were read as YAML 1.1 booleans or audit is unset', () => {
    const c = seedConfig(spec);
    c.log = { error: true };
    expect(checkKesConfig(c, spec)).toEqual([
      'log.error: true is a boolean (an unquoted on/off read as YAML 1.1): write the string "on"',
      'log.audit: missing must be one of on, off, DEBUG, INFO, WARN, ERROR and set explicitly (unset audit means audit lines on stdout)',
    ]);
  });

  test('fails when version, address, TLS paths or cache are wrong', () => {
    const c = seedConfig(spec);
    c.version = 'v2';
    c.address = 'kes.example.svc:7373';
    c.tls.key = '/etc/kes/key.pem';
    delete c.cache.expiry.unused;
    c.paths = [];
    expect(checkKesConfig(c, spec)).toEqual([
      'paths: is not a KES server config field (KES ignores unknown fields silently); expected version, address, admin, tls, policy, cache, log, keys, keystore, api',
      'version: "v2" must be "v1"',
      'address: "kes.example.svc:7373" must be <ip>:<port> with an IP literal host; KES ≥ 2023-10-24 refuses host names ("is not a valid IP address")',
      'tls.key: "/etc/kes/key.pem" must be /tmp/kes/server.key, where the operator mounts the KES server key',
      'cache.expiry.unused: missing must be set explicitly (KES defaults changed across releases)',
    ]);
  });

  test('accepts IPv6 and empty-host addresses', () => {
    for (const address of ['[::]:7373', ':7373', '10.0.0.1:7373', KES_ADDRESS]) {
      const c = seedConfig(spec);
      c.address = address;
      expect(checkKesConfig(c, spec)).toEqual([]);
    }
  });

  test('fails when the config is not a mapping', () => {
    expect(checkKesConfig('version: v1', spec)).toEqual(['(root): the KES config must be a mapping']);
    expect(checkKesConfig(null, spec)).toEqual(['(root): the KES config must be a mapping']);
  });

  test('the disabled admin identity constant is not hex', () => {
    expect(KES_DISABLED_ADMIN_IDENTITY).not.toMatch(/^[0-9a-fA-F]+$/);
  });
});
