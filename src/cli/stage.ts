/**
 * How every stage command runs (the wiring, once): the config, the logger, the database, a progress
 * view on stderr, the stage through runStage (which takes the lock), then the summary lines to the log
 * file and to stdout (or the summary as JSON with --json), and the exit code from the per-item results.
 *
 * The stage module is given as a loader (`() => import(...)`), and the database, runStage and the lock
 * errors are imported here only when a command runs, so `hstlc --version` and `hstlc <cmd> --help` load
 * none of the stages, database drivers, chart or PNG libraries, nor the lock modules.
 */
import { describeConnection } from '../config/connection.js';
import type { LoadedConfig } from '../config/types.js';
import type { HstlcDb } from '../db/connect.js';
import { createProgress, type Progress } from '../log/progress.js';
import type { TextSink } from '../log/console.js';
import type { HstlcLogger } from '../log/logger.js';
import type { StageLogger } from '../pipeline/log.js';
import type { ProgressSink, Stage, StageEnvironment, StageProgress, StageResultSet } from '../pipeline/stage.js';
import type { CliContext } from './context.js';
import { ExitCode } from './errors.js';
import { atInterrupt, guardInterrupts, noteProgress, resumeCommand } from './interrupt.js';

/** A progress display for one phase (a bar on a terminal, lines elsewhere). */
export interface ProgressView {
  update(p: StageProgress): void;
  stop(): void;
}

export type ProgressViewFactory = (ctx: CliContext, first: StageProgress, log: HstlcLogger) => ProgressView;

/**
 * log/progress.ts on the CLI's stderr, labelled with the phase (a bar on a terminal, lines to the log
 * elsewhere); with `detail`, the bar shows the failures so far and the current item instead of the ETA.
 */
export function progressView(options: { detail?: boolean } = {}): ProgressViewFactory {
  return (ctx, first, log) => {
    const bar: Progress = createProgress({
      total: first.total,
      label: first.phase,
      stream: ctx.io.stderr as TextSink & NodeJS.WritableStream,
      env: ctx.io.env,
      logger: { info: (m) => log.info(m) },
      quiet: ctx.globals().quiet,
      ...(options.detail === true ? { detail: true } : {}),
    });
    return {
      update: (p) => bar.update(p.done, { ...(p.failures !== undefined ? { failures: p.failures } : {}), ...(p.current !== undefined ? { current: p.current } : {}) }),
      stop: () => bar.stop(),
    };
  };
}

/** The CLI's logger as a stage logs through it (pipeline/log.ts StageLogger). */
export function stageLogger(log: HstlcLogger): StageLogger {
  return { info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m), debug: (m) => log.debug(m) };
}

export interface StageCommand<Input, Summary> {
  /** The stage, loaded when the command runs: `async () => (await import('../../pipeline/x.js')).xStage`. */
  stage: () => Promise<Stage<Input, Summary>>;
  input: Input;
  /** The lines printed at the end (and written to the log file); with --json the summary is printed. */
  lines: (summary: Summary) => string[];
  /** Use this config instead of the CLI's (demo runs on its own). */
  config?: LoadedConfig;
  /** Also log to <log_dir> (default true: the stages the original logged). */
  logFile?: boolean;
  /** Print the summary (default true). */
  print?: boolean;
  progressView?: ProgressViewFactory;
  /** Put before the lock holder's message ("the pipeline did not start: "). */
  lockedPrefix?: string;
  /**
   * An unreachable database is a usage error (exit 2, with the connection named, password masked)
   * instead of a failure (exit 1).
   */
  databaseIsUsage?: boolean;
  /**
   * The command that resumes the work after Ctrl-C (default: `hstlc --config <its config> <command>`).
   */
  resume?: string;
  /** A failure the command explains itself; return true when handled (the exit code is set). */
  onError?: (err: unknown, log: HstlcLogger) => boolean | Promise<boolean>;
}

