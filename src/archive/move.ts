/**
 * Moving files into and out of the archive. A move is a rename, which replaces the destination
 * atomically; across filesystems (EXDEV) it is a copy to a temporary name in the destination directory,
 * fsync, rename over the destination, fsync of the directory, then removal of the source — so at every
 * instant the destination is either the old file or the complete new one. Unlike the original (§15.18)
 * a destination is never deleted unless a source replaces it.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, mkdir, open, rename as fsRename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

export type MoveOutcome = 'moved' | 'missing';

export interface MoveOptions {
  /** Replaceable for tests that simulate a cross-device rename. */
  rename?: (from: string, to: string) => Promise<void>;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

async function fsyncPath(p: string): Promise<void> {
  const fh = await open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Copy, durably, then rename into place; the source is removed only after the copy is safe. */
async function moveAcrossDevices(src: string, dst: string): Promise<void> {
  const tmp = path.join(path.dirname(dst), `.${path.basename(dst)}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
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
  if (path.resolve(src) === path.resolve(dst)) return (await exists(src)) ? 'moved' : 'missing';
  if (!(await exists(src))) return 'missing';
  await mkdir(path.dirname(dst), { recursive: true });
  try {
    await rename(src, dst);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !(await exists(src))) return 'missing'; // another worker moved it first
    if (code !== 'EXDEV') throw err;
    await moveAcrossDevices(src, dst);
  }
  return 'moved';
}
