import type { Command } from 'commander';
import { layoutFromSettings, lockHome, resetFilesystem, type ResetFilesystemReport } from '../../archive/index.js';
import { connectDatabase } from '../../db/index.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { examples } from '../not-available.js';
import { confirmDestructive } from './reset-database.js';
import { reportLocked } from '../stage.js';

function summary(report: ResetFilesystemReport): string[] {
  const lines = [
    `Moved ${report.moved.length} file(s) back to ingest, deleted ${report.deleted.length} archived duplicate(s), ` +
      `removed ${report.removedDirs.length} target folder(s) and ${report.removedOutputs.length} output entr${report.removedOutputs.length === 1 ? 'y' : 'ies'}.`,
    `Database: forgot ${report.forgottenFiles} file(s) and ${report.forgottenStats} stats row(s) whose files are gone.`,
  ];
  for (const f of report.failures) lines.push(`failed: ${f.path}: ${f.error}`);
  return lines;
}

/** `hstlc reset-filesystem` — alias `reset_hstlc_filesystem` (§13.1). */
export function registerResetFilesystem(program: Command, ctx: CliContext): void {
  program
    .command('reset-filesystem')
    .summary('move ingested files back to ingest_dir and delete the outputs')
    .description(
      'Move every file in filesystem_dir back to ingest_dir (a file already there wins), remove the ' +
        'emptied target folders and delete everything in outputs_dir (never a data folder configured ' +
        'inside it). Database rows that pointed at moved or deleted files are removed, so the next ingest ' +
        'starts clean. Asks for confirmation unless --yes is given.',
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText('after', examples('$ hstlc reset-filesystem', '$ hstlc reset-filesystem --yes'))
    .action(async (opts: { yes?: boolean }) => {
      const cfg = await ctx.config();
      const question = `About to reset filesystem ${cfg.filesystem_dir}. Do you wish to proceed?`;
      if (!(await confirmDestructive(ctx, question, opts.yes))) return;
      // Not while an ingest (or another reset) is moving files in the same home_dir.
      const lock = await lockHome(cfg.home_dir, 'reset-filesystem').catch((err: unknown) => {
        reportLocked(ctx, err);
        return undefined;
      });
      if (lock === undefined) return;
      const handle = await connectDatabase(cfg.db).catch(async (err: unknown) => {
        await lock.release();
        throw err;
      });
      try {
        if (!ctx.out.json) ctx.out.print('Resetting filesystem');
        const report = await resetFilesystem(layoutFromSettings(cfg), {
          db: handle,
          onLine: ctx.out.json ? undefined : (line) => ctx.out.print(line),
        });
        ctx.out.result(report, summary);
        if (report.failures.length > 0) ctx.setExitCode(ExitCode.ITEMS_FAILED);
      } finally {
        await handle.close();
        await lock.release();
      }
    });
}
