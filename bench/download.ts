/**
 * Download throughput through the local MAST stub: `node --import tsx bench/download.ts [MB] [files]`.
 * Serves `files` FITS event files totalling about `MB` megabytes over loopback, downloads them with
 * the real stage (HEAD, GET, verification with CHECKSUM/DATASUM, sha256, fsync, rename) at the
 * default concurrency of 4, then again with a quarter of the bodies dropped half-way (resumed by Range).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodeFits } from '../src/fits/index.js';
import { DEFAULT_HTTP, MemoryLedger, runDownload } from '../src/mast/index.js';
import { startMastStub } from '../src/mast/stub/index.js';

const totalMb = Number(process.argv[2] ?? 200);
const count = Number(process.argv[3] ?? 40);
const rowsPerFile = Math.max(1, Math.floor((totalMb * 1e6) / count / 12));

function file(i: number): { name: string; bytes: Uint8Array } {
  const root = `lbe${String(i).padStart(4, '0')}1q`.slice(0, 9);
  const time = new Float32Array(rowsPerFile);
  const x = new Float32Array(rowsPerFile);
  const y = new Float32Array(rowsPerFile);
  for (let k = 0; k < rowsPerFile; k++) {
    time[k] = k * 0.01;
    x[k] = (k * 7919) % 16384;
    y[k] = (k * 104729) % 1024;
  }
  const name = `${root}_corrtag_a.fits`;
  return {
    name,
    bytes: encodeFits([
      { type: 'PRIMARY', cards: [{ key: 'ROOTNAME', value: root }, { key: 'INSTRUME', value: 'COS' }, { key: 'TARGNAME', value: 'BENCH' }, { key: 'OBSMODE', value: 'TIME-TAG' }] },
      { type: 'BINTABLE', name: 'EVENTS', columns: [{ name: 'TIME', data: time }, { name: 'XCORR', data: x }, { name: 'YCORR', data: y }] },
    ]),
  };
}

async function once(label: string, faults: boolean): Promise<void> {
  const files = Array.from({ length: count }, (_, i) => file(i));
  const bytes = files.reduce((n, f) => n + f.bytes.length, 0);
  const stub = await startMastStub({ files });
  if (faults) for (const f of files.filter((_, i) => i % 4 === 0)) stub.addFault({ route: 'download', kind: 'drop', file: f.name });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hstlc-bench-dl-'));
  try {
    const t0 = performance.now();
    const report = await runDownload({
      mastUrl: stub.url,
      crdsUrl: stub.url,
      ingestDir: path.join(dir, 'ingest'),
      refDir: path.join(dir, 'ref'),
      http: { ...DEFAULT_HTTP, backoffBaseMs: 20, backoffMaxMs: 100 },
      ledger: new MemoryLedger(),
      concurrency: 4,
      limit: count,
      references: false,
    });
    const seconds = (performance.now() - t0) / 1000;
    const resumed = report.files.filter((f) => f.resumed_from !== undefined).length;
    process.stdout.write(
      `${label}: ${report.summary.downloaded}/${count} files, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s ` +
        `= ${(bytes / 1e6 / seconds).toFixed(1)} MB/s end to end (transfer phase ${report.summary.mb_per_s} MB/s); ` +
        `${resumed} resumed, ${stub.count('download', { method: 'GET' })} GETs, ${report.summary.failed} failed\n`,
    );
  } finally {
    await stub.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// The first pass warms the JIT and the page cache; the next two are the numbers to compare.
await once('clean, cold', false);
await once('clean', false);
await once('25% dropped mid-body', true);
