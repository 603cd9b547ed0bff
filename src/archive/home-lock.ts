/**
 * One ingest (or reset) at a time per home_dir: a lock file created atomically (hard link of a fully
 * written temporary file, which fails if the lock exists). A lock left by a process that no longer runs
 * on this host is stale and is taken over; a lock from another host is respected, since we cannot tell.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';

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

async function readOwner(file: string): Promise<{ text: string; owner: LockOwner | undefined } | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    try {
      return { text, owner: JSON.parse(text) as LockOwner };
    } catch {
      return { text, owner: undefined };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function lockHome(homeDir: string, command: string): Promise<HomeLock> {
  await mkdir(homeDir, { recursive: true });
  const file = path.join(homeDir, LOCK_NAME);
  const me: LockOwner = { pid: process.pid, host: hostname(), command, started: new Date().toISOString() };
  const text = `${JSON.stringify(me)}\n`;
  const tmp = path.join(homeDir, `${LOCK_NAME}.${process.pid}.${randomBytes(4).toString('hex')}`);
  await writeFile(tmp, text, { flag: 'wx' });
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
