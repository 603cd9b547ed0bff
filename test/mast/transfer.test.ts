/**
 * One file through the downloader against the stub's fault modes: every fault ends either with a
 * verified, byte-exact file under its final name or with a clear failure and nothing under that name.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { partPath, transferFile, verifyFitsFile, type RetryEvent, type TransferSpec } from '../../src/mast/index.js';
import { startMastStub, type MastStub } from '../../src/mast/stub/index.js';
import { exposureFile, sha256 } from './fixtures.js';
import { dirs, fastHttp, listDir, type Dirs } from './helpers.js';

// ~200 kB: several 64 KiB chunks, so "mid-body" is really mid-body.
const FILE = exposureFile({ rootname: 'lb9y01a1q', events: 16000 }, 'corrtag_a');

let stub: MastStub;
let d: Dirs;

before(async () => {
  stub = await startMastStub({ files: [FILE] });
});
after(async () => {
  await stub.close();
});

function spec(dest: string, size = FILE.bytes.length): TransferSpec {
  return {
    url: `${stub.url}/api/v0.1/Download/file?uri=${encodeURIComponent(`mast:HST/product/${FILE.name}`)}`,
    dest,
    expectedSize: size,
    verify: async (file) => {
      const v = await verifyFitsFile(file, size);
      return v.ok ? undefined : v.reason;
    },
  };
}

async function fresh(): Promise<string> {
  d?.cleanup();
  d = dirs();
  stub.clearFaults();
  stub.requests.length = 0;
  return path.join(d.ingest, FILE.name);
}

after(() => d?.cleanup());

describe('transferFile against the stub', () => {
  it('downloads, verifies and renames: HEAD then one GET, byte-exact', async () => {
    const dest = await fresh();
    const r = await transferFile(spec(dest), { http: fastHttp() });
    assert.equal(r.status, 'done');
    assert.equal(sha256(await readFile(dest)), sha256(FILE.bytes));
    assert.equal(stub.count('download', { method: 'HEAD' }), 1);
    assert.equal(stub.count('download', { method: 'GET' }), 1);
    assert.deepEqual(await listDir(d.ingest), [FILE.name]);
  });

  it('retries 5xx with backoff and counts the requests', async () => {
    const dest = await fresh();
    const retries: RetryEvent[] = [];
    stub.addFault({ route: 'download', kind: 'status', status: 503, method: 'GET', times: 2 });
    stub.addFault({ route: 'download', kind: 'status', status: 502, method: 'HEAD', times: 1 });
    const r = await transferFile(spec(dest), { http: fastHttp({}, retries) });
    assert.equal(r.status, 'done');
    assert.equal(stub.count('download', { method: 'HEAD' }), 2);
    assert.equal(stub.count('download', { method: 'GET' }), 3);
    assert.deepEqual(retries.map((e) => e.reason), ['HEAD: HTTP 502', 'HTTP 503', 'HTTP 503']);
    // Exponential: the second GET retry waits in [base, 2·base), the first in [base/2, base).
    assert.ok(retries[1]!.delayMs >= 5 && retries[1]!.delayMs < 10, String(retries[1]!.delayMs));
    assert.ok(retries[2]!.delayMs >= 10 && retries[2]!.delayMs < 20, String(retries[2]!.delayMs));
    assert.equal(sha256(await readFile(dest)), sha256(FILE.bytes));
  });

  it('honours Retry-After on 429', async () => {
    const dest = await fresh();
    stub.addFault({ route: 'download', kind: 'status', status: 429, retryAfter: 1, method: 'GET' });
    const t0 = Date.now();
    const r = await transferFile(spec(dest), { http: fastHttp() });
    const elapsed = Date.now() - t0;
    assert.equal(r.status, 'done');
    assert.ok(elapsed >= 1000, `waited only ${elapsed} ms`);
    const gets = stub.requests.filter((q) => q.method === 'GET');
    assert.deepEqual(gets.map((q) => q.status), [429, 200]);
    assert.ok(gets[1]!.at - gets[0]!.at >= 1000);
  });

  it('gives up on a Retry-After beyond the limit, leaving nothing', async () => {
    const dest = await fresh();
    stub.addFault({ route: 'download', kind: 'status', status: 429, retryAfter: 3600, method: 'HEAD' });
    const r = await transferFile(spec(dest), { http: fastHttp() });
    assert.equal(r.status, 'failed');
    assert.match(r.status === 'failed' ? r.reason : '', /Retry-After 3600 s/);
    assert.deepEqual(await listDir(d.ingest), []);
  });

  it('resumes a body dropped mid-transfer with Range from the bytes already on disk', async () => {
    const dest = await fresh();
    stub.addFault({ route: 'download', kind: 'drop', afterBytes: 100_000 });
    const r = await transferFile(spec(dest), { http: fastHttp() });
    assert.equal(r.status, 'done');
    const gets = stub.requests.filter((q) => q.method === 'GET');
    assert.equal(gets.length, 2);
    assert.equal(gets[0]!.range, undefined);
    const m = /^bytes=(\d+)-$/.exec(gets[1]!.range ?? '');
    assert.ok(m, `second GET had Range ${gets[1]!.range}`);
    const from = Number(m[1]);
    assert.ok(from > 0 && from <= 100_000, `resumed from ${from}`);
    assert.equal(r.status === 'done' && r.resumedFrom, from);
    assert.equal(gets[1]!.status, 206);
    assert.equal(sha256(await readFile(dest)), sha256(FILE.bytes));
  });

  it('resumes a .part left by an earlier run, sending If-Range with the ETag', async () => {
    const dest = await fresh();
    await writeFile(partPath(dest), FILE.bytes.subarray(0, 50_000));
    const r = await transferFile(spec(dest), { http: fastHttp() });
    assert.equal(r.status, 'done');
    assert.equal(r.status === 'done' && r.resumedFrom, 50_000);
    assert.equal(r.bytes, FILE.bytes.length - 50_000);
    assert.equal(stub.requests.find((q) => q.method === 'GET')!.range, 'bytes=50000-');
    assert.equal(sha256(await readFile(dest)), sha256(FILE.bytes));
  });

  it('a .part whose bytes are wrong fails verification, is deleted, and the file is fetched whole', async () => {
    const dest = await fresh();
    const wrong = new Uint8Array(FILE.bytes.subarray(0, 60_000));
    wrong[40_000] ^= 0xff;
    await writeFile(partPath(dest), wrong);
    const r = await transferFile(spec(dest), { http: fastHttp() });
    assert.equal(r.status, 'done');
    const gets = stub.requests.filter((q) => q.method === 'GET');
    assert.deepEqual(gets.map((q) => q.range), ['bytes=60000-', undefined]);
    assert.equal(sha256(await readFile(dest)), sha256(FILE.bytes));
  });

  it('times out a slow first byte and retries', async () => {
    const dest = await fresh();
    stub.addFault({ route: 'download', kind: 'slow', delayMs: 2000, method: 'GET' });
    const retries: RetryEvent[] = [];
    const r = await transferFile(spec(dest), { http: fastHttp({ timeoutMs: 500 }, retries) });
    assert.equal(r.status, 'done');
    assert.match(retries[0]!.reason, /timeout/);
    assert.equal(stub.count('download', { method: 'GET' }), 2);
  });

  it('accepts a body without Content-Length when it is complete and verifies', async () => {
    const dest = await fresh();
    stub.addFault({ route: 'download', kind: 'no-length' });
    const r = await transferFile(spec(dest), { http: fastHttp() });
    assert.equal(r.status, 'done');
    assert.equal(sha256(await readFile(dest)), sha256(FILE.bytes));
  });

  it('refuses a file whose GET size differs from the product list; nothing reaches the final name', async () => {
    const dest = await fresh();
    stub.addFault({ route: 'download', kind: 'wrong-size', times: Infinity });
    const warnings: string[] = [];
    const r = await transferFile(spec(dest), { http: fastHttp(), onWarning: (m) => void warnings.push(m) });
    assert.equal(r.status, 'failed');
    assert.match(r.status === 'failed' ? r.reason : '', /Content-Length \d+ disagrees with the product list/);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /HEAD reports \d+ bytes/);
    assert.deepEqual((await listDir(d.ingest)).filter((n) => !n.startsWith('.')), []);
  });

  it('HEAD is advisory: Content-Length 0, or one that disagrees, does not fail a good GET', async () => {
    for (const kind of ['head-zero', 'wrong-size'] as const) {
      const dest = await fresh();
      stub.clearFaults();
      stub.addFault({ route: 'download', kind, method: 'HEAD', times: Infinity });
      const warnings: string[] = [];
      const r = await transferFile(spec(dest), { http: fastHttp(), onWarning: (m) => void warnings.push(m) });
      assert.equal(r.status, 'done', kind);
      assert.equal(sha256(await readFile(dest)), sha256(FILE.bytes), kind);
      assert.equal(warnings.length, 1, kind);
    }
  });

  it('a wrong size in the body alone (no HEAD) also ends with nothing under the final name', async () => {
    const dest = await fresh();
    stub.addFault({ route: 'download', kind: 'wrong-size', times: Infinity, method: 'GET' });
    const r = await transferFile({ ...spec(dest), head: false }, { http: fastHttp() });
    assert.equal(r.status, 'failed');
    assert.match(r.status === 'failed' ? r.reason : '', /Content-Length/);
    assert.deepEqual((await listDir(d.ingest)).filter((n) => !n.startsWith('.')), []);
  });

  it('corrupted bytes fail DATASUM; one fresh download repairs a transient corruption', async () => {
    const dest = await fresh();
    stub.addFault({ route: 'download', kind: 'corrupt', times: 1 });
    const r = await transferFile(spec(dest), { http: fastHttp() });
    assert.equal(r.status, 'done');
    assert.equal(stub.count('download', { method: 'GET' }), 2);
    assert.equal(sha256(await readFile(dest)), sha256(FILE.bytes));
  });

  it('persistent corruption is a failure with the checksum reason, and no file or .part remains', async () => {
    const dest = await fresh();
    stub.addFault({ route: 'download', kind: 'corrupt', times: Infinity });
    const r = await transferFile(spec(dest), { http: fastHttp() });
    assert.equal(r.status, 'failed');
    assert.match(r.status === 'failed' ? r.reason : '', /verification failed: HDU \d \(\w+\): (DATASUM|CHECKSUM)/);
    assert.deepEqual(await listDir(d.ingest), []);
  });

  it('a 404 fails at once, without retries', async () => {
    d?.cleanup();
    d = dirs();
    stub.requests.length = 0;
    const dest = path.join(d.ingest, 'lzzz01a1q_corrtag_a.fits');
    const r = await transferFile({ ...spec(dest), url: `${stub.url}/api/v0.1/Download/file?uri=mast:HST/product/lzzz01a1q_corrtag_a.fits` }, { http: fastHttp() });
    assert.equal(r.status, 'failed');
    assert.equal(r.status === 'failed' && r.permanent, true);
    assert.match(r.status === 'failed' ? r.reason : '', /HTTP 404/);
    assert.equal(stub.requests.length, 1);
  });

  it('retries are bounded: a server that always fails is given up after maxAttempts GETs', async () => {
    const dest = await fresh();
    stub.addFault({ route: 'download', kind: 'status', status: 500, method: 'GET', times: Infinity });
    const r = await transferFile(spec(dest), { http: fastHttp({ maxAttempts: 3 }) });
    assert.equal(r.status, 'failed');
    assert.match(r.status === 'failed' ? r.reason : '', /gave up after 3 attempts \(HTTP 500\)/);
    assert.equal(stub.count('download', { method: 'GET' }), 3);
    assert.deepEqual(await listDir(d.ingest), []);
  });

  it('a body that stalls inside the idle timeout is ended by the whole-file deadline, keeping the .part', async () => {
    const dest = await fresh();
    stub.addFault({ route: 'download', kind: 'stall', afterBytes: 70_000, times: Infinity });
    const t0 = Date.now();
    const r = await transferFile(spec(dest), { http: fastHttp({ timeoutMs: 10_000 }), deadlineMs: 400 });
    assert.equal(r.status, 'failed');
    assert.match(r.status === 'failed' ? r.reason : '', /took longer than 0 s/);
    assert.ok(Date.now() - t0 < 3000);
    assert.deepEqual(await listDir(d.ingest), [path.basename(partPath(dest))]);
  });

  it('a server that refuses HEAD (405) is asked with GET alone', async () => {
    const dest = await fresh();
    stub.addFault({ route: 'download', kind: 'status', status: 405, method: 'HEAD' });
    const r = await transferFile(spec(dest), { http: fastHttp() });
    assert.equal(r.status, 'done');
    assert.deepEqual(stub.requests.map((q) => [q.method, q.status]), [['HEAD', 405], ['GET', 200]]);
  });

});

describe('the stub speaks HTTP as MAST does', () => {
  const url = () => `${stub.url}/api/v0.1/Download/file?uri=${encodeURIComponent(`mast:HST/product/${FILE.name}`)}`;

  it('HEAD gives size and ETag; Range gives 206 with Content-Range; a stale If-Range gives the whole file', async () => {
    stub.clearFaults();
    const head = await fetch(url(), { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers.get('content-length')), FILE.bytes.length);
    const etag = head.headers.get('etag')!;
    assert.match(etag, /^"[0-9a-f]{16}"$/);

    const part = await fetch(url(), { headers: { Range: 'bytes=100-199', 'If-Range': etag } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 100-199/${FILE.bytes.length}`);
    assert.deepEqual(new Uint8Array(await part.arrayBuffer()), FILE.bytes.subarray(100, 200));

    const stale = await fetch(url(), { headers: { Range: 'bytes=100-', 'If-Range': '"0000000000000000"' } });
    assert.equal(stale.status, 200);
    assert.equal((await stale.arrayBuffer()).byteLength, FILE.bytes.length);

    const beyond = await fetch(url(), { headers: { Range: `bytes=${FILE.bytes.length}-` } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('content-range'), `bytes */${FILE.bytes.length}`);
    await beyond.arrayBuffer();

    const missing = await fetch(`${stub.url}/api/v0.1/Download/file?uri=mast:HST/product/lzzz01a1q_x1d.fits`);
    assert.equal(missing.status, 404);
    await missing.arrayBuffer();
  });

  it('a .part longer than the file is discarded and the file fetched whole', async () => {
    const dest = await fresh();
    await writeFile(partPath(dest), new Uint8Array(FILE.bytes.length + 10));
    const r = await transferFile(spec(dest), { http: fastHttp() });
    assert.equal(r.status, 'done');
    assert.equal(stub.requests.find((q) => q.method === 'GET')!.range, undefined);
    assert.equal(sha256(await readFile(dest)), sha256(FILE.bytes));
  });
});
