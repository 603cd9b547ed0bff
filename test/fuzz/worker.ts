/**
 * The fuzz harness's worker thread: reads a mutant the way `hstlc inspect` and `hstlc extract` do and
 * reports how it ended. It runs in a worker so the parent can bound its time (terminate) and heap
 * (resourceLimits) — a hang or a runaway allocation is then an outcome, not a stuck test.
 */
import { parentPort } from 'node:worker_threads';
import { basename } from 'node:path';
import { FitsReader, isProductError } from '../../src/fits/index.js';
import { extractFile } from '../../src/hst/extract.js';

export interface FuzzCase {
  /** The mutant. */
  mutant: string;
  /** The file extraction starts from: the mutant, or the product whose companion the mutant is. */
  extract: string;
  refDir: string;
}

export type FuzzOutcome =
  | { outcome: 'ok'; peakBytes: number }
  | { outcome: 'typed'; message: string; namesFile: boolean; peakBytes: number }
  | { outcome: 'crash'; name: string; message: string; stack: string; peakBytes: number };

function bytesInUse(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function readAll(path: string): Promise<void> {
  const f = await FitsReader.open(path);
  try {
    for (const h of f.hdus) {
      if (h.table) await f.readTable(h);
      else if (h.dataBytes > 0) await f.readImage(h);
      await f.verifyChecksum(h);
    }
  } finally {
    await f.close();
  }
}

async function run(c: FuzzCase): Promise<FuzzOutcome> {
  let peak = bytesInUse();
  const name = basename(c.mutant);
  const classify = (e: unknown): FuzzOutcome => {
    peak = Math.max(peak, bytesInUse());
    if (isProductError(e)) return { outcome: 'typed', message: e.message, namesFile: e.message.includes(name), peakBytes: peak };
    const err = e instanceof Error ? e : new Error(String(e));
    return { outcome: 'crash', name: err.name, message: err.message, stack: err.stack ?? '', peakBytes: peak };
  };
  try {
    await readAll(c.mutant);
  } catch (e) {
    // The reader refused it: that is the outcome (extract would open the same bytes).
    return classify(e);
  }
  peak = Math.max(peak, bytesInUse());
  try {
    const { lightcurve } = await extractFile(c.extract, { refs: { refDir: c.refDir, env: {} } });
    peak = Math.max(peak, bytesInUse());
    void lightcurve;
  } catch (e) {
    return classify(e);
  }
  return { outcome: 'ok', peakBytes: peak };
}

parentPort?.on('message', (c: FuzzCase) => {
  void run(c).then((r) => parentPort?.postMessage(r));
});
