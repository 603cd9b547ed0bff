/**
 * `reset-database` (§13.2), made safe: the tables are emptied in one transaction (children before
 * parents, so the metadata→outputs foreign key never blocks), `production` simply leaves bad_data alone
 * instead of round-tripping it through a pickle, and whenever bad_data is about to be emptied — or on a
 * production reset, as the original kept its copy — its rows are first saved as JSON under home_dir,
 * written atomically. Id counters restart at 1, as after the original's DROP/CREATE.
 */
import path from 'node:path';
import { writeFileAtomic } from '../files/index.js';
import { listBadData } from './bad-data.js';
import type { HstlcDb } from './connect.js';
import type { BadDataRow } from './schema.js';

import type { ResetReport, ResetTarget, ResettableTable } from './reset-targets.js';

export { RESET_TARGETS, type ResetReport, type ResetTarget, type ResettableTable } from './reset-targets.js';

/** Tables emptied for each target, in delete order. Emptying metadata empties outputs, which points at it. */
export function tablesToReset(target: ResetTarget): ResettableTable[] {
  switch (target) {
    case 'stats':
      return ['stats'];
    case 'outputs':
      return ['outputs'];
    case 'metadata':
      return ['outputs', 'metadata'];
    case 'bad_data':
      return ['bad_data'];
    case 'production':
      return ['stats', 'outputs', 'metadata', 'target_names'];
    case 'all':
      return ['stats', 'outputs', 'metadata', 'target_names', 'bad_data'];
  }
}

export interface BadDataBackup {
  written_at: string;
  rows: BadDataRow[];
}

export async function resetDatabase(handle: HstlcDb, target: ResetTarget, options: { homeDir: string; now?: Date }): Promise<ResetReport> {
  const tables = tablesToReset(target);
  const report: ResetReport = { target, tables: [], badDataRows: 0 };
  if (tables.includes('bad_data') || target === 'production') {
    const rows = await listBadData(handle.db);
    report.badDataRows = rows.length;
    const backup: BadDataBackup = { written_at: (options.now ?? new Date()).toISOString(), rows };
    const file = path.join(options.homeDir, 'bad_data.json');
    await writeFileAtomic(file, [Buffer.from(`${JSON.stringify(backup, null, 2)}\n`)]);
    report.badDataBackup = file;
  }
  await handle.db.transaction().execute(async (trx) => {
    for (const table of tables) {
      const r = await trx.deleteFrom(table).executeTakeFirst();
      report.tables.push({ table, rowsDeleted: Number(r.numDeletedRows) });
    }
    if (handle.adapter.sequenceResetIsTransactional) await handle.adapter.resetSequences(trx, tables);
  });
  // Where the reset commits implicitly (MySQL's ALTER TABLE), after the deletes' transaction.
  if (!handle.adapter.sequenceResetIsTransactional) await handle.adapter.resetSequences(handle.db, tables);
  return report;
}
