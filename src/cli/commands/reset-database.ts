import { createInterface } from 'node:readline/promises';
import type { Readable } from 'node:stream';
import { Argument, InvalidArgumentError, type Command } from 'commander';
import { describeConnection } from '../../config/connection.js';
import { RESET_TARGETS, type ResetReport, type ResetTarget } from '../../db/reset-targets.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import type { Writer } from '../io.js';
import { examples } from '../examples.js';
import { runStageCommand } from '../stage.js';

/** The original lower-cased the table name before checking it (§13.2). */
function resetTarget(value: string): string {
  const target = value.toLowerCase();
  if (!(RESET_TARGETS as readonly string[]).includes(target)) {
    throw new InvalidArgumentError(`'${value}' is not a valid table; choose one of ${RESET_TARGETS.join(', ')}.`);
  }
  return target;
}

/** Ask `question (y/n)` and read one line; only `y` (any case) means yes, as the original (§13.1, §13.2). */
export async function askYesNo(question: string, input: Readable, output: Writer): Promise<boolean> {
  output.write(`${question} (y/n) `);
  const rl = createInterface({ input, terminal: false });
  try {
    const line = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    return line.trim().toLowerCase() === 'y';
  } finally {
    rl.close();
  }
}

/**
 * Confirmation for a destructive command: --yes skips it; on a terminal the user is asked; anywhere else
 * (cron, pipes, tests) the command refuses rather than guess. Returns whether to go on.
 */
export async function confirmDestructive(ctx: CliContext, question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes === true) return true;
  const interactive = process.stdin.isTTY === true && ctx.io.stdout.isTTY === true;
  if (!interactive) {
    ctx.out.error(`${question.replace(/ Do you wish to proceed\?$/, '')} Not a terminal, so not asking: add --yes to proceed.`);
    ctx.setExitCode(ExitCode.USAGE);
    return false;
  }
  const ok = await askYesNo(question, process.stdin, ctx.io.stdout);
  if (!ok) ctx.out.print('Nothing changed.');
  return ok;
}

function describeReport(report: ResetReport): string[] {
  const lines = [`Resetting ${report.target} table(s)`];
  for (const t of report.tables) lines.push(`\temptied ${t.table} (${t.rowsDeleted} row${t.rowsDeleted === 1 ? '' : 's'})`);
  if (!report.tables.some((t) => t.table === 'bad_data') && report.badDataBackup !== undefined) {
    lines.push(`\tkept bad_data (${report.badDataRows} row${report.badDataRows === 1 ? '' : 's'})`);
  }
  if (report.badDataBackup !== undefined) lines.push(`\tbad_data saved to ${report.badDataBackup}`);
  return lines;
}

/** `hstlc reset-database` — alias `reset_hstlc_database [table]` (§13.2). */
export function registerResetDatabase(program: Command, ctx: CliContext): void {
  program
    .command('reset-database')
    .summary('empty and recreate database tables')
    .description(
      'Empty database tables. "production" (the default) empties metadata, outputs and stats but keeps ' +
        'the bad_data table; "all" empties everything; a table name empties that table (metadata takes ' +
        'outputs with it, which points at it). bad_data is saved to <home_dir>/bad_data.json first whenever ' +
        'it could be affected. The downloads ledger and run history are kept. Asks for confirmation unless ' +
        '--yes is given; the database password is never shown.',
    )
    .addArgument(
      new Argument('[table]', `what to reset: ${RESET_TARGETS.join(', ')}`).argParser(resetTarget).default('production'),
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      examples('$ hstlc reset-database', '$ hstlc reset-database stats --yes', '$ reset_hstlc_database all   (original name)'),
    )
    .action(async (table: string, opts: { yes?: boolean }) => {
      const cfg = await ctx.config();
      const target = table as ResetTarget;
      const question = `About to reset ${target} table(s) for database instance ${describeConnection(cfg.db)}. Do you wish to proceed?`;
      if (!(await confirmDestructive(ctx, question, opts.yes))) return;
      // Under the home_dir lock: not while an ingest in the same home_dir is writing rows.
      await runStageCommand(ctx, {
        stage: async () => (await import('../../pipeline/reset.js')).resetDatabaseStage,
        input: { target },
        lines: describeReport,
        logFile: false,
      });
    });
}
