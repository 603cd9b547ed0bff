/**
 * Migration 0004 (bad_data.reason also takes "Bad header: <KEYWORD>") on a database that already holds
 * bad_data rows written under 0003, on every dialect: the rows survive, the new reasons are accepted,
 * anything else is still refused by the database itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Migrator, type Kysely } from 'kysely';
import { listBadData, migrateToLatest, migrationsFor, openDatabase, recordBadData, type HstlcDb } from '../../src/db/index.js';
import { DIALECTS, type TestDatabase } from './dialects.js';

async function migrateTo0003(handle: HstlcDb): Promise<void> {
  const all = migrationsFor(handle.dialect);
  const names = ['0001-pipeline-tables', '0002-bookkeeping', '0003-stats-periodogram'];
  const migrator = new Migrator({
    db: handle.db,
    provider: { getMigrations: async () => Object.fromEntries(names.map((n) => [n, all[n]!])) },
    ...(handle.schema !== undefined ? { migrationTableSchema: handle.schema } : {}),
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
}

for (const dialect of DIALECTS) {
  describe(`migration 0004-bad-header-reasons on ${dialect.name}`, { skip: dialect.skip }, () => {
    let testDb: TestDatabase;
    let handle: HstlcDb;
    before(async () => {
      testDb = await dialect.create();
      handle = openDatabase(testDb.info);
    });
    after(async () => {
      await handle?.close();
      await testDb?.drop();
    });

    it('keeps the rows written before it and accepts the header reasons', async () => {
      await migrateTo0003(handle);
      const old = handle.db as unknown as Kysely<{ bad_data: Record<string, unknown> }>;
      await old.insertInto('bad_data').values({ filename: 'a_corrtag.fits', ingest_date: '2026-01-02', reason: 'No events' }).execute();
      await assert.rejects(old.insertInto('bad_data').values({ filename: 'b_corrtag.fits', ingest_date: '2026-01-02', reason: 'Bad header: OPT_ELEM' }).execute());
      const ran = await migrateToLatest(handle);
      assert.ok(ran.some((r) => r.migrationName === '0004-bad-header-reasons' && r.status === 'Success'));
      await recordBadData(handle.db, handle.dialect, { filename: 'b_corrtag.fits', reason: 'Bad header: OPT_ELEM', ingest_date: '2026-01-03' });
      await assert.rejects(old.insertInto('bad_data').values({ filename: 'c_corrtag.fits', ingest_date: '2026-01-02', reason: 'Bad header: FILTER' }).execute());
      const rows = (await listBadData(handle.db)).map((r) => ({ ...r, id: 0 }));
      assert.deepEqual(rows, [
        { id: 0, filename: 'a_corrtag.fits', ingest_date: '2026-01-02', reason: 'No events' },
        { id: 0, filename: 'b_corrtag.fits', ingest_date: '2026-01-03', reason: 'Bad header: OPT_ELEM' },
      ]);
    });
  });
}
