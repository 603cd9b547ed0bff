/**
 * A database server that went away (restarted, connection killed, network cut) rather than a query it
 * refused: such a failure says nothing about the file being ingested, and a later attempt on a new
 * connection may well succeed. Covers node-postgres and mysql2 as they report it.
 */

/**
 * PostgreSQL SQLSTATE: class 08 (connection exception), 57P01–57P03 (admin/crash shutdown, cannot connect
 * now), 53300 (too many connections: the server is full, not the query wrong).
 */
const PG_LOST = /^(08...|57P0[1-3]|53300)$/;

/** Node socket errors and mysql2's codes for a connection that is gone. */
const LOST_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_QUERY_INTERRUPTED',
]);

/** The drivers' words when no code is set (node-postgres on a closed socket, mysql2 on a dead connection). */
const LOST_MESSAGES = [
  /Connection terminated/i,
  /terminating connection/i,
  /Client has encountered a connection error/i,
  /connection is in closed state/i,
  /Connection lost/i,
  /server has gone away/i,
];

export function isConnectionLoss(err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown; message?: unknown } | null;
  const code = e?.code;
  if (typeof code === 'string' && (LOST_CODES.has(code) || PG_LOST.test(code))) return true;
  const text = typeof e?.message === 'string' ? e.message : typeof err === 'string' ? err : '';
  return LOST_MESSAGES.some((re) => re.test(text));
}

/** The database stayed unreachable through every retry: the stage stops (nothing about the data is implied). */
export class DatabaseUnreachableError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'DatabaseUnreachableError';
  }
}

/** Delays before the retries of an operation whose connection was lost: about 6 s in all. */
export const CONNECTION_RETRY_DELAYS_MS: readonly number[] = [250, 1000, 2000, 3000];

/**
 * Run `op`; while it fails because the connection was lost, wait and run it again (the pool opens a new
 * connection). `op` must be safe to repeat: each of ours is one transaction, or an idempotent upsert.
 * Every other error, and the last loss, propagates; `onRetry` hears each retry.
 */
export async function retryOnConnectionLoss<T>(op: () => Promise<T>, onRetry?: (err: unknown, attempt: number, delayMs: number) => void, delays: readonly number[] = CONNECTION_RETRY_DELAYS_MS): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      const delay = delays[attempt];
      if (!isConnectionLoss(err) || delay === undefined) throw err;
      onRetry?.(err, attempt + 1, delay);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
