/**
 * The stage commands with `engine: graphile` (DESIGN §9): open the engine, submit the run, then follow
 * it (progress from the job table: done / running / failed per kind, a bar on a TTY) and print the same
 * summary as the local engine — or, with --no-wait, say what was queued and return.
 */
import { describeConnection } from '../config/connection.js';
import type { LoadedConfig } from '../config/types.js';
import { connectDatabase, type HstlcDb } from '../db/index.js';
import type { TextSink } from '../log/console.js';
import { createProgress, isCI, type Progress } from '../log/progress.js';
import { openEngine, type Engine } from '../pipeline/engine/graphile.js';
import { MarkerError } from '../pipeline/engine/marker.js';
import { describeProgress, pipelineSummaryOf, submitRun, waitForRun, type SubmitOptions } from '../pipeline/engine/submit.js';
import type { PipelineSummary } from '../pipeline/pipeline.js';
import { describePipeline } from './describe-pipeline.js';
import type { CliContext } from './context.js';
import { ExitCode } from './errors.js';
import { reportStage } from './stage.js';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Open the database and the engine, or report why not (exit 2) and return undefined. */
export async function openForEngine(ctx: CliContext, cfg: LoadedConfig): Promise<{ handle: HstlcDb; engine: Engine } | undefined> {
  let handle: HstlcDb | undefined;
  try {
    handle = await connectDatabase(cfg.db);
    const engine = await openEngine(cfg, handle);
    return { handle, engine };
  } catch (err) {
    await handle?.close().catch(() => undefined);
    ctx.out.error(`cannot use the job engine on ${describeConnection(cfg.db)}: ${message(err)}`);
    ctx.setExitCode(ExitCode.USAGE);
    return undefined;
  }
}

export interface EngineRunOptions {
  command: SubmitOptions['command'];
  wait: boolean;
  corrtagExtract?: boolean;
  type?: SubmitOptions['type'];
  method?: SubmitOptions['method'];
  force?: boolean;
  /** What to print: a stage command's own summary out of the run's (default the pipeline's). */
  report?: (s: PipelineSummary) => { summary: { ok: boolean }; lines: string[] };
}

/** Submit `command` to the engine; wait and print the pipeline summary unless `wait` is false. */
export async function runOnEngine(ctx: CliContext, cfg: LoadedConfig, o: EngineRunOptions): Promise<PipelineSummary | undefined> {
  const opened = await openForEngine(ctx, cfg);
  if (opened === undefined) return undefined;
  const { handle, engine } = opened;
  const log = await ctx.logger({ file: true });
  let progress: Progress | undefined;
  try {
    const submitted = await submitRun(handle, engine, {
      settings: cfg,
      command: o.command,
      ...(o.corrtagExtract !== undefined ? { corrtagExtract: o.corrtagExtract } : {}),
      ...(o.type !== undefined ? { type: o.type } : {}),
      ...(o.method !== undefined ? { method: o.method } : {}),
      ...(o.force === true ? { force: true } : {}),
    });
    const queued = `run ${submitted.run}: ${submitted.files} file(s) queued${submitted.composites > 0 ? `, ${submitted.composites} waiting composite group(s)` : ''} on ${engine.schema}`;
    log.info(queued);
    if (!o.wait) {
      ctx.out.result({ run: submitted.run, files: submitted.files, composites: submitted.composites, schema: engine.schema, waiting: false }, () => [
        queued,
        'Not waiting: hstlc worker processes run the jobs; hstlc status shows how far they are.',
      ]);
      return undefined;
    }
    const stream = ctx.io.stderr as TextSink & NodeJS.WritableStream;
    // A bar at a terminal; in logs and CI, the per-kind line when it changes (at most every 2 s).
    const interactive = stream.isTTY === true && !isCI(ctx.io.env) && !ctx.globals().quiet;
    let last = '';
    let lastAt = 0;
    let total = 0;
    await waitForRun(handle, engine, submitted.run, {
      onProgress: (p) => {
        const line = describeProgress(p);
        const all = p.kinds.reduce((n, k) => n + k.done + k.failed + k.running + k.queued + k.retrying, 0);
        const done = p.kinds.reduce((n, k) => n + k.done + k.failed, 0);
        if (interactive) {
          // The number of jobs grows as the plans run (and a waiting job briefly counts twice): a new
          // bar only when it grows past what was seen.
          if (progress === undefined || all > total) {
            progress?.stop();
            total = all;
            progress = createProgress({ total: Math.max(1, all), label: `run ${submitted.run}`, stream, env: ctx.io.env });
          }
          progress.update(Math.min(done, total));
        }
        if (line !== last && (p.live === 0 || Date.now() - lastAt >= 2000)) {
          if (interactive) log.info({ fileOnly: true }, line);
          else log.info(line);
          last = line;
          lastAt = Date.now();
        }
      },
    });
    progress?.stop();
    progress = undefined;
    const summary = await pipelineSummaryOf(handle, engine, submitted, cfg, { ...(o.type !== undefined ? { type: o.type } : {}), ...(o.method !== undefined ? { method: o.method } : {}) });
    const shown = o.report?.(summary) ?? { summary, lines: describePipeline(summary, cfg) };
    reportStage(ctx, log, { ok: shown.summary.ok, summary: shown.summary }, shown.lines);
    return summary;
  } catch (err) {
    progress?.stop();
    if (err instanceof MarkerError) {
      ctx.out.error(err.message);
      ctx.setExitCode(ExitCode.USAGE);
      return undefined;
    }
    throw err;
  } finally {
    await engine.close();
    await handle.close();
  }
}
