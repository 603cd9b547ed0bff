import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples, notAvailableYet } from '../not-available.js';

/** `hstlc lightcurve-stats` — the stats row of lightcurve files, no database (§11.2). */
export function registerLightcurveStats(program: Command, ctx: CliContext): void {
  program
    .command('lightcurve-stats')
    .summary('print the statistics of lightcurve files')
    .description(
      'Compute and print the statistics row (as in the stats table) of each lightcurve file given, ' +
        'without touching the database. With --json, prints one JSON array.',
    )
    .argument('<files...>', 'lightcurve FITS files')
    .addHelpText('after', examples('$ hstlc lightcurve-stats lb4m01a1q_curve.fits', '$ hstlc lightcurve-stats --json outputs/*/*.fits'))
    .action(notAvailableYet(ctx, 'lightcurve-stats'));
}
