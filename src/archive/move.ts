/**
 * Moving files into and out of the archive. A move is a rename, which replaces the destination
 * atomically; across filesystems (EXDEV) it is a copy to a temporary name in the destination directory,
 * fsync, rename over the destination, fsync of the directory, then removal of the source — so at every
 * instant the destination is either the old file or the complete new one. Unlike the original (§15.18)
 * a destination is never deleted unless a source replaces it.
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, rename as fsRename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fsyncPath, pathExists, temporaryPathFor } from '../files/index.js';

export type MoveOutcome = 'moved' | 'missing';

export interface MoveOptions {
  /** Replaceable for tests that simulate a cross-device rename. */
  rename?: (from: string, to: string) => Promise<void>;
}

/** Copy, durably, then rename into place; the source is removed only after the copy is safe. */
async function moveAcrossDevices(src: string, dst: string): Promise<void> {
  const tmp = temporaryPathFor(dst);
  try {
    await copyFile(src, tmp, constants.COPYFILE_EXCL);
    await fsyncPath(tmp);
    await fsRename(tmp, dst); // same directory, so same filesystem
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncPath(path.dirname(dst)).catch(() => undefined); // not every filesystem lets a directory be fsynced
  await unlink(src);
}

/**
 * Move `src` to `dst` (a full path), replacing `dst` if it exists. Returns 'missing' — touching nothing —
 * when there is no `src`. The destination directory is created if needed.
 */
export async function moveFile(src: string, dst: string, options: MoveOptions = {}): Promise<MoveOutcome> {
  const rename = options.rename ?? fsRename;
  if (path.resolve(src) === path.resolve(dst)) return (await pathExists(src)) ? 'moved' : 'missing';
  if (!(await pathExists(src))) return 'missing';
  await mkdir(path.dirname(dst), { recursive: true });
  try {
    await rename(src, dst);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !(await pathExists(src))) return 'missing'; // another worker moved it first
    if (code !== 'EXDEV') throw err;
    await moveAcrossDevices(src, dst);
  }
  return 'moved';
}
