import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples, notAvailableYet } from '../not-available.js';
import { positiveNumber, wavelengthRange } from '../parsers.js';

/** `hstlc extract` — one individual lightcurve, no database (§6–§8). */
export function registerExtract(program: Command, ctx: CliContext): void {
  program
    .command('extract')
    .summary('make one lightcurve from one COS or STIS event file')
    .description(
      'Extract the lightcurve of one COS corrtag (an FUV _a file brings its _b partner), STIS tag or ' +
        'STIS corrtag file and write it as a lightcurve FITS file. Uses no database and moves nothing.',
    )
    .argument('<file>', 'the event file (.fits or .fits.gz)')
    .requiredOption('-o, --output <out>', 'the lightcurve FITS file to write')
    .option('--step <seconds>', 'bin width in seconds (default: the config step)', positiveNumber)
    .option('--wlim <a,b>', 'wavelength range in Ångström (default: 915,1800 for FUV, 915,3200 otherwise)', wavelengthRange)
    .option('--no-airglow-filter', 'keep events in the geocoronal airglow lines')
    .addHelpText(
      'after',
      examples(
        '$ hstlc extract lb4m01a1q_corrtag_a.fits -o lb4m01a1q_curve.fits',
        '$ hstlc extract o5dj01010_tag.fits --step 5 --wlim 1200,1700 -o out.fits',
      ),
    )
    .action(notAvailableYet(ctx, 'extract'));
}
