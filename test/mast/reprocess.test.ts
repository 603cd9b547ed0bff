/**
 * Reprocessing end to end against the stub (DESIGN §8): MAST serves two COS exposures; download and
 * ingest them, compute stats. Then MAST recalibrates one (newer sci_generation_date, different bytes):
 * the next download fetches its new files into a hidden folder, keeps the old ones until every new one
 * is verified, then puts them in ingest_dir and marks the dataset for re-ingest; `hstlc status` lists
 * it; ingest replaces its archived files and lightcurve, drops the stale stats of its lightcurve and
 * composite and rebuilds the composite; after that nothing waits and a re-run lists no products.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectDatabase, findStats, listOutputs, listReprocessing, type HstlcDb } from '../../src/db/index.js';
import { DatabaseLedger, databaseKnown } from '../../src/mast/database.js';
import { REPROCESS_DIR, runDownload, type DownloadStageOptions } from '../../src/mast/index.js';
import { startMastStub, type MastStub } from '../../src/mast/stub/index.js';
import { runIngest } from '../../src/pipeline/index.js';
import { runStats } from '../../src/pipeline/stats.js';
import { collectStatus, describeStatus } from '../../src/pipeline/status.js';
import { cleanupHomes, homeFor, replaceCard, tinyArchive } from '../pipeline/helpers.js';
import { sha256 } from './fixtures.js';
import { fastHttp } from './helpers.js';

const OLD = ['lb9y0108q_corrtag_a.fits', 'lb9y0108q_corrtag_b.fits', 'lb9y0206q_corrtag_a.fits', 'lb9y0206q_corrtag_b.fits'];
const CHANGED = ['lb9y0108q_corrtag_a.fits', 'lb9y0108q_corrtag_b.fits'];

describe('reprocessing at MAST', () => {
  let handle: HstlcDb;
  let settings: ReturnType<typeof homeFor>['settings'];
  let archiveIngest: string;
  let newDir: string;
  let stub: MastStub | undefined;

  before(async () => {
    const archive = await tinyArchive();
    archiveIngest = path.join(archive.dir, 'ingest');
    ({ settings } = homeFor(archive));
    // The home starts with an empty ingest_dir: everything comes from the stub.
    for (const name of readdirSync(settings.ingest_dir)) rmSync(path.join(settings.ingest_dir, name), { recursive: true });
    // MAST's recalibrated copies: another generation date (DATE, which the stub gives as
    // sci_generation_date) and so other bytes, CHECKSUM re-sealed as the archive's tools do.
    newDir = path.join(archive.dir, 'recalibrated');
    mkdirSync(newDir);
    for (const name of CHANGED) {
      copyFileSync(path.join(archiveIngest, name), path.join(newDir, name));
      replaceCard(path.join(newDir, name), 'DATE', "DATE    = '2026-06-01'         / date this file was written (yyyy-mm-dd)");
    }
    handle = await connectDatabase(settings.db);
  });
  after(async () => {
    await stub?.close();
    await handle?.close();
    cleanupHomes();
  });

  const serve = async (dirOf: (name: string) => string): Promise<MastStub> => {
    await stub?.close();
    stub = await startMastStub({ files: OLD.map((name) => ({ name, path: path.join(dirOf(name), name) })) });
    return stub;
  };
  const download = (s: MastStub, extra: Partial<DownloadStageOptions> = {}) =>
    runDownload({ mastUrl: s.url, crdsUrl: s.url, ingestDir: settings.ingest_dir, refDir: settings.ref_dir, http: fastHttp(), ledger: new DatabaseLedger(handle), known: databaseKnown(handle), references: false, ...extra });
  const archived = (name: string): string => {
    const dir = readdirSync(settings.filesystem_dir).map((t) => path.join(settings.filesystem_dir, t)).find((d) => existsSync(path.join(d, name)));
    assert.ok(dir !== undefined, `${name} archived`);
    return path.join(dir, name);
  };
  const digest = (file: string) => sha256(readFileSync(file));

  it('downloads, ingests and computes stats for the first generation', async () => {
    const first = await download(await serve(() => archiveIngest));
    assert.equal(first.summary.downloaded, 4);
    const ingest = await runIngest(handle, { settings, quicklook: false });
    assert.deepEqual(ingest.counts, { done: 2, bad: 0, failed: 0, skipped: 0 });
    await runStats(handle, { type: 'both' });
    assert.ok(await findStats(handle.db, 'lb9y0108q_curve.fits'));
  });

  it('fetches a reprocessed dataset again, keeping the old files until all new ones are verified', async () => {
    const s = await serve((name) => (CHANGED.includes(name) ? newDir : archiveIngest));
    // One of the two new files cannot be fetched: nothing of the new generation reaches ingest_dir.
    s.addFault({ route: 'download', kind: 'status', status: 404, file: CHANGED[1]!, times: Infinity });
    const partial = await download(s);
    assert.deepEqual(partial.reprocessed, [{ dataset: 'lb9y0108q', generation_date: '2026-06-01T00:00:00', queued: false }]);
    assert.deepEqual(readdirSync(settings.ingest_dir), [REPROCESS_DIR]);
    assert.deepEqual((await listReprocessing(handle.db)).length, 0);
    assert.equal(digest(archived(CHANGED[0]!)), digest(path.join(archiveIngest, CHANGED[0]!)), 'the archived old file is untouched');

    s.clearFaults();
    s.requests.length = 0;
    const whole = await download(s);
    // Only the reprocessed dataset is listed (the other is known by name); only its missing file is fetched.
    assert.equal(s.count('products'), 1);
    assert.deepEqual(whole.files.filter((f) => f.status === 'done').map((f) => f.filename), [CHANGED[1]]);
    assert.deepEqual(whole.reprocessed, [{ dataset: 'lb9y0108q', generation_date: '2026-06-01T00:00:00', queued: true }]);
    assert.deepEqual(readdirSync(settings.ingest_dir).filter((n) => !n.startsWith('.')).sort(), CHANGED);
    assert.ok(!existsSync(path.join(settings.ingest_dir, REPROCESS_DIR, 'lb9y0108q')), 'no staging left for the dataset');
    for (const name of CHANGED) assert.equal(digest(path.join(settings.ingest_dir, name)), digest(path.join(newDir, name)));
    assert.deepEqual((await listReprocessing(handle.db)).map((r) => [r.dataset, r.member, r.state, r.mast_generation_date]), [['lb9y0108q', 'lb9y0108q', 'waiting', '2026-06-01T00:00:00']]);

    const status = await collectStatus(handle, settings);
    assert.deepEqual(status.reprocessing, [{ dataset: 'lb9y0108q', generation_date: '2026-06-01T00:00:00', members: ['lb9y0108q'] }]);
    assert.ok(describeStatus(status).some((l) => /reprocessed +1 dataset\(s\) recalibrated at MAST waiting for re-ingest/.test(l)));
  });

  it('ingest replaces the outputs, drops the stale stats and rebuilds the composite', async () => {
    const compositeBefore = (await listOutputs(handle.db)).find((o) => o.individual_filename === 'lb9y0108q_curve.fits')?.composite_filename;
    assert.ok(compositeBefore, 'the exposure belongs to a composite');
    assert.ok(await findStats(handle.db, compositeBefore));
    const ingest = await runIngest(handle, { settings, quicklook: false });
    assert.deepEqual(ingest.counts, { done: 1, bad: 0, failed: 0, skipped: 0 });
    for (const name of CHANGED) assert.equal(digest(archived(name)), digest(path.join(newDir, name)), `${name} replaced in the archive`);
    assert.equal(await findStats(handle.db, 'lb9y0108q_curve.fits'), undefined, 'stale individual stats dropped');
    assert.equal(await findStats(handle.db, compositeBefore), undefined, 'stale composite stats dropped');
    assert.ok(await findStats(handle.db, 'lb9y0206q_curve.fits'), 'the other exposure keeps its stats');
    assert.ok(ingest.composites.some((c) => c.status === 'done'), 'the group was rebuilt');
    assert.deepEqual((await listReprocessing(handle.db)).map((r) => r.state), ['done']);
    assert.deepEqual((await collectStatus(handle, settings)).reprocessing, []);

    // Stats computes them anew; a re-run over the unchanged archive lists no products.
    await runStats(handle, { type: 'both' });
    assert.ok(await findStats(handle.db, 'lb9y0108q_curve.fits'));
    stub!.requests.length = 0;
    const again = await download(stub!);
    assert.deepEqual(again.reprocessed, []);
    assert.equal(stub!.count('products'), 0);
    assert.equal(again.summary.downloaded, 0);
  });
});
