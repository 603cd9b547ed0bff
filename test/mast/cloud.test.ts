/**
 * Cloud reads (`download_source: cloud`): MAST's path_lookup gives each product's key in the public
 * `stpubdata` bucket (the recorded reply in test/fixtures/mast/mast_relative_path.json is the shape), the
 * files come over plain HTTPS GETs from the bucket with the transfer's HEAD, Range/If-Range resume and
 * verification, the bucket never sees the MAST token, and what the bucket lacks comes from MAST. The stub
 * answers as S3 does (ETag the quoted MD5, 206 with Content-Range, 404 as S3's XML error).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { cloudKey, MemoryLedger, parsePathLookup, pathLookupUrl, requestJson, runDownload, type DownloadStageOptions } from '../../src/mast/index.js';
import { CLOUD_PREFIX, cloudKeyOf, startMastStub, type MastStub } from '../../src/mast/stub/index.js';
import { exposureFile, filesFor, sha256 } from './fixtures.js';
import { dirs, fastHttp, type Dirs } from './helpers.js';

const FIXTURE = JSON.parse(readFileSync(new URL('../fixtures/mast/mast_relative_path.json', import.meta.url), 'utf8')) as unknown;
const PUBLIC = filesFor([{ rootname: 'lb9y01a1q', events: 60_000 }, { rootname: 'o6a501080' }]);
const SECRET = exposureFile({ rootname: 'lexc01a1q' }, 'corrtag_a');
const NOT_IN_BUCKET = 'o6a501080_x1d.fits';
const TOKEN = 'tok-cloud-1234';

let stub: MastStub;
let d: Dirs;

beforeEach(async () => {
  stub = await startMastStub({ files: [...PUBLIC, { ...SECRET, access: 'PROPRIETARY' }], token: TOKEN, notInCloud: [NOT_IN_BUCKET] });
  d = dirs();
});
afterEach(async () => {
  await stub.close();
  d.cleanup();
});

function options(extra: Partial<DownloadStageOptions> = {}): DownloadStageOptions {
  return {
    mastUrl: stub.url,
    crdsUrl: stub.url,
    ingestDir: d.ingest,
    refDir: d.ref,
    http: fastHttp({ token: TOKEN }),
    ledger: new MemoryLedger(),
    references: false,
    source: 'cloud',
    cloudUrl: `${stub.url}${CLOUD_PREFIX.slice(0, -1)}`,
    ...extra,
  };
}

const md5 = (bytes: Uint8Array) => `"${createHash('md5').update(bytes).digest('hex')}"`;

describe('path_lookup', () => {
  it('parses the recorded MAST reply: the key under the bucket, nothing for a 404 entry', () => {
    const names = ['u9o40504m_c3m.fits', 'does_not_exist.fits'];
    assert.deepEqual([...parsePathLookup(FIXTURE, names)], [['u9o40504m_c3m.fits', 'hst/public/u9o4/u9o40504m/u9o40504m_c3m.fits']]);
    assert.throws(() => parsePathLookup([], names), /not a JSON object/);
  });

  it('refuses keys that are not the product under hst/public', () => {
    const f = 'lb9y01a1q_corrtag_a.fits';
    assert.equal(cloudKey(`/hst/public/lb9y/lb9y01a1q/${f}`, f), `hst/public/lb9y/lb9y01a1q/${f}`);
    for (const bad of [`/hst/public/../../etc/${f}`, `/hst/private/lb9y/lb9y01a1q/${f}`, '/hst/public/lb9y/lb9y01a1q/other_x1d.fits', `/hst/public/lb%2f/lb9y01a1q/${f}`, null, 7]) {
      assert.equal(cloudKey(bad, f), undefined, String(bad));
    }
  });

  it('the stub answers in the recorded shape, uris unescaped as astroquery sends them', async () => {
    const names = [PUBLIC[0]!.name, NOT_IN_BUCKET];
    const url = pathLookupUrl(stub.url, names);
    assert.ok(url.includes(`uri=mast:HST/product/${names[0]}&uri=mast:HST/product/${names[1]}&use_cloud_path=True`));
    const reply = (await requestJson(url, { method: 'GET' }, fastHttp())) as Record<string, { status_code: number; path: string | null }>;
    const shape = (o: object) => Object.values(o).map((e) => Object.keys(e as object).sort().join(','));
    assert.deepEqual(shape(reply), shape(FIXTURE as object));
    assert.deepEqual(reply[`mast:HST/product/${NOT_IN_BUCKET}`], { status_code: 404, path: null });
    assert.equal(reply[`mast:HST/product/${names[0]}`]!.path, `/${cloudKeyOf(names[0]!)}`);
  });
});

describe('the stub bucket', () => {
  it('answers as S3: ETag the quoted MD5, 206 ranges, 404 as an XML error', async () => {
    const file = PUBLIC[0]!;
    const base = `${stub.url}${CLOUD_PREFIX}`;
    const head = await fetch(`${base}${cloudKeyOf(file.name)}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('etag'), md5(file.bytes));
    assert.equal(Number(head.headers.get('content-length')), file.bytes.length);
    const part = await fetch(`${base}${cloudKeyOf(file.name)}`, { headers: { Range: 'bytes=100-199' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 100-199/${file.bytes.length}`);
    assert.deepEqual(new Uint8Array(await part.arrayBuffer()), file.bytes.subarray(100, 200));
    const missing = await fetch(`${base}hst/public/none/none00000/none00000_x1d.fits`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('content-type'), 'application/xml');
    assert.match(await missing.text(), /^<\?xml[^>]*>\n<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist\.<\/Message><Key>hst\/public\/none\/none00000\/none00000_x1d\.fits<\/Key>/);
    const secret = await fetch(`${base}${cloudKeyOf(SECRET.name)}`, { method: 'HEAD' });
    assert.equal(secret.status, 404, 'exclusive-access data are not in the public bucket');
  });
});

describe('download_source: cloud', () => {
  it('reads public files from the bucket without the token, the rest from MAST', async () => {
    const report = await runDownload(options());
    const all = [...PUBLIC, SECRET];
    assert.deepEqual(report.files.filter((f) => f.status === 'done').map((f) => f.filename).sort(), all.map((f) => f.name).sort());
    for (const f of all) assert.equal(sha256(await readFile(path.join(d.ingest, f.name))), sha256(f.bytes), f.name);
    const from = Object.fromEntries(report.files.map((f) => [f.filename, f.source]));
    assert.deepEqual(from, { 'lb9y01a1q_corrtag_a.fits': 'cloud', 'lb9y01a1q_corrtag_b.fits': 'cloud', 'o6a501080_tag.fits': 'cloud', [NOT_IN_BUCKET]: 'mast', [SECRET.name]: 'mast' });
    assert.equal(stub.count('path-lookup'), 1);
    assert.equal(stub.count('cloud', { method: 'GET' }), 3);
    assert.equal(stub.count('cloud', { method: 'HEAD' }), 3);
    assert.deepEqual(stub.requests.filter((r) => r.route === 'download' && r.method === 'GET').map((r) => r.file).sort(), [SECRET.name, NOT_IN_BUCKET].sort());
    assert.ok(stub.requests.filter((r) => r.route === 'cloud').every((r) => !r.authorized), 'the bucket never sees the token');
    assert.ok(stub.requests.filter((r) => r.route === 'path-lookup').every((r) => r.authorized), 'path_lookup is MAST');
  });

  it('resumes a dropped bucket transfer with Range and the bucket ETag', async () => {
    const big = PUBLIC[0]!;
    stub.addFault({ route: 'cloud', kind: 'drop', file: big.name, afterBytes: 100_000 });
    const report = await runDownload(options());
    const row = report.files.find((f) => f.filename === big.name)!;
    assert.equal(row.status, 'done');
    assert.equal(row.resumed_from, 100_000);
    const gets = stub.requests.filter((r) => r.route === 'cloud' && r.file === big.name && r.method === 'GET');
    assert.deepEqual(gets.map((r) => r.range ?? null), [null, 'bytes=100000-']);
    assert.ok(gets[1]!.headers.includes('if-range'));
    assert.equal(sha256(await readFile(path.join(d.ingest, big.name))), sha256(big.bytes));
  });

  it('a key the bucket does not have fails clearly; a path_lookup outage falls back to MAST', async () => {
    stub.addFault({ route: 'cloud', kind: 'status', status: 404, file: PUBLIC[1]!.name, times: Infinity });
    const report = await runDownload(options());
    assert.match(report.files.find((f) => f.filename === PUBLIC[1]!.name)!.reason ?? '', /not found at the public bucket \(HTTP 404\)/);

    stub.clearFaults();
    stub.addFault({ route: 'path-lookup', kind: 'status', status: 503, times: Infinity });
    const fallback = await runDownload(options({ ledger: new MemoryLedger(), ingestDir: path.join(d.root, 'again') }));
    assert.equal(fallback.summary.failed, 0);
    assert.ok(fallback.files.every((f) => f.status !== 'done' || f.source === 'mast'));
  });
});
