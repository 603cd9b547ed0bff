import { Argument, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples, notAvailableYet } from '../not-available.js';

/** `hstlc stats` — alias `build_stats_table <product_type>` (§11). */
export function registerStats(program: Command, ctx: CliContext): void {
  program
    .command('stats')
    .summary('compute the statistics table of the lightcurves')
    .description(
      'Compute the statistics of every lightcurve recorded in the database (counts, Pearson test, ' +
        'periodogram peaks, the "interesting" flags) and store them in the stats table.',
    )
    .addArgument(
      new Argument('[type]', 'which lightcurves: individual, composite or both')
        .choices(['individual', 'composite', 'both'])
        .default('both'),
    )
    .addHelpText('after', examples('$ hstlc stats', '$ hstlc stats composite', '$ build_stats_table both   (original name)'))
    .action(notAvailableYet(ctx, 'stats'));
}
