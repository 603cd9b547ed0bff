/**
 * One download run at a time per download_dir: two runs would write the same `.part` files. The lock
 * is a file created exclusively, holding the owner's pid; a lock whose process is gone (a crash or a
 * kill) is taken over, so an interrupted run never blocks the next one.
 */
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { processAlive } from '../archive/home-lock.js';

export class LockedError extends Error {
  constructor(
    message: string,
    readonly pid: number,
  ) {
    super(message);
    this.name = 'LockedError';
  }
}


export interface RunLock {
  readonly file: string;
  release(): Promise<void>;
}

export async function acquireRunLock(dir: string, pid: number = process.pid): Promise<RunLock> {
  const file = path.join(dir, 'download.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${pid}\n`);
      await handle.close();
      return { file, release: () => rm(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== pid && processAlive(owner)) {
        throw new LockedError(`another download is running (pid ${owner}; lock ${file})`, owner);
      }
      // Stale (or unreadable) lock: remove it and try once more.
      await rm(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}
