import fs = require('node:fs'); // the module object itself, so jest.spyOn reaches every caller
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { MinioSseDeclaration, OperatorRelease, SYNTH_MANIFEST, synthesize } from '../../lib';
import { seedDeclaration } from '../../examples/seed';
import { fixtureCrds } from '../support/fixtures';

const release = OperatorRelease.V5_0_4;
let parent: string;
let outdir: string;

beforeEach(() => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'minio-sse-synth-'));
  outdir = path.join(parent, 'dist');
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(parent, { recursive: true, force: true });
});

function renamed(name: string): MinioSseDeclaration {
  const seed = seedDeclaration({ release });
  return { ...seed, tenant: { ...seed.tenant, name, namespace: name } };
}

/** Every file under `dir` with its bytes, for before/after comparisons. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true } as any) as unknown as fs.Dirent[]) {
    if (e.isFile()) {
      const p = path.join((e as any).parentPath ?? (e as any).path, e.name);
      out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  }
  return out;
}

/** A dist/ from a first run, plus files that are not ours. */
function seeded(): Record<string, string> {
  synthesize({ declaration: seedDeclaration({ release }), outdir, crds: fixtureCrds() });
  fs.writeFileSync(path.join(outdir, 'README.md'), 'mine\n');
  fs.writeFileSync(path.join(outdir, 'extra.k8s.yaml'), 'kind: ConfigMap\n');
  fs.mkdirSync(path.join(outdir, 'overlays'));
  fs.writeFileSync(path.join(outdir, 'overlays', 'kustomization.yaml'), 'resources: []\n');
  return snapshot(outdir);
}

const leftovers = () => fs.readdirSync(parent).filter((e) => e !== 'dist');

describe('synthesize()', () => {
  test('writes one file per chart and the list of what it wrote, synthesizing once', () => {
    const synth = jest.spyOn(App.prototype, 'synth');
    const synthYaml = jest.spyOn(App.prototype, 'synthYaml');
    const files = synthesize({ declaration: seedDeclaration({ release }), outdir, crds: fixtureCrds() });
    expect(files).toEqual([
      path.join(outdir, '0000-minio-operator.k8s.yaml'),
      path.join(outdir, '0001-minio-tenant-1.k8s.yaml'),
    ]);
    expect(synth).toHaveBeenCalledTimes(1);
    expect(synthYaml).not.toHaveBeenCalled();
    expect(fs.readdirSync(outdir).sort()).toEqual(
      [SYNTH_MANIFEST, '0000-minio-operator.k8s.yaml', '0001-minio-tenant-1.k8s.yaml'].sort(),
    );
    expect(JSON.parse(fs.readFileSync(path.join(outdir, SYNTH_MANIFEST), 'utf8')).files).toEqual([
      '0000-minio-operator.k8s.yaml',
      '0001-minio-tenant-1.k8s.yaml',
    ]);
    expect(fs.readFileSync(files[1], 'utf8')).toContain('kind: Tenant');
    expect(leftovers()).toEqual([]);
  });

  test('a renamed tenant leaves no stale file of ours, and keeps every file that is not ours', () => {
    const before = seeded();
    synthesize({ declaration: renamed('analytics'), outdir, crds: fixtureCrds() });
    const after = snapshot(outdir);
    expect(Object.keys(after).sort()).toEqual(
      [
        SYNTH_MANIFEST,
        '0000-minio-operator.k8s.yaml',
        '0001-analytics.k8s.yaml',
        'README.md',
        'extra.k8s.yaml',
        path.join('overlays', 'kustomization.yaml'),
      ].sort(),
    );
    for (const kept of ['README.md', 'extra.k8s.yaml', path.join('overlays', 'kustomization.yaml')]) {
      expect(after[kept]).toBe(before[kept]);
    }
    expect(after['0001-analytics.k8s.yaml']).toContain('name: analytics');
    expect(leftovers()).toEqual([]);
  });

  test('fails when the declaration is invalid, and leaves outdir exactly as it was', () => {
    const before = seeded();
    expect(() => synthesize({ declaration: renamed('Bad_Name'), outdir, crds: fixtureCrds() })).toThrow(/tenant\.name/);
    expect(snapshot(outdir)).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  test('fails when a manifest write fails, and leaves outdir exactly as it was', () => {
    const before = seeded();
    const real = fs.writeFileSync;
    jest.spyOn(fs, 'writeFileSync').mockImplementation((file: any, ...rest: any[]) => {
      if (String(file).endsWith('0001-analytics.k8s.yaml')) {
        throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: 'ENOSPC' });
      }
      return (real as any)(file, ...rest);
    });
    expect(() => synthesize({ declaration: renamed('analytics'), outdir, crds: fixtureCrds() })).toThrow(
      /^ENOSPC: no space left on device/,
    );
    expect(snapshot(outdir)).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  test('fails when the swap rename fails, and restores outdir with the files that are not ours', () => {
    const before = seeded();
    const real = fs.renameSync;
    // the swap's rename onto outdir fails; the restore (also onto outdir) goes through
    let failed = false;
    jest.spyOn(fs, 'renameSync').mockImplementation((from: any, to: any) => {
      if (!failed && path.resolve(String(to)) === outdir) {
        failed = true;
        throw Object.assign(new Error(`EACCES: permission denied, rename '${from}' -> '${to}'`), { code: 'EACCES' });
      }
      return real(from, to);
    });
    expect(() => synthesize({ declaration: renamed('analytics'), outdir, crds: fixtureCrds() })).toThrow(
      /^EACCES: permission denied, rename/,
    );
    expect(failed).toBe(true);
    expect(snapshot(outdir)).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  test('creates outdir and its parents when missing', () => {
    const deep = path.join(parent, 'a', 'b', 'dist');
    synthesize({ declaration: seedDeclaration({ release }), outdir: deep, crds: fixtureCrds() });
    expect(fs.readdirSync(deep)).toContain('0001-minio-tenant-1.k8s.yaml');
  });

  test('fails when outdir is the current folder or one of its parents, writing nothing', () => {
    const cwd = process.cwd();
    const crds = fixtureCrds();
    for (const dir of ['.', '..', cwd]) {
      expect(() => synthesize({ declaration: seedDeclaration({ release }), outdir: dir, crds })).toThrow(
        `synthesize: outdir ${JSON.stringify(dir)} is the current folder or one of its parents; give the manifests a folder of their own (e.g. "dist")`,
      );
    }
  });
});
