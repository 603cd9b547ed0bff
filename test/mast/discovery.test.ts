/**
 * Discovery and product lists against the stub: paging with limit/offset until totalResults, the
 * conditions sent, client-side exclusion when the server ignores one, trimming of padded strings,
 * batches of ≤ 1000 dataset ids, suffix filtering, de-duplication and hostile names.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { checkProductName, listProducts, parseReferenceName, parseSearchRow, searchTimeTag, EXCLUDED_TARGETS } from '../../src/mast/index.js';
import { startMastStub, type MastStub, type StubRow } from '../../src/mast/stub/index.js';
import { filesFor } from './fixtures.js';
import { fastHttp } from './helpers.js';

const stubs: MastStub[] = [];
after(async () => {
  await Promise.all(stubs.map((s) => s.close()));
});

async function stub(options: Parameters<typeof startMastStub>[0]): Promise<MastStub> {
  const s = await startMastStub(options);
  stubs.push(s);
  return s;
}

/** Rows with no files: `n` COS science rows, named lc00000NNq so their order is known. */
function rows(n: number, extra: Partial<StubRow> = {}): StubRow[] {
  return Array.from({ length: n }, (_, i) => ({
    sci_data_set_name: `LC${String(i).padStart(6, '0')}Q`,
    sci_asn_id: null,
    sci_targname: 'WZSGE',
    sci_instrume: 'COS   ',
    sci_operating_mode: 'TIME-TAG',
    sci_aec: 'S',
    sci_release_date: '2015-06-01T00:00:00',
    sci_generation_date: '2016-01-01T00:00:00',
    sci_pep_id: 12000,
    ...extra,
  }));
}

const NOW = new Date('2026-11-25T12:00:00Z');

