import type { Command } from 'commander';
import type { ResetFilesystemReport } from '../../archive/reset-filesystem.js';
import type { CliContext } from '../context.js';
import { examples } from '../examples.js';
import { confirmDestructive } from './reset-database.js';
import { runStageCommand } from '../stage.js';

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
      // Under the home_dir lock: not while an ingest (or another reset) is moving files in the same home_dir.
      await runStageCommand(ctx, {
        stage: async () => (await import('../../pipeline/reset.js')).resetFilesystemStage,
        input: ctx.out.json ? {} : { onLine: (line) => ctx.out.print(line) },
        lines: summary,
        logFile: false,
      });
    });
}
