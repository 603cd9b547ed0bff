import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import {
  BAD_DATA_REASONS,
  appliedMigrations,
  compositeGroupMembers,
  connectDatabase,
  countByStatus,
  findDownload,
  findMetadata,
  findOutputs,
  findStats,
  finishRun,
  forgetFiles,
  knownTargets,
  listBadData,
  listDownloads,
  listMetadataFilenames,
  listStats,
  listTargnames,
  migrateToLatest,
  pendingCompositeGroups,
  recentRuns,
  recordRun,
  recordBadData,
  recordBadDataBatch,
  recordDownload,
  recordIngestedFile,
  recordIngestedFiles,
  recordTargetName,
  resetDatabase,
  resolveAndRecordTarget,
  tableCounts,
  setCompositeOutput,
  startRun,
  upsertStats,
  upsertStatsBatch,
  type BadDataBackup,
  type HstlcDb,
  type IngestedFile,
  type MetadataInput,
} from '../../src/db/index.js';
import { tempDir } from '../helpers/tools.js';
import { DIALECTS, type TestDatabase } from './dialects.js';

const run = promisify(execFile);
const golden = JSON.parse(readFileSync(new URL('../fixtures/golden/expected/results.json', import.meta.url), 'utf8')) as {
  files: Array<{ file: string; dataset_ok: string; metadata?: Omit<MetadataInput, 'path' | 'ingest_date'> }>;
  composites: Array<{ config: [string, string, string, string, number, string]; members: string[] }>;
};

function meta(filename: string, over: Partial<MetadataInput> = {}): MetadataInput {
  return {
    filename,
    path: '/archive/filesystem/GD71',
    ingest_date: '2026-11-25',
    telescop: 'HST',
    instrume: 'COS',
    targname: 'GD71',
    cal_ver: '3.1.8',
    obstype: 'SPECTROSCOPIC',
    cenwave: 1291,
    aperture: 'PSA',
    detector: 'FUV',
    opt_elem: 'G130M',
    fppos: 3,
    ...over,
  };
}

const output = (filename: string) => ({ individual_path: '/archive/outputs/GD71', individual_filename: `${filename.split('_')[0]}_curve.fits` });

