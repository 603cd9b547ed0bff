/**
 * One file from a URL to its final name, resumably (DESIGN §8):
 *   HEAD (size and ETag) → GET into `.<name>.part` beside the final name, with `Range: bytes=<have>-`
 *   and `If-Range` when a part exists → verify → fsync → rename → fsync the directory.
 * A dropped connection or a timeout keeps the bytes received and resumes from them; a transfer that
 * fails verification is deleted and fetched once more from the start. Nothing reaches the final name
 * unless it passed verification, and a crash leaves at most a hidden `.part` file.
 */
import { open, rename, rm, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { fsyncPath, isNotFound } from '../files/index.js';
import {
  backoffDelay,
  baseHeaders,
  defaultSleep,
  describeError,
  IdleTimer,
  isRetryableStatus,
  parseRetryAfter,
  type HttpOptions,
} from './http.js';

export interface TransferSpec {
  url: string;
  /** Final path. */
  dest: string;
  /** Bytes promised by the product list (or CRDS's get_file_info). */
  expectedSize: number;
  /** Checks after the size is right; returns why the file is bad, or undefined when good. */
  verify: (file: string) => Promise<string | undefined>;
  /** Ask HEAD first (size and ETag before any body is sent). */
  head?: boolean;
  /** Who serves it, for the reasons given (default 'MAST'; 'the public bucket' for cloud reads). */
  origin?: string;
}

export interface TransferOptions {
  http: HttpOptions;
  /** Fresh downloads after a verification failure (default 1). */
  verifyRetries?: number;
  /** Progress in bytes, for throughput and bars. */
  onBytes?: (n: number) => void;
  /** Something odd that did not fail the file (a HEAD that disagrees with the listing). */
  onWarning?: (message: string) => void;
  /**
   * Time allowed for the whole file, retries included (default: 10 minutes, or longer for big files
   * at 100 kB/s), so a server that trickles bytes just inside the idle timeout cannot hold us forever.
   */
  deadlineMs?: number;
}

export function defaultDeadline(size: number): number {
  return Math.max(600_000, Math.ceil(size / 100));
}

export type TransferOutcome =
  | { status: 'done'; bytes: number; resumedFrom: number; requests: number; attempts: number }
  | { status: 'failed'; reason: string; bytes: number; requests: number; attempts: number; permanent: boolean };

/** The hidden temporary name: same directory (rename is atomic), never matched by ingest's `*.fits` globs. */
export function partPath(dest: string): string {
  return path.join(path.dirname(dest), `.${path.basename(dest)}.part`);
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (err) {
    if (isNotFound(err)) return 0;
    throw err;
  }
}

/** `bytes a-b/total` → numbers; total undefined for `*`. */
export function parseContentRange(value: string | null): { start: number; end: number; total: number | undefined } | undefined {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec((value ?? '').trim());
  if (m === null) return undefined;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? undefined : Number(m[3]) };
}

function statusReason(status: number, origin = 'MAST'): string {
  if (status === 404) return `not found at ${origin} (HTTP 404)`;
  if (status === 401 || status === 403) return `not authorized (HTTP ${status}); exclusive-access data needs a MAST token (MAST_API_TOKEN)`;
  return `HTTP ${status}`;
}

class Failure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export async function transferFile(spec: TransferSpec, options: TransferOptions): Promise<TransferOutcome> {
  const http = options.http;
  const sleep = http.sleep ?? defaultSleep;
  const part = partPath(spec.dest);
  let requests = 0;
  let attempts = 0;
  let bytes = 0;
  let verifyFailures = 0;
  const verifyRetries = options.verifyRetries ?? 1;
  let resumedFrom = 0;
  let etag: string | undefined;
  let lastReason = '';
  const deadlineMs = options.deadlineMs ?? defaultDeadline(spec.expectedSize);
  const overall = AbortSignal.timeout(deadlineMs);
  const signalFor = (idle: IdleTimer) => AbortSignal.any([idle.signal, overall]);
  const checkDeadline = () => {
    if (overall.aborted) throw new Failure(`took longer than ${Math.round(deadlineMs / 1000)} s (${lastReason || 'no reason given'})`, false);
  };

  const wait = async (retryAfter: number | undefined, reason: string): Promise<void> => {
    lastReason = reason;
    if (retryAfter !== undefined && retryAfter > http.maxRetryAfterMs) {
      throw new Failure(`${reason}; Retry-After ${Math.round(retryAfter / 1000)} s is beyond the limit`, false);
    }
    if (attempts >= http.maxAttempts) return;
    const delayMs = backoffDelay(attempts, http, retryAfter);
    http.onRetry?.({ url: spec.url, attempt: attempts, delayMs, reason });
    await sleep(delayMs);
    checkDeadline();
  };

