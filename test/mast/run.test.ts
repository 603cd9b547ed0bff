/**
 * The download stage end to end against the stub: what is known is subtracted, the rest arrives
 * byte-exact and verified, the ledger and report say so, reference files come from CRDS and are
 * checked, a second run fetches nothing, --limit and --dry-run hold, the token reaches MAST only.
 */
import assert from 'node:assert/strict';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { fixedKnown, MemoryLedger, runDownload, summaryLine, type DownloadStageOptions } from '../../src/mast/index.js';
import { startMastStub, type MastStub } from '../../src/mast/stub/index.js';
import { exposureFile, filesFor, referenceFile, sha256, type FixtureFile } from './fixtures.js';
import { dirs, fastHttp, listDir, type Dirs } from './helpers.js';

const COS_REFS = { FLUXTAB: 'lref$aaa11111l_phot.fits', TDSTAB: 'lref$bbb22222l_tds.fits', BPIXTAB: 'lref$zzz99999l_bpix.fits' };
const STIS_REFS = { BPIXTAB: 'oref$ccc33333o_bpx.fits', PFLTFILE: 'oref$ddd44444o_pfl.fits', LFLTFILE: 'oref$eee55555o_lfl.fits' };

const NEW = filesFor([
  { rootname: 'lb9y01a1q', asn: 'lb9y01010', refs: COS_REFS },
  { rootname: 'lb9y01a2q', asn: 'lb9y01010', refs: COS_REFS },
  { rootname: 'o6a501080', refs: STIS_REFS },
]);
const IN_METADATA = filesFor([{ rootname: 'lc9h01b1q' }]);
const IN_INGEST = filesFor([{ rootname: 'lcah01c1q' }]);
const IN_BAD_DATA = filesFor([{ rootname: 'ob1234560' }]);
const CALIBRATION = filesFor([{ rootname: 'lcal01d1q', targname: 'WAVE' }]);
const REFS = ['aaa11111l_phot.fits', 'bbb22222l_tds.fits', 'ccc33333o_bpx.fits', 'ddd44444o_pfl.fits', 'eee55555o_lfl.fits'].map((n) => referenceFile(n));

let stub: MastStub;
let d: Dirs;

beforeEach(async () => {
  stub = await startMastStub({ files: [...NEW, ...IN_METADATA, ...IN_INGEST, ...IN_BAD_DATA, ...CALIBRATION], references: REFS });
  d = dirs();
  // Already waiting for ingest; and one flat field already in ref_dir.
  for (const f of IN_INGEST) await writeFile(path.join(d.ingest, f.name), f.bytes);
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.join(d.ref, 'oref'), { recursive: true });
  await writeFile(path.join(d.ref, 'oref', 'eee55555o_lfl.fits'), REFS[4]!.bytes);
});
afterEach(async () => {
  await stub.close();
  d.cleanup();
});
after(() => undefined);

function options(ledger: MemoryLedger, extra: Partial<DownloadStageOptions> = {}): DownloadStageOptions {
  return {
    mastUrl: stub.url,
    crdsUrl: stub.url,
    ingestDir: d.ingest,
    refDir: d.ref,
    http: fastHttp(),
    ledger,
    known: [fixedKnown('metadata', ['lc9h01b1q']), fixedKnown('bad_data', ['ob1234560'])],
    concurrency: 3,
    ...extra,
  };
}

const byName = (files: readonly FixtureFile[]) => new Map(files.map((f) => [f.name, f]));

