import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { guarded } from '../interrupt.js';
import { examples } from '../examples.js';
import { wavelengthRange } from '../parsers.js';
import { extractionAlgorithmOption, stepOption } from '../options.js';
import { algorithmParams, type AlgorithmName } from '../../lightcurve/algorithm.js';
import { aboutOnce, outputFileProblem, summaryLine, written } from '../output-file.js';

interface ExtractCliOptions {
  output?: string;
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
    .option('-o, --output <out>', 'the lightcurve FITS file to write (default: <rootname>_curve.fits in the current folder)')
    .addOption(stepOption())
    .option('--wlim <a,b>', 'wavelength range in Ångström (default: 915,1800 for FUV, 915,3200 otherwise)', wavelengthRange)
    .option('--no-airglow-filter', 'keep events in the geocoronal airglow lines')
    .addOption(extractionAlgorithmOption("'corrected' (default: the config algorithm) or 'compat' (the original's numbers)"))
    .addHelpText(
      'after',
      examples(
        '$ hstlc extract lb4m01a1q_corrtag_a.fits          (writes ./lb4m01a1q_curve.fits)',
        '$ hstlc extract o5dj01010_tag.fits --step 5 --wlim 1200,1700 -o out.fits',
        '$ hstlc extract lb4m01a1q_corrtag_b.fits --algorithm compat --step 2 -o lb4m01a1q_curve.fits',
      ),
    )
    .action((file: string, opts: ExtractCliOptions) =>
      guarded(ctx.io.stderr, async () => {
      const [{ extractFile }, { writeIndividual }, { verifyInputChecksums }, { individualLightcurveName }] = await Promise.all([
        import('../../hst/extract.js'),
        import('../../lightcurve/individual.js'),
        import('../../hst/checksums.js'),
        import('../../hst/names.js'),
      ]);
      const cfg = await ctx.config();
      const algorithm = algorithmParams(opts.algorithm ?? cfg.algorithm);
      const name = individualLightcurveName(file);
      const shown = opts.output ?? name;
      const output = path.resolve(ctx.io.cwd, shown);
      // Before the extraction: a wrong -o is said plainly and costs nothing.
      const problem = await outputFileProblem(output, name);
      if (problem !== undefined) {
        ctx.out.error(`extract: ${problem}`);
        ctx.setExitCode(ExitCode.USAGE);
        return;
      }
      try {
        const checksumWarnings = await verifyInputChecksums(file, cfg.verify_checksums);
        const { lightcurve } = await extractFile(file, {
          step: opts.step ?? cfg.step,
          wlim: opts.wlim,
          filterAirglow: opts.airglowFilter,
          algorithm,
          refs: { env: ctx.io.env, refDir: cfg.ref_dir },
        });
        const wavelength: [number, number] = [lightcurve.meta.wlim[0].value, lightcurve.meta.wlim[1].value];
        const facts = written(shown, lightcurve.columns, wavelength);
        const warnings = [...checksumWarnings];
        if (opts.wlim !== undefined && facts.grossCounts === 0) {
          warnings.push(`--wlim ${opts.wlim.join(',')} selects no events of ${path.basename(file)}: the lightcurve is empty (the events' wavelengths are elsewhere; see hstlc inspect)`);
        }
        lightcurve.meta.warnings.unshift(...warnings);
        await writeIndividual(output, lightcurve);
        for (const w of lightcurve.meta.warnings) ctx.out.warn(w);
        const s = { ...facts, algorithm: lightcurve.meta.algorithm.name, warnings: lightcurve.meta.warnings };
        if (ctx.out.json) ctx.out.result(s, () => []);
        else if (!ctx.globals().quiet) ctx.out.print(summaryLine(s));
      } catch (err) {
        ctx.out.error(aboutOnce(file, err instanceof Error ? err.message : String(err)));
        ctx.setExitCode(ExitCode.ITEMS_FAILED);
      }
      }),
    );
}
