import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OperatorRelease, synthesize, synthesizePlatform } from '../../lib';
import { seedDeclaration } from '../../examples/seed';
import { platformDeclaration } from '../../examples/platform/platform';
import { fixtureCrds } from '../support/fixtures';
import { FieldKind, display } from '../../lib/declaration/problems';

const release = OperatorRelease.V5_0_4;
let parent: string;

beforeEach(() => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'minio-sse-outdir-'));
});
afterEach(() => {
  fs.rmSync(parent, { recursive: true, force: true });
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('synthesize() outdir that is not a plain folder', () => {
  test('fails when outdir is an existing file, leaving the file as it was', () => {
    const file = path.join(parent, 'dist');
    fs.writeFileSync(file, 'mine');
    const message = messageOf(() =>
      synthesize({ declaration: seedDeclaration({ release }), outdir: file, crds: fixtureCrds() }),
    );
    expect(message).toBe(
      `invalid synthesize options (1 problem):\n  - outdir: ${display(file, FieldKind.NAME)} is an existing file, not a folder; give a folder of its own (e.g. "dist")`,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('mine');
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });

  test('fails when outdir is under a file', () => {
    const file = path.join(parent, 'f');
    fs.writeFileSync(file, 'mine');
    const message = messageOf(() =>
      synthesize({
        declaration: seedDeclaration({ release }),
        outdir: path.join(file, 'sub', 'dist'),
        crds: fixtureCrds(),
      }),
    );
    expect(message).toMatch(
      /^invalid synthesize options \(1 problem\):\n {2}- outdir: .* is under .*, which is a file, not a folder; give a folder path$/,
    );
    expect(fs.readdirSync(parent)).toEqual(['f']);
  });

  test('fails when outdir is a link to a file or a dangling link', () => {
    fs.writeFileSync(path.join(parent, 'f'), 'mine');
    fs.symlinkSync(path.join(parent, 'f'), path.join(parent, 'to-file'));
    fs.symlinkSync(path.join(parent, 'nothing'), path.join(parent, 'dangling'));
    const opts = { declaration: seedDeclaration({ release }), crds: fixtureCrds() };
    expect(messageOf(() => synthesize({ ...opts, outdir: path.join(parent, 'to-file') }))).toMatch(
      / is a symbolic link to a file, not a folder; give a folder$/,
    );
    expect(messageOf(() => synthesize({ ...opts, outdir: path.join(parent, 'dangling') }))).toMatch(
      / is a symbolic link to nothing \(a dangling link\); give a folder$/,
    );
    expect(fs.readFileSync(path.join(parent, 'f'), 'utf8')).toBe('mine');
    expect(fs.readlinkSync(path.join(parent, 'dangling'))).toBe(path.join(parent, 'nothing'));
  });

  test.each([
    [
      'synthesize',
      (outdir: string) => synthesize({ declaration: seedDeclaration({ release }), outdir, crds: fixtureCrds() }),
    ],
    [
      'synthesizePlatform',
      (outdir: string) =>
        synthesizePlatform({ declaration: platformDeclaration({ release }), outdir, crds: fixtureCrds() }),
    ],
  ])('%s writes through a link to a folder: the link stays, the target keeps its other files', (_name, run) => {
    const real = path.join(parent, 'real');
    fs.mkdirSync(real);
    fs.writeFileSync(path.join(real, 'README.md'), 'keep me');
    const link = path.join(parent, 'dist');
    fs.symlinkSync(real, link);
    const files = run(link);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe(real);
    expect(fs.readFileSync(path.join(real, 'README.md'), 'utf8')).toBe('keep me');
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect(path.dirname(f)).toBe(link);
      expect(fs.existsSync(path.join(real, path.basename(f)))).toBe(true);
    }
    // a second run through the link replaces its own files and keeps the rest
    run(link);
    expect(fs.readFileSync(path.join(real, 'README.md'), 'utf8')).toBe('keep me');
    expect(fs.readdirSync(parent).sort()).toEqual(['dist', 'real']);
  });
});

describe('synthesize() configure hook', () => {
  test.each([
    [
      'synthesize',
      (outdir: string, configure: () => unknown) =>
        synthesize({ declaration: seedDeclaration({ release }), outdir, crds: fixtureCrds(), configure }),
    ],
    [
      'synthesizePlatform',
      (outdir: string, configure: () => unknown) =>
        synthesizePlatform({ declaration: platformDeclaration({ release }), outdir, crds: fixtureCrds(), configure }),
    ],
  ])('fails when %s is given a configure that returns a Promise, before anything is written', async (_name, run) => {
    const outdir = path.join(parent, 'dist');
    const rejected = () => Promise.reject(new Error('late'));
    expect(messageOf(() => run(outdir, rejected))).toBe(
      'invalid synthesize options (1 problem):\n  - configure: returned a Promise (or another thenable): configure must be synchronous, (charts, app) => void, because synthesis does not wait for it; nothing was written',
    );
    expect(messageOf(() => run(outdir, () => ({ then: () => undefined })))).toMatch(
      /configure: returned a Promise \(or another thenable\)/,
    );
    expect(fs.readdirSync(parent)).toEqual([]);
    await new Promise((r) => setImmediate(r)); // the rejection was absorbed: jest would report an unhandled one
  });
});
