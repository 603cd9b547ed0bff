/**
 * Product headers in corrected mode, checked with astropy/numpy and fitsverify reading the written files:
 * composite HDU-1 (and primary) EXPSTART/EXPEND/EXPTIME describe every member (§9.3(c): the original
 * kept the last member's, which compat still does — see composite-golden.test.ts); every product is
 * fitsverify-clean (0 errors, 0 warnings), pairs are two keywords, astropy reads mjd as a UTC Time, and
 * no header names a directory of this machine; HISTORY wraps between words.
 */
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { compositeFromFiles, extractFile } from '../../src/hst/extract.js';
import { CORRECTED } from '../../src/lightcurve/algorithm.js';
import { writeIndividual } from '../../src/lightcurve/individual.js';
import { formatCard, makeCard, wrapCommentary } from '../../src/fits/index.js';
import { astropyDumps, execFileSync, fitsverify, PYTHON, skipUnlessAstropy, skipUnlessFitsverify, tempDir } from '../helpers/tools.js';
import { INPUTS } from './golden.js';

const tmp = tempDir('hstlc-composite-headers-');
after(() => tmp.cleanup());
const refs = { env: {}, refDir: INPUTS };

/** numpy's view of a written composite: the span of its mjd/bins columns and its header values. */
const SPAN = `
import sys, json, numpy as np
from astropy.io import fits
with fits.open(sys.argv[1]) as h:
    d = h[1].data
    mjd = np.asarray(d['mjd'], dtype=float); bins = np.asarray(d['bins'], dtype=float); ds = np.asarray(d['dataset'])
    first = [float(mjd[ds == k].min()) for k in sorted(set(ds.tolist()))]
    print(json.dumps({'start': float(mjd.min()), 'end': float((mjd + bins / 86400.0).max()), 'exptime': float(bins.sum()),
        'firstOfEach': first,
        'hdu1': [h[1].header['EXPSTART'], h[1].header['EXPEND'], h[1].header['EXPTIME']],
        'hdu0': [h[0].header['EXPSTART'], h[0].header['EXPEND'], h[0].header['EXPTIME']]}))
`;

interface Span {
  start: number;
  end: number;
  exptime: number;
  firstOfEach: number[];
  hdu1: [number, number, number];
  hdu0: [number, number, number];
}

describe('corrected composite headers (astropy)', { skip: skipUnlessAstropy() }, () => {
  const out = join(tmp.dir, 'wd0308.fits');
  const members = ['lc7a0101q_corrtag_a.fits', 'lc7a0202q_corrtag_a.fits', 'lc7a0302q_corrtag_a.fits'].map((f) => join(INPUTS, f));
  before(async () => {
    await compositeFromFiles(members, out, { step: 2, algorithm: CORRECTED, refs });
  });

  it('EXPSTART/EXPEND/EXPTIME: first bin start, last bin end, summed bins of all members', () => {
    const s = JSON.parse(execFileSync(PYTHON, ['-W', 'ignore', '-c', SPAN, out], { encoding: 'utf8' })) as Span;
    assert.equal(s.firstOfEach.length, 3, 'three members kept');
    for (const hdr of [s.hdu1, s.hdu0]) {
      assert.ok(Math.abs(hdr[0] - s.start) < 1e-9, `EXPSTART ${hdr[0]} vs ${s.start}`);
      assert.ok(Math.abs(hdr[1] - s.end) < 1e-9, `EXPEND ${hdr[1]} vs ${s.end}`);
      assert.ok(Math.abs(hdr[2] - s.exptime) < 1e-6, `EXPTIME ${hdr[2]} vs ${s.exptime}`);
    }
    // not the last member's values (what the original wrote)
    assert.ok(s.hdu1[0] < s.firstOfEach[2]! - 1e-3);
  });
});

/** astropy's Table.read(astropy_native=True): the mjd column as a Time, compared with the raw column. */
const TIME = `
import sys, json, numpy as np
from astropy.table import Table
from astropy.time import Time
from astropy.io import fits
for path in sys.argv[1:]:
    t = Table.read(path, hdu=1, astropy_native=True)
    raw = np.asarray(fits.getdata(path, 1)['mjd'], dtype=float)
    m = t['mjd']
    print(json.dumps({'isTime': isinstance(m, Time), 'scale': getattr(m, 'scale', None),
      'maxDiff': float(np.max(np.abs(m.mjd - raw))) if isinstance(m, Time) else None,
      'iso0': m[0].isot if isinstance(m, Time) else None}))
`;

