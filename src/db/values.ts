/** Conversions between JavaScript values and what each dialect stores or returns. */

/** Today as 'YYYY-MM-DD' in local time, as the original wrote `ingest_date` (§3.1, §5.3). */
export function todayIsoDate(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** An ISO timestamp (UTC, ms) for the text timestamp columns of our own tables. */
export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}

/** NaN and ±Infinity are not SQL numbers: store NULL (the original's NaN Pearson values aborted the run, §15.23). */
export function finiteOrNull(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** 0/1 (SQLite, MySQL) or true/false (PostgreSQL) → boolean. */
export function toBoolean(x: boolean | number | string | null | undefined): boolean {
  return x === true || x === 1 || x === '1' || x === 't' || x === 'true';
}

/** COUNT(*) and BIGINT arrive as strings from pg and mysql2. */
export function toNumber(x: number | string | bigint | null | undefined): number | null {
  if (x === null || x === undefined) return null;
  return typeof x === 'number' ? x : Number(x);
}

/** A short, one-line message for a per-item failure. */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}
