import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AzureAuth, OperatorRelease } from '../../lib';
import { seedDeclaration } from '../../examples/seed';
import { synthesize } from '../../examples/cdk8s/app';
import { fixtureCrds } from '../support/fixtures';

/**
 * The cdk8s path takes no secret value at all: credentials are referenced by Secret name. Canaries are planted
 * wherever a secret could reach synthesis — the process environment (KES's and MinIO's own variable names) and
 * a secret value smuggled into the auth options — and every file written is searched for them.
 */
const CANARIES = {
  AZURE_CLIENT_SECRET: 'CANARY-azure-client-secret-5d1b',
  MINIO_ROOT_PASSWORD: 'CANARY-minio-root-password-9e2c',
  MINIO_ROOT_USER: 'CANARY-minio-root-user-44af',
  MINIO_KES_IDENTITY: 'CANARY-kes-identity-0b7e',
};

describe.each(OperatorRelease.all().map((r) => [r.tag, r] as const))(
  'no secret value in dist/ (operator %s)',
  (_tag, release) => {
    const saved: Record<string, string | undefined> = {};
    beforeAll(() => {
      for (const [k, v] of Object.entries(CANARIES)) {
        saved[k] = process.env[k];
        process.env[k] = v;
      }
    });
    afterAll(() => {
      for (const k of Object.keys(CANARIES)) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    });

    test('the synthesized files reference Secrets by name and contain no canary', () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'minio-sse-canary-'));
      const files = synthesize({ declaration: seedDeclaration({ release }), outdir, crds: fixtureCrds() });
      expect(files).toHaveLength(2);
      const text = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
      for (const canary of Object.values(CANARIES)) {
        expect(text).not.toContain(canary);
      }
      expect(text).toContain('name: kes-azure-credentials');
      expect(text).toContain('client_secret: ${AZURE_CLIENT_SECRET}');
    });

    test('fails when a secret value is passed in the auth options, and writes nothing', () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'minio-sse-canary-'));
      const decl = seedDeclaration({ release });
      const smuggled = {
        ...decl,
        kes: {
          ...decl.kes,
          auth: AzureAuth.clientSecret({
            secretName: 'kes-azure-credentials',
            clientSecret: CANARIES.AZURE_CLIENT_SECRET,
          } as any),
        },
      };
      let message = '';
      try {
        synthesize({ declaration: smuggled, outdir, crds: fixtureCrds() });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/kes\.auth\.clientSecret: is not a known field/);
      expect(message).not.toContain(CANARIES.AZURE_CLIENT_SECRET);
      expect(fs.readdirSync(outdir)).toEqual([]);
    });
  },
);
