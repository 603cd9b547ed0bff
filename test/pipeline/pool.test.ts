/**
 * The worker pool: in-process with one core, piscina threads with more — from the TypeScript sources
 * (worker-tsx.mjs) and, when built, from dist/ — results per item and in input order.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { threadId } from 'node:worker_threads';
import { createPool, forEachInOrder, workerEntry, workerMemoryLimitMb, type Outcome, type Pool } from '../../src/pipeline/pool.js';

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

  it('runs in piscina worker threads from the TypeScript sources, results in input order', async () => {
    assert.match(workerEntry(), /worker-tsx\.mjs$/);
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
