/**
 * Filesystem primitives every layer shares: "a missing path is an answer, not an error", fsync, and the
 * durable replace (temporary file in the same directory, fsync, rename) that keeps a crash from ever
 * leaving a partial file under a final name. Below everything but config and log; imports only node:.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants, createReadStream, type Dirent } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/** True for the error a missing file or folder gives. */
export function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/**
 * The device (or the user's quota) is full: Node's ENOSPC / EDQUOT, SQLite's SQLITE_FULL, or a unit's
 * recorded reason that carries one of them. Nothing later in a run can succeed until space is freed.
 */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return true;
  const text = typeof err === 'string' ? err : err instanceof Error ? err.message : '';
  return /\b(ENOSPC|EDQUOT)\b|database or disk is full/.test(text);
}

/** A stage stopped because the disk is full; the message says what was done, what is kept and what to do. */
export class DiskFullError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'DiskFullError';
  }
}

/** A directory a stage must write in cannot be written; the message gives the system's own cause. */
export class NotWritableError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'NotWritableError';
  }
}

const WHY: Record<string, string> = { EROFS: 'read-only file system', EACCES: 'permission denied', EPERM: 'operation not permitted' };

/**
 * Make sure `dir` exists (created if missing) and can be written, before a stage commits anything that
 * depends on files reaching it. `role` is the config key, for the message.
 */
export async function assertWritableDirectory(dir: string, role: string): Promise<void> {
  let err: unknown;
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, fsConstants.W_OK);
    return;
  } catch (e) {
    err = e;
  }
  // Node's recursive mkdir reports a read-only parent as ENOENT: ask the nearest existing ancestor.
  let code = (err as NodeJS.ErrnoException).code ?? '';
  if (!(code in WHY)) {
    let up = path.dirname(dir);
    while (!(await pathExists(up)) && path.dirname(up) !== up) up = path.dirname(up);
    code = await access(up, fsConstants.W_OK).then(
      () => code,
      (e: NodeJS.ErrnoException) => e.code ?? code,
    );
  }
  if (!(code in WHY)) throw err;
  throw new NotWritableError(`${role} ${dir} is not writable (${code}: ${WHY[code]}); nothing was done — make it writable or point ${role} elsewhere, and run again`, err);
}

export async function pathExists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** The size of a file in bytes; undefined when it does not exist. */
export async function fileSizeIfPresent(p: string): Promise<number | undefined> {
  try {
    return (await stat(p)).size;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The names in `dir`, sorted; none when the folder does not exist. */
export async function listDirIfPresent(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}

/** The entries of `dir` with their types; none when the folder does not exist. */
export async function direntsIfPresent(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}

/** A text file's content, or undefined when there is no such file. */
export async function readTextIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Flush a file or a directory entry to disk. */
export async function fsyncPath(p: string): Promise<void> {
  const fh = await open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * The hidden temporary name beside `final`: same directory (so rename is atomic), unique per process and
 * call, and never matched by ingest's `*.fits` globs.
 */
export function temporaryPathFor(final: string): string {
  return path.join(path.dirname(final), `.${path.basename(final)}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
}

/** Write bytes to `final` through a temporary file in the same directory, fsynced, then renamed. */
export async function writeFileAtomic(final: string, chunks: Iterable<Uint8Array>): Promise<void> {
  const tmp = temporaryPathFor(final);
  const fh = await open(tmp, 'wx', 0o644);
  try {
    for (const c of chunks) {
      let done = 0;
      while (done < c.length) done += (await fh.write(c, done, c.length - done)).bytesWritten;
    }
    await fh.sync();
    await fh.close();
    await rename(tmp, final);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** Hex digest of a file, streamed (files can be hundreds of MB). */
export async function fileDigest(file: string, algorithm: 'sha256' | 'sha1'): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
