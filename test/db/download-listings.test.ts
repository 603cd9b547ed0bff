/**
 * download_listings (0006) and reprocessing (0007) on every dialect: a searched dataset's wanted files and members, replaced
 * as a whole; sizes beyond 2^31 come back as numbers (bigint is a string from pg and mysql2); and the
 * database ledger lets a second download run skip the product list of a dataset whose members are known.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectDatabase, findWaitingReprocessing, listDownloadListings, listReprocessing, markReprocessing, recordDownloadListings, settleReprocessed, type HstlcDb } from '../../src/db/index.js';
import { DatabaseLedger } from '../../src/mast/database.js';
import { runDownload } from '../../src/mast/index.js';
import { startMastStub, type MastStub } from '../../src/mast/stub/index.js';
import { filesFor } from '../mast/fixtures.js';
import { dirs, fastHttp, type Dirs } from '../mast/helpers.js';
import { DIALECTS, type TestDatabase } from './dialects.js';

const AT = '2026-12-03T11:00:00.000Z';

for (const dialect of DIALECTS) {
  describe(`download_listings on ${dialect.name}`, { skip: dialect.skip }, () => {
    let testDb: TestDatabase;
    let handle: HstlcDb;
    let stub: MastStub;
    let d: Dirs;

    before(async () => {
      testDb = await dialect.create();
      handle = await connectDatabase(testDb.info);
      stub = await startMastStub({ files: filesFor([{ rootname: 'lb9y01a1q', asn: 'lb9y01010' }, { rootname: 'lb9y01a2q', asn: 'lb9y01010' }]) });
      d = dirs();
    });
    after(async () => {
      await stub?.close();
      await handle?.close();
      await testDb?.drop();
      d?.cleanup();
    });

    it('stores, replaces and reads back listings', async () => {
      const big = 3 * 2 ** 31 + 5;
      await recordDownloadListings(handle, [
        { dataset: 'LC7A01010', generation_date: '2016-02-04T00:00:00', listed_at: AT, files: [{ filename: 'lc7a01b1q_corrtag_a.fits', member: 'lc7a01b1q', size: big }, { filename: 'lc7a01b2q_corrtag_a.fits', member: 'lc7a01b2q', size: 2880 }] },
        { dataset: 'o6a501080', generation_date: null, listed_at: AT, files: [{ filename: 'o6a501080_tag.fits', member: 'o6a501080', size: 5760 }] },
      ]);
      // A new listing of one dataset replaces its rows and leaves the other's alone.
      await recordDownloadListings(handle, [{ dataset: 'lc7a01010', generation_date: '2020-01-01T00:00:00', listed_at: AT, files: [{ filename: 'lc7a01b1q_corrtag_a.fits', member: 'lc7a01b1q', size: big }] }]);
      const all = await listDownloadListings(handle.db);
      assert.deepEqual([...all.keys()], ['lc7a01010', 'o6a501080']);
      assert.deepEqual(all.get('lc7a01010'), { dataset: 'lc7a01010', generation_date: '2020-01-01T00:00:00', listed_at: AT, files: [{ filename: 'lc7a01b1q_corrtag_a.fits', member: 'lc7a01b1q', size: big }] });
      assert.deepEqual(all.get('o6a501080')?.files, [{ filename: 'o6a501080_tag.fits', member: 'o6a501080', size: 5760 }]);
    });

    it('marks reprocessed members waiting, again at a newer generation, and settles them once', async () => {
      await markReprocessing(handle, { dataset: 'lc7a01010', members: ['lc7a01b1q', 'lc7a01b2q'], generation_date: '2026-01-01T00:00:00' });
      await markReprocessing(handle, { dataset: 'lc7a01010', members: ['lc7a01b1q'], generation_date: '2026-06-01T00:00:00' });
      assert.deepEqual((await listReprocessing(handle.db, 'waiting')).map((r) => [r.member, r.mast_generation_date]), [
        ['lc7a01b1q', '2026-06-01T00:00:00'],
        ['lc7a01b2q', '2026-01-01T00:00:00'],
      ]);
      assert.equal((await findWaitingReprocessing(handle.db, 'lc7a01b1q'))?.dataset, 'lc7a01010');
      assert.equal(await settleReprocessed(handle, 'lc7a01b1q', []), true);
      assert.equal(await settleReprocessed(handle, 'lc7a01b1q', []), false, 'a second settle finds nothing waiting');
      assert.equal(await findWaitingReprocessing(handle.db, 'lc7a01b1q'), undefined);
      assert.deepEqual((await listReprocessing(handle.db, 'done')).map((r) => r.member), ['lc7a01b1q']);
    });

    it('lets a second download run skip the product list', async () => {
      const ledger = new DatabaseLedger(handle);
      const opts = { mastUrl: stub.url, crdsUrl: stub.url, ingestDir: d.ingest, refDir: d.ref, http: fastHttp(), ledger, references: false };
      const first = await runDownload(opts);
      assert.equal(first.summary.downloaded, 4);
      assert.equal(stub.count('products'), 1);
      stub.requests.length = 0;
      const second = await runDownload(opts);
      assert.deepEqual(second.subtracted, { listing: 1 });
      assert.equal(stub.count('products'), 0);
      assert.equal(stub.count('search'), 1);
    });
  });
}
