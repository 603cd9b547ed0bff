/**
 * Corrected STIS (§7.2, §7.4 corrected) on the synthetic archive: for every STIS exposure of the
 * demo archive (SIZES), first order and echelle, the extraction recovers the injected source and the background
 * under it within 3σ of the manifest's corrected-region truth — summed over the orders, and per order
 * (an x1d holding only that order's row makes the extraction use that box alone) — and each STIS
 * composite's net counts are its members' injected source. The compat formula (whole detector, no
 * background, ε = P·L) fails the same check.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateArchive, compileSignal, type ArchiveManifest, type ArchiveSize, type FileTruth } from '../../src/synthetic/index.js';
import type { StisRegionTruth } from '../../src/synthetic/manifest.js';
import { compositeFromFiles, extractFile } from '../../src/hst/extract.js';
import { COMPAT, CORRECTED, type AlgorithmParams } from '../../src/lightcurve/algorithm.js';
import { FitsReader, writeFits, type ColumnSpec } from '../../src/fits/index.js';
import { readLightcurveProduct } from '../../src/lightcurve/product.js';
import { tempDir } from '../helpers/tools.js';

/**
 * The sizes checked: `tiny` (first-order and echelle exposures, composites) in `npm test`. Every size
 * with STIS exposures (`small`, `medium`, `large`: `medium` plus one large COS file, flats 1024²; `heavy`
 * is one COS file) with HSTLC_TEST_STIS_SIZES=tiny,small,medium,large, as bench/large-archive-checks.ts
 * runs it: minutes of generation and extraction, so not in the suite.
 */
const SIZES = (process.env.HSTLC_TEST_STIS_SIZES ?? 'tiny').split(',').map((s) => s.trim()) as ArchiveSize[];

interface Check {
  what: string;
  observed: number;
  expected: number;
  sigma: number;
}

const z = (c: Check): number => (c.observed - c.expected) / c.sigma;
const sum = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};

/** ∫ m_c over the bins ∩ GTIs, per component (variable ones follow the injected signal). */
function componentIntegrals(f: FileTruth, times: ArrayLike<number>, bins: ArrayLike<number>): Map<string, number> {
  const model = compileSignal(f.signal, { expstart: f.expstart });
  let live = 0;
  let signal = 0;
  for (let k = 0; k < times.length; k++) {
    for (const [g0, g1] of f.good_time_intervals) {
      const a = Math.max(g0, times[k]);
      const b = Math.min(g1, times[k] + bins[k]);
      if (b <= a) continue;
      live += b - a;
      signal += model.integral(a, b);
    }
  }
  return new Map(f.events!.components.map((c) => [c.name, c.variable ? signal : live]));
}

/** Σ_c rates[c] · ∫ m_c over the regions. */
const mean = (regions: readonly StisRegionTruth[], key: 'weighted_rates' | 'weighted_sq_rates', I: Map<string, number>, only?: (c: string) => boolean): number =>
  regions.reduce((a, r) => a + Object.entries(r[key]).reduce((b, [c, v]) => b + (only === undefined || only(c) ? v * I.get(c)! : 0), 0), 0);

/**
 * Source and background checks for one extraction against the regions of the orders it used:
 * net = Σ gross − Σ background against the injected source in the boxes; the background column
 * against the injected dark in the boxes. σ: Poisson of the ε-weighted sums (Σ rate·ε²).
 */
