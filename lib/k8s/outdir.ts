import * as fs from 'node:fs';
import * as path from 'node:path';
import { FieldKind, display, formatProblems } from '../declaration/problems';

/** The listing error of the synthesize options, for one problem. */
function optionsError(pathOf: string, message: string): Error {
  return new Error(formatProblems([{ path: pathOf, message }], 'synthesize options'));
}

/**
 * The folder {@link synthesize} and `synthesizePlatform` really write: `outdirArg` resolved against the current
 * folder, and — when it is a symbolic link to a folder — the folder it points to (`fs.realpathSync`), so the swap
 * replaces the real folder's content and the link stays as it was (the link is never replaced by a folder, and the
 * target's files are never moved elsewhere).
 * @returns the absolute folder to write
 * @throws Error (the `invalid synthesize options` listing) when `outdir` is an existing file, a link to something
 *   that is not a folder (or to nothing), or lies under a file (a parent that exists but is not a folder)
 */
export function resolveOutdir(outdirArg: string): string {
  const shown = display(outdirArg, FieldKind.NAME);
  const resolved = path.resolve(outdirArg);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.lstatSync(resolved);
  } catch {
    stat = undefined;
  }
  if (stat === undefined) {
    // Not there yet: its first existing ancestor must be a folder.
    for (let dir = path.dirname(resolved); ; dir = path.dirname(dir)) {
      let s: fs.Stats | undefined;
      try {
        s = fs.statSync(dir);
      } catch {
        s = undefined;
      }
      if (s !== undefined) {
        if (!s.isDirectory()) {
          throw optionsError(
            'outdir',
            `${shown} is under ${display(dir, FieldKind.NAME)}, which is a file, not a folder; give a folder path`,
          );
        }
        return resolved;
      }
      if (path.dirname(dir) === dir) {
        return resolved;
      }
    }
  }
  if (stat.isSymbolicLink()) {
    let real: string;
    try {
      real = fs.realpathSync(resolved);
    } catch {
      throw optionsError('outdir', `${shown} is a symbolic link to nothing (a dangling link); give a folder`);
    }
    if (!fs.statSync(real).isDirectory()) {
      throw optionsError('outdir', `${shown} is a symbolic link to a file, not a folder; give a folder`);
    }
    return real;
  }
  if (!stat.isDirectory()) {
    throw optionsError('outdir', `${shown} is an existing file, not a folder; give a folder of its own (e.g. "dist")`);
  }
  return resolved;
}

/**
 * Call a user's `configure(...)` hook and refuse an asynchronous one: synthesis is synchronous, so a hook that
 * returns a Promise (or any thenable) would run after the files are written. Its rejection, if any, is absorbed so
 * it cannot end the process as an unhandled rejection.
 * @throws Error (the `invalid synthesize options` listing, path `configure`) when the hook returns a thenable
 */
export function runConfigure<A extends unknown[]>(configure: ((...args: A) => unknown) | undefined, ...args: A): void {
  if (configure === undefined) {
    return;
  }
  const result: unknown = configure(...args);
  let then: unknown;
  try {
    then =
      (typeof result === 'object' || typeof result === 'function') && result !== null
        ? Reflect.get(result, 'then')
        : undefined;
  } catch {
    then = undefined;
  }
  if (typeof then === 'function') {
    try {
      (then as (ok: unknown, fail: unknown) => unknown).call(result, undefined, () => undefined);
    } catch {
      // a thenable whose then() throws: nothing to absorb
    }
    throw optionsError(
      'configure',
      'returned a Promise (or another thenable): configure must be synchronous, (charts, app) => void, because synthesis does not wait for it; nothing was written',
    );
  }
}
