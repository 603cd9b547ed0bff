/** Shared set-up for the MAST tests: fast retry settings and a temporary directory layout. */
import { mkdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { HttpOptions, RetryEvent } from '../../src/mast/index.js';
import { tempDir } from '../helpers/tools.js';

/** Short timeouts and backoff so fault tests take milliseconds, not minutes. */
export function fastHttp(overrides: Partial<HttpOptions> = {}, retries?: RetryEvent[]): HttpOptions {
  return {
    timeoutMs: 2000,
    maxAttempts: 4,
    backoffBaseMs: 10,
    backoffMaxMs: 40,
    maxRetryAfterMs: 5000,
    userAgent: 'hstlc-test',
    ...(retries ? { onRetry: (e: RetryEvent) => void retries.push(e) } : {}),
    ...overrides,
  };
}

export interface Dirs {
  root: string;
  ingest: string;
  ref: string;
  download: string;
  cleanup: () => void;
}

export function dirs(): Dirs {
  const { dir, cleanup } = tempDir('hstlc-mast-');
  const d = { root: dir, ingest: path.join(dir, 'ingest'), ref: path.join(dir, 'ref'), download: path.join(dir, 'download'), cleanup };
  for (const p of [d.ingest, d.ref, d.download]) mkdirSync(p, { recursive: true });
  return d;
}

export async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}