describe('corrected products: fitsverify-clean, standard keywords, no machine paths', () => {
  const products: string[] = [];
  // astropy's dump of every product, from one Python process, for the two tests that read the cards.
  type Dump = Array<{ cards: Array<[string, unknown, string]> }>;
  let dumps: Dump[] | undefined;
  const dumpOf = (p: string): Dump => (dumps ??= [...astropyDumps<Dump>(products)])[products.indexOf(p)]!;
  before(async () => {
    const opts = { step: 2, algorithm: CORRECTED, refs: { env: { lref: `${INPUTS}lref`, oref: `${INPUTS}oref` }, refDir: INPUTS } };
    for (const f of ['lc7a0101q_corrtag_a.fits', 'lb9y0102q_corrtag.fits', 'o8k401050_tag.fits']) {
      const { lightcurve } = await extractFile(join(INPUTS, f), opts);
      const out = join(tmp.dir, lightcurve.meta.outname);
      await writeIndividual(out, lightcurve);
      products.push(out);
    }
    const cos = join(tmp.dir, 'cos-composite.fits');
    await compositeFromFiles(['lc7a0101q_corrtag_a.fits', 'lc7a0202q_corrtag_a.fits'].map((f) => join(INPUTS, f)), cos, opts);
    const stis = join(tmp.dir, 'stis-composite.fits');
    await compositeFromFiles(['o6a501030_tag.fits', 'o6a502040_tag.fits'].map((f) => join(INPUTS, f)), stis, opts);
    products.push(cos, stis);
  });

  it('fitsverify: 0 errors and 0 warnings on every product (COS individual and composite warned on YLIM before)', { skip: skipUnlessFitsverify() }, () => {
    for (const p of products) {
      const r = fitsverify(p);
      assert.equal(r.errors, 0, r.output);
      assert.equal(r.warnings, 0, r.output);
    }
  });

  it('pairs are two keywords: WLIMLO/WLIMHI, YLIMALO/YLIMAHI (no WLIM, no null YLIM)', { skip: skipUnlessAstropy() }, () => {
    for (const p of products) {
      const hdu1 = new Map(dumpOf(p)[1]!.cards.map(([k, v]) => [k, v]));
      for (const k of ['WLIM', 'XLIM', 'YLIM', 'YLIMA', 'YLIMB']) assert.ok(!hdu1.has(k), `${p}: ${k}`);
      assert.equal(hdu1.get('WLIMLO'), hdu1.get('WMIN'), p);
      assert.equal(hdu1.get('WLIMHI'), hdu1.get('WMAX'), p);
      if (p.includes('lc7a') || p.includes('cos-composite')) {
        assert.equal(typeof hdu1.get('YLIMALO'), 'number', p);
        assert.ok((hdu1.get('YLIMAHI') as number) > (hdu1.get('YLIMALO') as number), p);
      }
    }
  });

  it('astropy reads the mjd column as a UTC Time equal to the stored MJDs', { skip: skipUnlessAstropy() }, () => {
    // One Python process for every product: one JSON line each, in order.
    const lines = execFileSync(PYTHON, ['-W', 'ignore', '-c', TIME, ...products], { encoding: 'utf8' }).trimEnd().split('\n');
    assert.equal(lines.length, products.length);
    for (const [i, p] of products.entries()) {
      const r = JSON.parse(lines[i]!) as { isTime: boolean; scale: string; maxDiff: number; iso0: string };
      assert.equal(r.isTime, true, p);
      assert.equal(r.scale, 'utc', p);
      assert.ok(r.maxDiff < 1e-9, `${p}: ${r.maxDiff}`);
    }
  });

  it('no machine paths: SOURCE, OUTNAME, MEMBERnn and HISTORY name files', { skip: skipUnlessAstropy() }, () => {
    for (const p of products) {
      for (const hdu of dumpOf(p)) {
        for (const [k, v] of hdu.cards) {
          const text = String(v);
          assert.ok(!text.includes(tmp.dir) && !text.includes(INPUTS) && !text.includes('/tmp/'), `${p} ${k} = ${text}`);
          if (['SOURCE', 'OUTNAME'].includes(k) || k.startsWith('MEMBER')) assert.ok(!text.includes('/'), `${p} ${k} = ${text}`);
        }
      }
    }
  });
});

describe('HISTORY cards', () => {
  it('wrap between words at 72 characters; a longer word is cut', () => {
    const words = 'WARNING FLUXTAB: no row of x1v1634ml_tds.fits matches segment NUVA at cenwave 2950, so the sensitivity is taken as unity here';
    const images = formatCard(makeCard({ key: 'HISTORY', value: words }));
    assert.ok(images.length > 1);
    const lines = images.map((im) => {
      assert.equal(im.length, 80);
      assert.ok(im.startsWith('HISTORY '));
      return im.slice(8).trimEnd();
    });
    for (const l of lines) assert.ok(!l.startsWith(' ') && l.length <= 72, l);
    assert.equal(lines.join(' '), words);
    // each line ends on a whole word of the text
    const wordsSet = new Set(words.split(' '));
    for (const l of lines) assert.ok(wordsSet.has(l.split(' ').pop()!), l);
    const long = 'x'.repeat(100);
    assert.deepEqual(wrapCommentary(`a ${long}`), ['a', 'x'.repeat(72), 'x'.repeat(28)]);
    assert.deepEqual(wrapCommentary(''), ['']);
  });
});
