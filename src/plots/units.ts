/**
 * The unit of work of the plots stage for the worker pool (DESIGN §9, src/pipeline/pool.ts): one PNG
 * from a lightcurve file. Input and output are structured-cloneable (paths, plain metadata, typed
 * arrays; PNG bytes back), so a piscina worker can export `renderImage` as it is, and buildSite takes it
 * as its `renderImage` option to draw many PNGs at once.
 */
import { lightcurvePng, periodogramPng } from './draw.js';
import { readLightcurve } from './read.js';
import type { PngOptions } from './render.js';
import type { LightcurveMeta, PeriodogramData } from './types.js';

export interface ImageJob {
  kind: 'lightcurve' | 'periodogram';
  /** The lightcurve FITS file. */
  path: string;
  /** What the database knows; wins over the headers. */
  meta: Partial<LightcurveMeta>;
  datasetNames?: readonly string[];
  /** Required for kind 'periodogram'. */
  periodogram?: PeriodogramData | null;
  png?: PngOptions;
}

export async function renderImage(job: ImageJob): Promise<Uint8Array> {
  const lc = await readLightcurve(job.path, { meta: job.meta, datasetNames: job.datasetNames });
  if (job.kind === 'lightcurve') return lightcurvePng(lc, job.png);
  if (!job.periodogram) throw new Error(`${job.path}: a periodogram image needs periodogram data`);
  return periodogramPng(lc, job.periodogram, job.png);
}
