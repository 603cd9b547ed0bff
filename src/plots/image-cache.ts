/**
 * PNGs drawn ahead of the site (DESIGN §9): with the job engine each lightcurve's PNGs are drawn by its own
 * plot job, on any worker host, and left in plot_dir/.hstlc-cache/images under a key of everything the
 * image depends on (the file's content, the metadata, the labels, the periodogram, the PNG options). The
 * site job then takes them instead of drawing (buildSite's renderImage), so the site job only writes
 * pages. A missing or unreadable entry is drawn again: the cache changes how fast, never what.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from './files.js';
import { hashParts } from './manifest.js';
import type { PeriodogramData, StatsRecord } from './types.js';
import type { ImageJob } from './units.js';
import type { PngOptions } from './render.js';

export const IMAGE_CACHE_DIR = path.join('.hstlc-cache', 'images');

/** Bump when a chart definition changes what a cached PNG would look like. */
const IMAGE_CACHE_VERSION = 'hstlc-images-1';

/** What the images of a lightcurve are drawn from (a SiteRecord, site.ts). */
export interface ImageSource {
  path: string;
  stats: StatsRecord;
  periodogram?: PeriodogramData | null;
  datasetNames?: readonly string[];
}

/** The metadata of a record as its images show it (what the database knows wins over the headers). */
export function imageMeta(record: ImageSource): ImageJob['meta'] {
  const s = record.stats;
  return { targname: s.targname, instrument: s.instrument, detector: s.detector, opt_elem: s.opt_elem, cenwave: s.cenwave, aperture: s.aperture, exptime: s.exptime };
}

/** The PNGs of one lightcurve: its lightcurve image and, with a periodogram, the periodogram image. */
export function imageJobsOf(record: ImageSource, png: PngOptions = {}): ImageJob[] {
  const base = { path: record.path, meta: imageMeta(record), ...(record.datasetNames !== undefined ? { datasetNames: record.datasetNames } : {}), png };
  const jobs: ImageJob[] = [{ ...base, kind: 'lightcurve' }];
  if (record.periodogram) jobs.push({ ...base, kind: 'periodogram', periodogram: record.periodogram });
  return jobs;
}

export class ImageCache {
  readonly dir: string;

  constructor(plotDir: string) {
    this.dir = path.join(plotDir, IMAGE_CACHE_DIR);
  }

  /** The key of a job: the lightcurve file by content (read here), the rest of the job as it is. */
  async keyOf(job: ImageJob): Promise<string> {
    const { path: file, ...rest } = job;
    return hashParts(IMAGE_CACHE_VERSION, await readFile(file), rest);
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.png`);
  }

  async set(job: ImageJob, png: Uint8Array): Promise<void> {
    writeAtomic(this.file(await this.keyOf(job)), png);
  }

  /** The PNG drawn ahead for this job, removed from the cache (the site keeps its own copy), or undefined. */
  async take(job: ImageJob): Promise<Uint8Array | undefined> {
    let key: string;
    try {
      key = await this.keyOf(job);
    } catch {
      return undefined;
    }
    const file = this.file(key);
    const png = await readFile(file).catch(() => undefined);
    if (png !== undefined) await rm(file, { force: true });
    return png;
  }
}