describe('search', () => {
  it('pages with limit/offset until totalResults and sends the conditions of §14.2', async () => {
    const s = await stub({ extraRows: rows(2345) });
    const result = await searchTimeTag(s.url, fastHttp(), { pageSize: 1000, now: NOW });
    assert.equal(result.totalResults, 2345);
    assert.equal(result.rows.length, 2345);
    assert.equal(result.pages, 3);
    const bodies = s.requests.filter((r) => r.route === 'search').map((r) => r.body as Record<string, unknown>);
    assert.deepEqual(bodies.map((b) => [b['offset'], b['limit']]), [[0, 1000], [1000, 1000], [2000, 1000]]);
    const conditions = bodies[0]!['conditions'] as Array<Record<string, string>>;
    assert.deepEqual(conditions, [
      { sci_instrume: 'COS,STIS' },
      { sci_operating_mode: 'TIME-TAG' },
      { sci_aec: 'S' },
      { sci_release_date: '<2026-11-25' },
      { sci_targname: '!DARK,!BIAS,!DEUTERIUM,!WAVE,!ANY,!NONE' },
    ]);
    assert.ok((bodies[0]!['select_cols'] as string[]).includes('sci_data_set_name'));
    // Every dataset once, lower-cased, in the server's order; instrument trimmed of its padding.
    assert.equal(new Set(result.rows.map((r) => r.dataset)).size, 2345);
    assert.equal(result.rows[0]!.dataset, 'lc000000q');
    assert.equal(result.rows[0]!.instrument, 'COS');
  });

  it('follows the server when it caps the page size below the request', async () => {
    const s = await stub({ extraRows: rows(250), maxPageSize: 100 });
    const result = await searchTimeTag(s.url, fastHttp(), { pageSize: 5000, now: NOW });
    assert.equal(result.rows.length, 250);
    assert.equal(result.pages, 3);
    assert.deepEqual(s.requests.map((r) => (r.body as Record<string, unknown>)['offset']), [0, 100, 200]);
  });

  it('excludes calibration targets itself when the server ignores that condition', async () => {
    const excluded = EXCLUDED_TARGETS.map((t, i) => ({ ...rows(1)[0]!, sci_data_set_name: `LD${String(i).padStart(6, '0')}Q`, sci_targname: `${t}    ` }));
    const s = await stub({ extraRows: [...rows(3), ...excluded], honourTargetCondition: false });
    const result = await searchTimeTag(s.url, fastHttp(), { now: NOW });
    assert.equal(result.totalResults, 9, 'the stub returned the calibration rows');
    assert.deepEqual(result.rows.map((r) => r.dataset), ['lc000000q', 'lc000001q', 'lc000002q']);
    assert.deepEqual(result.rejected.map((r) => r.reason).sort(), EXCLUDED_TARGETS.map((t) => `target ${t} is excluded`).sort());
  });

  it('drops rows not yet released, of other instruments or with malformed dataset names', async () => {
    const s = await stub({
      extraRows: [
        ...rows(1),
        { ...rows(1)[0]!, sci_data_set_name: 'LE0000001', sci_release_date: '2027-06-01T00:00:00' },
        { ...rows(1)[0]!, sci_data_set_name: '../ETC/PASSWD' },
      ],
    });
    // The stub applies the release-date condition; the client checks each row again (parseSearchRow).
    const result = await searchTimeTag(s.url, fastHttp(), { now: NOW });
    assert.deepEqual(result.rows.map((r) => r.dataset), ['lc000000q']);
    assert.deepEqual(result.rejected.map((r) => r.reason), ['dataset name is not IPPPSSOOT']);
    const later = await searchTimeTag(s.url, fastHttp(), { now: new Date('2027-07-01T00:00:00Z') });
    assert.deepEqual(later.rows.map((r) => r.dataset).sort(), ['lc000000q', 'le0000001']);
    const future = parseSearchRow({ ...rows(1)[0]!, sci_release_date: '2027-06-01T00:00:00' }, NOW);
    assert.deepEqual(future, { reject: 'not released until 2027-06-01T00:00:00', dataset: 'lc000000q' });
    const stis = parseSearchRow({ ...rows(1)[0]!, sci_instrume: 'ACS   ' }, NOW);
    assert.deepEqual(stis, { reject: 'instrument ACS', dataset: 'lc000000q' });
  });

  it('retries a search page cut off mid-answer, and a product list likewise', async () => {
    const s = await stub({ extraRows: rows(40), files: filesFor([{ rootname: 'lb9y01a1q' }]) });
    s.addFault({ route: 'search', kind: 'drop' });
    const result = await searchTimeTag(s.url, fastHttp(), { now: NOW });
    assert.equal(result.rows.length, 41);
    assert.deepEqual(s.requests.map((r) => r.fault ?? 'ok'), ['drop', 'ok']);
    s.addFault({ route: 'products', kind: 'drop' });
    const listed = await listProducts(s.url, ['lb9y01a1q'], fastHttp());
    assert.equal(listed.products.length, 2);
    assert.equal(s.count('products'), 2);
  });

  it('retries a search page that fails with 503', async () => {
    const s = await stub({ extraRows: rows(10) });
    s.addFault({ route: 'search', kind: 'status', status: 503, times: 2 });
    const result = await searchTimeTag(s.url, fastHttp(), { now: NOW });
    assert.equal(result.rows.length, 10);
    assert.equal(s.count('search'), 3);
  });
});

