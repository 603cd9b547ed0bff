import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { examples } from '../examples.js';
import { wavelengthRange } from '../parsers.js';
import { extractionAlgorithmOption, stepOption } from '../options.js';
import { algorithmParams, type AlgorithmName } from '../../lightcurve/algorithm.js';
import type { Lightcurve } from '../../lightcurve/table.js';

/** The one-line summary both commands print. */
export interface LightcurveSummary {
  output: string;
  bins: number;
  totalCounts: number;
  wavelength: [number, number];
  algorithm: AlgorithmName;
  warnings: string[];
}

export function summarize(output: string, lc: Lightcurve): LightcurveSummary {
  let total = 0;
  for (let i = 0; i < lc.columns.counts.length; i++) total += lc.columns.counts[i];
  return {
    output,
    bins: lc.columns.times.length,
    totalCounts: total,
    wavelength: [lc.meta.wlim[0].value, lc.meta.wlim[1].value],
    algorithm: lc.meta.algorithm.name,
    warnings: lc.meta.warnings,
  };
}

export function summaryLine(s: { output: string; bins: number; totalCounts: number; wavelength: [number, number] }): string {
  const w = s.wavelength.map((x) => (Number.isInteger(x) ? String(x) : x.toFixed(3)));
  return `${s.output}: ${s.bins} bins, ${s.totalCounts.toFixed(1)} net counts, wavelength ${w[0]}-${w[1]} Angstrom`;
}

interface ExtractCliOptions {
  output: string;
  step?: number;
  wlim?: [number, number];
  airglowFilter: boolean;
  algorithm?: AlgorithmName;
}

/** `hstlc extract` — one individual lightcurve, no database (§6–§8). */
export function registerExtract(program: Command, ctx: CliContext): void {
  program
    .command('extract')
    .summary('make one lightcurve from one COS or STIS event file')
    .description(
      'Extract the lightcurve of one COS corrtag (an FUV _a file brings its _b partner), STIS tag or ' +
        'STIS corrtag file and write it as a lightcurve FITS file. Uses no database and moves nothing. ' +
        'Reference files (lref$/oref$) are looked for through $lref/$oref, then the config ref_dir.',
    )
    .argument('<file>', 'the event file (.fits or .fits.gz)')
    .requiredOption('-o, --output <out>', 'the lightcurve FITS file to write')
    .addOption(stepOption())
    .option('--wlim <a,b>', 'wavelength range in Ångström (default: 915,1800 for FUV, 915,3200 otherwise)', wavelengthRange)
    .option('--no-airglow-filter', 'keep events in the geocoronal airglow lines')
    .addOption(extractionAlgorithmOption("'corrected' (default: the config algorithm) or 'compat' (the original's numbers)"))
    .addHelpText(
      'after',
      examples(
        '$ hstlc extract lb4m01a1q_corrtag_a.fits -o lb4m01a1q_curve.fits',
        '$ hstlc extract o5dj01010_tag.fits --step 5 --wlim 1200,1700 -o out.fits',
        '$ hstlc extract lb4m01a1q_corrtag_b.fits --algorithm compat --step 2 -o lb4m01a1q_curve.fits',
      ),
    )
    .action(async (file: string, opts: ExtractCliOptions) => {
      const [{ extractFile }, { writeIndividual }, { verifyInputChecksums }] = await Promise.all([
        import('../../hst/extract.js'),
        import('../../lightcurve/individual.js'),
        import('../../hst/checksums.js'),
      ]);
      const cfg = await ctx.config();
      const algorithm = algorithmParams(opts.algorithm ?? cfg.algorithm);
      try {
        const checksumWarnings = await verifyInputChecksums(file, cfg.verify_checksums);
        const { lightcurve } = await extractFile(file, {
          step: opts.step ?? cfg.step,
          wlim: opts.wlim,
          filterAirglow: opts.airglowFilter,
          algorithm,
          refs: { env: ctx.io.env, refDir: cfg.ref_dir },
        });
        lightcurve.meta.warnings.unshift(...checksumWarnings);
        await writeIndividual(opts.output, lightcurve);
        const s = summarize(opts.output, lightcurve);
        ctx.out.result(s, (v) => [summaryLine(v), ...v.warnings.map((w) => `  warning: ${w}`)]);
      } catch (err) {
        ctx.out.error(`extract ${file}: ${err instanceof Error ? err.message : String(err)}`);
        ctx.setExitCode(ExitCode.ITEMS_FAILED);
      }
    });
}
