/**
 * The worker pool: in-process with one core, piscina threads with more — from the TypeScript sources
 * (worker-tsx.mjs) and, when built, from dist/ — results per item and in input order.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { threadId } from 'node:worker_threads';
import { createPool, distIsCurrent, forEachInOrder, workerEntry, workerMemoryLimitMb, type Outcome, type Pool } from '../../src/pipeline/pool.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist', import.meta.url));

async function collect(pool: Pool, delays: number[]): Promise<Array<Outcome<{ threadId: number; pid: number }>>> {
  const out: Array<Outcome<{ threadId: number; pid: number }>> = [];
  const order: number[] = [];
  await forEachInOrder(pool, 'ping', delays.map((delayMs) => ({ delayMs })), (i, o) => {
    order.push(i);
    out.push(o);
  });
  assert.deepEqual(order, delays.map((_, i) => i), 'results are handed over in input order');
  return out;
}

describe('worker pool', () => {
  it('limits each worker thread\'s heap: a unit over the limit fails alone, and the pool goes on', async () => {
    assert.equal(workerMemoryLimitMb(2, 64 * 1024 ** 3), 8192);
    assert.equal(workerMemoryLimitMb(4, 16 * 1024 ** 3), 2048);
    assert.equal(workerMemoryLimitMb(8, 4 * 1024 ** 3), 1024);
    const pool = createPool({ numCores: 2, memoryLimitMb: 96 });
    try {
      const outcomes: Array<Outcome<number>> = [];
      await forEachInOrder(pool, 'holdHeap', [{ mb: 1024 }, { mb: 8 }], (_i, o) => void outcomes.push(o));
      assert.equal(outcomes[0]!.ok, false);
      assert.match(outcomes[0]!.ok ? '' : `${(outcomes[0]!.error as NodeJS.ErrnoException).code} ${outcomes[0]!.error.message}`, /ERR_WORKER_OUT_OF_MEMORY|out of memory/i);
      assert.deepEqual(outcomes[1], { ok: true, value: 8 });
      const after = await pool.run('ping', { delayMs: 0 });
      assert.equal(typeof after.threadId, 'number');
    } finally {
      await pool.close();
    }
  });

  it('runs in this thread with num_cores 1', async () => {
    const pool = createPool({ numCores: 1 });
    assert.equal(pool.inProcess, true);
    const out = await collect(pool, [5, 0, 1]);
    for (const o of out) assert.ok(o.ok && o.value.threadId === threadId);
    await pool.close();
  });

  it('runs in piscina worker threads, results in input order', async () => {
    // From the sources, the threads load dist/'s worker.js while dist/ is current (the rule of the CLI's children).
    assert.match(workerEntry(), distIsCurrent(SRC, DIST) ? /dist\/pipeline\/worker\.js$/ : /src\/pipeline\/worker-tsx\.mjs$/);
    const pool = createPool({ numCores: 2 });
    try {
      assert.equal(pool.inProcess, false);
      // The first item is slowest: the second finishes first, yet is handed over second.
      const out = await collect(pool, [150, 0, 0, 0]);
      const threads = new Set(out.map((o) => (o.ok ? o.value.threadId : -1)));
      assert.ok(!threads.has(threadId) && !threads.has(-1), 'every unit ran in a worker thread');
      // (Whether the second thread was up in time to take a unit depends on the machine's load.)
      assert.ok(threads.size >= 1 && threads.size <= 2);
    } finally {
      await pool.close();
    }
  });

  it("turns a unit that throws into that item's failure, and stops when the handler throws", async () => {
    const pool = createPool({ numCores: 2 });
    const seen: string[] = [];
    await assert.rejects(
      forEachInOrder(pool, 'throws', [{ message: 'a bug met /nonexistent/a_corrtag.fits' }, { message: 'second' }], (i, o) => {
        seen.push(o.ok ? 'ok' : o.error.message);
        if (i === 0) throw new Error('handler stops the run');
      }),
      /handler stops the run/,
    );
    assert.equal(seen.length, 1);
    assert.match(seen[0]!, /nonexistent/);
  });

  it('runs the units under tsx in a worker thread (worker-tsx.mjs, used while dist/ is stale)', async () => {
    const pool = new Piscina({ filename: fileURLToPath(new URL('../../src/pipeline/worker-tsx.mjs', import.meta.url)), minThreads: 1, maxThreads: 1 });
    try {
      const r = (await pool.run({ delayMs: 0 }, { name: 'ping' })) as { threadId: number };
      assert.notEqual(r.threadId, threadId);
    } finally {
      await pool.close();
    }
  });

  it('takes dist/ as current only when every source has a build no older than it', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'hstlc-dist-'));
    try {
      const [src, dist] = [path.join(root, 'src'), path.join(root, 'dist')];
      mkdirSync(path.join(src, 'a'), { recursive: true });
      mkdirSync(path.join(dist, 'a'), { recursive: true });
      const t0 = new Date('2026-01-01T00:00:00Z');
      const t1 = new Date('2026-01-01T00:01:00Z');
      const file = (p: string, at: Date): void => {
        writeFileSync(p, '');
        utimesSync(p, at, at);
      };
      file(path.join(src, 'a', 'x.ts'), t0);
      file(path.join(src, 'a', 'x.d.ts'), t1);
      file(path.join(dist, 'a', 'x.js'), t0);
      assert.equal(distIsCurrent(src, dist), true, 'built at the same time; a .d.ts needs no build');
      // Each case on a tree of its own: the answer is kept for the life of the process.
      const other = path.join(root, 'dist-old');
      mkdirSync(path.join(other, 'a'), { recursive: true });
      file(path.join(other, 'a', 'x.js'), new Date('2025-12-31T23:59:00Z'));
      assert.equal(distIsCurrent(src, other), false, 'the source is newer than its build');
      const partial = path.join(root, 'dist-partial');
      mkdirSync(partial);
      assert.equal(distIsCurrent(src, partial), false, 'a source has no build');
      assert.equal(distIsCurrent(src, path.join(root, 'none')), false, 'no dist/');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  const built = fileURLToPath(new URL('../../dist/pipeline/pool.js', import.meta.url));
  it('runs from the compiled dist/ (worker.js)', { skip: existsSync(built) ? false : 'dist/pipeline is not built (npm run build)' }, async () => {
    const mod = (await import(built)) as typeof import('../../src/pipeline/pool.js');
    assert.match(mod.workerEntry(), /dist\/pipeline\/worker\.js$/);
    const pool = mod.createPool({ numCores: 2 });
    try {
      const out: boolean[] = [];
      await mod.forEachInOrder(pool, 'ping', [{ delayMs: 1 }, { delayMs: 1 }], (_i, o) => void out.push(o.ok && o.value.threadId !== threadId));
      assert.deepEqual(out, [true, true]);
    } finally {
      await pool.close();
    }
  });
});
