import type { Command } from 'commander';
import path from 'node:path';
import { resolve } from 'node:path';
import type { GridKind, PeriodogramMethod } from '../../analysis/index.js';
import type { PlotsSummary } from '../../pipeline/plots.js';
import type { SiteResult } from '../../plots/site.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { examples } from '../examples.js';
import { progressSink, progressView, runStageCommand } from '../stage.js';
import { UsageError } from '../errors.js';
import { noWaitOption, periodogramGridOption, periodogramMethodOption } from '../options.js';

interface PlotsOptions {
  fromDir?: string;
  stats?: string;
  periodograms?: string;
  plotDir?: string;
  force?: boolean;
  algorithm?: GridKind;
  method: PeriodogramMethod;
  /** --no-wait (engine graphile). */
  wait?: boolean;
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

function describe(result: SiteResult, plotDir: string): string[] {
  const lines = [
    `${result.items.length} lightcurves: ${result.written} outputs written, ${result.unchanged} unchanged, ${result.removed} removed, ${result.failed} failed (${(result.ms / 1000).toFixed(1)} s)`,
    `site: ${resolve(plotDir, 'index.html')}`,
  ];
  for (const item of result.items) if (item.status === 'failed') lines.push(`FAILED ${item.name}: ${item.error ?? 'unknown error'}`);
  for (const page of result.pages) if (page.status === 'failed') lines.push(`FAILED ${page.path}: ${page.error ?? 'unknown error'}`);
  return lines;
}

/** The lines printed at the end of a database run (with --json, the summary itself is printed). */
export function describePlotsSummary(s: PlotsSummary): string[] {
  const c = s.counts;
  const lines = [
    `${pad('lightcurves', 13)}${c.done} drawn, ${c.unchanged} unchanged, ${c.failed} failed, ${c.skipped} skipped (${c.composites} composites, ${c.individuals} individual)`,
    `${pad('tables', 13)}${s.tables.interesting} interesting, ${s.tables.boring} boring, ${s.tables.low_counts} low counts, ${s.tables.null} without statistics`,
    `${pad('outputs', 13)}${s.outputs.written} written, ${s.outputs.unchanged} unchanged, ${s.outputs.removed} removed, ${s.outputs.failed} failed`,
    `${pad('periodograms', 13)}${s.periodograms.computed} computed, ${s.periodograms.cached} cached (${s.grid} grid)`,
    `${pad('time', 13)}${(s.elapsedMs / 1000).toFixed(1)} s, ${s.parallel ? `${s.numCores} threads` : 'in-process'}`,
    `${pad('site', 13)}${s.site}`,
  ];
  if (s.pendingComposites > 0) lines.push(`${pad('skipped', 13)}${s.pendingComposites} composite(s) being rebuilt (no file yet)`);
  const notable = s.items.filter((x) => x.status === 'failed' || x.status === 'skipped');
  const pages = s.pages.filter((p) => p.status === 'failed');
  if (notable.length > 0 || pages.length > 0) lines.push('');
  for (const x of notable) lines.push(`${pad(x.status, 8)}${path.basename(x.path)}: ${x.reason ?? ''}`);
  for (const p of pages) lines.push(`${pad('failed', 8)}${p.path}: ${p.error ?? ''}`);
  return lines;
}

/** `hstlc plots` — alias `make_hstlc_plots` (§12). */
export function registerPlots(program: Command, ctx: CliContext): void {
  program
    .command('plots')
    .summary('make every plot and web page')
    .description(
      'Make the static image of every lightcurve recorded in the database, the interactive dashboard of ' +
        'every composite, the periodogram of each, the exploratory tables (interesting, boring, no ' +
        'statistics), histograms and configuration charts and an index.html, all in plot_dir. The pages ' +
        'work offline. Statistics come from the stats table (run `hstlc stats` first); periodograms are ' +
        'computed on the config\'s "algorithm" grid unless --algorithm is given. Only what changed since ' +
        'the last run is redrawn. A lightcurve that fails is reported and the others still run (exit 1). ' +
        'With --from-dir, a folder of lightcurve files is plotted instead of the database (statistics from ' +
        '--stats, a JSON array of stats-table rows; periodograms from --periodograms).',
    )
    .option('--plot-dir <dir>', 'where to write the site (default: plot_dir of the config)')
    .option('--force', 'redraw everything, even what is unchanged')
    .addOption(noWaitOption())
    .addOption(periodogramGridOption("periodogram grid: 'corrected' or 'compat' (default: the config's)"))
    .addOption(periodogramMethodOption("periodogram computation: 'auto', 'exact' or 'fast'"))
    .option('--from-dir <dir>', 'plot the lightcurve FITS files of this folder instead of the database (searched recursively)')
    .option('--stats <file>', 'with --from-dir: JSON array of stats records (matched by lightcurve_filename)')
    .option('--periodograms <dir>', 'with --from-dir: folder of <name>.json periodograms ({short,med,long: {periods_days, power}})')
    .addHelpText(
      'after',
      examples(
        '$ hstlc plots',
        '$ hstlc --json plots --force',
        '$ hstlc plots --from-dir outputs/composite --stats stats.json --plot-dir site',
        '$ make_hstlc_plots   (original name)',
      ),
    )
    .action(async (opts: PlotsOptions) => {
      if (opts.fromDir) {
        await fromDir(ctx, opts);
        return;
      }
      const cfg = await ctx.config();
      // DESIGN §9: with engine graphile, one job per periodogram, then the site, for hstlc worker processes.
      if (cfg.engine === 'graphile') {
        if (opts.plotDir !== undefined || opts.force === true || opts.algorithm !== undefined) throw new UsageError('--plot-dir, --force and --algorithm are for engine local; the graphile engine draws into plot_dir with the config\'s algorithm');
        await (await import('../engine.js')).runOnEngine(ctx, cfg, {
          command: 'plots',
          wait: opts.wait !== false,
          method: opts.method,
          report: (s) => {
            const detail = s.plots.detail as PlotsSummary | undefined;
            return detail !== undefined ? { summary: detail, lines: describePlotsSummary(detail) } : { summary: s, lines: [`plots not made: ${s.plots.message ?? 'the site job did not run'}`] };
          },
        });
        return;
      }
      await runStageCommand(ctx, {
        stage: async () => (await import('../../pipeline/plots.js')).plotsStage,
        input: {
          ...(opts.plotDir !== undefined ? { plotDir: opts.plotDir } : {}),
          force: opts.force === true,
          ...(opts.algorithm !== undefined ? { grid: opts.algorithm } : {}),
          method: opts.method,
        },
        lines: describePlotsSummary,
      });
    });
}

/** `--from-dir`: a folder of lightcurves, no database. */
async function fromDir(ctx: CliContext, opts: PlotsOptions & { fromDir?: string }): Promise<void> {
  const plotDir = opts.plotDir ?? (await ctx.config()).plot_dir;
  const log = await ctx.logger({ file: opts.plotDir === undefined });
  const [{ recordsFromDir }, { buildSite }] = await Promise.all([import('../../plots/from-dir.js'), import('../../plots/site.js')]);
  const records = await recordsFromDir({ dir: opts.fromDir!, statsFile: opts.stats, periodogramDir: opts.periodograms });
  log.info(`Creating plots for ${records.length} lightcurves in ${plotDir}`);
  const progress = progressSink(ctx, log, progressView());
  const result = await buildSite({
    plotDir,
    records,
    force: opts.force === true,
    onItem: (item, done, total) => {
      progress.update({ phase: 'plots', done, total });
      if (item.status === 'failed') log.error(`Failed to plot ${item.name}: ${item.error ?? ''}`);
    },
  });
  progress.stop();
  log.info('Processing complete');
  ctx.out.result(result, (r) => describe(r, plotDir));
  if (result.failed > 0) ctx.setExitCode(ExitCode.ITEMS_FAILED);
}
