/**
 * The scratch directories a STIS tag extraction writes its corrtag into (§7.1), `$TMPDIR/hstlc-stis-<pid>-*`.
 * A run killed mid-extraction (SIGKILL, power loss) never reaches its `finally`, so each process, before
 * its first one, removes those left by processes that are gone. The pid in the name is what tells a
 * live run's directory (never touched) from a dead one's; a pid reused since is left alone (harmless).
 * An interrupted run (Ctrl-C, SIGTERM) removes its own before it exits (removeOwnScratch, called by the
 * CLI's interrupt handler); worker threads share the process's pid, so theirs go too.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'hstlc-stis-';
const OWNED = /^hstlc-stis-(\d+)-/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, as another user's process
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove the scratch directories of dead processes under `dir`; the names removed. */
export async function removeStaleScratch(dir = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = OWNED.exec(name);
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    await rm(join(dir, name), { recursive: true, force: true }).then(
      () => removed.push(name),
      () => undefined, // another process's to clean, or gone already
    );
  }
  return removed;
}

/** Remove this process's own scratch directories under `dir` (an interrupted run, on its way out); the names removed. */
export async function removeOwnScratch(dir = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (Number(OWNED.exec(name)?.[1]) !== process.pid) continue;
    await rm(join(dir, name), { recursive: true, force: true }).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed;
}

let cleaned: Promise<unknown> | undefined;

/** A new scratch directory for this process, after removing dead processes' ones (once per process). */
export async function makeScratch(): Promise<string> {
  cleaned ??= removeStaleScratch().catch(() => undefined);
  await cleaned;
  return mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`));
}
