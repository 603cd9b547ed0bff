/**
 * What was drawn from what: plot_dir/.hstlc-plots.json maps each output (relative path) to the hash of
 * its inputs, so a re-run redraws only outputs whose inputs changed or whose file is gone.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeAtomic } from './files.js';

/** Bump when a chart definition or page changes, so every output is redrawn once. */
export const RENDER_VERSION = 'hstlc-plots-3';

export interface Manifest {
  version: string;
  outputs: Record<string, string>;
}

export function emptyManifest(): Manifest {
  return { version: RENDER_VERSION, outputs: {} };
}

/** A missing, unreadable or older manifest means "nothing is known to be current". */
export function readManifest(path: string): Manifest {
  if (!existsSync(path)) return emptyManifest();
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Manifest>;
    if (parsed.version !== RENDER_VERSION || typeof parsed.outputs !== 'object' || parsed.outputs === null) return emptyManifest();
    return { version: RENDER_VERSION, outputs: { ...parsed.outputs } };
  } catch {
    return emptyManifest();
  }
}

export function writeManifest(path: string, manifest: Manifest): void {
  const sorted = Object.fromEntries(Object.entries(manifest.outputs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeAtomic(path, `${JSON.stringify({ version: manifest.version, outputs: sorted }, null, 1)}\n`);
}

/** sha256 over the parts in order; typed arrays by their bytes, everything else as JSON. */
export function hashParts(...parts: unknown[]): string {
  const h = createHash('sha256');
  for (const part of parts) {
    if (ArrayBuffer.isView(part)) h.update(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
    else if (typeof part === 'string') h.update(part);
    else h.update(JSON.stringify(part, (_k, v: unknown) => (ArrayBuffer.isView(v) ? hashParts(v) : v)) ?? 'undefined');
    h.update('\u0000');
  }
  return h.digest('hex');
}