function checks(what: string, f: FileTruth, regions: readonly StisRegionTruth[], cols: { times: ArrayLike<number>; bins: ArrayLike<number>; gross: ArrayLike<number>; background: ArrayLike<number> }): Check[] {
  const I = componentIntegrals(f, cols.times, cols.bins);
  const orders = [...new Set(regions.map((r) => r.sporder))];
  let varGross = 0;
  let varBkg = 0;
  let darkInBoxes = 0;
  let source = 0;
  for (const m of orders) {
    const box = regions.find((r) => r.sporder === m && r.name === 'spectrum')!;
    const bks = regions.filter((r) => r.sporder === m && r.name !== 'spectrum');
    const scale = (box.y[1] - box.y[0]) / bks.reduce((a, r) => a + (r.y[1] - r.y[0]), 0);
    varGross += mean([box], 'weighted_sq_rates', I);
    varBkg += scale * scale * mean(bks, 'weighted_sq_rates', I);
    darkInBoxes += mean([box], 'weighted_rates', I, (c) => c === 'dark');
    source += mean([box], 'weighted_rates', I, (c) => c === 'source');
  }
  const gross = sum(cols.gross);
  const background = sum(cols.background);
  return [
    { what: `${what} source`, observed: gross - background, expected: source, sigma: Math.sqrt(varGross + varBkg) },
    { what: `${what} background`, observed: background, expected: darkInBoxes, sigma: Math.sqrt(Math.max(varBkg, 1)) },
  ];
}

const ARRAYS: Array<[new (...a: never[]) => ArrayLike<number>, string]> = [
  [Float64Array, 'D'],
  [Float32Array, 'E'],
  [Int16Array, 'I'],
  [Int32Array, 'J'],
];

/** A copy of an x1d keeping only one row (one order). */
async function oneOrderX1d(src: string, dest: string, row: number): Promise<void> {
  const f = await FitsReader.open(src);
  try {
    const t = await f.readTable(1);
    const columns: ColumnSpec[] = [];
    for (const [name, c] of t.columns) {
      if (c.kind !== 'numeric') continue;
      const code = ARRAYS.find(([ctor]) => c.data instanceof ctor)?.[1];
      if (code === undefined) continue;
      const data = (c.data as Float64Array).slice(row * c.cellSize, (row + 1) * c.cellSize);
      columns.push({ name, data, format: `${c.cellSize}${code}` });
    }
    await writeFits(dest, [{ type: 'PRIMARY', cards: f.hdus[0].header.cards.filter((k) => !/^(SIMPLE|BITPIX|NAXIS\d*|EXTEND|END)$/.test(k.key)).map((k) => ({ key: k.key, value: k.value, type: k.type })) }, { type: 'BINTABLE', name: 'SCI', columns }]);
  } finally {
    await f.close();
  }
}

