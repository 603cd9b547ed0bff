/**
 * One download run at a time per download_dir: two runs would write the same `.part` files. The lock is
 * the home_dir lock's implementation (archive/home-lock.ts) on `download.lock`; a lock whose process is
 * gone (a crash or a kill) is taken over, so an interrupted run never blocks the next one.
 */
import { HomeLockedError, acquireLock, type HomeLock } from '../archive/home-lock.js';

export class LockedError extends Error {
  constructor(
    message: string,
    readonly pid: number,
  ) {
    super(message);
    this.name = 'LockedError';
  }
}

export type RunLock = HomeLock;

export const DOWNLOAD_LOCK_NAME = 'download.lock';

export async function acquireRunLock(dir: string, pid: number = process.pid): Promise<RunLock> {
  try {
    return await acquireLock(dir, DOWNLOAD_LOCK_NAME, 'download', pid);
  } catch (err) {
    if (!(err instanceof HomeLockedError)) throw err;
    throw new LockedError(`another download is running (pid ${err.owner.pid}; lock ${err.lockFile})`, err.owner.pid);
  }
}
