import type { Command } from 'commander';
import { periodogramGridOption, periodogramMethodOption } from '../options.js';
import type { LightcurveAnalysis, PeriodogramSummary, StatsRow } from '../../analysis/index.js';
import type { GridKind, PeriodogramMethod } from '../../analysis/index.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { examples } from '../examples.js';
import { aboutOnce } from '../output-file.js';

/** One file's outcome: the stats columns under their table names (null = NULL), or why it failed. */
export type LightcurveStatsResult =
  | ({ file: string; periodogram_summary: PeriodogramSummary | null } & StatsRow)
  | { file: string; error: string };

interface LightcurveStatsOptions {
  algorithm: GridKind;
  method: PeriodogramMethod;
}

const fmt = (x: number | null): string => (x === null ? 'NULL' : Number.isInteger(x) ? String(x) : x.toPrecision(7));

function describe(result: LightcurveStatsResult): string[] {
  if ('error' in result) return [`${result.file}: FAILED: ${result.error}`];
  const lines = [
    result.file,
    `  total ${fmt(result.total)}  mean ${fmt(result.mean)}  mu ${fmt(result.mu)}  stdev ${fmt(result.stdev)}  poisson_factor ${fmt(result.poisson_factor)}`,
    `  pearson_r ${fmt(result.pearson_r)}  pearson_p ${fmt(result.pearson_p)}  periodogram ${result.periodogram}  deliver ${result.deliver}`,
    `  best_period ${fmt(result.best_period)} d  best_power ${fmt(result.best_power)}  false_alarm_probability ${fmt(result.false_alarm_probability)}`,
  ];
  const summary = result.periodogram_summary;
  if (summary !== null) {
    for (const [space, s] of Object.entries(summary.spaces)) {
      const peaks = s.significant_powers.length === 0 ? 'none' : `${s.significant_powers.length} (max ${fmt(Math.max(...s.significant_powers))})`;
      lines.push(`  ${space.padEnd(5)} ${summary.grid} grid, ${s.n} periods (${s.method}): mean ${fmt(s.mean)}  mean+3σ ${fmt(s.three_sigma)}  max ${fmt(s.max_power)}  significant ${peaks}`);
    }
  }
  return lines;
}

function toResult(file: string, analysis: LightcurveAnalysis): LightcurveStatsResult {
  return { file, ...analysis.row, periodogram_summary: analysis.periodogram ?? null };
}

/** `hstlc lightcurve-stats` — the stats row of lightcurve files, no database (§11.2). */
export function registerLightcurveStats(program: Command, ctx: CliContext): void {
  program
    .command('lightcurve-stats')
    .summary('print the statistics of lightcurve files')
    .description(
      'Compute and print the statistics row (as in the stats table) and periodogram summary of each ' +
        'lightcurve file given, without touching the database. With --json, prints one JSON array, one ' +
        'object per file (NULL values as null). A file that cannot be read is reported and the others ' +
        'still run; the exit code is then 1.',
    )
    .argument('<files...>', 'lightcurve FITS files')
    .addOption(periodogramGridOption("periodogram grid: 'corrected' (oversampled in frequency) or 'compat' (the original's)").default('corrected'))
    .addOption(periodogramMethodOption("periodogram computation: 'auto', 'exact' (direct sum) or 'fast' (NUFFT, same decisions)"))
    .addHelpText(
      'after',
      examples('$ hstlc lightcurve-stats lb4m01a1q_curve.fits', '$ hstlc lightcurve-stats --json --algorithm compat outputs/*/*.fits'),
    )
    .action(async (files: string[], options: LightcurveStatsOptions) => {
      // Progress on stderr (a periodogram can take many seconds per file), said before anything loads;
      // each file's lines are printed as soon as it is done (with --json, the array at the end).
      const log = await ctx.logger();
      log.info(`Statistics of ${files.length} lightcurve file(s), ${options.algorithm} grid, periodogram method ${options.method}`);
      const { analyzeLightcurveFile } = await import('../../analysis/index.js');
      const results: LightcurveStatsResult[] = [];
      for (const [i, file] of files.entries()) {
        log.info(`${i + 1}/${files.length} ${file}: computing the statistics and periodogram`);
        const t0 = performance.now();
        let result: LightcurveStatsResult;
        try {
          result = toResult(file, await analyzeLightcurveFile(file, { grid: options.algorithm, method: options.method }));
          log.info(`${i + 1}/${files.length} ${file}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        } catch (e) {
          const reason = e instanceof Error ? e.message : String(e);
          result = { file, error: reason };
          ctx.out.error(aboutOnce(file, reason));
          ctx.setExitCode(ExitCode.ITEMS_FAILED);
        }
        results.push(result);
        if (!ctx.out.json && !('error' in result)) ctx.out.print(...describe(result));
      }
      if (ctx.out.json) ctx.out.result(results, (rs) => rs.flatMap(describe));
    });
}
