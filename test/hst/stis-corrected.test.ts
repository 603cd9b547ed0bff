/**
 * Corrected STIS (§7.2, §7.4, §15.16–17) on a hand-built TIME-TAG file whose truth is known: a
 * source in the x1d box and a flat background, both thinned by a P-flat of 0.5 | 1.0. Dividing by
 * the flat and subtracting the x1d background regions recovers the injected source counts within 3σ;
 * the as-built formulas (ε = P·L, whole detector, no background) do not.
 */
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFits } from '../../src/fits/index.js';
import { extractFile } from '../../src/hst/extract.js';
import { COMPAT, CORRECTED } from '../../src/lightcurve/algorithm.js';
import { tempDir } from '../helpers/tools.js';
import { rng } from './corrtag-builder.js';

const tmp = tempDir('hstlc-stis-corrected-');
after(() => tmp.cleanup());
const refs = { env: {}, refDir: tmp.dir };
const N_SRC = 20000; // before the flat thins them
const N_BKG = 200000; // over all 2048 rows
const P = (x: number): number => (x < 1024 ? 0.5 : 1.0);

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

let tag = '';
before(async () => {
  mkdirSync(join(tmp.dir, 'oref'));
  const img = (f: (col: number) => number) => ({ data: Float32Array.from({ length: 256 * 256 }, (_, i) => f(i % 256)), shape: [256, 256] });
  await writeFits(join(tmp.dir, 'oref', 'tst_pfl.fits'), [{ type: 'PRIMARY' }, { type: 'IMAGE', name: 'SCI', image: img((c) => (c < 128 ? 0.5 : 1.0)) }]);
  await writeFits(join(tmp.dir, 'oref', 'tst_lfl.fits'), [{ type: 'PRIMARY' }, { type: 'IMAGE', name: 'SCI', image: img(() => 1) }]);
  await writeFits(join(tmp.dir, 'ostt01010_x1d.fits'), [
    { type: 'PRIMARY' },
    {
      type: 'BINTABLE',
      name: 'SCI',
      columns: [
        { name: 'SPORDER', data: Int16Array.of(1) },
        { name: 'WAVELENGTH', data: Float64Array.from({ length: 1024 }, (_, i) => 1400 + i * 0.25), format: '1024D' },
        { name: 'A2CENTER', data: Float32Array.of(500) },
        { name: 'EXTRSIZE', data: Float32Array.of(7) },
        { name: 'BK1SIZE', data: Float32Array.of(5) },
        { name: 'BK2SIZE', data: Float32Array.of(5) },
        { name: 'BK1OFFST', data: Float32Array.of(-300) },
        { name: 'BK2OFFST', data: Float32Array.of(300) },
      ],
    },
  ]);
  const r = rng(9);
  const ev: Array<[number, number, number]> = [];
  const add = (x: number, y: number): void => {
    if (r() < P(x)) ev.push([r() * 1000, x, y]);
  };
  for (let i = 0; i < N_SRC; i++) add(Math.floor(r() * 2048) + 1, 994 + Math.floor(r() * 13));
  for (let i = 0; i < N_BKG; i++) add(Math.floor(r() * 2048) + 1, Math.floor(r() * 2048) + 1);
  ev.sort((a, b) => a[0] - b[0]);
  tag = join(tmp.dir, 'ostt01010_tag.fits');
  await writeFits(tag, [
    {
      type: 'PRIMARY',
      cards: [
        { key: 'TELESCOP', value: 'HST' },
        { key: 'INSTRUME', value: 'STIS' },
        { key: 'DETECTOR', value: 'FUV-MAMA' },
        { key: 'OBSTYPE', value: 'SPECTROSCOPIC' },
        { key: 'OPT_ELEM', value: 'G140L' },
        { key: 'CENWAVE', value: 1425 },
        { key: 'APERTURE', value: '52X0.2' },
        { key: 'TARGNAME', value: 'TEST' },
        { key: 'CENTRWV', value: 1425.0, type: 'float' },
        { key: 'PFLTFILE', value: 'oref$tst_pfl.fits' },
        { key: 'LFLTFILE', value: 'oref$tst_lfl.fits' },
        { key: 'BPIXTAB', value: 'oref$absent_bpx.fits' },
      ],
    },
    {
      type: 'BINTABLE',
      name: 'EVENTS',
      cards: [
        { key: 'EXPTIME', value: 1000, type: 'float' },
        { key: 'EXPSTART', value: 56000.25, type: 'float' },
        { key: 'SDQFLAGS', value: 31743 },
        { key: 'SHIFTA2', value: 0, type: 'float' },
      ],
      columns: [
        { name: 'TIME', data: Float64Array.from(ev, (e) => e[0]) },
        { name: 'AXIS1', data: Int16Array.from(ev, (e) => e[1]) },
        { name: 'AXIS2', data: Int16Array.from(ev, (e) => e[2]) },
        { name: 'DETAXIS1', data: Int16Array.from(ev, (e) => e[1]) },
      ],
    },
  ]);
});

describe('corrected STIS extraction', () => {
  it('flat divided, x1d box and background: net counts within 3σ of the injected source', async () => {
    const opts = { step: 10, refs, filterAirglow: false };
    const { lightcurve } = await extractFile(tag, { ...opts, algorithm: CORRECTED });
    const net = sum(lightcurve.columns.counts);
    // Var of the flat-weighted sum: detected events weigh 1/P, so Σ ε² ≈ N·E[1/P] = 1.5 N, plus the
    // background regions' share (scale 14/20, 20 of 2048 rows)
    const sigma = Math.sqrt(1.5 * N_SRC + (14 / 20) ** 2 * 1.5 * ((N_BKG * 20) / 2048) + 1.5 * ((N_BKG * 14) / 2048));
    assert.ok(Math.abs(net - N_SRC) <= 3 * sigma, `net ${net} vs ${N_SRC} ± 3×${sigma.toFixed(1)}`);
    assert.ok(lightcurve.meta.warnings.some((w) => /BPIXTAB/.test(w)), 'missing BPIXTAB recorded');
    const compat = (await extractFile(tag, { ...opts, algorithm: COMPAT })).lightcurve;
    assert.ok(Math.abs(sum(compat.columns.counts) - N_SRC) > 3 * sigma, 'the as-built formulas miss the source');
  });
});