describe('runDownload', () => {
  it('downloads exactly the new files, byte-exact, records them and fetches their reference files', async () => {
    const ledger = new MemoryLedger();
    const report = await runDownload(options(ledger, { http: fastHttp({ token: 'tok-SECRET-1234' }) }));

    const expected = NEW.map((f) => f.name).sort();
    assert.deepEqual(report.files.filter((f) => f.status === 'done').map((f) => f.filename).sort(), expected);
    assert.deepEqual(report.files.filter((f) => f.status === 'failed'), []);
    assert.deepEqual(await listDir(d.ingest), [...expected, ...IN_INGEST.map((f) => f.name)].sort());
    const want = byName(NEW);
    for (const name of expected) {
      const bytes = await readFile(path.join(d.ingest, name));
      assert.equal(sha256(bytes), sha256(want.get(name)!.bytes), name);
      const row = await ledger.get(name);
      assert.equal(row?.state, 'complete');
      assert.equal(row?.sha256, sha256(want.get(name)!.bytes));
      assert.equal(row?.size, want.get(name)!.bytes.length);
      assert.equal(row?.mast_generation_date, '2016-02-04T00:00:00');
      assert.equal(row?.attempts, 1);
    }
    // What was known was never asked for: no product list, no download.
    assert.deepEqual(report.subtracted, { metadata: 1, bad_data: 1, ingest_dir: 1 });
    const downloaded = new Set(stub.requests.filter((r) => r.route === 'download').map((r) => r.file));
    assert.deepEqual([...downloaded].sort(), expected);
    assert.equal(stub.count('download', { method: 'GET' }), expected.length);
    assert.equal(stub.count('download', { method: 'HEAD' }), expected.length);
    assert.ok(stub.maxInFlight('download') <= 3);
    // The calibration target (TARGNAME WAVE) never came back from the search.
    assert.equal(report.search.datasets, 5);

    // References: COS FLUXTAB/TDSTAB and STIS flats + BPIXTAB; the one in ref_dir skipped; COS BPIXTAB not wanted.
    const refs = Object.fromEntries(report.references.map((r) => [r.file, r.status]));
    assert.deepEqual(refs, {
      'aaa11111l_phot.fits': 'done',
      'bbb22222l_tds.fits': 'done',
      'ccc33333o_bpx.fits': 'done',
      'ddd44444o_pfl.fits': 'done',
      'eee55555o_lfl.fits': 'skipped',
    });
    for (const ref of REFS.slice(0, 4)) {
      const dir = ref.name.includes('l_') ? 'lref' : 'oref';
      assert.equal(sha256(await readFile(path.join(d.ref, dir, ref.name))), sha256(ref.bytes));
    }
    assert.equal(stub.count('crds-file', { file: 'zzz99999l_bpix.fits' }), 0);
    assert.equal(stub.count('crds-rpc'), 4);

    assert.equal(summaryLine(report), '6 files downloaded, 0 skipped, 0 failed; 4 reference files fetched, 0 failed');
    assert.ok(report.summary.bytes === NEW.reduce((n, f) => n + f.bytes.length, 0));
    // The token went to MAST in the Authorization header, and appears nowhere in the report.
    assert.ok(stub.requests.filter((r) => r.route === 'download').every((r) => r.authorized));
    assert.ok(!JSON.stringify(report).includes('SECRET'));
  });

  it('a second run downloads nothing, also after the files left ingest_dir (the ledger remembers)', async () => {
    const ledger = new MemoryLedger();
    await runDownload(options(ledger));
    stub.requests.length = 0;
    const again = await runDownload(options(ledger));
    assert.equal(stub.count('download'), 0);
    assert.equal(again.summary.downloaded, 0);
    // The STIS dataset and the old COS one by name; the association's members file by file.
    assert.equal(again.subtracted['ingest_dir'], 2);
    assert.deepEqual(
      again.files.filter((f) => f.filename.startsWith('lb9y')).map((f) => f.reason),
      Array(4).fill('already downloaded (ledger)'),
    );

    // Ingest moves the files away; they are still not fetched again.
    for (const f of NEW) await rename(path.join(d.ingest, f.name), path.join(d.root, f.name));
    stub.requests.length = 0;
    const third = await runDownload(options(ledger));
    assert.equal(stub.count('download'), 0);
    assert.equal(third.summary.downloaded, 0);
    assert.deepEqual(
      third.files.map((f) => [f.filename, f.reason]).sort(),
      NEW.map((f) => [f.name, 'already downloaded (ledger)']).sort(),
    );
  });

  it('--limit caps the datasets, in dataset-name order', async () => {
    const report = await runDownload(options(new MemoryLedger(), { limit: 1 }));
    assert.equal(report.new_datasets, 2);
    assert.deepEqual(report.requested.datasets, ['lb9y01010']);
    assert.deepEqual(report.files.filter((f) => f.status === 'done').map((f) => f.filename).sort(), NEW.filter((f) => f.name.startsWith('lb9y')).map((f) => f.name).sort());
  });

  it('--dry-run lists the plan and fetches nothing', async () => {
    const ledger = new MemoryLedger();
    const report = await runDownload(options(ledger, { dryRun: true }));
    assert.equal(report.dry_run, true);
    assert.deepEqual(report.plan.map((p) => p.filename).sort(), NEW.map((f) => f.name).sort());
    assert.equal(report.requested.bytes, NEW.reduce((n, f) => n + f.bytes.length, 0));
    assert.equal(stub.count('download'), 0);
    assert.equal(stub.count('crds-rpc'), 0);
    assert.deepEqual(await ledger.list(), []);
    assert.deepEqual(await listDir(d.ingest), IN_INGEST.map((f) => f.name));
  });

  it('a reference file whose sha1 differs from CRDS is refused and not stored', async () => {
    stub.addFault({ route: 'crds-file', kind: 'corrupt', file: 'aaa11111l_phot.fits', times: Infinity });
    const report = await runDownload(options(new MemoryLedger()));
    const bad = report.references.find((r) => r.file === 'aaa11111l_phot.fits')!;
    assert.equal(bad.status, 'failed');
    assert.match(bad.reason ?? '', /sha1 [0-9a-f]{40} differs from CRDS's [0-9a-f]{40}/);
    assert.deepEqual(await listDir(path.join(d.ref, 'lref')), ['bbb22222l_tds.fits']);
    assert.equal(report.summary.references_failed, 1);
    assert.equal(stub.count('crds-file', { file: 'aaa11111l_phot.fits' }), 2, 'one fresh try after the first verification failure');

    // The next run has nothing new to download but fetches the reference that failed.
    stub.clearFaults();
    const again = await runDownload(options(new MemoryLedger()));
    assert.equal(again.summary.downloaded, 0);
    assert.deepEqual(again.references.filter((r) => r.status === 'done').map((r) => r.file), ['aaa11111l_phot.fits']);
    assert.equal(sha256(await readFile(path.join(d.ref, 'lref', 'aaa11111l_phot.fits'))), sha256(REFS[0]!.bytes));
  });

  it('a reference CRDS does not know is a clear failure', async () => {
    await stub.close();
    stub = await startMastStub({ files: NEW, references: REFS.slice(1) });
    const report = await runDownload(options(new MemoryLedger()));
    const missing = report.references.find((r) => r.file === 'aaa11111l_phot.fits')!;
    assert.equal(missing.status, 'failed');
    assert.match(missing.reason ?? '', /No catalog entry/);
    assert.equal(stub.count('crds-file', { file: 'aaa11111l_phot.fits' }), 0);
  });

  it('files that fail are reported with the reason, recorded as failed, and retried by the next run', async () => {
    const target = 'o6a501080_x1d.fits';
    stub.addFault({ route: 'download', kind: 'corrupt', file: target, times: Infinity });
    const ledger = new MemoryLedger();
    const first = await runDownload(options(ledger));
    const failed = first.files.find((f) => f.filename === target)!;
    assert.equal(failed.status, 'failed');
    assert.match(failed.reason ?? '', /verification failed/);
    assert.equal((await ledger.get(target))?.state, 'failed');
    assert.ok(!(await listDir(d.ingest)).includes(target));
    assert.ok(!(await listDir(d.ingest)).some((n) => n.startsWith('.')), 'no .part left behind');

    stub.clearFaults();
    stub.requests.length = 0;
    const second = await runDownload(options(ledger));
    assert.deepEqual(second.files.filter((f) => f.status === 'done').map((f) => f.filename), [target]);
    assert.equal(stub.count('download', { method: 'GET' }), 1);
    const row = await ledger.get(target);
    assert.equal(row?.state, 'complete');
    assert.equal(row?.error, null);
    assert.equal(row?.attempts, 2);
  });

  it('exclusive-access files need the token: without it, a clear failure', async () => {
    await stub.close();
    const secret = exposureFile({ rootname: 'lexc01a1q' }, 'corrtag_a');
    stub = await startMastStub({ files: [{ ...secret, access: 'PROPRIETARY' }], token: 'tok-abc' });
    const without = await runDownload(options(new MemoryLedger(), { references: false }));
    assert.match(without.files[0]!.reason ?? '', /not authorized \(HTTP 401\)/);
    const withToken = await runDownload(options(new MemoryLedger(), { references: false, http: fastHttp({ token: 'tok-abc' }) }));
    assert.equal(withToken.files[0]!.status, 'done');
    assert.equal(sha256(await readFile(path.join(d.ingest, secret.name))), sha256(secret.bytes));
  });
});
