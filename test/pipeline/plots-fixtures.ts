/**
 * A database state for the plots stage from the golden archive (test/fixtures/golden/expected): each
 * ingested file's metadata row as results.json records it (real targets, gratings, cenwaves), its
 * individual lightcurve in outputs, each composite pointing at its members' rows, and the original's stats
 * rows (results.json `stats{}.stats_dict`) in the stats table — nothing computed here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { recordIngestedFile, setCompositeOutput, upsertStatsBatch, type HstlcDb, type MetadataInput, type StatsInput } from '../../src/db/index.js';
import { GOLDEN, goldenStats, type GoldenCopy } from './stats-fixtures.js';

interface Results {
  files: Array<{ file: string; metadata?: Omit<MetadataInput, 'path' | 'ingest_date'>; individual_filename?: string }>;
  composites: Array<{ output: string; members: string[] }>;
}

export interface SeededPlots {
  /** Lightcurve paths recorded in outputs, by kind. */
  individuals: string[];
  composites: string[];
  /** metadata ids of each composite's members, by composite file name. */
  members: Map<string, number[]>;
}

/** Record the golden archive (copied to `copy.dir`) as ingest and stats would have; stats rows for every file. */
export async function seedGoldenPlots(handle: HstlcDb, copy: GoldenCopy): Promise<SeededPlots> {
  const results = JSON.parse(readFileSync(path.join(GOLDEN, 'results.json'), 'utf8')) as Results;
  const individualDir = path.join(copy.dir, 'individual');
  const compositeDir = path.join(copy.dir, 'composite');
  const ids = new Map<string, number>();
  const individuals: string[] = [];
  for (const f of results.files) {
    if (f.metadata === undefined || f.individual_filename === undefined || !copy.individuals.includes(f.individual_filename)) continue;
    // Our ingest records a STIS tag file under the corrtag it makes (units.ts archivedName).
    const filename = f.metadata.filename.replace(/_tag\.fits$/, '_corrtag.fits');
    const metadata: MetadataInput = { ...f.metadata, filename, path: `/archive/filesystem/${f.metadata.targname}`, ingest_date: '2026-11-25' };
    const { metadataId } = await recordIngestedFile(handle, { metadata, output: { individual_path: individualDir, individual_filename: f.individual_filename } });
    ids.set(filename, metadataId);
    individuals.push(path.join(individualDir, f.individual_filename));
  }
  const members = new Map<string, number[]>();
  const composites: string[] = [];
  for (const c of results.composites) {
    if (!copy.composites.includes(c.output)) continue;
    const memberIds = c.members.map((m) => ids.get(m)).filter((id): id is number => id !== undefined);
    await setCompositeOutput(handle, memberIds, compositeDir, c.output);
    members.set(c.output, memberIds);
    composites.push(path.join(compositeDir, c.output));
  }
  const stats: StatsInput[] = [];
  for (const [key, s] of goldenStats()) {
    const [kind, name] = key.split('/') as [string, string];
    const dir = kind === 'composite' ? compositeDir : individualDir;
    if (!(kind === 'composite' ? composites : individuals).includes(path.join(dir, name))) continue;
    stats.push({
      lightcurve_path: dir,
      lightcurve_filename: name,
      total: s.total,
      mean: s.mean ?? null,
      mu: s.mu ?? null,
      stdev: s.stdev ?? null,
      poisson_factor: s.poisson_factor ?? null,
      pearson_r: s.pearson_r ?? null,
      pearson_p: s.pearson_p ?? null,
      periodogram: Boolean(s.periodogram),
      deliver: false,
    });
  }
  await upsertStatsBatch(handle, stats);
  return { individuals: individuals.sort(), composites: composites.sort(), members };
}
