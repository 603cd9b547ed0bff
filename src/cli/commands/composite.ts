import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { guarded } from '../interrupt.js';
import { examples } from '../examples.js';
import { extractionAlgorithmOption, stepOption } from '../options.js';
import { algorithmParams, type AlgorithmName } from '../../lightcurve/algorithm.js';
import { aboutOnce, outputFileProblem, summaryLine, written } from '../output-file.js';

interface CompositeCliOptions {
  output: string;
  step?: number;
  algorithm?: AlgorithmName;
  force?: boolean;
}

/** `hstlc composite` — one composite lightcurve, no database (§9.3). */
export function registerComposite(program: Command, ctx: CliContext): void {
  program
    .command('composite')
    .summary('combine event files of one setting into one composite lightcurve')
    .description(
      'Combine several event files of the same target and instrument setting into one composite ' +
        'lightcurve on a common wavelength range and write it as an HLSP FITS file. Uses no database. ' +
        'Members are used in the order given; an existing output is replaced atomically. Members of ' +
        'different targets (TARGNAME after the target rules and target_aliases) or settings (INSTRUME, ' +
        'DETECTOR, OPT_ELEM, CENWAVE, APERTURE) are refused, naming the keyword; --force combines them anyway.',
    )
    .argument('<files...>', 'the event files')
    .requiredOption('-o, --output <out>', 'the composite FITS file to write')
    .addOption(stepOption())
    .addOption(extractionAlgorithmOption("'corrected' (default: the config algorithm) or 'compat'"))
    .option('--force', 'combine members of different targets or settings')
    .addHelpText('after', examples('$ hstlc composite a_corrtag_a.fits b_corrtag_a.fits -o composite.fits'))
    .action((files: string[], opts: CompositeCliOptions) =>
      guarded(ctx.io.stderr, async () => {
      const [{ CompositeSettingError, compositeFromFiles }, { loadAliasFile }] = await Promise.all([import('../../hst/extract.js'), import('../../targets/aliases.js')]);
      const cfg = await ctx.config();
      const output = path.resolve(ctx.io.cwd, opts.output);
      const problem = await outputFileProblem(output, 'composite.fits');
      if (problem !== undefined) {
        ctx.out.error(`composite: ${problem}`);
        ctx.setExitCode(ExitCode.USAGE);
        return;
      }
      const algorithm = algorithmParams(opts.algorithm ?? cfg.algorithm);
      const extractOpts = { step: opts.step ?? cfg.step, algorithm, refs: { env: ctx.io.env, refDir: cfg.ref_dir } };
      try {
        const aliases = await loadAliasFile(cfg.target_aliases);
        const res = await compositeFromFiles(files, output, extractOpts, { force: opts.force === true, aliases });
        const summary = { ...written(opts.output, res.columns, [res.range.wmin, res.range.wmax]), algorithm: algorithm.name, members: res.members };
        // One line on stdout; a member left out is a warning (with --json, every member is in the summary).
        for (const m of summary.members) if (!m.kept) ctx.out.warn(`${m.file} left out${m.reason ? `: ${m.reason}` : ''}`);
        if (ctx.out.json) ctx.out.result(summary, () => []);
        else if (!ctx.globals().quiet) ctx.out.print(summaryLine(summary));
      } catch (err) {
        if (err instanceof CompositeSettingError) {
          // The files given cannot make one composite: a usage error, nothing written.
          ctx.out.error(`composite ${opts.output}: ${err.message} (--force to combine them anyway)`);
          ctx.setExitCode(ExitCode.USAGE);
          return;
        }
        ctx.out.error(`composite: ${aboutOnce(opts.output, err instanceof Error ? err.message : String(err))}`);
        ctx.setExitCode(ExitCode.ITEMS_FAILED);
      }
      }),
    );
}