for (const size of SIZES) {
  describe(`corrected STIS extraction on the ${size} demo archive`, () => {
    const tmp = tempDir(`hstlc-stis-truth-${size}-`);
    let manifest: ArchiveManifest;
    let refs: { env: Record<string, string>; refDir: string };
    let cases: FileTruth[];
    before(async () => {
      manifest = await generateArchive({ dir: tmp.dir, seed: 11, size });
      refs = { env: {}, refDir: join(tmp.dir, 'ref') };
      cases = manifest.files.filter((f) => f.kind === 'stis_tag' && f.quality?.ok === true && f.bad === null);
    });
    after(() => tmp.cleanup());
    const extract = async (path: string, algorithm: AlgorithmParams) => (await extractFile(path, { step: 1, algorithm, refs })).lightcurve.columns;

    it('has first-order and echelle exposures with corrected-region truth', () => {
      assert.ok(cases.some((f) => f.opt_elem.startsWith('E')), 'an echelle exposure');
      assert.ok(cases.some((f) => !f.opt_elem.startsWith('E')), 'a first-order exposure');
      for (const f of cases) {
        const regions = f.corrected_regions!;
        assert.equal(regions.length, 3 * (f.geometry.x1d.ORDERS ?? 0), f.file);
        for (const r of regions) {
          // Background regions hold no source light; nothing outside the boxes is source.
          if (r.name !== 'spectrum') assert.equal(r.weighted_rates.source, 0, `${f.file} ${r.sporder} ${r.name}`);
          assert.equal(r.weighted_rates.airglow_lya ?? 0, 0);
          assert.equal(r.weighted_rates.airglow_oi ?? 0, 0);
        }
        const source = f.events!.components.find((c) => c.name === 'source')!;
        const inBoxes = regions.filter((r) => r.name === 'spectrum').reduce((a, r) => a + r.by_component.source, 0);
        // Every source event lies in a box; only DQ, the airglow windows and x = 2048 take some out.
        assert.ok(inBoxes <= source.events && inBoxes > 0.6 * source.events, `${f.file}: ${inBoxes} of ${source.events} source events selected`);
      }
    });

    it('recovers the injected source and background within 3σ, summed over the orders; compat does not', async () => {
      const failures: string[] = [];
      let compatFailed = 0;
      const sourceTruth = new Map<string, Check>();
      for (const f of cases) {
        const tag = join(tmp.dir, 'ingest', f.file);
        const c = await extract(tag, CORRECTED);
        const [source, background] = checks(f.file, f, f.corrected_regions!, c);
        sourceTruth.set(f.file, source);
        for (const k of [source, background]) if (!(Math.abs(z(k)) < 3)) failures.push(`${k.what}: ${JSON.stringify(k)}`);
        // The bins end at the last GTI stop and lie inside the GTIs.
        const last = f.good_time_intervals[f.good_time_intervals.length - 1][1];
        assert.ok(c.times[c.times.length - 1] + 1 <= last && c.times[c.times.length - 1] + 2 > last, `${f.file}: grid ends at ${c.times[c.times.length - 1] + 1}, last GTI stop ${last}`);
        for (let k = 0; k < c.times.length; k++) assert.ok(f.good_time_intervals.some(([a, b]) => c.times[k] >= a && c.times[k] + 1 <= b), `${f.file}: bin ${c.times[k]} outside the GTIs`);
        const compat = await extract(tag, COMPAT);
        const [src] = checks(f.file, f, f.corrected_regions!, compat);
        if (Math.abs(z(src)) >= 3) compatFailed++;
      }
      // Composites (§9.3) of the same exposures: net counts are the members' injected source.
      const groups = manifest.composites.filter((g) => g.instrume === 'STIS');
      assert.ok(groups.length > 0);
      for (const g of groups) {
        const members = g.members.map((m) => m.replace('_corrtag.fits', '_tag.fits'));
        const truth = members.map((m) => sourceTruth.get(m)!);
        const out = join(tmp.dir, g.name);
        await compositeFromFiles(members.map((m) => join(tmp.dir, 'ingest', m)), out, { step: 1, algorithm: CORRECTED, refs });
        const lc = await readLightcurveProduct(out, { columns: ['gross', 'background'] });
        const k: Check = {
          what: `composite ${g.name} source`,
          observed: sum(lc.columns.get('gross')!) - sum(lc.columns.get('background')!),
          expected: truth.reduce((a, t) => a + t.expected, 0),
          sigma: Math.sqrt(truth.reduce((a, t) => a + t.sigma ** 2, 0)),
        };
        if (!(Math.abs(z(k)) < 3)) failures.push(`${k.what}: ${JSON.stringify(k)}`);
      }
      assert.deepEqual(failures, []);
      assert.equal(compatFailed, cases.length, `compat outside 3σ for ${compatFailed} of ${cases.length}`);
    });

    it('recovers them per echelle order (one-order x1d files)', async () => {
      const failures: string[] = [];
      let checked = 0;
      // A first-order exposure has one order: the summed check above is its per-order check.
      for (const f of cases.filter((c) => c.geometry.x1d.ORDERS > 1)) {
        const orders = f.geometry.x1d.ORDERS;
        for (let row = 0; row < orders; row++) {
          const dir = join(tmp.dir, `order-${f.rootname}-${row}`);
          mkdirSync(dir);
          const tag = join(dir, f.file);
          copyFileSync(join(tmp.dir, 'ingest', f.file), tag);
          await oneOrderX1d(join(tmp.dir, 'ingest', `${f.rootname}_x1d.fits`), join(dir, `${f.rootname}_x1d.fits`), row);
          const sporder = f.corrected_regions![3 * row].sporder;
          const c = await extract(tag, CORRECTED);
          for (const k of checks(`${f.file} order ${sporder}`, f, f.corrected_regions!.filter((r) => r.sporder === sporder), c)) {
            checked++;
            if (!(Math.abs(z(k)) < 3)) failures.push(`${k.what}: ${JSON.stringify(k)}`);
          }
        }
      }
      assert.ok(checked > 0);
      assert.deepEqual(failures, []);
    });
  });
}
