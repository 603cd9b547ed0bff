/**
 * A database state for the stats stage: the original's lightcurves (test/fixtures/golden/expected) copied
 * into a temp dir and recorded in metadata/outputs as an ingest would; the original's stats rows
 * (results.json `stats{}.stats_dict`) to compare with; and odd files (constant, empty, corrupt).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordIngestedFile, setCompositeOutput, type HstlcDb, type MetadataInput } from '../../src/db/index.js';
import { writeFits } from '../../src/fits/index.js';
import { statsUnit, type StatsUnitInput, type StatsUnitResult } from '../../src/pipeline/stats-unit.js';
import type { StatsAnalyzer } from '../../src/pipeline/stats-runner.js';

export const GOLDEN = fileURLToPath(new URL('../fixtures/golden/expected/', import.meta.url));

export interface GoldenStats {
  lightcurve_path: string;
  lightcurve_filename: string;
  total: number;
  mean: number;
  mu: number;
  stdev: number;
  poisson_factor: number;
  pearson_r: number;
  pearson_p: number;
  periodogram: boolean;
}

/** `individual/<name>` or `composite/<name>` → the original's row. */
export function goldenStats(): Map<string, GoldenStats> {
  const results = JSON.parse(readFileSync(path.join(GOLDEN, 'results.json'), 'utf8')) as { stats: Record<string, { stats_dict: GoldenStats }> };
  return new Map(Object.entries(results.stats).map(([k, v]) => [k, v.stats_dict]));
}

const made: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface GoldenCopy {
  dir: string;
  individuals: string[];
  composites: string[];
}

/** Copy the golden lightcurves to `<dir>/individual/` and `<dir>/composite/`. */
export function copyGolden(dir = tempDir('hstlc-stats-')): GoldenCopy {
  const copy = (sub: string): string[] => {
    mkdirSync(path.join(dir, sub), { recursive: true });
    return readdirSync(path.join(GOLDEN, sub))
      .filter((f) => f.endsWith('.fits'))
      .sort()
      .map((f) => {
        copyFileSync(path.join(GOLDEN, sub, f), path.join(dir, sub, f));
        return f;
      });
  };
  return { dir, individuals: copy('individual'), composites: copy('composite') };
}

export function metadataRow(filename: string): MetadataInput {
  return {
    filename,
    path: '/archive/filesystem/GD71',
    ingest_date: '2026-11-25',
    telescop: 'HST',
    instrume: 'COS',
    targname: 'GD71',
    cal_ver: '3.4',
    obstype: 'SPECTROSCOPIC',
    cenwave: 1291,
    aperture: 'PSA',
    detector: 'FUV',
    opt_elem: 'G130M',
    fppos: 1,
  };
}

/** Record one individual lightcurve (metadata + outputs), as ingest does; returns the metadata id. */
export async function recordLightcurve(handle: HstlcDb, dir: string, file: string): Promise<number> {
  const root = file.slice(0, 9);
  const { metadataId } = await recordIngestedFile(handle, {
    metadata: metadataRow(`${root}_corrtag.fits`),
    output: { individual_path: dir, individual_filename: file },
  });
  return metadataId;
}

/**
 * The golden set in a database: every individual lightcurve with its outputs row; composite k points at
 * the rows of individual k (and composite 0 also at individuals 10 and 11, so the composite list has
 * repeats to fold); individual 12's group is being rebuilt (composite_path NULL, the old name kept).
 */
export async function seedGolden(handle: HstlcDb, copy: GoldenCopy): Promise<void> {
  const ids: number[] = [];
  for (const f of copy.individuals) ids.push(await recordLightcurve(handle, path.join(copy.dir, 'individual'), f));
  for (const [k, f] of copy.composites.entries()) {
    await setCompositeOutput(handle, k === 0 ? [ids[0]!, ids[10]!, ids[11]!] : [ids[k]!], path.join(copy.dir, 'composite'), f);
  }
  await handle.db.updateTable('outputs').set({ composite_path: null, composite_filename: 'hlsp_hstlc_hst_cos-fuv_pending_g130m_1291_psa_v1_sci.fits' }).where('metadata_id', '=', ids[12]!).execute();
}

/** A lightcurve file with the three columns the stats read (HDU 1: counts, mjd, net). */
export async function writeLightcurve(file: string, counts: number[], mjd0 = 56000): Promise<void> {
  const n = counts.length;
  const mjd = Float64Array.from({ length: n }, (_, i) => mjd0 + i / 86400);
  await writeFits(file, [
    { type: 'PRIMARY' },
    {
      type: 'BINTABLE',
      name: 'LIGHTCURVE',
      rows: n,
      columns: [
        { name: 'counts', data: Float32Array.from(counts) },
        { name: 'mjd', data: mjd },
        { name: 'net', data: Float64Array.from(counts) },
      ],
    },
  ]);
}

export function writeGarbage(file: string): void {
  writeFileSync(file, 'SIMPLE  = this is not a FITS file');
}

/**
 * statsUnit with its results remembered by (path, grid, method): the dialect matrix and re-runs test the
 * database side, so the analysis of a file (seconds for the larger composites) is done once per process.
 */
export function memoAnalyzer(opts: { size?: number; inProcess?: boolean; delayMs?: (input: StatsUnitInput) => number } = {}): StatsAnalyzer & { calls: number } {
  const cache = new Map<string, Promise<StatsUnitResult>>();
  const analyzer = {
    calls: 0,
    size: opts.size ?? 1,
    inProcess: opts.inProcess ?? true,
    async analyze(input: StatsUnitInput): Promise<StatsUnitResult> {
      analyzer.calls++;
      const key = `${input.path}|${input.kind}|${input.grid}|${input.method}`;
      let r = cache.get(key);
      if (r === undefined) {
        r = statsUnit(input);
        cache.set(key, r);
      }
      const result = await r;
      const delay = opts.delayMs?.(input) ?? 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      return structuredClone(result);
    },
    close: async () => undefined,
  };
  return analyzer;
}
