/**
 * Contract tests on replies recorded from the real MAST (test/fixtures/mast, from astroquery's test
 * data; see the README there): the client parses them, fails clearly on the malformed one, and the
 * stub answers in the same shapes (field names, value types, blank padding).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkSearchColumns, missingColumns, parseProductList, parseSearchRow, requestJson, searchTimeTag, SEARCH_COLUMNS, MemoryLedger, runDownload } from '../../src/mast/index.js';
import { startMastStub, type MastStub } from '../../src/mast/stub/index.js';
import { filesFor } from './fixtures.js';
import { dirs, fastHttp } from './helpers.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const text = (name: string) => readFileSync(path.join(HERE, '..', 'fixtures', 'mast', name), 'utf8');
const json = (name: string) => JSON.parse(text(name)) as Record<string, unknown> & unknown[];

let stub: MastStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

describe('recorded MAST replies', () => {
  it('search reply: rows parsed from upper-case, blank-padded values; non-COS/STIS rows rejected by instrument', () => {
    const reply = json('mission_results.json');
    const rows = reply['results'] as Array<Record<string, unknown>>;
    assert.equal(reply['totalResults'], rows.length);
    const parsed = rows.map((r) => parseSearchRow(r, new Date('2026-01-01T00:00:00Z')));
    // The recorded rows are WFPC ("WFPC  ", padded): the instrument is trimmed before the check.
    assert.deepEqual(parsed.map((p) => ('reject' in p ? p.reject : 'kept')), rows.map((r) => `instrument ${String(r['sci_instrume']).trim()}`));
    assert.deepEqual(parsed.map((p) => p.dataset), rows.map((r) => String(r['sci_data_set_name']).toLowerCase()));
    // The same row as COS TIME-TAG is kept, with the integer proposal id.
    const row = { ...rows[0]!, sci_instrume: 'COS   ', sci_operating_mode: 'TIME-TAG  ' };
    const kept = parseSearchRow(row, new Date('2026-01-01T00:00:00Z'));
    assert.ok(!('reject' in kept));
    assert.equal(kept.dataset, 'w1dg8d06t');
    assert.equal(kept.instrument, 'COS');
    assert.equal(kept.proposalId, 4381);
  });

  it('product list: size is an integer, names and access as listed; only wanted suffixes kept', () => {
    const reply = json('mission_products.json');
    const entries = reply['products'] as Array<Record<string, unknown>>;
    const result = parseProductList(reply);
    // Z14Z0104T is a GHRS dataset: none of its suffixes is a lightcurve input.
    assert.equal(result.products.length, 0);
    assert.equal(result.ignored, entries.length);
    assert.deepEqual(result.rejected, []);
    // Renamed to a wanted suffix, each entry parses with the listed size and dataset.
    const asCorrtag = { products: [[{ ...entries[0]!, filename: 'z14z0104t_corrtag_a.fits' }]] };
    const one = parseProductList(asCorrtag);
    assert.equal(one.products.length, 1, 'products nested one level');
    assert.deepEqual({ ...one.products[0] }, { dataset: 'z14z0104t', filename: 'z14z0104t_corrtag_a.fits', rootname: 'z14z0104t', suffix: 'corrtag_a', size: entries[0]!['size'], access: 'PUBLIC' });
  });

  it('column list: every column the search selects exists; a renamed one is named', () => {
    const reply = json('mission_columns.json');
    assert.deepEqual(missingColumns(reply), []);
    const renamed = (reply as unknown as Array<Record<string, unknown>>).map((c) => (c['column_name'] === 'sci_generation_date' ? { ...c, column_name: 'sci_gen_date' } : c));
    assert.deepEqual(missingColumns(renamed), ['sci_generation_date']);
  });

  it('malformed reply: a clear failure, not a crash', async () => {
    const body = text('mission_incorrect_results.json');
    const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await assert.rejects(searchTimeTag(url, fastHttp({ maxAttempts: 2 })), /gave up after 2 attempts \(invalid JSON in the response \(\d+ bytes\)\)/);
      // Parsed but without `results`, the search names what is missing.
      const shaped = { messages: [], info: [], search_params: {} };
      const server2 = createServer((_req, res) => res.writeHead(200).end(JSON.stringify(shaped)));
      await new Promise<void>((resolve) => server2.listen(0, '127.0.0.1', resolve));
      const url2 = `http://127.0.0.1:${(server2.address() as AddressInfo).port}`;
      await assert.rejects(searchTimeTag(url2, fastHttp()), /has no 'results' array/);
      server2.close();
    } finally {
      server.close();
    }
  });

  it('path_lookup and Portal products: the shapes the cloud client will read', () => {
    const lookup = json('mast_relative_path.json') as unknown as Record<string, { status_code: number; path: string | null }>;
    assert.equal(lookup['mast:HST/product/u9o40504m_c3m.fits']?.path, '/hst/public/u9o4/u9o40504m/u9o40504m_c3m.fits');
    assert.equal(lookup['mast:HST/product/does_not_exist.fits']?.status_code, 404);
    const portal = json('products.json');
    const data = (portal['data'] ?? portal) as Array<Record<string, unknown>>;
    assert.ok(Array.isArray(data) && data.length > 0);
    for (const p of data) assert.match(String(p['dataURI']), /^mast:HST\/product\/[a-z0-9_]+\.[a-z]+$/i);
  });
});

describe('the stub answers in the recorded shapes', () => {
  it('search: the same top-level fields, row values as strings/numbers/null like MAST', async () => {
    stub = await startMastStub({ files: filesFor([{ rootname: 'lb9y01a1q', asn: 'lb9y01010' }]) });
    const reply = (await requestJson(`${stub.url}/search/hst/api/v0.1/search`, { method: 'POST', body: { select_cols: [...SEARCH_COLUMNS], conditions: [], limit: 10, offset: 0 } }, fastHttp())) as Record<string, unknown>;
    const recorded = json('mission_results.json');
    assert.deepEqual(Object.keys(reply).sort(), Object.keys(recorded).sort());
    const info = reply['info'] as Array<Record<string, unknown>>;
    for (const i of info) assert.deepEqual(Object.keys(i).sort(), ['name', 'type']);
    const recordedTypes = new Map((recorded['info'] as Array<{ name: string; type: string }>).map((i) => [i.name, i.type]));
    for (const i of info) if (recordedTypes.has(String(i['name']))) assert.equal(i['type'], recordedTypes.get(String(i['name'])), String(i['name']));
    const row = (reply['results'] as Array<Record<string, unknown>>)[0]!;
    const recordedRow = (recorded['results'] as Array<Record<string, unknown>>)[0]!;
    for (const k of Object.keys(row)) if (k in recordedRow) assert.equal(typeOf(row[k]), typeOf(recordedRow[k]), k);
    assert.equal(typeof row['sci_pep_id'], 'number');
  });

  it('product list: the same fields per entry, size an integer', async () => {
    stub = await startMastStub({ files: filesFor([{ rootname: 'lb9y01a1q', asn: 'lb9y01010' }]) });
    const reply = (await requestJson(`${stub.url}/search/hst/api/v0.1/post_list_products`, { method: 'POST', body: { dataset_ids: ['LB9Y01010'] } }, fastHttp())) as Record<string, unknown>;
    const recorded = (json('mission_products.json')['products'] as Array<Record<string, unknown>>)[0]!;
    for (const entry of reply['products'] as Array<Record<string, unknown>>) {
      assert.deepEqual(Object.keys(entry).sort(), Object.keys(recorded).sort());
      for (const k of Object.keys(entry)) assert.equal(typeOf(entry[k]), typeOf(recorded[k]), k);
      assert.ok(Number.isInteger(entry['size']));
    }
  });

  it('column list: the recorded fields; the start-up check passes, and fails naming a dropped column', async () => {
    stub = await startMastStub({});
    const reply = (await requestJson(`${stub.url}/search/util/api/v0.1/column_list?mission=hst`, { method: 'GET' }, fastHttp())) as Array<Record<string, unknown>>;
    const recorded = (json('mission_columns.json') as unknown as Array<Record<string, unknown>>)[0]!;
    for (const c of reply) assert.deepEqual(Object.keys(c).sort(), Object.keys(recorded).sort());
    await checkSearchColumns(stub.url, fastHttp());
    await stub.close();
    stub = await startMastStub({ droppedColumns: ['sci_asn_id'] });
    const d = dirs();
    try {
      await assert.rejects(
        runDownload({ mastUrl: stub.url, crdsUrl: stub.url, ingestDir: d.ingest, refDir: d.ref, http: fastHttp(), ledger: new MemoryLedger() }),
        /no longer has the column sci_asn_id that hstlc searches on .*renamed it/,
      );
      assert.equal(stub.count('search'), 0, 'nothing searched before the check');
    } finally {
      d.cleanup();
    }
  });
});