for (const dialect of DIALECTS) {
  describe(`database on ${dialect.name}`, { skip: dialect.skip }, () => {
    let testDb: TestDatabase;
    let handle: HstlcDb;
    const home = tempDir('hstlc-home-');

    before(async () => {
      testDb = await dialect.create();
      const t0 = performance.now();
      handle = await connectDatabase(testDb.info);
      console.log(`# ${dialect.name}: migrations to latest in ${(performance.now() - t0).toFixed(0)} ms`);
    });
    after(async () => {
      await handle?.close();
      await testDb?.drop();
      home.cleanup();
    });

    it('has applied both migrations, and a second run does nothing', async () => {
      assert.deepEqual(await appliedMigrations(handle), ['0001-pipeline-tables', '0002-bookkeeping', '0003-stats-periodogram', '0004-bad-header-reasons', '0005-checksum-x1d-reasons', '0006-download-listings', '0007-reprocessing', '0008-stats-content-key']);
      assert.deepEqual(await migrateToLatest(handle), []);
    });

    it('migrates safely when several processes start at once', async () => {
      const fresh = await dialect.create();
      try {
        const cli = ['--import', 'tsx', new URL('./migrate-worker.ts', import.meta.url).pathname, JSON.stringify(fresh.info)];
        const outs = await Promise.all([0, 1, 2].map(() => run(process.execPath, cli, { cwd: process.cwd() })));
        const ran = outs.flatMap((o) => JSON.parse(o.stdout) as string[]);
        // Each migration ran exactly once across the three processes, and none failed.
        assert.deepEqual(ran.sort(), ['0001-pipeline-tables:Success', '0002-bookkeeping:Success', '0003-stats-periodogram:Success', '0004-bad-header-reasons:Success', '0005-checksum-x1d-reasons:Success', '0006-download-listings:Success', '0007-reprocessing:Success', '0008-stats-content-key:Success']);
      } finally {
        await fresh.drop();
      }
    });

    it('creates a configured PostgreSQL schema that does not exist yet', { skip: dialect.name !== 'postgresql' }, async () => {
      const schema = `${testDb.info.params['schema']}_new`;
      const other = await connectDatabase({ ...testDb.info, params: { ...testDb.info.params, schema } });
      try {
        assert.deepEqual(await appliedMigrations(other), ['0001-pipeline-tables', '0002-bookkeeping', '0003-stats-periodogram', '0004-bad-header-reasons', '0005-checksum-x1d-reasons', '0006-download-listings', '0007-reprocessing', '0008-stats-content-key']);
      } finally {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(other.db);
        await other.close();
      }
    });

    it('upserts metadata by file name, keeping the id', async () => {
      const first = await recordIngestedFile(handle, { metadata: meta('lb9y0102q_corrtag.fits'), output: output('lb9y0102q_corrtag.fits') });
      const again = await recordIngestedFile(handle, { metadata: meta('lb9y0102q_corrtag.fits', { cal_ver: '3.2.0', fppos: 4 }) });
      assert.equal(again.metadataId, first.metadataId);
      // an upsert that changes nothing still reports the row's id (MySQL's LAST_INSERT_ID path)
      const same = await recordIngestedFile(handle, { metadata: meta('lb9y0102q_corrtag.fits', { cal_ver: '3.2.0', fppos: 4 }), output: output('lb9y0102q_corrtag.fits') });
      assert.equal(same.metadataId, first.metadataId);
      assert.equal(same.outputsId, first.outputsId);
      await recordIngestedFile(handle, { metadata: meta('lb9y0102q_corrtag.fits', { cal_ver: '3.2.0', fppos: 4 }) });
      const row = await findMetadata(handle.db, 'lb9y0102q_corrtag.fits');
      assert.equal(row?.cal_ver, '3.2.0');
      assert.equal(row?.fppos, 4);
      assert.equal(row?.ingest_date, '2026-11-25');
      assert.equal(row?.cenwave, 1291);
      const out = await findOutputs(handle.db, first.metadataId);
      assert.equal(out?.individual_filename, 'lb9y0102q_curve.fits');
      assert.equal(out?.composite_path, null);
    });

    it('stores hostile text verbatim through parameters', async () => {
      const name = `x'; drop table metadata;--`;
      await recordIngestedFile(handle, { metadata: meta('evil_corrtag.fits', { targname: name.slice(0, 30), cal_ver: `"<script>` }) });
      const row = await findMetadata(handle.db, 'evil_corrtag.fits');
      assert.equal(row?.targname, name.slice(0, 30));
      assert.equal(row?.cal_ver, `"<script>`);
      assert.ok((await listTargnames(handle.db)).includes(name.slice(0, 30)));
      await forgetFiles(handle, ['evil_corrtag.fits']);
    });

    it('enforces the foreign key and the uniqueness of outputs.metadata_id', async () => {
      await assert.rejects(handle.db.insertInto('outputs').values({ metadata_id: 999_999, individual_path: null, individual_filename: null, composite_path: null, composite_filename: null }).execute());
      const id = (await findMetadata(handle.db, 'lb9y0102q_corrtag.fits'))!.id;
      await assert.rejects(handle.db.insertInto('outputs').values({ metadata_id: id, individual_path: null, individual_filename: null, composite_path: null, composite_filename: null }).execute());
      // metadata cannot go while outputs points at it
      await assert.rejects(handle.db.deleteFrom('metadata').where('id', '=', id).execute());
    });

    it('limits bad_data.reason to the known reasons in the database itself', async () => {
      for (const reason of BAD_DATA_REASONS) await recordBadData(handle.db, handle.dialect, { filename: `r${BAD_DATA_REASONS.indexOf(reason)}_corrtag.fits`, reason, ingest_date: '2026-01-02' });
      await assert.rejects(handle.db.insertInto('bad_data').values({ filename: 'bogus.fits', ingest_date: '2026-01-02', reason: 'Cosmic rays' as never }).execute());
      // upsert by file name: a second verdict replaces the first
      await recordBadData(handle.db, handle.dialect, { filename: 'r0_corrtag.fits', reason: 'No events', ingest_date: '2026-01-03' });
      const rows = await listBadData(handle.db);
      assert.equal(rows.length, BAD_DATA_REASONS.length);
      assert.deepEqual(rows[0], { id: rows[0]!.id, filename: 'r0_corrtag.fits', ingest_date: '2026-01-03', reason: 'No events' });
      assert.equal(await recordBadData(handle.db, handle.dialect, { filename: 'r0_corrtag.fits', reason: 'No events', ingest_date: '2026-01-03' }), rows[0]!.id);
    });

    it('returns a result per item from a batch, failing only the bad item', async () => {
      const files: IngestedFile[] = [
        { metadata: meta('la0000001_corrtag.fits') },
        { metadata: meta('la0000002_corrtag.fits', { targname: 'T'.repeat(31) }) },
        { metadata: meta('la0000003_corrtag.fits', { cenwave: 1.5 }) },
        { metadata: meta('la0000004_corrtag.fits') },
      ];
      const results = await recordIngestedFiles(handle, files, 10);
      assert.deepEqual(results.map((r) => r.status), ['done', 'failed', 'failed', 'done']);
      assert.match(results[1]!.reason!, /targname is longer than 30/);
      assert.deepEqual(countByStatus(results), { done: 2, bad: 0, failed: 2, skipped: 0 });
      const names = await listMetadataFilenames(handle.db);
      assert.ok(names.includes('la0000001_corrtag.fits') && names.includes('la0000004_corrtag.fits'));
      assert.ok(!names.includes('la0000002_corrtag.fits'));
      const bad = await recordBadDataBatch(handle, [{ filename: 'ok_corrtag.fits', reason: 'Bad EXPFLAG' }, { filename: 'x', reason: 'Meh' as never }]);
      assert.deepEqual(bad.map((r) => r.status), ['done', 'failed']);
    });

    it('lists the composite groups to (re)build and updates them together (§9.1)', async () => {
      await forgetFiles(handle, await listMetadataFilenames(handle.db));
      const a = await recordIngestedFile(handle, { metadata: meta('lc7a0101q_corrtag_a.fits', { targname: 'WD0308-565' }), output: output('lc7a0101q_corrtag_a.fits') });
      const b = await recordIngestedFile(handle, { metadata: meta('lc7a0202q_corrtag_a.fits', { targname: 'WD0308-565' }), output: output('lc7a0202q_corrtag_a.fits') });
      // a member whose individual lightcurve failed: in the group, but does not trigger it (§9.1)
      const c = await recordIngestedFile(handle, { metadata: meta('lc7a0302q_corrtag_a.fits', { targname: 'WD0308-565' }) });
      await recordIngestedFile(handle, { metadata: meta('lbxv0101q_corrtag.fits', { targname: 'HD209458', detector: 'NUV', opt_elem: 'G230L', cenwave: 2950 }) });
      const groups = await pendingCompositeGroups(handle.db);
      assert.deepEqual(groups, [{ instrume: 'COS', detector: 'FUV', targname: 'WD0308-565', opt_elem: 'G130M', cenwave: 1291, aperture: 'PSA' }]);
      const members = await compositeGroupMembers(handle.db, groups[0]!);
      assert.deepEqual(members.map((m) => m.filename), ['lc7a0101q_corrtag_a.fits', 'lc7a0202q_corrtag_a.fits', 'lc7a0302q_corrtag_a.fits']);
      assert.equal(members[2]!.outputs_id, null);
      const updated = await setCompositeOutput(handle, [a.metadataId, b.metadataId, c.metadataId], '/archive/outputs/composite', 'hlsp_x_v1_sci.fits');
      assert.equal(updated, 2);
      assert.deepEqual(await pendingCompositeGroups(handle.db), []);
      // re-processing a member makes the group pending again, keeping the old composite's name
      await recordIngestedFile(handle, { metadata: meta('lc7a0202q_corrtag_a.fits', { targname: 'WD0308-565' }), output: output('lc7a0202q_corrtag_a.fits') });
      assert.equal((await pendingCompositeGroups(handle.db)).length, 1);
      const out = await findOutputs(handle.db, b.metadataId);
      assert.equal(out?.composite_path, null);
      assert.equal(out?.composite_filename, 'hlsp_x_v1_sci.fits');
    });

    it('stores NaN and infinite statistics as NULL, booleans default false', async () => {
      await upsertStats(handle.db, handle.dialect, {
        lightcurve_path: '/o', lightcurve_filename: 'a_curve.fits', total: 10,
        mean: 1.25, mu: Number.NaN, stdev: Number.POSITIVE_INFINITY, poisson_factor: Number.NEGATIVE_INFINITY, pearson_r: 0.5, pearson_p: 1e-300,
      });
      let s = await findStats(handle.db, 'a_curve.fits');
      assert.equal(s?.mean, 1.25);
      assert.equal(s?.mu, null);
      assert.equal(s?.stdev, null);
      assert.equal(s?.poisson_factor, null);
      assert.equal(s?.pearson_p, 1e-300); // double precision, not the original's single-precision FLOAT
      assert.equal(s?.periodogram, false);
      assert.equal(s?.deliver, false);
      await upsertStats(handle.db, handle.dialect, { lightcurve_path: '/o', lightcurve_filename: 'a_curve.fits', total: 11, mean: null, mu: 2, stdev: null, poisson_factor: null, pearson_r: null, pearson_p: null, periodogram: true });
      await upsertStats(handle.db, handle.dialect, { lightcurve_path: '/o', lightcurve_filename: 'a_curve.fits', total: 12, mean: null, mu: 2, stdev: null, poisson_factor: null, pearson_r: null, pearson_p: null });
      s = await findStats(handle.db, 'a_curve.fits');
      assert.equal(s?.total, 12);
      assert.equal(await upsertStats(handle.db, handle.dialect, { lightcurve_path: '/o', lightcurve_filename: 'a_curve.fits', total: 12, mean: null, mu: 2, stdev: null, poisson_factor: null, pearson_r: null, pearson_p: null }), s?.id);
      assert.equal(s?.periodogram, true, 'a column left out keeps its value on update');
      assert.equal((await listStats(handle.db)).length, 1);
    });

    it('keeps the downloads ledger', async () => {
      await recordDownload(handle, { dataset: 'lb9y01020', filename: 'lb9y0102q_corrtag.fits', state: 'queued', mast_generation_date: '2024-03-01T12:00:00' });
      await recordDownload(handle, { dataset: 'lb9y01020', filename: 'lb9y0102q_corrtag.fits', state: 'downloading' });
      await recordDownload(handle, { dataset: 'lb9y01020', filename: 'lb9y0102q_corrtag.fits', state: 'failed', error: 'HTTP 503' });
      await recordDownload(handle, { dataset: 'lb9y01020', filename: 'lb9y0102q_corrtag.fits', state: 'downloading' });
      await recordDownload(handle, { dataset: 'lb9y01020', filename: 'lb9y0102q_corrtag.fits', state: 'complete', size: 5_000_000_000, sha256: 'a'.repeat(64) });
      const d = await findDownload(handle.db, 'lb9y0102q_corrtag.fits');
      assert.equal(d?.state, 'complete');
      assert.equal(d?.attempts, 2);
      assert.equal(d?.size, 5_000_000_000);
      assert.equal(d?.error, null);
      assert.equal(d?.mast_generation_date, '2024-03-01T12:00:00');
      assert.equal((await listDownloads(handle.db, 'complete')).length, 1);
      await assert.rejects(recordDownload(handle, { dataset: 'x', filename: 'y', state: 'complete', sha256: 'XYZ' }));
    });

    it('records runs and target-name mappings', async () => {
      const id = await startRun(handle, 'ingest');
      await finishRun(handle, id, 'ok', { done: 3, failed: 0 });
      const [latest] = await recentRuns(handle.db, 1);
      assert.equal(latest?.status, 'ok');
      assert.deepEqual(JSON.parse(latest!.summary!), { done: 3, failed: 0 });
      await recordTargetName(handle, { header_name: 'HD-209458', canonical: 'HD209458', method: 'rule', ra_targ: 330.79, dec_targ: 18.88 });
      await recordTargetName(handle, { header_name: 'HD209458', canonical: 'HD209458', method: 'unchanged', ra_targ: 330.81, dec_targ: 18.90 });
      const known = await knownTargets(handle.db);
      const hd = known.find((k) => k.name === 'HD209458');
      assert.ok(hd && Math.abs(hd.ra! - 330.8) < 1e-9 && Math.abs(hd.dec! - 18.89) < 1e-9);
      assert.ok(known.some((k) => k.name === 'WD0308-565' && k.ra === undefined));
    });

    it('records a stage body as one run: ok or failed as its result says, failed with the error when it throws', async () => {
      const done = await recordRun(handle, 'stats', async () => ({ ok: true, n: 4 }), (r) => ({ ok: r.ok, summary: { n: r.n } }));
      assert.deepEqual(done, { ok: true, n: 4 });
      const [ok] = await recentRuns(handle.db, 1);
      assert.deepEqual([ok?.command, ok?.status, JSON.parse(ok!.summary!)], ['stats', 'ok', { n: 4 }]);
      assert.ok(ok?.finished_at);
      await recordRun(handle, 'plots', async () => ({ ok: false }), (r) => ({ ok: r.ok, summary: { pages: 1 } }));
      const [failed] = await recentRuns(handle.db, 1);
      assert.deepEqual([failed?.command, failed?.status, JSON.parse(failed!.summary!)], ['plots', 'failed', { pages: 1 }]);
      await assert.rejects(
        recordRun(handle, 'ingest', async () => Promise.reject(new Error('database gone')), () => assert.fail('no result to record')),
        /^Error: database gone$/,
      );
      const [thrown] = await recentRuns(handle.db, 1);
      assert.deepEqual([thrown?.command, thrown?.status, JSON.parse(thrown!.summary!)], ['ingest', 'failed', { error: 'database gone' }]);
    });

    it('keeps a new name near a known target as its own, reported as a candidate pair, and records the mapping', async () => {
      const runsBefore = (await tableCounts(handle.db)).runs;
      const first = await resolveAndRecordTarget(handle, 'GD-71', { ra: 88.1150, dec: 15.8861 });
      assert.deepEqual([first.canonical, first.method], ['GD71', 'rule']);
      // Positions never rename a target (an alias settles a pair): 2″ away (cos δ shrinks it) is a candidate.
      const near = await resolveAndRecordTarget(handle, 'LAWD-23', { ra: 88.1150 + 2 / 3600, dec: 15.8861 });
      assert.deepEqual([near.canonical, near.method], ['LAWD-23', 'unchanged']);
      assert.equal(near.candidate?.name, 'GD71');
      assert.ok(Math.abs(near.candidate!.separationArcsec - 2 * Math.cos((15.8861 * Math.PI) / 180)) < 1e-3);
      const far = await resolveAndRecordTarget(handle, 'LAWD-24', { ra: 100, dec: 15.8861 });
      assert.deepEqual([far.canonical, far.method], ['LAWD-24', 'unchanged']);
      const evil = await resolveAndRecordTarget(handle, '../../<script>');
      assert.equal(evil.method, 'sanitized');
      const counts = await tableCounts(handle.db);
      assert.ok(counts.target_names >= 6, `${counts.target_names} target names`);
      assert.equal(counts.runs, runsBefore, 'resolving names records no run');
    });

    it("finds the golden archive's composite groups and members (§9.1, §9.2)", async () => {
      await forgetFiles(handle, await listMetadataFilenames(handle.db));
      for (const f of golden.files.filter((x) => x.metadata)) {
        // STIS tags are archived as the corrtags made from them (§5.2.4)
        const filename = f.metadata!.filename.replace(/_tag\.fits$/, '_corrtag.fits');
        await recordIngestedFile(handle, { metadata: { ...f.metadata!, filename, path: `/fs/${f.metadata!.targname}`, ingest_date: '2026-11-24' }, output: output(filename) });
      }
      const groups = await pendingCompositeGroups(handle.db);
      const expected = golden.composites.map((c) => c.config).sort((a, b) => (a.join('|') < b.join('|') ? -1 : 1));
      assert.deepEqual(groups.map((g) => [g.instrume, g.detector, g.targname, g.opt_elem, g.cenwave, g.aperture]), expected);
      for (const c of golden.composites) {
        const [instrume, detector, targname, opt_elem, cenwave, aperture] = c.config;
        const members = await compositeGroupMembers(handle.db, { instrume, detector, targname, opt_elem, cenwave, aperture });
        assert.deepEqual(members.map((m) => m.filename), c.members, c.config.join(' '));
      }
      await forgetFiles(handle, await listMetadataFilenames(handle.db));
    });

    it('round-trips the golden metadata rows of the original', async () => {
      const rows = golden.files.filter((f) => f.metadata).map((f) => ({ ...f.metadata!, path: `/fs/${f.metadata!.targname}`, ingest_date: '2026-11-24' }));
      const results = await recordIngestedFiles(handle, rows.map((metadata) => ({ metadata })));
      assert.equal(countByStatus(results).done, rows.length);
      for (const row of rows) {
        const got = await findMetadata(handle.db, row.filename);
        assert.deepEqual({ ...got, id: 0 }, { ...row, id: 0 });
      }
    });

    it('bulk upserts quickly', async (t) => {
      // Three chunks of recordIngestedFiles/upsertStatsBatch (500, 500 and 1): whole chunks and a partial one.
      const n = 1001;
      const files: IngestedFile[] = Array.from({ length: n }, (_, i) => ({ metadata: meta(`bulk${String(i).padStart(5, '0')}_corrtag.fits`), output: output(`bulk${i}_x.fits`) }));
      let t0 = performance.now();
      const results = await recordIngestedFiles(handle, files);
      const insertS = (performance.now() - t0) / 1000;
      assert.equal(countByStatus(results).done, n);
      t0 = performance.now();
      await recordIngestedFiles(handle, files);
      const updateS = (performance.now() - t0) / 1000;
      t0 = performance.now();
      const stats = await upsertStatsBatch(handle, Array.from({ length: n }, (_, i) => ({ lightcurve_path: '/o', lightcurve_filename: `bulk${i}_curve.fits`, total: i, mean: i / 3, mu: null, stdev: 1, poisson_factor: 1, pearson_r: 0, pearson_p: 1 })));
      const statsS = (performance.now() - t0) / 1000;
      assert.equal(countByStatus(stats).done, n);
      const line = `${dialect.name}: metadata+outputs insert ${(n / insertS).toFixed(0)} files/s, update ${(n / updateS).toFixed(0)} files/s; stats upsert ${(n / statsS).toFixed(0)} rows/s`;
      t.diagnostic(line);
      console.log(`# ${line}`);
    });

    it('resets tables as §13.2, keeping bad_data for production and saving it as JSON', async () => {
      const badBefore = await listBadData(handle.db);
      assert.ok(badBefore.length > 0);
      const report = await resetDatabase(handle, 'production', { homeDir: home.dir });
      assert.deepEqual(report.tables.map((t) => t.table), ['stats', 'outputs', 'metadata', 'target_names']);
      assert.deepEqual(await listBadData(handle.db), badBefore);
      const backup = JSON.parse(readFileSync(report.badDataBackup!, 'utf8')) as BadDataBackup;
      assert.deepEqual(backup.rows, badBefore);
      assert.deepEqual(await listMetadataFilenames(handle.db), []);
      // ids restart at 1, as after the original's DROP/CREATE
      const again = await recordIngestedFile(handle, { metadata: meta('lb9y0102q_corrtag.fits'), output: output('lb9y0102q_corrtag.fits') });
      assert.equal(again.metadataId, 1);
      // resetting metadata alone takes outputs with it (the original failed on the foreign key)
      const m = await resetDatabase(handle, 'metadata', { homeDir: home.dir });
      assert.deepEqual(m.tables, [{ table: 'outputs', rowsDeleted: 1 }, { table: 'metadata', rowsDeleted: 1 }]);
      const all = await resetDatabase(handle, 'all', { homeDir: home.dir });
      assert.equal(all.badDataRows, badBefore.length);
      assert.deepEqual(await listBadData(handle.db), []);
      const count = await sql<{ n: number | string }>`select count(*) as n from downloads`.execute(handle.db);
      assert.equal(Number(count.rows[0]!.n), 1, 'the downloads ledger is not a pipeline table');
    });
  });
}
