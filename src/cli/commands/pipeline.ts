import type { Command } from 'commander';
import type { LoadedConfig } from '../../config/types.js';
import type { PipelineSummary } from '../../pipeline/pipeline.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { examples } from '../examples.js';
import { resumeCommand } from '../interrupt.js';
import { corrtagExtractOption, type IngestCommandOptions, noWaitOption } from '../options.js';
import { runStageCommand } from '../stage.js';
import { describePipeline } from '../describe-pipeline.js';

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

/**
 * Run the pipeline for a command (`pipeline`, `demo`): connect, run, print the summary, set the exit
 * code. Returns the summary, or undefined when the pipeline could not run or stopped (already reported).
 */
export async function runPipelineCommand(ctx: CliContext, cfg: LoadedConfig, opts: PipelineRunOptions = {}): Promise<PipelineSummary | undefined> {
  const { loadAliasFile } = await import('../../targets/aliases.js');
  const aliases = await loadAliasFile(cfg.target_aliases);
  const set = await runStageCommand(ctx, {
    stage: async () => (await import('../../pipeline/pipeline.js')).pipelineStage,
    input: { corrtagExtract: opts.corrtagExtract === true, aliases, matchRadiusArcsec: cfg.target_match_radius },
    lines: (summary) => describePipeline(summary, cfg),
    config: cfg,
    resume: resumeCommand(cfg.source.path, 'pipeline'),
    logFile: opts.logFile !== false,
    print: opts.print !== false,
    databaseIsUsage: true,
    lockedPrefix: 'the pipeline did not start: ',
    onError: async (err, log) => {
      const { PipelineStopped } = await import('../../pipeline/pipeline.js');
      if (!(err instanceof PipelineStopped)) return false;
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
      return true;
    },
  });
  return set?.summary;
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
    .addOption(corrtagExtractOption('passed to ingest: re-derive existing STIS corrtags'))
    .addOption(noWaitOption())
    .addHelpText(
      'after',
      examples('$ hstlc pipeline', '$ hstlc --config prod.yaml pipeline --corrtag-extract', '$ hstlc --json pipeline', '$ hstlc_pipeline -corrtag_extract   (original name)'),
    )
    .action(async (opts: IngestCommandOptions) => {
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
      if (cfg.engine === 'graphile') await (await import('../engine.js')).runOnEngine(ctx, cfg, { command: 'pipeline', wait: opts.wait, corrtagExtract: opts.corrtagExtract === true });
      else await runPipelineCommand(ctx, cfg, { corrtagExtract: opts.corrtagExtract === true });
    });
}
