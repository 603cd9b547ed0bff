/**
 * Which files an ingest run takes (§1.4): `<ingest_dir>/*tag*.fits` (not recursive, hidden files and
 * temporary `.part` files excluded, regular files only), minus every `_corrtag_b` whose `_corrtag_a` is
 * there too (the extraction reads both segments from the `_a` file), sorted for reproducible runs.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fuvPartnerOf, isFuvSegmentB } from '../hst/names.js';

/** fnmatch of `*tag*.fits` as Python's glob applies it (dot files never match `*`). */
export function matchesIngestPattern(name: string): boolean {
  return !name.startsWith('.') && name.endsWith('.fits') && name.slice(0, -'.fits'.length).includes('tag');
}

/** Absolute paths of the event files to ingest, sorted by base name. */
export async function gatherIngestFiles(ingestDir: string): Promise<string[]> {
  const entries = await readdir(ingestDir, { withFileTypes: true });
  const names = new Set(entries.filter((e) => e.isFile() && matchesIngestPattern(e.name)).map((e) => e.name));
  const chosen: string[] = [];
  for (const name of names) {
    // §1.4.2: both segments present → only the _a file; a lone _b is ingested by itself.
    if (isFuvSegmentB(name)) {
      const partner = path.basename(fuvPartnerOf(name)!);
      if (names.has(partner)) continue;
    }
    chosen.push(name);
  }
  return chosen.sort().map((n) => path.join(ingestDir, n));
}
