import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples, notAvailableYet } from '../not-available.js';
import { positiveInteger } from '../parsers.js';

/** `hstlc download` — alias `download_hstlc` (§14, now through MAST's public APIs, DESIGN §8). */
export function registerDownload(program: Command, ctx: CliContext): void {
  program
    .command('download')
    .summary('fetch new COS and STIS TIME-TAG data from MAST into ingest_dir')
    .description(
      'Search MAST for public COS and STIS TIME-TAG observations that are not yet in the database, ' +
        'the bad-data list or ingest_dir, and download their event files (and x1d) into ingest_dir. ' +
        'Files are verified before they appear; an interrupted run resumes.',
    )
    .option('--dry-run', 'list what would be downloaded, download nothing')
    .option('--limit <n>', 'download at most n observations', positiveInteger)
    .addHelpText('after', examples('$ hstlc download --dry-run', '$ hstlc download --limit 50', '$ download_hstlc   (original name)'))
    .action(notAvailableYet(ctx, 'download'));
}
