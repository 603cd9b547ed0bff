/**
 * Migration 0003 (stats: three added columns, nullable total, key by path) on a database that already
 * holds stats rows written under 0002, on every dialect: rows survive, the new key and NULL total work.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Migrator, type Kysely } from 'kysely';
import { appliedMigrations, findStats, listStats, migrateToLatest, migrationsFor, openDatabase, upsertStats, type HstlcDb } from '../../src/db/index.js';
import { DIALECTS, type TestDatabase } from '../db/dialects.js';

/** Bring a fresh database to the state a release before 0003 left it in. */
async function migrateTo0002(handle: HstlcDb): Promise<void> {
  const all = migrationsFor(handle.dialect);
  const migrator = new Migrator({
    db: handle.db,
    provider: { getMigrations: async () => ({ '0001-pipeline-tables': all['0001-pipeline-tables']!, '0002-bookkeeping': all['0002-bookkeeping']! }) },
    ...(handle.schema !== undefined ? { migrationTableSchema: handle.schema } : {}),
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
}

for (const dialect of DIALECTS) {
  describe(`migration 0003-stats-periodogram on ${dialect.name}`, { skip: dialect.skip }, () => {
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

    it('keeps the rows written before it and adds the columns', async () => {
      await migrateTo0002(handle);
      // Written as 0002's table was: no extra columns, booleans as the dialect stores them.
      const old = handle.db as unknown as Kysely<{ stats: Record<string, unknown> }>;
      const bool = (b: boolean) => (handle.dialect === 'sqlite' ? Number(b) : b);
      await old
        .insertInto('stats')
        .values([
          { lightcurve_path: '/o/GD71', lightcurve_filename: 'a_curve.fits', total: 10, mean: 2.5, mu: null, stdev: 1, poisson_factor: 1, pearson_r: 0.25, pearson_p: 1e-200, periodogram: bool(true), deliver: bool(false) },
          { lightcurve_path: '/o/WD', lightcurve_filename: 'b_curve.fits', total: 0, mean: null, mu: null, stdev: null, poisson_factor: null, pearson_r: null, pearson_p: null, periodogram: bool(false), deliver: bool(false) },
        ])
        .execute();
      const ran = await migrateToLatest(handle);
      assert.deepEqual(ran.map((r) => `${r.migrationName}:${r.status}`).slice(0, 1), ['0003-stats-periodogram:Success']);
      assert.deepEqual((await appliedMigrations(handle)).slice(0, 3), ['0001-pipeline-tables', '0002-bookkeeping', '0003-stats-periodogram']);
      const rows = await listStats(handle.db);
      assert.equal(rows.length, 2);
      assert.deepEqual(
        { ...rows[0], id: 0 },
        { id: 0, lightcurve_path: '/o/GD71', lightcurve_filename: 'a_curve.fits', total: 10, mean: 2.5, mu: null, stdev: 1, poisson_factor: 1, pearson_r: 0.25, pearson_p: 1e-200, periodogram: true, deliver: false, best_period: null, best_power: null, false_alarm_probability: null, content_key: null },
      );
    });

    it('then keys rows by path and file name, and takes a NULL total', async () => {
      const id = (await findStats(handle.db, 'a_curve.fits'))!.id;
      const same = await upsertStats(handle.db, handle.dialect, { lightcurve_path: '/o/GD71', lightcurve_filename: 'a_curve.fits', total: null, mean: null, mu: null, stdev: null, poisson_factor: null, pearson_r: null, pearson_p: null, best_period: 0.01, best_power: 0.5, false_alarm_probability: 1e-250 });
      assert.equal(same, id);
      const elsewhere = await upsertStats(handle.db, handle.dialect, { lightcurve_path: '/o/other', lightcurve_filename: 'a_curve.fits', total: 3, mean: 1, mu: 1, stdev: 0, poisson_factor: 0, pearson_r: null, pearson_p: null });
      assert.notEqual(elsewhere, id);
      const a = await findStats(handle.db, 'a_curve.fits', '/o/GD71');
      assert.deepEqual([a?.total, a?.best_period, a?.best_power, a?.false_alarm_probability, a?.periodogram], [null, 0.01, 0.5, 1e-250, true]);
      assert.equal((await findStats(handle.db, 'a_curve.fits', '/o/other'))?.total, 3);
      assert.equal((await listStats(handle.db)).length, 3);
      await assert.rejects(upsertStats(handle.db, handle.dialect, { lightcurve_path: '/o', lightcurve_filename: 'c_curve.fits', total: 2 ** 31, mean: null, mu: null, stdev: null, poisson_factor: null, pearson_r: null, pearson_p: null }), /32-bit integer/);
    });
  });
}
