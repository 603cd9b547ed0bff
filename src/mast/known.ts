/**
 * What we already have (§14.1 steps 2–5): rootnames in `metadata`, in `bad_data`,
 * files waiting in ingest_dir. The database-backed source is wired in by the database layer; here
 * are the interface, a fixed set (tests, or a caller that read the tables itself) and ingest_dir.
 */
import { listDirIfPresent } from '../files/index.js';
import { isIngestDirProduct } from '../hst/names.js';
import { rootnameOfFile } from './names.js';

export interface KnownDatasets {
  /** Human name for the report, e.g. "ingest_dir" or "metadata". */
  readonly label: string;
  /** Lower-case rootnames. */
  rootnames(): Promise<Set<string>>;
}

export function fixedKnown(label: string, rootnames: Iterable<string>): KnownDatasets {
  const set = new Set([...rootnames].map((r) => r.toLowerCase()));
  return { label, rootnames: async () => new Set(set) };
}

/**
 * §14.1 step 5: files in ingest_dir named `*_corrtag.fits`, `*_corrtag_?.fits`, `*_tag.fits` (and our
 * `_x1d.fits`); hidden `.part` files of an unfinished download are not "known".
 */
export function ingestDirKnown(dir: string): KnownDatasets {
  return {
    label: 'ingest_dir',
    async rootnames() {
      const out = new Set<string>();
      for (const name of await listDirIfPresent(dir)) {
        if (!isIngestDirProduct(name)) continue;
        const root = rootnameOfFile(name.toLowerCase());
        if (root !== undefined) out.add(root);
      }
      return out;
    },
  };
}

/** Each source's rootnames, kept apart so the report can say where a dataset was found. */
export async function gatherKnown(sources: readonly KnownDatasets[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const source of sources) out.set(source.label, await source.rootnames());
  return out;
}
