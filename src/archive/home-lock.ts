/**
 * The one lock implementation: one ingest (or reset) at a time per home_dir, one download run at a time
 * per download_dir (mast/lock.ts). A lock file created atomically (hard link of a fully written temporary
 * file, which fails if the lock exists). A lock left by a process that no longer runs on this host is
 * stale and is taken over; a lock from another host is respected, since we cannot tell.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { DiskFullError, isDiskFull } from '../files/index.js';

export interface LockOwner {
  pid: number;
  host: string;
  command: string;
  started: string;
}

export class HomeLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly owner: LockOwner,
  ) {
    super(`${owner.command} (pid ${owner.pid} on ${owner.host}, since ${owner.started}) is already working on this home_dir; lock file ${lockFile}`);
    this.name = 'HomeLockedError';
  }
}

/**
 * home_dir is in use on other hosts: `hstlc worker` processes of the job engine are running on it (the
 * home_dir lock guards one host only). A reset refuses then, as it does when the lock is held.
 */
export class HomeBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HomeBusyError';
  }
}

export interface HomeLock {
  readonly file: string;
  release(): Promise<void>;
}

export const LOCK_NAME = '.hstlc.lock';

/** Whether a process with this id exists on this host (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The owner a lock file names: our JSON, or a bare pid (the download lock's earlier format, always written
 * on this host); anything else names no owner and is stale.
 */
function parseOwner(text: string): LockOwner | undefined {
  if (/^\s*\d+\s*$/.test(text)) return { pid: Number(text.trim()), host: hostname(), command: '?', started: '?' };
  try {
    const owner = JSON.parse(text) as Partial<LockOwner> | null;
    if (owner !== null && typeof owner === 'object' && typeof owner.pid === 'number' && typeof owner.host === 'string') return owner as LockOwner;
  } catch {
    // not JSON: no owner
  }
  return undefined;
}

async function readOwner(file: string): Promise<{ text: string; owner: LockOwner | undefined } | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    return { text, owner: parseOwner(text) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Take the home_dir lock for `command`; throws HomeLockedError while another live process holds it. */
export async function lockHome(homeDir: string, command: string): Promise<HomeLock> {
  return acquireLock(homeDir, LOCK_NAME, command);
}

/**
 * Take the lock file `name` in `dir` for `command`, as process `pid` (default: this one). Throws
 * HomeLockedError (naming the owner) while another live process holds it.
 */
export async function acquireLock(dir: string, name: string, command: string, pid: number = process.pid): Promise<HomeLock> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  const me: LockOwner = { pid, host: hostname(), command, started: new Date().toISOString() };
  const text = `${JSON.stringify(me)}\n`;
  const tmp = path.join(dir, `${name}.${pid}.${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(tmp, text, { flag: 'wx' });
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    // The first write of every stage: on a full disk, say where, before anything has been started.
    if (isDiskFull(err)) throw new DiskFullError(`no space left on the device holding ${dir}: cannot write the lock file there; free space and run again (nothing was done)`, err);
    throw err;
  }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(tmp, file);
        return {
          file,
          async release() {
            const current = await readOwner(file);
            if (current?.text === text) await unlink(file).catch(() => undefined);
          },
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const current = await readOwner(file);
      if (current === undefined) continue; // released meanwhile
      const owner = current.owner;
      const stale = owner === undefined || (owner.host === me.host && !processAlive(owner.pid));
      if (!stale) throw new HomeLockedError(file, owner);
      // Remove the stale lock only if it is still the one we judged; then race for it like anyone else.
      const again = await readOwner(file);
      if (again?.text === current.text) await unlink(file).catch(() => undefined);
    }
    const owner = (await readOwner(file))?.owner ?? { pid: 0, host: '?', command: '?', started: '?' };
    throw new HomeLockedError(file, owner);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}
