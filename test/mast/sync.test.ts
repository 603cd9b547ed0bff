/**
 * Association-aware sync (DESIGN §8): the search answers association ids (LB9Y01010) while the
 * database and ingest_dir know member rootnames (lb9y01a1q). The product list of each searched dataset
 * is remembered in the ledger with its members, so a run over an unchanged archive asks for one search
 * page and no product list for a dataset whose members are all known. The stub counts requests per
 * endpoint; the counts asserted are those of the requests the runs must make.
 */
import assert from 'node:assert/strict';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fixedKnown, JsonlLedger, ledgerPath, MemoryLedger, runDownload, type DownloadLedger, type DownloadStageOptions } from '../../src/mast/index.js';
import { startMastStub, type MastStub, type StubRoute } from '../../src/mast/stub/index.js';
import { filesFor } from './fixtures.js';
import { dirs, fastHttp, type Dirs } from './helpers.js';

const ASN_A = filesFor([
  { rootname: 'lb9y01a1q', asn: 'lb9y01010' },
  { rootname: 'lb9y01a2q', asn: 'lb9y01010' },
]);
const ASN_B = filesFor([
  { rootname: 'lc7a01b1q', asn: 'lc7a01010' },
  { rootname: 'lc7a01b2q', asn: 'lc7a01010' },
]);
const LONE = filesFor([{ rootname: 'o6a501080' }]);
const ALL = [...ASN_A, ...ASN_B, ...LONE];

let stub: MastStub;
let d: Dirs;

beforeEach(async () => {
  stub = await startMastStub({ files: ALL });
  d = dirs();
});
afterEach(async () => {
  await stub.close();
  d.cleanup();
});

function options(ledger: DownloadLedger, extra: Partial<DownloadStageOptions> = {}): DownloadStageOptions {
  return { mastUrl: stub.url, crdsUrl: stub.url, ingestDir: d.ingest, refDir: d.ref, http: fastHttp(), ledger, references: false, ...extra };
}

const ROUTES: StubRoute[] = ['columns', 'search', 'products', 'download'];
function counts(): Record<string, number> {
  const out = Object.fromEntries(ROUTES.map((r) => [r, stub.count(r)]));
  stub.requests.length = 0;
  return out;
}

describe('association-aware sync', () => {
  it('a second run over an unchanged archive makes one search page and no product-list call', async () => {
    const ledger = new MemoryLedger();
    const first = await runDownload(options(ledger));
    assert.equal(first.summary.downloaded, ALL.length);
    // Ten files' HEAD + GET (two associations of two COS members, one STIS exposure), one product-list batch.
    assert.deepEqual(counts(), { columns: 1, search: 1, products: 1, download: 2 * ALL.length });
    const listings = await ledger.listings();
    assert.deepEqual([...listings.keys()].sort(), ['lb9y01010', 'lc7a01010', 'o6a501080']);
    assert.deepEqual([...new Set(listings.get('lb9y01010')!.files.map((f) => f.member))], ['lb9y01a1q', 'lb9y01a2q']);
    assert.equal(listings.get('lb9y01010')!.generation_date, '2016-02-04T00:00:00');

    const second = await runDownload(options(ledger));
    assert.deepEqual(counts(), { columns: 1, search: 1, products: 0, download: 0 });
    assert.equal(second.summary.downloaded, 0);
    assert.equal(second.products.batches, 0);
    // The lone STIS exposure is in ingest_dir under its own name; the associations by their listings.
    assert.deepEqual(second.subtracted, { ingest_dir: 1, listing: 2 });
    assert.deepEqual(
      second.files.filter((f) => f.dataset === 'lc7a01010').map((f) => [f.filename, f.reason]),
      ASN_B.map((f) => [f.name, 'already downloaded (ledger)']).sort(),
    );

    // Ingest moves the files away and the database learns the member rootnames: still no product list.
    for (const f of ALL) await rename(path.join(d.ingest, f.name), path.join(d.root, f.name));
    const third = await runDownload(options(ledger, { known: [fixedKnown('metadata', ['lb9y01a1q', 'lb9y01a2q', 'lc7a01b1q', 'lc7a01b2q', 'o6a501080'])] }));
    assert.deepEqual(counts(), { columns: 1, search: 1, products: 0, download: 0 });
    assert.deepEqual(third.subtracted, { metadata: 1, listing: 2 });
  });

  it('members the database knows are listed once, then never again', async () => {
    // An archive whose members were ingested before the ledger existed: the association id is unknown.
    const known = [fixedKnown('metadata', ['lb9y01a1q', 'lb9y01a2q', 'lc7a01b1q', 'lc7a01b2q', 'o6a501080'])];
    const ledger = new MemoryLedger();
    const first = await runDownload(options(ledger, { known }));
    assert.deepEqual(counts(), { columns: 1, search: 1, products: 1, download: 0 });
    assert.deepEqual(first.subtracted, { metadata: 1 });
    assert.ok(first.files.every((f) => f.status === 'skipped' && f.reason === 'rootname already known'));
    await runDownload(options(ledger, { known }));
    assert.deepEqual(counts(), { columns: 1, search: 1, products: 0, download: 0 });
  });

  it('an association with a member not yet known, or a file that failed, is listed again', async () => {
    stub.addFault({ route: 'download', kind: 'status', status: 404, file: ASN_B[0]!.name, times: Infinity });
    const ledger = new MemoryLedger();
    const first = await runDownload(options(ledger));
    assert.equal(first.summary.failed, 1);
    counts();
    stub.clearFaults();
    const second = await runDownload(options(ledger));
    // Only the association with the failed file is asked for again, and only that file is fetched.
    assert.deepEqual(counts(), { columns: 1, search: 1, products: 1, download: 2 });
    assert.deepEqual(second.files.filter((f) => f.status === 'done').map((f) => f.filename), [ASN_B[0]!.name]);
    assert.equal(second.products.listed, ASN_B.length);

    // A member the run does not know: the listing alone does not make the association known.
    const fresh = new MemoryLedger();
    await fresh.recordListings([{ dataset: 'lb9y01010', generation_date: '2016-02-04T00:00:00', files: ASN_A.map((f) => ({ filename: f.name, member: f.name.slice(0, 9), size: f.bytes.length })) }]);
    const elsewhere = path.join(d.root, 'elsewhere');
    await mkdir(elsewhere);
    const third = await runDownload(options(fresh, { dryRun: true, ingestDir: elsewhere }));
    assert.deepEqual(counts(), { columns: 1, search: 1, products: 1, download: 0 });
    assert.deepEqual(third.requested.datasets, ['lb9y01010', 'lc7a01010', 'o6a501080']);
  });

  it('the JSON-lines ledger keeps the listings across a reopen', async () => {
    const file = ledgerPath(d.download);
    await runDownload(options(await JsonlLedger.open(file)));
    counts();
    await runDownload(options(await JsonlLedger.open(file)));
    assert.deepEqual(counts(), { columns: 1, search: 1, products: 0, download: 0 });
  });
});
