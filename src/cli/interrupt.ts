/**
 * Ctrl-C (SIGINT) and SIGTERM during a long command (demo, pipeline, ingest, stats, plots, download,
 * the resets): the one place they are handled. The process stops at once — everything a stage writes is
 * either committed, journalled (ingest's moves, pipeline/journal.ts) or replaced atomically, so an
 * abrupt end loses nothing and the next run takes up where this one stopped. Before it exits, the
 * cleanups registered here run (newest first: the stage's lock, then the log file), and one line says
 * what was done so far and the exact command that resumes; the exit code is 130 (128 + SIGINT, as
 * shells report an interrupted command). A second signal while cleaning up exits at once.
 *
 * Other parts of the CLI register their own cleanup with `atInterrupt` (and remove it when their work
 * is over); the handlers exist only while a command asked for them (`guardInterrupts`).
 */
import type { StageProgress } from '../pipeline/stage.js';
import type { Writer } from './io.js';

/** The exit code of an interrupted command. */
export const INTERRUPTED_EXIT = 130;

/** How long the cleanups may take before the process exits anyway. */
const CLEANUP_MS = 5000;

export type Cleanup = () => void | Promise<void>;

const cleanups: Cleanup[] = [];

/** Run `fn` if the command is interrupted; returns the function that unregisters it. */
export function atInterrupt(fn: Cleanup): () => void {
  cleanups.push(fn);
  return () => {
    const i = cleanups.lastIndexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/** What has been done: the phases finished, in order, and the one under way. */
interface Done {
  finished: string[];
  current?: StageProgress;
}

const done: Done = { finished: [] };

/** Record a stage's progress (cli/stage.ts progressSink calls it with every update). */
export function noteProgress(p: StageProgress): void {
  if (done.current !== undefined && done.current.phase !== p.phase && !done.finished.includes(done.current.phase)) done.finished.push(done.current.phase);
  done.current = { phase: p.phase, done: p.done, total: p.total };
}

/** Forget recorded progress (a new command in the same process: tests). */
export function resetProgress(): void {
  done.finished = [];
  delete done.current;
}

/** "stats 12/34 done; ingest, composites finished" — what the one line says was done. */
export function describeDone(state: Done = done, before?: string): string {
  const parts: string[] = [];
  const current = state.current;
  if (current !== undefined) parts.push(`stopped in ${current.phase} at ${current.done}/${current.total}`);
  else parts.push(`stopped ${before ?? 'before any work was counted'}`);
  if (state.finished.length > 0) parts.push(`${state.finished.join(', ')} finished`);
  return parts.join('; ');
}

export interface InterruptGuard {
  /** The command that resumes, from now on (demo: once its config is written). */
  resume(command: string): void;
  /** What was under way before any progress was counted ("while writing the demo archive"). */
  doing(text: string): void;
  /** Remove the handlers (the work is over). */
  release(): void;
}

interface GuardState {
  resume: string;
  doing?: string;
  depth: number;
  stopping: boolean;
  stderr: Writer;
  exit: (code: number) => void;
  handler: (signal: NodeJS.Signals) => void;
}

let active: GuardState | undefined;

async function runCleanups(): Promise<void> {
  const pending = [...cleanups].reverse();
  cleanups.length = 0;
  const all = (async () => {
    for (const fn of pending) {
      try {
        await fn();
      } catch {
        // a cleanup that fails must not keep the others from running
      }
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([all, new Promise<void>((r) => (timer = setTimeout(r, CLEANUP_MS)))]);
  clearTimeout(timer);
}

/**
 * Handle SIGINT/SIGTERM until `release()`: run the cleanups, print the one line to `stderr`, exit 130.
 * Nested guards (demo runs the pipeline command) share the handlers; the innermost resume command wins.
 */
export function guardInterrupts(stderr: Writer, resume: string, exit: (code: number) => void = (code) => process.exit(code)): InterruptGuard {
  if (active === undefined) {
    const state: GuardState = {
      resume,
      depth: 0,
      stopping: false,
      stderr,
      exit,
      handler: (signal) => {
        if (state.stopping) {
          state.exit(INTERRUPTED_EXIT);
          return;
        }
        state.stopping = true;
        void runCleanups().then(() => {
          // A progress bar on a terminal ends without a newline.
          if (state.stderr.isTTY === true) state.stderr.write('\n');
          state.stderr.write(`interrupted (${signal}): ${describeDone(done, state.doing)}; nothing is lost, resume with: ${state.resume}\n`);
          state.exit(INTERRUPTED_EXIT);
        });
      },
    };
    process.on('SIGINT', state.handler);
    process.on('SIGTERM', state.handler);
    active = state;
  }
  const state = active;
  const previous = state.resume;
  state.resume = resume;
  state.depth++;
  let released = false;
  return {
    resume(command) {
      state.resume = command;
    },
    doing(text) {
      state.doing = text;
    },
    release() {
      if (released) return;
      released = true;
      state.resume = previous;
      if (--state.depth > 0) return;
      process.removeListener('SIGINT', state.handler);
      process.removeListener('SIGTERM', state.handler);
      active = undefined;
    },
  };
}

/** A word as a POSIX shell reads it back (quoted only when it must be). */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `hstlc --config FILE <command>`: the command line that runs `command` on this configuration again. */
export function resumeCommand(configPath: string | undefined, command: string): string {
  return configPath === undefined ? `hstlc ${command}` : `hstlc --config ${shellWord(configPath)} ${command}`;
}

/**
 * Run a one-shot command (extract, composite) under the Ctrl-C handler: its cleanups (a STIS scratch
 * corrtag) run, the one line names the command to run again, exit 130.
 */
export async function guarded<T>(stderr: Writer, fn: () => Promise<T>, argv: readonly string[] = process.argv.slice(2)): Promise<T> {
  const guard = guardInterrupts(stderr, `hstlc ${argv.map(shellWord).join(' ')}`);
  try {
    return await fn();
  } finally {
    guard.release();
  }
}
