import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { TextSink } from '../../log/console.js';
import { createProgress, type Progress } from '../../log/progress.js';
import { recordsFromDir } from '../../plots/from-dir.js';
import { buildSite, type SiteResult } from '../../plots/site.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { examples } from '../not-available.js';

interface PlotsOptions {
  fromDir?: string;
  stats?: string;
  periodograms?: string;
  plotDir?: string;
  force?: boolean;
}

function describe(result: SiteResult, plotDir: string): string[] {
  const lines = [
    `${result.items.length} lightcurves: ${result.written} outputs written, ${result.unchanged} unchanged, ${result.removed} removed, ${result.failed} failed (${(result.ms / 1000).toFixed(1)} s)`,
    `site: ${resolve(plotDir, 'index.html')}`,
  ];
  for (const item of result.items) if (item.status === 'failed') lines.push(`FAILED ${item.name}: ${item.error ?? 'unknown error'}`);
  for (const page of result.pages) if (page.status === 'failed') lines.push(`FAILED ${page.path}: ${page.error ?? 'unknown error'}`);
  return lines;
}

/** `hstlc plots` — alias `make_hstlc_plots` (§12). */
export function registerPlots(program: Command, ctx: CliContext): void {
  program
    .command('plots')
    .summary('make every plot and web page')
    .description(
      'Make the static and interactive plot of every composite lightcurve, the exploratory tables, ' +
        'histograms and configuration charts, the periodograms of flagged datasets and an index.html, ' +
        'all in plot_dir. The pages work offline. Only what changed since the last run is redrawn. ' +
        'Until the plots stage reads the database, give the lightcurves with --from-dir (statistics ' +
        'from --stats, a JSON array of stats-table rows; periodograms from --periodograms).',
    )
    .option('--from-dir <dir>', 'lightcurve FITS files to plot (searched recursively)')
    .option('--stats <file>', 'JSON array of stats records (stats table rows, matched by lightcurve_filename)')
    .option('--periodograms <dir>', 'folder of <name>.json periodograms ({short,med,long: {periods_days, power}})')
    .option('--plot-dir <dir>', 'where to write the site (default: plot_dir of the config)')
    .option('--force', 'redraw everything, even what is unchanged')
    .addHelpText(
      'after',
      examples('$ hstlc plots --from-dir outputs/composite --stats stats.json --plot-dir site', '$ make_hstlc_plots   (original name)'),
    )
    .action(async (opts: PlotsOptions) => {
      if (!opts.fromDir) {
        ctx.out.error('hstlc plots: reading the database is not available yet in this version; use --from-dir DIR');
        ctx.setExitCode(ExitCode.USAGE);
        return;
      }
      const plotDir = opts.plotDir ?? (await ctx.config()).plot_dir;
      const log = await ctx.logger({ file: opts.plotDir === undefined });
      const records = await recordsFromDir({ dir: opts.fromDir, statsFile: opts.stats, periodogramDir: opts.periodograms });
      log.info(`Creating plots for ${records.length} lightcurves in ${plotDir}`);
      let progress: Progress | undefined;
      const result = await buildSite({
        plotDir,
        records,
        force: opts.force === true,
        onItem: (item, done, total) => {
          progress ??= createProgress({
            total,
            label: 'plots',
            stream: ctx.io.stderr as TextSink & NodeJS.WritableStream,
            env: ctx.io.env,
            logger: { info: (m) => log.info(m) },
            quiet: ctx.globals().quiet,
          });
          progress.update(done);
          if (item.status === 'failed') log.error(`Failed to plot ${item.name}: ${item.error ?? ''}`);
        },
      });
      progress?.stop();
      log.info('Processing complete');
      ctx.out.result(result, (r) => describe(r, plotDir));
      if (result.failed > 0) ctx.setExitCode(ExitCode.ITEMS_FAILED);
    });
}
