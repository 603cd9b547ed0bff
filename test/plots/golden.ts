/**
 * Site inputs from the golden fixtures (test/fixtures/golden): the original pipeline's lightcurves, its
 * stats rows (results.json) and periodogram grids (periodograms/*.json). Nothing is computed here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FitsReader } from '../../src/fits/index.js';
import { periodogramFromRaw, type RawPeriodogram } from '../../src/plots/periodogram-data.js';
import type { SiteRecord } from '../../src/plots/site.js';
import type { PeriodogramData, StatsRecord } from '../../src/plots/types.js';

export const EXPECTED = fileURLToPath(new URL('../fixtures/golden/expected/', import.meta.url));

interface GoldenResults {
  composites: Array<{ config: [string, string, string, string, number, string]; output: string; members: string[]; member_reads?: Array<{ file: string; kept_in_composite: boolean }> }>;
  stats: Record<string, { stats_dict: Omit<StatsRecord, 'deliver' | 'targname' | 'instrument' | 'detector' | 'opt_elem' | 'cenwave' | 'aperture' | 'exptime'> }>;
  files: Array<{ metadata?: { filename: string; instrume: string; detector: string; targname: string; opt_elem: string; cenwave: number; aperture: string } }>;
}

export function goldenResults(): GoldenResults {
  return JSON.parse(readFileSync(join(EXPECTED, 'results.json'), 'utf8')) as GoldenResults;
}

export function goldenPeriodogram(filename: string): PeriodogramData | null {
  const path = join(EXPECTED, 'periodograms', filename.replace(/\.fits$/, '.json'));
  return existsSync(path) ? periodogramFromRaw(JSON.parse(readFileSync(path, 'utf8')) as RawPeriodogram) : null;
}

async function primaryExptime(path: string): Promise<number | null> {
  const f = await FitsReader.open(path);
  try {
    return f.hdus[0].header.number('EXPTIME') ?? f.hdus[1]?.header.number('EXPTIME') ?? null;
  } finally {
    await f.close();
  }
}

/** Composites (with the metadata of their group) and individuals (with their file's metadata row). */
export async function goldenRecords(): Promise<SiteRecord[]> {
  const results = goldenResults();
  const records: SiteRecord[] = [];
  for (const [product, entry] of Object.entries(results.stats)) {
    const [kindDir, filename] = product.split('/');
    const kind = kindDir === 'composite' ? 'composite' : 'individual';
    const path = join(EXPECTED, kindDir, filename);
    let meta: Pick<StatsRecord, 'targname' | 'instrument' | 'detector' | 'opt_elem' | 'cenwave' | 'aperture'> | undefined;
    let datasetNames: string[] | undefined;
    if (kind === 'composite') {
      const c = results.composites.find((x) => x.output === filename);
      if (!c) continue;
      const [instrument, detector, targname, opt_elem, cenwave, aperture] = c.config;
      meta = { instrument, detector, targname, opt_elem, cenwave, aperture };
      const kept = c.member_reads ? c.member_reads.filter((m) => m.kept_in_composite).map((m) => m.file) : c.members;
      datasetNames = kept;
    } else {
      const root = basename(filename).replace(/_curve\.fits$/, '');
      const m = results.files.find((f) => f.metadata?.filename.startsWith(root))?.metadata;
      if (!m) continue;
      meta = { instrument: m.instrume, detector: m.detector, targname: m.targname, opt_elem: m.opt_elem, cenwave: m.cenwave, aperture: m.aperture };
    }
    const s = entry.stats_dict;
    const stats: StatsRecord = {
      ...s,
      lightcurve_path: join(EXPECTED, kindDir),
      mean: s.mean ?? null,
      mu: s.mu ?? null,
      stdev: s.stdev ?? null,
      poisson_factor: s.poisson_factor ?? null,
      pearson_r: s.pearson_r ?? null,
      pearson_p: s.pearson_p ?? null,
      periodogram: Boolean(s.periodogram),
      deliver: false,
      ...meta,
      exptime: await primaryExptime(path),
    };
    records.push({ kind, path, stats, periodogram: goldenPeriodogram(filename), ...(datasetNames ? { datasetNames } : {}) });
  }
  return records;
}
