import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples, notAvailableYet } from '../not-available.js';

/** `hstlc pipeline` — alias `hstlc_pipeline [-corrtag_extract]` (§14.5). */
export function registerPipeline(program: Command, ctx: CliContext): void {
  program
    .command('pipeline')
    .summary('run ingest, then stats, then plots')
    .description(
      'Run the whole pipeline on what is in ingest_dir: ingest, then stats for both individual and ' +
        'composite lightcurves, then plots. Each stage runs even if some items of the one before failed.',
    )
    .option('--corrtag-extract', 'passed to ingest: re-derive existing STIS corrtags')
    .addHelpText('after', examples('$ hstlc pipeline', '$ hstlc --config prod.yaml pipeline --corrtag-extract'))
    .action(notAvailableYet(ctx, 'pipeline'));
}
