/**
 * Site records from a folder of lightcurve FITS files, for `hstlc plots --from-dir` until the plots stage
 * reads the database. Statistics are not computed here: they come from an optional JSON file of stats
 * records (e.g. what the stats stage stored), periodograms from an optional folder of grid dumps.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FitsReader } from '../fits/index.js';
import { stem } from './layout.js';
import { periodogramFromRaw, type RawPeriodogram } from './periodogram-data.js';
import { metaFromHeaders } from './read.js';
import type { SiteRecord } from './site.js';
import type { StatsRecord } from './types.js';

export interface FromDirOptions {
  dir: string;
  /** JSON array of (partial) StatsRecord objects, matched to files by lightcurve_filename. */
  statsFile?: string;
  /** Folder of `<stem>.json` periodograms: `{short|med|long: {periods_days, power}}`. */
  periodogramDir?: string;
}

/** Every `*.fits` / `*.fits.gz` under `dir` (recursively), sorted. */
function findFits(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findFits(path));
    else if (/\.fits(\.gz)?$/i.test(entry.name)) out.push(path);
  }
  return out.sort();
}

function readStats(path: string): Map<string, Partial<StatsRecord>> {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${path}: expected a JSON array of stats records`);
  const byName = new Map<string, Partial<StatsRecord>>();
  for (const item of parsed as Array<Partial<StatsRecord>>) {
    if (typeof item?.lightcurve_filename !== 'string') throw new Error(`${path}: a record has no lightcurve_filename`);
    byName.set(item.lightcurve_filename, item);
  }
  return byName;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export async function recordsFromDir(options: FromDirOptions): Promise<SiteRecord[]> {
  const stats = options.statsFile ? readStats(options.statsFile) : new Map<string, Partial<StatsRecord>>();
  const records: SiteRecord[] = [];
  for (const path of findFits(options.dir)) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const file = await FitsReader.open(path);
    let meta;
    let composite = false;
    try {
      if (file.hdus.length < 2) continue;
      meta = metaFromHeaders(file.hdus[0].header, file.hdus[1].header);
      // §9.3d: only composites carry the HLSP keywords in their primary header.
      composite = file.hdus[0].header.has('HLSPNAME');
    } finally {
      await file.close();
    }
    const s = stats.get(name) ?? {};
    const record: StatsRecord = {
      lightcurve_path: s.lightcurve_path ?? path.slice(0, path.length - name.length - 1),
      lightcurve_filename: name,
      total: num(s.total) ?? 0,
      mean: num(s.mean),
      mu: num(s.mu),
      stdev: num(s.stdev),
      poisson_factor: num(s.poisson_factor),
      pearson_r: num(s.pearson_r),
      pearson_p: num(s.pearson_p),
      periodogram: Boolean(s.periodogram),
      deliver: Boolean(s.deliver),
      best_period: num(s.best_period),
      best_power: num(s.best_power),
      false_alarm_probability: num(s.false_alarm_probability),
      targname: s.targname ?? meta.targname,
      instrument: s.instrument ?? meta.instrument,
      detector: s.detector ?? meta.detector,
      opt_elem: s.opt_elem ?? meta.opt_elem,
      cenwave: s.cenwave ?? meta.cenwave,
      aperture: s.aperture ?? meta.aperture,
      exptime: s.exptime ?? meta.exptime,
    };
    const pgPath = options.periodogramDir ? join(options.periodogramDir, `${stem(name)}.json`) : undefined;
    const periodogram = pgPath && existsSync(pgPath) ? periodogramFromRaw(JSON.parse(readFileSync(pgPath, 'utf8')) as RawPeriodogram) : null;
    records.push({ kind: composite ? 'composite' : 'individual', path, stats: record, periodogram });
  }
  return records;
}