describe('product lists', () => {
  const files = filesFor([{ rootname: 'lb9y01a1q', asn: 'lb9y01010' }, { rootname: 'lb9y01a2q', asn: 'lb9y01010' }, { rootname: 'o6a501080' }]);

  it('keeps wanted suffixes, drops decoys, and lists association members under the association', async () => {
    const s = await stub({ files });
    const r = await listProducts(s.url, ['lb9y01010', 'o6a501080'], fastHttp());
    assert.deepEqual(r.products.map((p) => p.filename).sort(), files.map((f) => f.name).sort());
    assert.equal(r.ignored, 6, 'rawtag, asn and spt decoys of two datasets');
    const member = r.products.find((p) => p.filename === 'lb9y01a2q_corrtag_b.fits')!;
    assert.equal(member.dataset, 'lb9y01010');
    assert.equal(member.rootname, 'lb9y01a2q');
    assert.equal(member.size, files.find((f) => f.name === member.filename)!.bytes.length);
  });

  it('de-duplicates files listed under both the association and the member', async () => {
    const s = await stub({ files, duplicateProducts: true });
    const r = await listProducts(s.url, ['LB9Y01010', 'LB9Y01A1Q', 'LB9Y01A2Q', 'O6A501080'], fastHttp());
    assert.equal(r.products.length, files.length);
    assert.ok(r.duplicates >= 4);
  });

  it('asks in batches of at most 1000 dataset ids', async () => {
    const s = await stub({ files });
    const ids = Array.from({ length: 2500 }, (_, i) => `lc${String(i).padStart(6, '0')}q`);
    const r = await listProducts(s.url, ['lb9y01010', ...ids], fastHttp());
    const batches = s.requests.filter((q) => q.route === 'products').map((q) => ((q.body as Record<string, unknown>)['dataset_ids'] as string[]).length);
    assert.deepEqual(batches, [1000, 1000, 501]);
    assert.equal(r.batches, 3);
    assert.equal(r.products.length, 4);
  });

  it('refuses hostile product names without touching the filesystem', async () => {
    const hostile = [
      '../../../etc/passwd_x1d.fits',
      '/etc/lb9y01a1q_x1d.fits',
      'lb9y01a1q_x1d.fits/../../x_x1d.fits',
      '..\\..\\lb9y01a1q_x1d.fits',
      'lb9y01a1q_x1d.fits\u0000_x1d.fits',
      'LB9Y01A1Q_X1D.FITS',
      'lb9y01a1q_evil_x1d.fits',
      'l_x1d.fits',
    ];
    const s = await stub({
      files,
      extraProducts: [...hostile.map((filename) => ({ dataset: 'LB9Y01010', filename, size: 2880, access: 'PUBLIC' })), { dataset: 'LB9Y01010', filename: 'lb9y01a3q_x1d.fits', size: -5 }],
    });
    const r = await listProducts(s.url, ['lb9y01010'], fastHttp());
    assert.equal(r.products.length, 4);
    assert.equal(r.rejected.length, hostile.length + 1);
    assert.ok(r.rejected.every((x) => x.reason.length > 0));
    assert.match(r.rejected.at(-1)!.reason, /no valid size/);
  });
});

describe('names', () => {
  it('accepts only <rootname>_<wanted suffix>.fits', () => {
    for (const ok of ['lb9y01a1q_corrtag_a.fits', 'lb9y01a1q_corrtag_b.fits', 'lb9y01a1q_corrtag.fits', 'o6a501080_tag.fits', 'o6a501080_x1d.fits']) {
      assert.equal(checkProductName(ok).ok, true, ok);
    }
    for (const bad of ['lb9y01a1q_rawtag_a.fits', 'lb9y01a1q_corrtag_c.fits', 'lb9y01a1q_x1d.fits.gz', '.lb9y01a1q_x1d.fits', 'lb9y01a1_x1d.fits', '', 'a/b_x1d.fits']) {
      assert.equal(checkProductName(bad).ok, false, bad);
    }
  });

  it('parses lref$/oref$ reference names and refuses anything else', () => {
    assert.deepEqual(parseReferenceName('lref$2o8vt8wzl_phot.fits'), { dir: 'lref', file: '2o8vt8wzl_phot.fits' });
    assert.deepEqual(parseReferenceName(' oref$53v1buhoo_pfl.fits  '), { dir: 'oref', file: '53v1buhoo_pfl.fits' });
    for (const bad of ['N/A', '', 'jref$x_flt.fits', 'lref$../../x_phot.fits', 'lref$a/b_phot.fits', 'lref$x_phot.fits$y']) {
      assert.equal(parseReferenceName(bad), undefined, bad);
    }
  });
});
