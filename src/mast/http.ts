/**
 * HTTP for the MAST and CRDS clients over Node's global fetch: a timeout per request (to the first
 * byte, then between body chunks, so a slow but moving transfer is not cut off), and bounded retries
 * with exponential backoff and jitter on 429 and 5xx, honouring Retry-After (DESIGN §8). The token
 * goes only into the Authorization header; nothing here logs headers.
 */

export interface HttpOptions {
  /** Milliseconds allowed to the first byte, and between two body chunks. */
  timeoutMs: number;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** First backoff step; doubled per attempt, capped by backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A Retry-After longer than this is not waited for: the request fails with the reason. */
  maxRetryAfterMs: number;
  /** MAST token for exclusive-access data (`Authorization: token …`). Never logged. */
  token?: string | undefined;
  /**
   * The URL (mast_url) under which the token is sent: same origin, path below it. Anything else —
   * CRDS, a cloud bucket — never sees it; without a scope the token goes nowhere.
   */
  tokenScope?: string | undefined;
  userAgent: string;
  /** For tests: the jitter source (default Math.random) and the clock's sleep. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each wait, for logging (URL and reason only). */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  url: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

/** The file a request is about: the `uri` of a MAST download, else the last part of the path. */
function requestName(url: string): string {
  try {
    const u = new URL(url);
    const uri = u.searchParams.get('uri');
    const name = (uri ?? u.pathname).split('/').filter(Boolean).at(-1);
    return name ?? u.host;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return s >= 10 ? `${Math.round(s)} s` : `${Number(s.toFixed(1))} s`;
}

/**
 * The line a retry is announced with: 'lb9y01a1q_corrtag_a.fits: HTTP 503; retrying in 8 s, attempt 3/5'
 * (`event.attempt` is the attempt that failed; the next is announced).
 */
export function describeRetry(event: RetryEvent, maxAttempts: number): string {
  return `${requestName(event.url)}: ${event.reason}; retrying in ${seconds(event.delayMs)}, attempt ${event.attempt + 1}/${maxAttempts}`;
}

export const DEFAULT_HTTP: HttpOptions = {
  timeoutMs: 60_000,
  maxAttempts: 5,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  maxRetryAfterMs: 300_000,
  userAgent: 'hstlc',
};

/** A response we will not retry (4xx other than 429, or retries used up); carries the status. */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined if absent or invalid. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const when = Date.parse(text);
  return Number.isFinite(when) ? Math.max(0, when - now) : undefined;
}

/**
 * How long to wait before attempt `attempt + 1`: Retry-After when the server gave one (plus a little
 * jitter so parallel workers do not return in step), otherwise exponential backoff with "equal
 * jitter" (half fixed, half random) so the wait grows but never collapses to zero.
 */
export function backoffDelay(attempt: number, opts: HttpOptions, retryAfterMs?: number): number {
  const random = opts.random ?? Math.random;
  if (retryAfterMs !== undefined) return retryAfterMs + Math.floor(random() * Math.min(250, opts.backoffBaseMs));
  const step = Math.min(opts.backoffMaxMs, opts.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(step / 2 + random() * (step / 2));
}

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether `url` lies under `scope`: same origin, and its path is the scope's path or below it. */
export function isUnderUrl(url: string, scope: string): boolean {
  let u: URL;
  let s: URL;
  try {
    u = new URL(url);
    s = new URL(scope);
  } catch {
    return false;
  }
  if (u.origin !== s.origin) return false;
  const base = s.pathname.endsWith('/') ? s.pathname : `${s.pathname}/`;
  return u.pathname === s.pathname || u.pathname.startsWith(base);
}

/**
 * Headers a request to `url` carries. The token only under tokenScope: CRDS and other hosts must not
 * receive a MAST credential. Across a redirect to another origin fetch drops Authorization itself.
 */
export function baseHeaders(opts: HttpOptions, url: string, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { 'User-Agent': opts.userAgent, ...extra };
  if (opts.token && opts.tokenScope !== undefined && isUnderUrl(url, opts.tokenScope)) headers['Authorization'] = `token ${opts.token}`;
  return headers;
}

/** The same options with the token removed, for clients of other services (CRDS). */
export function withoutToken(opts: HttpOptions): HttpOptions {
  const { token: _token, tokenScope: _scope, ...rest } = opts;
  return rest;
}

/**
 * An abort controller that fires when nothing happened for `ms`: armed at the request, re-armed by
 * `touch()` on every body chunk, disarmed by `done()`.
 */
export class IdleTimer {
  readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new TimeoutError(`no response for ${this.ms} ms`)), this.ms);
    this.timer.unref?.();
  }

  done(): void {
    clearTimeout(this.timer);
  }
}

export class TimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}

/** A short, token-free description of a thrown fetch error (undici hides the cause one level down). */
export function describeError(err: unknown): string {
  if (err instanceof TimeoutError) return `timeout: ${err.message}`;
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof TimeoutError) return `timeout: ${cause.message}`;
    const inner = cause instanceof Error ? `: ${cause.message}` : '';
    return `${err.message}${inner}`;
  }
  return String(err);
}

export interface JsonRequest {
  method: 'GET' | 'POST';
  /** Serialized as JSON when given. */
  body?: unknown;
}

/**
 * A JSON request with retries: 429/5xx, timeouts and dropped connections are retried up to
 * maxAttempts; other statuses throw at once. Returns the parsed body (unknown: the caller validates).
 */
export async function requestJson(url: string, request: JsonRequest, opts: HttpOptions): Promise<unknown> {
  const sleep = opts.sleep ?? defaultSleep;
  let lastReason = '';
  for (let attempt = 1; attempt <= opts.maxAttempts; attempt++) {
    const idle = new IdleTimer(opts.timeoutMs);
    let retryAfter: number | undefined;
    try {
      const res = await fetch(url, {
        method: request.method,
        headers: baseHeaders(opts, url, {
          Accept: 'application/json',
          ...(request.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        }),
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
        signal: idle.signal,
      });
      if (res.ok) {
        const text = await res.text();
        try {
          return JSON.parse(text) as unknown;
        } catch {
          // A body cut short parses badly; treat it like a dropped connection.
          lastReason = `invalid JSON in the response (${text.length} bytes)`;
        }
      } else {
        await res.body?.cancel();
        lastReason = `HTTP ${res.status}`;
        if (!isRetryableStatus(res.status)) throw new HttpError(`${request.method} ${url}: HTTP ${res.status}`, res.status, false);
        retryAfter = parseRetryAfter(res.headers.get('retry-after'));
        if (retryAfter !== undefined && retryAfter > opts.maxRetryAfterMs) {
          throw new HttpError(`${request.method} ${url}: HTTP ${res.status}, Retry-After ${retryAfter} ms is beyond the limit`, res.status, true);
        }
      }
    } catch (err) {
      if (err instanceof HttpError) throw err;
      lastReason = describeError(err);
    } finally {
      idle.done();
    }
    if (attempt < opts.maxAttempts) {
      const delayMs = backoffDelay(attempt, opts, retryAfter);
      opts.onRetry?.({ url, attempt, delayMs, reason: lastReason });
      await sleep(delayMs);
    }
  }
  throw new HttpError(`${request.method} ${url}: gave up after ${opts.maxAttempts} attempts (${lastReason})`, undefined, true);
}
