/**
 * The database-backed sources (SQLite here): metadata and bad_data rootnames are subtracted, and the
 * downloads table is a ledger with the same behaviour as the JSON-lines one.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConnectionString } from '../../src/config/connection.js';
import { connectDatabase, recordBadData, type HstlcDb } from '../../src/db/index.js';
import { DatabaseLedger, databaseKnown } from '../../src/mast/database.js';
import { runDownload } from '../../src/mast/index.js';
import { startMastStub, type MastStub } from '../../src/mast/stub/index.js';
import { filesFor, sha256 } from './fixtures.js';
import { dirs, fastHttp, type Dirs } from './helpers.js';

const FILES = filesFor([{ rootname: 'lnew01a1q' }, { rootname: 'lmet01a1q' }, { rootname: 'obad01010' }]);

describe('database-backed known datasets and ledger (SQLite)', () => {
  let d: Dirs;
  let handle: HstlcDb;
  let stub: MastStub;

  before(async () => {
    d = dirs();
    handle = await connectDatabase(parseConnectionString(`sqlite:///${path.join(d.root, 'hstlc.db')}`));
    await handle.db
      .insertInto('metadata')
      .values({ filename: 'lmet01a1q_corrtag_a.fits', path: '/archive/GD71', ingest_date: '2026-01-01', telescop: 'HST', instrume: 'COS', targname: 'GD71', cal_ver: '3.1', obstype: 'SPECTROSCOPIC', cenwave: 1291, aperture: 'PSA', detector: 'FUV', opt_elem: 'G130M', fppos: 1 })
      .execute();
    await recordBadData(handle.db, handle.dialect, { filename: 'obad01010_tag.fits', reason: 'Bad Proposal' });
    stub = await startMastStub({ files: FILES });
  });
  after(async () => {
    await stub.close();
    await handle.close();
    d.cleanup();
  });

  it('subtracts metadata and bad_data, records downloads, and a second run fetches nothing', async () => {
    const ledger = new DatabaseLedger(handle);
    const opts = { mastUrl: stub.url, crdsUrl: stub.url, ingestDir: d.ingest, refDir: d.ref, http: fastHttp(), ledger, known: databaseKnown(handle), references: false };
    const first = await runDownload(opts);
    assert.deepEqual(first.subtracted, { metadata: 1, bad_data: 1 });
    assert.deepEqual(first.files.filter((f) => f.status === 'done').map((f) => f.filename).sort(), ['lnew01a1q_corrtag_a.fits', 'lnew01a1q_corrtag_b.fits']);
    const rows = await ledger.list();
    assert.deepEqual(rows.map((r) => [r.filename, r.state, r.attempts]), [
      ['lnew01a1q_corrtag_a.fits', 'complete', 1],
      ['lnew01a1q_corrtag_b.fits', 'complete', 1],
    ]);
    for (const r of rows) assert.equal(r.sha256, sha256(FILES.find((f) => f.name === r.filename)!.bytes));

    stub.requests.length = 0;
    const second = await runDownload(opts);
    assert.equal(second.summary.downloaded, 0);
    assert.equal(stub.count('download'), 0);
  });
});
