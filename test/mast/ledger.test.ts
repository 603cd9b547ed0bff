/** The downloads ledger (memory and JSON lines), known-dataset sources and the retry arithmetic. */
import assert from 'node:assert/strict';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { backoffDelay, ingestDirKnown, JsonlLedger, ledgerPath, MemoryLedger, parseRetryAfter, type HttpOptions } from '../../src/mast/index.js';
import { dirs } from './helpers.js';

const SHA = 'a'.repeat(64);

describe('ledgers', () => {
  it('follow the database rules: attempts count entries to downloading, success clears the error', async () => {
    const ledger = new MemoryLedger();
    await ledger.record({ dataset: 'lb9y01010', filename: 'lb9y01a1q_corrtag_a.fits', state: 'downloading', size: 100, mast_generation_date: '2016-02-04T00:00:00' });
    await ledger.record({ dataset: 'lb9y01010', filename: 'lb9y01a1q_corrtag_a.fits', state: 'failed', error: 'HTTP 503' });
    await ledger.record({ dataset: 'lb9y01010', filename: 'lb9y01a1q_corrtag_a.fits', state: 'downloading' });
    await ledger.record({ dataset: 'lb9y01010', filename: 'lb9y01a1q_corrtag_a.fits', state: 'complete', sha256: SHA });
    const row = await ledger.get('lb9y01a1q_corrtag_a.fits');
    assert.equal(row?.attempts, 2);
    assert.equal(row?.error, null);
    assert.equal(row?.size, 100);
    assert.equal(row?.mast_generation_date, '2016-02-04T00:00:00');
    assert.equal(row?.sha256, SHA);
    await assert.rejects(ledger.record({ dataset: 'x', filename: 'y', state: 'complete', sha256: 'XYZ' }), /SHA-256/);
  });

  it('the JSON-lines ledger survives a reopen and ignores a torn last line', async () => {
    const d = dirs();
    try {
      const file = ledgerPath(d.download);
      const a = await JsonlLedger.open(file);
      await a.record({ dataset: 'o6a501080', filename: 'o6a501080_tag.fits', state: 'downloading', size: 10 });
      await a.record({ dataset: 'o6a501080', filename: 'o6a501080_tag.fits', state: 'complete', sha256: SHA });
      await a.record({ dataset: 'o6a501080', filename: 'o6a501080_x1d.fits', state: 'failed', error: 'timeout' });
      await appendFile(file, '{"dataset":"o6a501080","filename":"o6a501080_x1d.fits","sta');
      const b = await JsonlLedger.open(file);
      assert.deepEqual((await b.list()).map((r) => [r.filename, r.state, r.attempts]), [
        ['o6a501080_tag.fits', 'complete', 1],
        ['o6a501080_x1d.fits', 'failed', 0],
      ]);
      assert.equal((await b.get('o6a501080_tag.fits'))?.sha256, SHA);
      assert.equal((await readFile(file, 'utf8')).split('\n').length, 5, 'the torn line was terminated');
      await b.record({ dataset: 'o6a501080', filename: 'o6a501080_x1d.fits', state: 'downloading' });
      const c = await JsonlLedger.open(file);
      assert.equal((await c.get('o6a501080_x1d.fits'))?.state, 'downloading');
    } finally {
      d.cleanup();
    }
  });
});

describe('ingest_dir as a known source', () => {
  it('takes rootnames of event and x1d files, not of .part files or other names', async () => {
    const d = dirs();
    try {
      for (const name of ['lb9y01a1q_corrtag_a.fits', 'o6a501080_tag.fits', 'o6a502060_x1d.fits', '.lzzz01a1q_corrtag_a.fits.part', 'notes.txt', 'lcal01a1q_rawtag.fits']) {
        await writeFile(path.join(d.ingest, name), '');
      }
      await mkdir(path.join(d.ingest, 'sub'));
      assert.deepEqual([...(await ingestDirKnown(d.ingest).rootnames())].sort(), ['lb9y01a1q', 'o6a501080', 'o6a502060']);
      assert.deepEqual([...(await ingestDirKnown(path.join(d.root, 'missing')).rootnames())], []);
    } finally {
      d.cleanup();
    }
  });
});

describe('retry arithmetic', () => {
  const http: HttpOptions = { timeoutMs: 1000, maxAttempts: 5, backoffBaseMs: 1000, backoffMaxMs: 8000, maxRetryAfterMs: 60_000, userAgent: 't' };

  it('parses Retry-After as seconds or an HTTP date', () => {
    assert.equal(parseRetryAfter('120'), 120_000);
    assert.equal(parseRetryAfter('Wed, 25 Nov 2026 12:00:30 GMT', Date.parse('2026-11-25T12:00:00Z')), 30_000);
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });

  it('backs off exponentially with jitter, capped, and waits at least Retry-After', () => {
    const lo = { ...http, random: () => 0 };
    const hi = { ...http, random: () => 0.999999 };
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, lo)), [500, 1000, 2000, 4000, 4000, 4000]);
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, hi)), [999, 1999, 3999, 7999, 7999, 7999]);
    assert.equal(backoffDelay(1, lo, 5000), 5000);
    assert.ok(backoffDelay(1, hi, 5000) < 5250);
  });
});

describe('the run lock', () => {
  it('refuses a second run while the first holds it, and takes over a dead owner\'s lock', async () => {
    const { acquireRunLock, LockedError } = await import('../../src/mast/lock.js');
    const d = dirs();
    try {
      const first = await acquireRunLock(d.download);
      // Another live process (our parent) pretending to be the second run.
      await assert.rejects(acquireRunLock(d.download, process.ppid), (err: unknown) => err instanceof LockedError && err.pid === process.pid);
      await first.release();
      const again = await acquireRunLock(d.download, process.ppid);
      await again.release();
      // A lock left by a process that no longer exists.
      await writeFile(path.join(d.download, 'download.lock'), '2147483646\n');
      const taken = await acquireRunLock(d.download);
      assert.equal((JSON.parse(await readFile(taken.file, 'utf8')) as { pid: number }).pid, process.pid);
      await taken.release();
    } finally {
      d.cleanup();
    }
  });
});