  try {
    if (spec.head !== false) {
      // HEAD: learn the size before any body moves; retried like any request.
      for (;;) {
        attempts++;
        requests++;
        const idle = new IdleTimer(http.timeoutMs);
        try {
          const res = await fetch(spec.url, { method: 'HEAD', headers: baseHeaders(http, spec.url), signal: signalFor(idle) });
          if (res.ok) {
            // HEAD is advisory, as in astroquery (which only warns): MAST has answered HEAD with
            // Content-Length 0, or a length the GET then did not send. The GET's length, the byte
            // count and the FITS checks decide.
            const length = res.headers.get('content-length');
            if (length !== null && Number(length) !== spec.expectedSize) {
              options.onWarning?.(`HEAD reports ${length} bytes, the product list ${spec.expectedSize}; the GET decides`);
            }
            etag = res.headers.get('etag') ?? undefined;
            break;
          }
          // A server without HEAD: go straight to the GET, whose Content-Length is checked the same way.
          if (res.status === 405 || res.status === 501) break;
          if (!isRetryableStatus(res.status)) throw new Failure(statusReason(res.status, spec.origin), res.status === 404 || res.status === 401 || res.status === 403);
          await wait(parseRetryAfter(res.headers.get('retry-after')), `HEAD: HTTP ${res.status}`);
        } catch (err) {
          if (err instanceof Failure) throw err;
          await wait(undefined, `HEAD: ${describeError(err)}`);
        } finally {
          idle.done();
        }
        if (attempts >= http.maxAttempts) throw new Failure(`gave up after ${attempts} attempts (${lastReason})`, false);
      }
      attempts = 0; // the HEAD's attempts do not eat the GET's budget
    }

    for (;;) {
      if (attempts >= http.maxAttempts) throw new Failure(`gave up after ${attempts} attempts (${lastReason})`, false);
      checkDeadline();
      attempts++;
      let have = await sizeOf(part);
      if (have > spec.expectedSize) {
        await truncate(part, 0);
        have = 0;
      }
      if (have < spec.expectedSize) {
        const outcome = await getInto(spec, part, have, etag, http, overall, (n) => {
          bytes += n;
          options.onBytes?.(n);
        });
        requests++;
        if (outcome.kind === 'retry') {
          if (outcome.resumed && resumedFrom === 0) resumedFrom = have;
          await wait(outcome.retryAfter, outcome.reason);
          continue;
        }
        if (outcome.kind === 'fail') throw new Failure(outcome.reason, outcome.permanent);
        if (outcome.resumed && resumedFrom === 0) resumedFrom = have;
        if ((await sizeOf(part)) < spec.expectedSize) {
          // The body ended early without an error (no Content-Length to hold it to): resume.
          await wait(undefined, 'response ended before the whole file arrived');
          continue;
        }
      }
      const reason = await spec.verify(part);
      if (reason !== undefined) {
        // A bad file is not resumable: its bytes are wrong somewhere. Start again, once.
        await rm(part, { force: true });
        verifyFailures++;
        lastReason = `verification failed: ${reason}`;
        if (verifyFailures > verifyRetries) throw new Failure(lastReason, false);
        continue;
      }
      await fsyncPath(part);
      await rename(part, spec.dest);
      await fsyncPath(path.dirname(spec.dest));
      return { status: 'done', bytes, resumedFrom, requests, attempts };
    }
  } catch (err) {
    const permanent = err instanceof Failure ? err.permanent : false;
    const reason = err instanceof Failure ? err.message : describeError(err);
    return { status: 'failed', reason, bytes, requests, attempts, permanent };
  }
}

type GetOutcome =
  | { kind: 'ok'; resumed: boolean }
  | { kind: 'retry'; reason: string; retryAfter?: number | undefined; resumed: boolean }
  | { kind: 'fail'; reason: string; permanent: boolean };

/** One GET, appending to the part file from `have`; the part keeps whatever arrived intact. */
async function getInto(
  spec: TransferSpec,
  part: string,
  have: number,
  etag: string | undefined,
  http: HttpOptions,
  overall: AbortSignal,
  onBytes: (n: number) => void,
): Promise<GetOutcome> {
  const headers = baseHeaders(http, spec.url);
  if (have > 0) {
    headers['Range'] = `bytes=${have}-`;
    // If the file changed at MAST since the part began, the server sends it whole (200) instead.
    if (etag !== undefined) headers['If-Range'] = etag;
  }
  const idle = new IdleTimer(http.timeoutMs);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let resumed = false;
  try {
    const res = await fetch(spec.url, { method: 'GET', headers, signal: AbortSignal.any([idle.signal, overall]) });
    if (res.status === 416) {
      await res.body?.cancel();
      await truncate(part, 0);
      return { kind: 'retry', reason: 'HTTP 416: the partial file does not fit; starting again', resumed };
    }
    if (!res.ok) {
      await res.body?.cancel();
      if (isRetryableStatus(res.status)) return { kind: 'retry', reason: `HTTP ${res.status}`, retryAfter: parseRetryAfter(res.headers.get('retry-after')), resumed };
      return { kind: 'fail', reason: statusReason(res.status, spec.origin), permanent: res.status === 404 || res.status === 401 || res.status === 403 };
    }
    const length = res.headers.get('content-length');
    let start = 0;
    if (res.status === 206) {
      const range = parseContentRange(res.headers.get('content-range'));
      if (range === undefined || range.start !== have || (range.total !== undefined && range.total !== spec.expectedSize)) {
        await res.body?.cancel();
        await truncate(part, 0);
        return { kind: 'retry', reason: `unexpected Content-Range '${res.headers.get('content-range') ?? ''}'; starting again`, resumed };
      }
      start = have;
      resumed = true;
    }
    const remaining = spec.expectedSize - start;
    if (length !== null && Number(length) !== remaining) {
      await res.body?.cancel();
      return { kind: 'fail', reason: `Content-Length ${length} disagrees with the product list (${remaining} bytes expected)`, permanent: false };
    }
    handle = await open(part, start === 0 ? 'w' : 'a');
    if (res.body === null) return { kind: 'retry', reason: 'response has no body', resumed };
    let written = 0;
    for await (const chunk of res.body) {
      idle.touch();
      const buf = chunk as Uint8Array;
      if (written + buf.length > remaining) {
        await handle.truncate(0);
        return { kind: 'fail', reason: `server sent more than the ${spec.expectedSize} bytes listed`, permanent: false };
      }
      await handle.write(buf);
      written += buf.length;
      onBytes(buf.length);
    }
    return { kind: 'ok', resumed };
  } catch (err) {
    return { kind: 'retry', reason: describeError(err), resumed };
  } finally {
    idle.done();
    await handle?.close();
  }
}
