import type { Command } from 'commander';
import { describeConnection } from '../../config/connection.js';
import type { HstlcDb } from '../../db/index.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { examples } from '../examples.js';

/** `hstlc status`: what the database and the disk hold (read only). */
export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .summary('show what the database and the disk hold')
    .description(
      'Show the rows per table and per state (bad data by reason, downloads by state, runs by outcome), ' +
        'the composite groups waiting to be rebuilt, the last runs (a run whose process is gone shows as ' +
        'interrupted), the files waiting in ingest_dir and any interrupted ingest. Changes nothing.',
    )
    .option('--runs <n>', 'how many recent runs to show', (v) => Math.max(1, Number.parseInt(v, 10) || 5), 5)
    .addHelpText('after', examples('$ hstlc status', '$ hstlc --json status', '$ hstlc status --runs 20'))
    .action(async (opts: { runs: number }) => {
      const [{ connectDatabase }, { collectStatus, describeStatus }] = await Promise.all([import('../../db/index.js'), import('../../pipeline/status.js')]);
      const cfg = await ctx.config();
      let handle: HstlcDb;
      try {
        handle = await connectDatabase(cfg.db);
      } catch (err) {
        ctx.out.error(`cannot use the database ${describeConnection(cfg.db)}: ${err instanceof Error ? err.message : String(err)}`);
        ctx.setExitCode(ExitCode.USAGE);
        return;
      }
      try {
        const report = await collectStatus(handle, cfg, { runs: opts.runs });
        // DESIGN §9: with the graphile engine, the queue and the workers too.
        const es = cfg.engine === 'graphile' ? await import('../../pipeline/engine/status.js') : undefined;
        const engine = es !== undefined ? await es.engineStatus(handle, cfg.db) : undefined;
        ctx.out.result(engine !== undefined ? { ...report, engine } : report, () => [...describeStatus(report), ...(engine !== undefined && es !== undefined ? es.describeEngineStatus(engine) : [])]);
      } finally {
        await handle.close();
      }
    });
}
