/**
 * A stage's database write that survives a lost connection: retried with backoff on a new connection
 * (retryOnConnectionLoss; every write of ours is one transaction or an idempotent upsert, safe to
 * repeat), each retry logged; if the server stays away, DatabaseUnreachableError stops the stage with
 * `stopped` saying where and how to go on — the outage is the server's, never blamed on an item.
 */
import { DatabaseUnreachableError, isConnectionLoss, retryOnConnectionLoss, type HstlcDb } from '../db/index.js';
import type { StageLogger } from './log.js';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function retryWrite<T>(
  handle: HstlcDb,
  logger: StageLogger,
  write: { what: string; stopped: string; delays?: readonly number[] },
  op: () => Promise<T>,
): Promise<T> {
  return retryOnConnectionLoss(
    op,
    (err, attempt, delay) => logger.warn(`\tdatabase connection lost while ${write.what} (${message(err)}); retry ${attempt} in ${delay} ms`),
    write.delays,
  ).catch((err: unknown) => {
    if (!isConnectionLoss(err)) throw err;
    throw new DatabaseUnreachableError(`the ${handle.dialect} database is unreachable: ${message(err)}. ${write.stopped}`, err);
  });
}
