/**
 * Per-item results for batch operations (STYLE.md, kysely's MigrationResultSet): a batch never throws
 * halfway; each item says whether it was done, found bad, failed (with why) or skipped.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { errorMessage } from './values.js';
import { isConnectionLoss } from './connection-loss.js';

export type ItemStatus = 'done' | 'bad' | 'failed' | 'skipped';

export interface ItemResult {
  /** What the item is known by: a file name, usually. */
  key: string;
  status: ItemStatus;
  /** Row id written, when there is one. */
  id?: number;
  /** Why it was bad, failed or skipped. */
  reason?: string;
}

export function countByStatus(results: readonly ItemResult[]): Record<ItemStatus, number> {
  const counts: Record<ItemStatus, number> = { done: 0, bad: 0, failed: 0, skipped: 0 };
  for (const r of results) counts[r.status] += 1;
  return counts;
}

/**
 * Write items in chunks, each chunk one transaction (fast: one commit per chunk). If a chunk fails, its
 * items are retried one by one, each in its own transaction, so one bad row cannot sink its neighbours
 * and every item gets its own verdict.
 */
export async function writeInChunks<T>(
  db: Kysely<Database>,
  items: readonly T[],
  keyOf: (item: T) => string,
  write: (trx: Kysely<Database>, item: T) => Promise<ItemResult>,
  chunkSize = 500,
): Promise<ItemResult[]> {
  const results: ItemResult[] = [];
  for (let start = 0; start < items.length; start += chunkSize) {
    const chunk = items.slice(start, start + chunkSize);
    try {
      const done = await db.transaction().execute(async (trx) => {
        const out: ItemResult[] = [];
        for (const item of chunk) {
          const r = await write(trx, item);
          // A refused item (validation) must not commit with the rest silently; redo one by one.
          if (r.status === 'failed') throw new ChunkRetry();
          out.push(r);
        }
        return out;
      });
      results.push(...done);
    } catch {
      for (const item of chunk) {
        try {
          results.push(await db.transaction().execute((trx) => write(trx, item)));
        } catch (err) {
          // A lost connection is the server's, not the item's: the caller retries the batch.
          if (isConnectionLoss(err)) throw err;
          results.push({ key: keyOf(item), status: 'failed', reason: errorMessage(err) });
        }
      }
    }
  }
  return results;
}

class ChunkRetry extends Error {}
