/** The header values that name archive paths and composites (src/quality/header.ts), against the handbooks' values. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Header, makeCard, type CardValue } from '../../src/fits/index.js';
import { BAD_DATA_REASONS, nameHeaderProblem } from '../../src/quality/index.js';

function header(values: Record<string, CardValue | undefined>): Header {
  const base: Record<string, CardValue | undefined> = { INSTRUME: 'COS', DETECTOR: 'FUV', TARGNAME: 'GD71', OPT_ELEM: 'G130M', OBSTYPE: 'SPECTROSCOPIC', CENWAVE: 1291, APERTURE: 'PSA', ...values };
  return new Header(Object.entries(base).filter(([, v]) => v !== undefined).map(([key, value]) => makeCard({ key, value: value as CardValue })));
}

describe('nameHeaderProblem', () => {
  it('accepts the modes of the fixtures and the synthetic archive', () => {
    for (const h of [
      {},
      { DETECTOR: 'NUV', OPT_ELEM: 'G185M', CENWAVE: 1786 },
      { DETECTOR: 'NUV', OPT_ELEM: 'MIRRORA', OBSTYPE: 'IMAGING', CENWAVE: undefined },
      { APERTURE: 'BOA', CENWAVE: 1309 },
      { INSTRUME: 'STIS', DETECTOR: 'FUV-MAMA', OPT_ELEM: 'G140L', CENWAVE: 1425, APERTURE: '52X0.2' },
      { INSTRUME: 'STIS', DETECTOR: 'FUV-MAMA', OPT_ELEM: 'E140M', CENWAVE: 1425, APERTURE: '0.2X0.2' },
      { INSTRUME: 'STIS', DETECTOR: 'NUV-MAMA', OPT_ELEM: 'G230L', CENWAVE: 2376, APERTURE: '52X2' },
      { INSTRUME: 'STIS', DETECTOR: 'FUV-MAMA', OPT_ELEM: 'MIRROR', OBSTYPE: 'IMAGING', CENWAVE: 'N/A', APERTURE: 'F25SRF2' },
      // Trailing blanks are not significant in FITS strings.
      { OPT_ELEM: 'G160M   ', APERTURE: 'PSA ' },
    ]) {
      assert.equal(nameHeaderProblem(header(h)), undefined, JSON.stringify(h));
    }
  });

  it('names the first impossible value, with a reason the database accepts', () => {
    const cases: Array<[Record<string, CardValue | undefined>, string]> = [
      [{ OPT_ELEM: '<img src=x onerror=alert(4)>' }, 'OPT_ELEM'],
      [{ OPT_ELEM: 'g130m' }, 'OPT_ELEM'],
      [{ OPT_ELEM: 'E140M' }, 'OPT_ELEM'], // a STIS echelle on COS
      [{ OPT_ELEM: undefined }, 'OPT_ELEM'],
      [{ INSTRUME: 'WFC3' }, 'INSTRUME'],
      [{ INSTRUME: 'COS/../..' }, 'INSTRUME'],
      [{ DETECTOR: 'FUV-MAMA' }, 'DETECTOR'], // a STIS detector on COS
      [{ DETECTOR: 42 }, 'DETECTOR'],
      [{ TARGNAME: 7 }, 'TARGNAME'],
      [{ TARGNAME: undefined }, 'TARGNAME'],
      [{ CENWAVE: 1e300 }, 'CENWAVE'],
      [{ CENWAVE: -1291 }, 'CENWAVE'],
      [{ CENWAVE: 1291.5 }, 'CENWAVE'],
      [{ CENWAVE: '1291/../x' }, 'CENWAVE'],
      [{ APERTURE: '../../etc' }, 'APERTURE'],
      [{ APERTURE: '52X0.2' }, 'APERTURE'], // a STIS slit on COS
      [{ INSTRUME: 'STIS', DETECTOR: 'CCD', OPT_ELEM: 'G430L', CENWAVE: 4300, APERTURE: '.hidden' }, 'APERTURE'],
      [{ INSTRUME: 'STIS', DETECTOR: 'CCD', OPT_ELEM: 'G430L', CENWAVE: 4300, APERTURE: '52x0.2' }, 'APERTURE'],
    ];
    for (const [values, keyword] of cases) {
      const p = nameHeaderProblem(header(values));
      assert.equal(p?.keyword, keyword, JSON.stringify(values));
      assert.equal(p.reason, `Bad header: ${keyword}`);
      assert.ok((BAD_DATA_REASONS as readonly string[]).includes(p.reason));
      assert.ok(p.reason.length <= 20, 'bad_data.reason is VARCHAR(20)');
      assert.match(p.detail, new RegExp(keyword));
    }
  });
});
