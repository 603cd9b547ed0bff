import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples, notAvailableYet } from '../not-available.js';

/** `hstlc plots` — alias `make_hstlc_plots` (§12). */
export function registerPlots(program: Command, ctx: CliContext): void {
  program
    .command('plots')
    .summary('make every plot and web page')
    .description(
      'Make the static and interactive plot of every composite lightcurve, the exploratory tables, ' +
        'histograms and configuration charts, the periodograms of flagged datasets and an index.html, ' +
        'all in plot_dir. The pages work offline.',
    )
    .addHelpText('after', examples('$ hstlc plots', '$ make_hstlc_plots   (original name)'))
    .action(notAvailableYet(ctx, 'plots'));
}
