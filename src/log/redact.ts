/**
 * Secrets never reach a log line: URL passwords inside any string are masked (redactUrl), and values
 * under keys that name a password are replaced outright (pino's `redact`, see REDACT_PATHS).
 */
import { redactUrl } from '../config/connection.js';

export const CENSOR = '***';

/** Keys whose value is a secret, wherever they appear. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['password', 'mast_password', 'mast_token', 'token']);

/** The same keys for pino's `redact`, in the first three levels of a logged object. */
export const REDACT_PATHS: string[] = [...SECRET_KEYS].flatMap((key) => [
  key,
  `*.${key}`,
  `*.*.${key}`,
]);

const MAX_DEPTH = 8;

/**
 * A copy of `value` with every string passed through redactUrl and every SECRET_KEYS value censored
 * (so printed JSON is as safe as the log file). Errors are copied with their own
 * prototype, so pino's error serializer still recognises and names them.
 */
export function redactDeep(value: unknown, depth = 0, seen = new WeakMap<object, unknown>()): unknown {
  if (typeof value === 'string') return value.includes('://') ? redactUrl(value) : value;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  const cached = seen.get(value);
  if (cached !== undefined) return cached;

  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(redactDeep(item, depth + 1, seen));
    return copy;
  }
  if (value instanceof Error) {
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown>;
    seen.set(value, copy);
    const names = new Set([...Object.getOwnPropertyNames(value), ...Object.keys(value)]);
    for (const name of names) {
      const own = (value as unknown as Record<string, unknown>)[name];
      Object.defineProperty(copy, name, {
        value: redactDeep(own, depth + 1, seen),
        enumerable: Object.prototype.propertyIsEnumerable.call(value, name),
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  // Only plain records are walked; class instances (Dates, Buffers, streams) are logged as pino would.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, item] of Object.entries(value)) {
    copy[key] = SECRET_KEYS.has(key) && item != null ? CENSOR : redactDeep(item, depth + 1, seen);
  }
  return copy;
}
