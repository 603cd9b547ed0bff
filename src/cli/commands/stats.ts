import path from 'node:path';
import { Argument, InvalidArgumentError, type Command } from 'commander';
import type { GridKind, PeriodogramMethod } from '../../analysis/index.js';
import { INTEREST_RULE } from '../../analysis/interest.js';
import { invalidProductTypeMessage, isProductType, type ProductType } from '../../pipeline/product-type.js';
import type { StatsSummary } from '../../pipeline/stats.js';
import type { CliContext } from '../context.js';
import { examples } from '../examples.js';
import { runStageCommand } from '../stage.js';
import { noWaitOption, periodogramGridOption, periodogramMethodOption } from '../options.js';

/** §11.1: the original asserted this and printed its own message; ours exits 2 with the same words. */
function productType(value: string): ProductType {
  if (!isProductType(value)) throw new InvalidArgumentError(invalidProductTypeMessage(value));
  return value;
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** The lines printed at the end (with --json, the summary itself is printed). */
export function describeStatsSummary(s: StatsSummary): string[] {
  const secs = s.elapsedMs / 1000;
  const lines = [
    `${pad('lightcurves', 13)}${s.counts.done} done${s.counts.unchanged > 0 ? ` (${s.counts.unchanged} unchanged since their rows were stored: kept)` : ''}, ${s.counts.failed} failed (${s.type})`,
    `${pad('flags', 13)}${s.interesting} composite(s) interesting, ${s.lowCounts} with low counts, ${s.deliverable} deliverable`,
    `${pad('', 13)}interesting: ${INTEREST_RULE}`,
    `${pad('periodogram', 13)}${s.grid} grid, ${s.method} method`,
    `${pad('time', 13)}${secs.toFixed(1)} s, ${s.filesPerSecond.toFixed(2)} files/s, ${s.parallel ? `${s.numCores} threads` : 'in-process'}`,
  ];
  if (s.pendingComposites > 0) lines.push(`${pad('skipped', 13)}${s.pendingComposites} composite(s) being rebuilt (no file yet)`);
  const failed = s.files.filter((f) => f.status === 'failed');
  if (failed.length > 0) {
    lines.push('');
    for (const f of failed) lines.push(`failed  ${path.basename(f.path)}: ${f.reason ?? ''}`);
  }
  return lines;
}

interface StatsCommandOptions {
  algorithm?: GridKind;
  method: PeriodogramMethod;
  force?: boolean;
}

/** `hstlc stats` — alias `build_stats_table <product_type>` (§11). */
export function registerStats(program: Command, ctx: CliContext): void {
  program
    .command('stats')
    .summary('compute the statistics table of the lightcurves')
    .description(
      'Compute the statistics of every lightcurve recorded in the database (counts, Pearson test, ' +
        'periodogram peaks, the "interesting" flags) and store them in the stats table, one row per ' +
        'lightcurve file. A file that cannot be read is reported and the others still run (exit code 1). ' +
        'The periodogram grid is the config\'s "algorithm" unless --algorithm is given. A lightcurve whose data ' +
        '(counts, mjd, net) and settings are those its stored row was computed from is not analysed again (--force does). ' +
        'The periodograms are left in plot_dir for hstlc plots.',
    )
    .addArgument(new Argument('[type]', 'which lightcurves: individual, composite or both').argParser(productType).default('both'))
    .addOption(periodogramGridOption("periodogram grid: 'corrected' (oversampled in frequency) or 'compat' (the original's)"))
    .addOption(periodogramMethodOption("periodogram computation: 'auto', 'exact' (direct sum) or 'fast' (NUFFT, same decisions)"))
    .option('--force', 'recompute every row, also those whose lightcurve data are unchanged since their row was stored')
    .addOption(noWaitOption())
    .addHelpText(
      'after',
      examples('$ hstlc stats', '$ hstlc stats composite', '$ hstlc --json stats individual --algorithm compat', '$ build_stats_table both   (original name)'),
    )
    .action(async (type: ProductType, opts: StatsCommandOptions & { wait: boolean }) => {
      const cfg = await ctx.config();
      // DESIGN §9: with engine graphile, one job per lightcurve for hstlc worker processes.
      if (cfg.engine === 'graphile') {
        await (await import('../engine.js')).runOnEngine(ctx, { ...cfg, algorithm: opts.algorithm ?? cfg.algorithm }, { command: 'stats', wait: opts.wait, type, method: opts.method, force: opts.force === true, report: (s) => ({ summary: s.stats, lines: describeStatsSummary(s.stats) }) });
        return;
      }
      await runStageCommand(ctx, {
        stage: async () => (await import('../../pipeline/stats.js')).statsStage,
        input: { type, ...(opts.algorithm !== undefined ? { grid: opts.algorithm } : {}), method: opts.method, force: opts.force === true },
        lines: describeStatsSummary,
      });
    });
}
