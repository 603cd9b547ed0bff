import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples, notAvailableYet } from '../not-available.js';

/** `hstlc reset-filesystem` — alias `reset_hstlc_filesystem` (§13.1). */
export function registerResetFilesystem(program: Command, ctx: CliContext): void {
  program
    .command('reset-filesystem')
    .summary('move ingested files back to ingest_dir and delete the outputs')
    .description(
      'Move every file in filesystem_dir back to ingest_dir (a file already there wins), remove the ' +
        'emptied target folders and delete everything in outputs_dir. The database is not touched. ' +
        'Asks for confirmation unless --yes is given.',
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText('after', examples('$ hstlc reset-filesystem', '$ hstlc reset-filesystem --yes'))
    .action(notAvailableYet(ctx, 'reset-filesystem'));
}
