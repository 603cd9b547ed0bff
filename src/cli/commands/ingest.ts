import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples, notAvailableYet } from '../not-available.js';

/** `hstlc ingest` — alias `ingest_hstlc [-corrtag_extract]` (§5). */
export function registerIngest(program: Command, ctx: CliContext): void {
  program
    .command('ingest')
    .summary('check, catalogue and file new data from ingest_dir, then make lightcurves')
    .description(
      'Ingest every TIME-TAG file waiting in ingest_dir: run the quality checks (failures go to bad_data_dir), ' +
        'record metadata, move the files to filesystem_dir/<TARGNAME>/, write each individual lightcurve ' +
        'and refresh the composites. Each file is done or failed on its own; the run can be repeated.',
    )
    .option('--corrtag-extract', 're-derive STIS corrtags that were already made from TIME-TAG files')
    .addHelpText(
      'after',
      examples('$ hstlc ingest', '$ hstlc ingest --corrtag-extract', '$ ingest_hstlc -corrtag_extract   (original name)'),
    )
    .action(notAvailableYet(ctx, 'ingest'));
}
