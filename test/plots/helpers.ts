/** Shared by the plot tests: synthetic lightcurves, SVG parsing and normalized SVG snapshots. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { DEFAULT_UNITS } from '../../src/plots/read.js';
import { DEFAULT_FONT_DIR, DEFAULT_FONT_FILES } from '../../src/plots/render.js';
import type { LightcurveData, StatsRecord } from '../../src/plots/types.js';

/** A small lightcurve with known values: n bins per dataset, flux = 10 + row index, net = row·2. */
/** `visitGap`: days between the starts of consecutive datasets (default 1: separate visits). */
export function syntheticLightcurve(opts: { datasets?: number; perDataset?: number; targname?: string; visitGap?: number } = {}): LightcurveData {
  const datasets = opts.datasets ?? 2;
  const per = opts.perDataset ?? 5;
  const n = datasets * per;
  const mjd = new Float64Array(n);
  const dataset = new Float64Array(n);
  const flux = new Float64Array(n);
  const net = new Float64Array(n);
  const gross = new Float64Array(n);
  const error = new Float64Array(n);
  const background = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(i / per);
    mjd[i] = 56000 + k * (opts.visitGap ?? 1) + (i % per) * (2 / 86400);
    dataset[i] = k + 1;
    flux[i] = 10 + i;
    net[i] = 2 * i;
    gross[i] = 4 * i + 1;
    error[i] = Math.sqrt(4 * i + 2);
    background[i] = 1;
  }
  return {
    name: 'hlsp_hstlc_hst_cos-fuv_test_g130m_1291_psa_v1_sci.fits',
    mjd,
    gross,
    net,
    flux,
    error,
    background,
    dataset,
    datasetNames: Array.from({ length: datasets }, (_, k) => `member${k + 1}_corrtag_a.fits`),
    meta: { targname: opts.targname ?? 'GD71', instrument: 'COS', detector: 'FUV', opt_elem: 'G130M', cenwave: 1291, aperture: 'PSA', exptime: 1000 },
    units: { ...DEFAULT_UNITS },
  };
}

export function statsRecord(over: Partial<StatsRecord> = {}): StatsRecord {
  return {
    lightcurve_path: '/data/composite',
    lightcurve_filename: 'hlsp_x.fits',
    total: 100,
    mean: 10,
    mu: Math.sqrt(10),
    stdev: 4,
    poisson_factor: 4 / Math.sqrt(10),
    pearson_r: 0.1,
    pearson_p: 0.5,
    periodogram: false,
    deliver: false,
    best_period: null,
    best_power: null,
    false_alarm_probability: null,
    targname: 'GD71',
    instrument: 'COS',
    detector: 'FUV',
    opt_elem: 'G130M',
    cenwave: 1291,
    aperture: 'PSA',
    exptime: 1000,
    ...over,
  };
}

export interface SvgPoint {
  series: number;
  index: number;
  x: number;
  y: number;
  fill: string | undefined;
}

/** ECharts SSR symbols: `<path … transform="matrix(s,0,0,s,x,y)" … ecmeta_series_index ecmeta_data_index>`. */
export function svgPoints(svg: string): SvgPoint[] {
  const out: SvgPoint[] = [];
  for (const m of svg.matchAll(/<path [^>]*transform="matrix\(([^)]*)\)"[^>]*>/g)) {
    const tag = m[0];
    const series = /ecmeta_series_index="(\d+)"/.exec(tag);
    const index = /ecmeta_data_index="(\d+)"/.exec(tag);
    if (!series || !index || !tag.includes('ecmeta_ssr_type="chart"')) continue;
    const parts = m[1].split(',').map(Number);
    out.push({ series: Number(series[1]), index: Number(index[1]), x: parts[4], y: parts[5], fill: /fill="([^"]*)"/.exec(tag)?.[1] });
  }
  return out;
}

/** Observable Plot style: numbers rounded to 2 decimals, generated ids renumbered. */
export function normalizeSvg(svg: string): string {
  // zrender numbers instances and style classes with process-wide counters: renumber by first appearance.
  const ids = new Map<string, number>();
  return svg
    .replace(/zr\d+-cls-\d+/g, (id) => {
      if (!ids.has(id)) ids.set(id, ids.size);
      return `zr-cls-${ids.get(id)}`;
    })
    .replace(/zr\d+-/g, 'zr-')
    .replace(/-?\d+\.\d+(e-?\d+)?/g, (s) => {
      const v = Number(s);
      const r = Math.round(v * 100) / 100;
      return String(Object.is(r, -0) ? 0 : r);
    });
}

const SNAPSHOTS = fileURLToPath(new URL('./__snapshots__/', import.meta.url));

/**
 * Compare with `__snapshots__/<name>.svg`; a missing snapshot is written (commit it). A mismatch writes
 * `<name>-changed.svg` beside it for review and fails. UPDATE_SNAPSHOTS=1 rewrites.
 */
export function assertSvgSnapshot(name: string, svg: string): void {
  mkdirSync(SNAPSHOTS, { recursive: true });
  const path = `${SNAPSHOTS}${name}.svg`;
  const changed = `${SNAPSHOTS}${name}-changed.svg`;
  const actual = normalizeSvg(svg);
  if (!existsSync(path) || process.env.UPDATE_SNAPSHOTS === '1') {
    if (process.env.CI === 'true' && !existsSync(path)) assert.fail(`snapshot ${name}.svg is missing`);
    writeFileSync(path, actual);
    rmSync(changed, { force: true });
    return;
  }
  const expected = readFileSync(path, 'utf8');
  if (expected !== actual) {
    writeFileSync(changed, actual);
    assert.fail(`SVG snapshot ${name} changed; see ${changed}`);
  }
  rmSync(changed, { force: true });
}

/** PNG tests need the DejaVu fonts (fonts-dejavu-core): skip locally, fail under CI. */
export function skipUnlessFonts(): string | false {
  const ok = DEFAULT_FONT_FILES.every((f) => existsSync(`${DEFAULT_FONT_DIR}/${f}`));
  if (ok) return false;
  if (process.env.CI === 'true') throw new Error('fonts-dejavu-core is required under CI (installed by .ci/run)');
  return 'DejaVu fonts not installed (apt install fonts-dejavu-core)';
}

export const CHROMIUM = process.env.HSTLC_CHROMIUM ?? '/usr/bin/chromium';

/** Browser tests need Debian's chromium: skip locally, fail under CI. Never downloads a browser. */
export function skipUnlessChromium(): string | false {
  const ok = existsSync(CHROMIUM) && spawnSync(CHROMIUM, ['--version'], { stdio: 'ignore', timeout: 20000 }).status === 0;
  if (ok) return false;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is required under CI (apt install chromium)`);
  return `${CHROMIUM} not installed (apt install chromium)`;
}