/** --wait: runStage waits for the lock, and says once whom it waits for. */
function waitOption(ctx: CliContext): Pick<StageEnvironment, 'waitForLock'> {
  const seconds = ctx.globals().waitSeconds;
  if (seconds === undefined) return {};
  const limit = Number.isFinite(seconds) ? ` (at most ${seconds} s)` : '';
  return { waitForLock: { timeoutMs: seconds * 1000, onWait: (holder) => ctx.io.stderr.write(`waiting${limit}: ${holder}\n`) } };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The progress sink of a run: a view per phase, the previous one finished when the phase changes. */
export function progressSink(ctx: CliContext, log: HstlcLogger, factory: ProgressViewFactory): ProgressSink {
  let view: ProgressView | undefined;
  let phase: string | undefined;
  return {
    update(p) {
      if (phase !== p.phase) {
        view?.stop();
        phase = p.phase;
        view = factory(ctx, p, log);
      }
      view?.update(p);
      noteProgress(p);
    },
    stop() {
      view?.stop();
      view = undefined;
      phase = undefined;
    },
  };
}

/**
 * Run a stage for a command. Returns the result set, or undefined when the stage did not run or stopped
 * (already reported: lock held, database unreachable with `databaseIsUsage`, or `onError` handled it).
 */
export async function runStageCommand<Input, Summary>(ctx: CliContext, command: StageCommand<Input, Summary>): Promise<StageResultSet<Summary> | undefined> {
  const cfg = command.config ?? (await ctx.config());
  const log = await ctx.logger({ file: command.logFile !== false });
  // Said before the database and the stage load (seconds on a busy machine), so a run shows at once that it started.
  log.info(`Starting ${ctx.command} (config ${cfg.source.path ?? cfg.source.kind}, database ${describeConnection(cfg.db)})`);
  // Ctrl-C from here on: one line and exit 130 (cli/interrupt.ts); the lock, once taken, is released.
  const guard = guardInterrupts(ctx.io.stderr, command.resume ?? resumeCommand(cfg.source.path, ctx.command));
  try {
    return await connectAndRun(ctx, command, cfg, log);
  } finally {
    guard.release();
  }
}

async function connectAndRun<Input, Summary>(ctx: CliContext, command: StageCommand<Input, Summary>, cfg: LoadedConfig, log: HstlcLogger): Promise<StageResultSet<Summary> | undefined> {
  const { connectDatabase } = await import('../db/index.js');
  let handle: HstlcDb;
  try {
    handle = await connectDatabase(cfg.db, { onCreatedDirectory: (dir) => log.info(`Created the folder ${dir} for the database ${describeConnection(cfg.db)}`) });
  } catch (err) {
    if (command.databaseIsUsage !== true) throw err;
    const text = `cannot use the database ${describeConnection(cfg.db)}: ${message(err)}`;
    log.error({ fileOnly: true }, text);
    ctx.out.error(`${text}\nNothing was done; check db_connection_string (hstlc config shows it) and that the server is up.`);
    ctx.setExitCode(ExitCode.USAGE);
    return undefined;
  }
  const progress = progressSink(ctx, log, command.progressView ?? progressView());
  const unregister: Array<() => void> = [];
  try {
    const [{ runStage }, stage] = await Promise.all([import('../pipeline/stage.js'), command.stage()]);
    const set = await runStage(
      stage,
      {
        db: handle,
        settings: cfg,
        env: ctx.io.env,
        logger: stageLogger(log),
        progress,
        ...waitOption(ctx),
        onLocked: (lock) => unregister.push(atInterrupt(() => lock.release())),
      },
      command.input,
    );
    progress.stop();
    reportStage(ctx, log, set, command.lines(set.summary), command.print !== false);
    return set;
  } catch (err) {
    progress.stop();
    const locked = await lockError(err);
    if (locked !== undefined) {
      reportLocked(ctx, locked, command.lockedPrefix);
      return undefined;
    }
    if ((await command.onError?.(err, log)) === true) return undefined;
    throw err;
  } finally {
    for (const fn of unregister) fn();
    await handle.close();
  }
}

/** How every stage command ends: summary lines to the log file and stdout (or JSON), exit 1 if an item failed. */
export function reportStage<S>(ctx: CliContext, log: HstlcLogger, set: Pick<StageResultSet<S>, 'ok' | 'summary'>, lines: readonly string[], print = true): void {
  for (const line of lines) if (line !== '') log.info({ fileOnly: true }, line);
  if (print) ctx.out.result(set.summary, () => [...lines]);
  if (!set.ok) ctx.setExitCode(ExitCode.ITEMS_FAILED);
}

/** Another hstlc process holds the lock (home_dir's or download_dir's), or home_dir is busy. */
async function lockError(err: unknown): Promise<Error | undefined> {
  const [{ HomeBusyError, HomeLockedError }, { LockedError }] = await Promise.all([import('../archive/home-lock.js'), import('../mast/lock.js')]);
  return err instanceof HomeLockedError || err instanceof LockedError || err instanceof HomeBusyError ? err : undefined;
}

/** Another hstlc process holds the lock: say so, exit 1. */
function reportLocked(ctx: CliContext, err: Error, prefix = ''): void {
  ctx.out.error(`${prefix}${err.message}`);
  ctx.setExitCode(ExitCode.ITEMS_FAILED);
}
