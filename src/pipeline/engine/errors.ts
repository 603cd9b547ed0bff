/**
 * Which failures of a job are worth another attempt (DESIGN §9): the database connection dropped or
 * refused, the server shutting down or out of resources, a serialization conflict, the disk momentarily
 * full or the shared filesystem briefly stale. Those are retried with backoff and, when the attempts are
 * used up, reported by name (the error's code leads graphile-worker's last_error). Everything else — bad
 * data, a file that cannot be processed, a bug — is the job's recorded result, never a retry loop.
 */

/** System error codes (Node's err.code) that a later attempt may not meet. */
const TRANSIENT_SYSTEM_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTCONN',
  'EAI_AGAIN',
  'ENOSPC',
  'EDQUOT',
  'EAGAIN',
  'EBUSY',
  'EMFILE',
  'ENFILE',
  'ESTALE',
  'EIO',
]);

/** node-postgres errors without a code when the socket goes away. */
const TRANSIENT_MESSAGES = [/Connection terminated/i, /connection error/i, /timeout exceeded when trying to connect/i, /Client was closed/i, /terminating connection/i];

/**
 * PostgreSQL SQLSTATE classes and codes: 08 connection exception, 53 insufficient resources, 57P01-03
 * admin/crash shutdown and cannot-connect-now, 40001 serialization failure, 40P01 deadlock.
 */
function transientSqlState(code: string): boolean {
  return /^(08|53)/.test(code) || /^57P0[1-3]$/.test(code) || code === '40001' || code === '40P01';
}

/** The error's name as reported: its code (ENOSPC, 57P01), else its class name. */
export function errorName(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return err instanceof Error ? err.name : 'Error';
}

export function isTransient(err: unknown): boolean {
  if (err instanceof TransientJobError) return true;
  // src/files DiskFullError: a stage's "the disk is full" (ENOSPC, or SQLite's own words for it).
  if (err instanceof Error && err.name === 'DiskFullError') return true;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (TRANSIENT_SYSTEM_CODES.has(code) || transientSqlState(code))) return true;
  const text = err instanceof Error ? err.message : String(err);
  return TRANSIENT_MESSAGES.some((re) => re.test(text));
}

/**
 * A unit's recorded failure whose reason is a system error message (`ENOSPC: no space left on device,
 * write`, as Node words them): transient by that code.
 */
export function transientReason(reason: string): string | undefined {
  const code = /^([A-Z][A-Z0-9_]+):/.exec(reason)?.[1];
  return code !== undefined && TRANSIENT_SYSTEM_CODES.has(code) ? code : undefined;
}

/** Thrown to graphile-worker for another attempt; the message starts with the error's name. */
export class TransientJobError extends Error {
  constructor(
    readonly errorName: string,
    detail: string,
  ) {
    super(`${errorName}: ${detail}`);
    this.name = 'TransientJobError';
  }

  static of(err: unknown): TransientJobError {
    if (err instanceof TransientJobError) return err;
    const text = err instanceof Error ? err.message : String(err);
    const name = errorName(err);
    return new TransientJobError(name, text.startsWith(`${name}:`) ? text.slice(name.length + 1).trim() : text);
  }
}
