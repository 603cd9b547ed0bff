import type { Command } from 'commander';
import { HomeLockedError } from '../../archive/home-lock.js';
import { describeConnection } from '../../config/connection.js';
import type { LoadedConfig } from '../../config/types.js';
import { connectDatabase, type HstlcDb } from '../../db/index.js';
import type { TextSink } from '../../log/console.js';
import { createProgress, type Progress } from '../../log/progress.js';
import { describePipeline, PipelineStopped, runPipeline, type PipelineSummary } from '../../pipeline/pipeline.js';
import { loadAliasFile } from '../../targets/aliases.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { examples } from '../not-available.js';
import { reportStage, reportLocked } from '../stage.js';
import { runOnEngine } from '../engine.js';

export interface PipelineRunOptions {
  corrtagExtract?: boolean;
  /** Print the summary (default true); demo prints its own around it. */
  print?: boolean;
  /**
   * Also log to <log_dir> of the CLI's config (default true). The demo runs on its own config, which
   * the CLI's logger does not know, so it logs to the console only.
   */
  logFile?: boolean;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Run the pipeline for a command (`pipeline`, `demo`): connect, run, print the summary, set the exit
 * code. Returns the summary, or undefined when the pipeline could not run or stopped (already reported).
 */
export async function runPipelineCommand(ctx: CliContext, cfg: LoadedConfig, opts: PipelineRunOptions = {}): Promise<PipelineSummary | undefined> {
  const log = await ctx.logger({ file: opts.logFile !== false });
  let handle: HstlcDb;
  try {
    handle = await connectDatabase(cfg.db);
  } catch (err) {
    const text = `cannot use the database ${describeConnection(cfg.db)}: ${message(err)}`;
    log.error({ fileOnly: true }, text);
    ctx.out.error(`${text}\nNothing was done; check db_connection_string (hstlc config shows it) and that the server is up.`);
    ctx.setExitCode(ExitCode.USAGE);
    return undefined;
  }
  const stream = ctx.io.stderr as TextSink & NodeJS.WritableStream;
  let progress: Progress | undefined;
  let label = '';
  const show = (name: string, done: number, total: number): void => {
    if (label !== name) {
      progress?.stop();
      label = name;
      progress = createProgress({ total, label: name, stream, env: ctx.io.env, logger: { info: (m) => log.info(m) }, quiet: ctx.globals().quiet });
    }
    progress?.update(done);
  };
  try {
    const aliases = await loadAliasFile(cfg.target_aliases);
    const summary = await runPipeline(handle, {
      settings: cfg,
      corrtagExtract: opts.corrtagExtract === true,
      aliases,
      matchRadiusArcsec: cfg.target_match_radius,
      env: ctx.io.env,
      logger: { info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
      onStage: (_stage, event) => {
        if (event === 'end') {
          progress?.stop();
          progress = undefined;
          label = '';
        }
      },
      onIngestProgress: (p) => show(p.phase === 'files' ? 'ingest' : 'composites', p.done, p.total),
      onStatsProgress: (p) => show('stats', p.done, p.total),
      onPlotsProgress: (phase, done, total) => show(phase, done, total),
    });
    progress?.stop();
    reportStage(ctx, log, summary, describePipeline(summary, cfg), opts.print !== false);
    return summary;
  } catch (err) {
    progress?.stop();
    if (err instanceof HomeLockedError) {
      reportLocked(ctx, err, 'the pipeline did not start: ');
      return undefined;
    }
    if (err instanceof PipelineStopped) {
      log.error({ fileOnly: true }, err.message);
      const done = err.stages.filter((s) => s.status !== 'failed' && s.status !== 'not run').map((s) => s.stage);
      const skipped = err.stages.filter((s) => s.status === 'not run').map((s) => s.stage);
      ctx.out.error(
        `${err.message}` +
          (done.length > 0 ? `\n${done.join(', ')} finished before it.` : '') +
          (skipped.length > 0 ? ` Not run: ${skipped.join(', ')}.` : '') +
          '\nFix the cause and run the pipeline again; it takes up where it stopped.',
      );
      ctx.setExitCode(ExitCode.ITEMS_FAILED);
      return undefined;
    }
    throw err;
  } finally {
    await handle.close();
  }
}

/** `hstlc pipeline` — alias `hstlc_pipeline [-corrtag_extract]` (§14.5). */
export function registerPipeline(program: Command, ctx: CliContext): void {
  program
    .command('pipeline')
    .summary('run ingest, then stats, then plots')
    .description(
      'Run the whole pipeline on what is in ingest_dir: ingest, then stats for both individual and ' +
        'composite lightcurves, then plots. Each stage runs even if some items of the one before failed; ' +
        'a stage that cannot run at all (database unreachable, home_dir locked) stops the pipeline. ' +
        'Prints a summary (files ingested, bad and failed; composites; interesting lightcurves; where ' +
        'the outputs are) and exits 1 if anything failed, 2 if there is no usable configuration or database.',
    )
    .option('--corrtag-extract', 'passed to ingest: re-derive existing STIS corrtags')
    .option('--no-wait', 'engine graphile: return once the jobs are queued (hstlc worker runs them)')
    .addHelpText(
      'after',
      examples('$ hstlc pipeline', '$ hstlc --config prod.yaml pipeline --corrtag-extract', '$ hstlc --json pipeline', '$ hstlc_pipeline -corrtag_extract   (original name)'),
    )
    .action(async (opts: { corrtagExtract?: boolean; wait: boolean }) => {
      const cfg = await ctx.config();
      if (cfg.source.kind === 'defaults') {
        ctx.out.error(
          'no configuration file found (looked at --config, $HSTLC_CONFIG, ./hstlc.yaml, ~/.hstlc/config.yaml). ' +
            'Write one (hstlc config shows the settings in use), or try `hstlc demo` for a ready one.',
        );
        ctx.setExitCode(ExitCode.USAGE);
        return;
      }
      // DESIGN §9: the same stages as jobs for `hstlc worker` processes, on any number of hosts.
      if (cfg.engine === 'graphile') await runOnEngine(ctx, cfg, { command: 'pipeline', wait: opts.wait, corrtagExtract: opts.corrtagExtract === true });
      else await runPipelineCommand(ctx, cfg, { corrtagExtract: opts.corrtagExtract === true });
    });
}
