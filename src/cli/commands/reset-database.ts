import { Argument, InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples, notAvailableYet } from '../not-available.js';

export const RESET_TARGETS = ['bad_data', 'metadata', 'outputs', 'stats', 'all', 'production'] as const;

/** The original lower-cased the table name before checking it (§13.2). */
function resetTarget(value: string): string {
  const target = value.toLowerCase();
  if (!(RESET_TARGETS as readonly string[]).includes(target)) {
    throw new InvalidArgumentError(`'${value}' is not a valid table; choose one of ${RESET_TARGETS.join(', ')}.`);
  }
  return target;
}

/** `hstlc reset-database` — alias `reset_hstlc_database [table]` (§13.2). */
export function registerResetDatabase(program: Command, ctx: CliContext): void {
  program
    .command('reset-database')
    .summary('empty and recreate database tables')
    .description(
      'Drop and recreate database tables. "production" (the default) empties metadata, outputs and ' +
        'stats but keeps the bad_data table; "all" empties everything; a table name empties that table. ' +
        'Asks for confirmation unless --yes is given.',
    )
    .addArgument(
      new Argument('[table]', `what to reset: ${RESET_TARGETS.join(', ')}`).argParser(resetTarget).default('production'),
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      examples('$ hstlc reset-database', '$ hstlc reset-database stats --yes', '$ reset_hstlc_database all   (original name)'),
    )
    .action(notAvailableYet(ctx, 'reset-database'));
}
