import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples, notAvailableYet } from '../not-available.js';
import { positiveNumber } from '../parsers.js';

/** `hstlc composite` — one composite lightcurve, no database (§9.3). */
export function registerComposite(program: Command, ctx: CliContext): void {
  program
    .command('composite')
    .summary('combine event files of one setting into one composite lightcurve')
    .description(
      'Combine several event files of the same target and instrument setting into one composite ' +
        'lightcurve on a common wavelength range and write it as an HLSP FITS file. Uses no database.',
    )
    .argument('<files...>', 'the event files')
    .requiredOption('-o, --output <out>', 'the composite FITS file to write')
    .option('--step <seconds>', 'bin width in seconds (default: the config step)', positiveNumber)
    .addHelpText('after', examples('$ hstlc composite a_corrtag_a.fits b_corrtag_a.fits -o composite.fits'))
    .action(notAvailableYet(ctx, 'composite'));
}
