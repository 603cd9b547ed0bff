/**
 * The synthetic archive against its own truth: determinism, region counts read back from the
 * files, Poisson consistency, bad files, composites, and — with the reference tools — fitsverify
 * and astropy. Tools that are missing skip their test, except under CI=true where they fail.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FitsReader } from '../../src/fits/index.js';
import { generateArchive, type ArchiveManifest, type FileTruth } from '../../src/synthetic/index.js';
import { PYTHON, fitsverify, skipUnlessAstropy, skipUnlessFitsverify } from '../helpers/tools.js';

const run = promisify(execFile);
const SEED = 20240611;
const HERE = fileURLToPath(new URL('.', import.meta.url));

let dir: string;
let manifest: ArchiveManifest;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hstlc-synth-'));
  manifest = await generateArchive({ dir, seed: SEED, size: 'tiny' });
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const eventFiles = (): FileTruth[] => manifest.files.filter((f) => f.events !== null);

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const sub of ['ingest', join('ref', 'lref'), join('ref', 'oref')]) {
    for (const f of (await readdir(join(root, sub))).sort()) out.push(join(sub, f));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Independent re-implementations of the original's rules (§3.2, §6.3/6.4, §7.1/7.3/7.4)

const WINDOWS = [
  [1208, 1225],
  [1298, 1312],
] as const;
const inWindow = (w: number): boolean => WINDOWS.some(([a, b]) => w >= a && w <= b);

interface Count {
  selected: number;
  in_box: number;
  dq_rejected: number;
  airglow_rejected: number;
  wavelength_rejected: number;
}

function count(x: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number>, dq: ArrayLike<number>, sdq: number, xl: readonly number[], yl: readonly number[], wl: readonly number[]): Count {
  const c: Count = { selected: 0, in_box: 0, dq_rejected: 0, airglow_rejected: 0, wavelength_rejected: 0 };
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] >= xl[0] && x[i] < xl[1] && y[i] >= yl[0] && y[i] < yl[1])) continue;
    c.in_box++;
    const wlOk = w[i] > wl[0] && w[i] < wl[1];
    const ag = inWindow(w[i]);
    const dqOk = (dq[i] & sdq) === 0;
    if (!dqOk) c.dq_rejected += wlOk && !ag ? 1 : 0;
    else if (!wlOk) c.wavelength_rejected++;
    else if (ag) c.airglow_rejected++;
    else c.selected++;
  }
  return c;
}

async function columns(path: string, names: string[]): Promise<{ reader: FitsReader; cols: Record<string, ArrayLike<number>> }> {
  const reader = await FitsReader.open(path);
  const table = await reader.readTable(1, { columns: names });
  const cols: Record<string, ArrayLike<number>> = {};
  for (const n of names) {
    const c = table.columns.get(n)!;
    assert.equal(c.kind, 'numeric');
    cols[n] = c.data as ArrayLike<number>;
  }
  return { reader, cols };
}

async function cosCounts(path: string): Promise<Array<Count & { letter: string; name: string; y: number[] }>> {
  const { reader, cols } = await columns(path, ['XCORR', 'YCORR', 'WAVELENGTH', 'DQ']);
  const h0 = reader.hdus[0].header;
  const h1 = reader.hdus[1].header;
  await reader.close();
  const imaging = h0.string('OBSTYPE') === 'IMAGING';
  const fuv = h0.string('DETECTOR') === 'FUV';
  const letters = fuv ? [h0.string('SEGMENT')!.slice(-1)] : ['A', 'B', 'C'];
  const xl = imaging ? [0, 1024] : [0, 16384];
  const wl = imaging ? [-1, 1] : fuv ? [915, 1800] : [915, 3200];
  const sdq = h1.integer('SDQFLAGS')!;
  const rows = (c: string, h: string): number[] => {
    const half = Math.floor(h1.number(h)! / 2);
    return [h1.number(c)! - half, h1.number(c)! + half];
  };
  return letters.flatMap((L) =>
    (
      [
        ['spectrum', imaging ? [0, 512] : rows(`SP_LOC_${L}`, `SP_HGT_${L}`)],
        ['background1', rows(`B_BKG1_${L}`, `B_HGT1_${L}`)],
        ['background2', rows(`B_BKG2_${L}`, `B_HGT2_${L}`)],
      ] as Array<[string, number[]]>
    ).map(([name, y]) => ({ letter: L, name, y, ...count(cols.XCORR, cols.YCORR, cols.WAVELENGTH, cols.DQ, sdq, xl, y, wl) })),
  );
}

async function stisCount(path: string): Promise<Count> {
  const { reader, cols } = await columns(path, ['AXIS1', 'AXIS2']);
  const h0 = reader.hdus[0].header;
  const h1 = reader.hdus[1].header;
  await reader.close();
  const x1d = await FitsReader.open(path.replace('_tag.fits', '_x1d.fits'));
  const t = await x1d.readTable(1, { columns: ['WAVELENGTH', 'A2CENTER', 'EXTRSIZE'] });
  await x1d.close();
  const wave = t.columns.get('WAVELENGTH')!.data as Float64Array;
  const a2 = t.columns.get('A2CENTER')!.data as Float32Array;
  const ext = t.columns.get('EXTRSIZE')!.data as Float32Array;
  const [env, name] = h0.string('BPIXTAB')!.split('$');
  const bp = await FitsReader.open(join(dir, 'ref', env, name));
  const b = await bp.readTable(1);
  await bp.close();
  const img = new Int32Array(1024 * 1024);
  const bcol = (k: string): ArrayLike<number> => b.columns.get(k)!.data as ArrayLike<number>;
  for (let r = 0; r < b.rows; r++) {
    const x = bcol('PIX1')[r] - 1;
    const y = bcol('PIX2')[r] - 1;
    const n = bcol('LENGTH')[r];
    const v = bcol('VALUE')[r];
    if (bcol('AXIS')[r] === 1) for (let i = x; i < Math.min(1024, x + n); i++) img[y * 1024 + i] |= v;
    else for (let j = y; j < Math.min(1024, y + n); j++) img[j * 1024 + x] |= v;
  }
  const echelle = h0.string('OPT_ELEM')!.startsWith('E');
  const shift = h1.number('SHIFTA2')!;
  const n = cols.AXIS1.length;
  const w = new Float64Array(n);
  const dq = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const ax = cols.AXIS1[i];
    const ay = cols.AXIS2[i];
    const p = Math.min(2047, Math.max(0, ax)) >> 1;
    let row = echelle ? -1 : 0;
    if (echelle) for (let k = 0; k < a2.length; k++) if (a2[k] + shift - ext[k] < ay && ay < a2[k] + shift + ext[k]) row = k;
    w[i] = row < 0 ? 0 : wave[row * 1024 + p];
    dq[i] = img[((ay - 1) >> 1) * 1024 + ((ax - 1) >> 1)];
  }
  return count(cols.AXIS1, cols.AXIS2, w, dq, h1.integer('SDQFLAGS')!, [0, 2048], [0, 2048], [2, 10000]);
}

function checksOf(time: ArrayLike<number>, expflag: string, exptime: number, proposid: number): Record<string, string> {
  let linear = time.length === 0 ? 'error' : 'pass';
  for (let i = 1; i < time.length; i++) if (!(time[i] >= time[i - 1])) linear = 'fail';
  return {
    expflag: expflag === 'NORMAL' ? 'pass' : 'fail',
    linear,
    no_events: time.length === 0 ? 'fail' : 'pass',
    not_singular: new Set(Array.from(time)).size === 1 ? 'fail' : 'pass',
    bad_proposal: manifest.bad_proposals.includes(proposid) ? 'fail' : 'pass',
    exptime: exptime < 1 ? 'fail' : 'pass',
  };
}

// ---------------------------------------------------------------------------------------------

describe('synthetic archive (tiny)', () => {
  it('writes ingest/, ref/lref, ref/oref and a manifest that lists them', async () => {
    const ingest = (await readdir(join(dir, 'ingest'))).sort();
    assert.deepEqual(ingest, manifest.files.map((f) => f.file).sort());
    assert.deepEqual((await readdir(join(dir, 'ref', 'lref'))).sort(), [...manifest.reference_files.lref].sort());
    assert.deepEqual((await readdir(join(dir, 'ref', 'oref'))).sort(), [...manifest.reference_files.oref].sort());
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')), JSON.parse(JSON.stringify(manifest)));
    for (const f of manifest.files) assert.equal((await stat(join(dir, 'ingest', f.file))).size, f.bytes);
    const kinds = new Set(manifest.files.map((f) => f.kind));
    for (const k of ['cos_fuv_a', 'cos_fuv_b', 'cos_nuv', 'cos_imaging', 'stis_tag', 'stis_x1d']) assert.ok(kinds.has(k as FileTruth['kind']), k);
    const exposureKinds = new Set(manifest.files.map((f) => f.exposure_kind));
    for (const k of ['cos_fuv_pair', 'cos_fuv_a', 'cos_fuv_b']) assert.ok(exposureKinds.has(k as FileTruth['exposure_kind']), k);
    // Science headers name the reference files that exist.
    for (const f of manifest.files) {
      for (const v of Object.values(f.reference_files)) {
        const [env, name] = v.split('$');
        assert.ok(manifest.reference_files[env as 'lref' | 'oref'].includes(name), `${f.file}: ${v}`);
      }
    }
  });

  it('is a few MB with thousands of events per file (speed is measured in bench/synthetic.ts)', () => {
    const mb = (manifest.totals.bytes + manifest.totals.reference_bytes) / 1e6;
    assert.ok(mb < 8, `${mb} MB`);
    assert.ok(manifest.totals.events > 20_000);
    const perFile = eventFiles().filter((f) => !f.bad).map((f) => f.events!.total);
    assert.ok(Math.min(...perFile) >= 1000, `smallest good file: ${Math.min(...perFile)} events`);
  });

  it('gives byte-identical files for the same seed, different ones for another seed', async () => {
    const again = await mkdtemp(join(tmpdir(), 'hstlc-synth-'));
    const other = await mkdtemp(join(tmpdir(), 'hstlc-synth-'));
    try {
      await generateArchive({ dir: again, seed: SEED, size: 'tiny' });
      const files = await listFiles(dir);
      assert.deepEqual(await listFiles(again), files);
      // No keyword derives from the clock (DATE follows EXPSTART), so even CHECKSUM repeats.
      for (const f of [...files, 'manifest.json']) {
        assert.ok((await readFile(join(dir, f))).equals(await readFile(join(again, f))), `${f} differs`);
      }
      await generateArchive({ dir: other, seed: SEED + 1, size: 'tiny' });
      const a = await readFile(join(dir, 'manifest.json'), 'utf8');
      const b = await readFile(join(other, 'manifest.json'), 'utf8');
      assert.notEqual(a, b);
    } finally {
      await rm(again, { recursive: true, force: true });
      await rm(other, { recursive: true, force: true });
    }
  });

  it('has region counts in the files equal to the manifest (COS §6.3/6.4, STIS §7.1–7.4)', async () => {
    for (const f of eventFiles()) {
      const path = join(dir, 'ingest', f.file);
      if (f.instrument === 'COS') {
        const got = await cosCounts(path);
        assert.equal(got.length, f.regions.length, f.file);
        got.forEach((g, i) => {
          const r = f.regions[i];
          assert.equal(g.letter, r.letter);
          assert.equal(g.name, r.name);
          assert.deepEqual(g.y, r.y, `${f.file} ${r.letter} ${r.name} rows`);
          for (const k of ['selected', 'in_box', 'dq_rejected', 'airglow_rejected', 'wavelength_rejected'] as const) {
            assert.equal(g[k], r[k], `${f.file} ${r.letter} ${r.name} ${k}`);
          }
          assert.equal(Object.values(r.by_component).reduce((a, b) => a + b, 0), r.selected);
        });
      } else {
        const g = await stisCount(path);
        const r = f.regions[0];
        for (const k of ['selected', 'in_box', 'dq_rejected', 'airglow_rejected', 'wavelength_rejected'] as const) assert.equal(g[k], r[k], `${f.file} ${k}`);
      }
      const total = f.events!.components.reduce((a, c) => a + c.events, 0);
      assert.equal(total, f.events!.total);
    }
  });

  it('has every kind of rejection somewhere: DQ (SDQFLAGS and not), airglow, wavelength', () => {
    const sum = (k: 'dq_rejected' | 'airglow_rejected' | 'wavelength_rejected'): number => eventFiles().reduce((a, f) => a + f.regions.reduce((b, r) => b + r[k], 0), 0);
    assert.ok(sum('dq_rejected') > 0);
    assert.ok(sum('airglow_rejected') > 0);
    assert.ok(sum('wavelength_rejected') > 0);
    assert.ok(eventFiles().some((f) => f.events!.dq_benign > 0));
    assert.ok(eventFiles().some((f) => f.instrument === 'STIS' && f.regions[0].dq_rejected > 0));
    assert.ok(eventFiles().some((f) => f.events!.components.some((c) => c.kind === 'airglow' && c.line?.wavelength === 1215.67)));
    assert.ok(eventFiles().some((f) => f.events!.components.some((c) => c.kind === 'airglow' && c.line?.wavelength === 1304)));
  });

  it('has observed counts within 5σ of the Poisson expectation', () => {
    let checked = 0;
    for (const f of eventFiles()) {
      for (const r of [...f.regions, ...(f.corrected_regions ?? [])]) {
        if (r.expected === null) continue;
        const tol = 5 * Math.sqrt(Math.max(r.expected, 1)) + 1;
        assert.ok(Math.abs(r.selected - r.expected) <= tol, `${f.file} ${r.letter} ${r.name}: ${r.selected} vs ${r.expected.toFixed(1)}`);
        checked++;
        // The per-component selected rates reproduce the expectation: Σ rate_c · ∫ m_c dt.
        const fromRates = f.events!.components.reduce((a, c) => a + (r.selected_rates[c.name] / c.rate || 0) * c.expected, 0);
        assert.ok(Math.abs(fromRates - r.expected) <= 1e-9 * Math.max(1, r.expected), `${f.file} ${r.name}: ${fromRates} vs ${r.expected}`);
      }
      for (const r of f.corrected_regions ?? []) {
        if (r.weighted_expected === null) continue;
        // Corrected STIS: Σ ε of the selected events against its mean, σ² = Σ rate·ε² · ∫ m.
        const variance = f.events!.components.reduce((a, c) => a + (r.weighted_sq_rates[c.name] / c.rate || 0) * c.expected, 0);
        assert.ok(Math.abs(r.weighted - r.weighted_expected) <= 5 * Math.sqrt(Math.max(variance, 1)) + 1, `${f.file} ${r.sporder} ${r.name}: weighted ${r.weighted} vs ${r.weighted_expected}`);
      }
      if (f.bad === 'single') continue;
      for (const c of f.events!.components) {
        assert.ok(Math.abs(c.events - c.expected) <= 5 * Math.sqrt(Math.max(c.expected, 1)) + 1, `${f.file} ${c.name}: ${c.events} vs ${c.expected}`);
      }
    }
    assert.ok(checked > 100);
  });

  it('keeps events inside the GTIs and the exposure keywords consistent', async () => {
    for (const f of eventFiles()) {
      const { reader, cols } = await columns(join(dir, 'ingest', f.file), ['TIME']);
      const h1 = reader.hdus[1].header;
      const gti = await reader.readTable(2);
      await reader.close();
      const start = gti.columns.get('START')!.data as Float64Array;
      const stop = gti.columns.get('STOP')!.data as Float64Array;
      assert.deepEqual(Array.from(start).map((s, i) => [s, stop[i]]), f.good_time_intervals);
      assert.equal(h1.number('EXPTIME'), f.exptime);
      assert.equal(h1.number('EXPSTART'), f.expstart);
      assert.equal(h1.integer('NEVENTS'), f.events!.total);
      assert.ok(Math.abs(f.expend - (f.expstart + stop[stop.length - 1] / 86400)) < 1e-6);
      // COS TIME is float32: compare with the GTI bounds as float32 (rounding is monotonic).
      const time = cols.TIME;
      const cos = f.instrument === 'COS';
      for (let i = 0; i < time.length; i++) {
        assert.ok(
          f.good_time_intervals.some(([a, b]) => (cos ? time[i] >= Math.fround(a) && time[i] <= Math.fround(b) : time[i] >= a && time[i] < b)),
          `${f.file}: TIME ${time[i]} outside GTIs`,
        );
      }
    }
    assert.ok(eventFiles().some((f) => f.good_time_intervals.length > 1));
  });

  it('trips exactly the intended quality check in each bad file, none in the good ones', async () => {
    const reasons = {
      expflag: 'Bad EXPFLAG',
      nonlinear: 'Non-linear time',
      empty: 'No events',
      single: 'Singular event',
      short: 'Short Exposure',
      proposal: 'Bad Proposal',
    } as const;
    const checkOf = { expflag: 'expflag', nonlinear: 'linear', empty: 'no_events', single: 'not_singular', short: 'exptime', proposal: 'bad_proposal' } as const;
    const seen = new Set<string>();
    for (const f of eventFiles()) {
      const { reader, cols } = await columns(join(dir, 'ingest', f.file), ['TIME']);
      const h0 = reader.hdus[0].header;
      const h1 = reader.hdus[1].header;
      await reader.close();
      const checks = checksOf(cols.TIME, h1.string('EXPFLAG')!, h1.number('EXPTIME')!, h0.integer('PROPOSID')!);
      assert.deepEqual(checks, f.quality!.checks, f.file);
      const failing = Object.entries(checks).filter(([, v]) => v === 'fail').map(([k]) => k);
      if (f.bad) {
        assert.deepEqual(failing, [checkOf[f.bad]], `${f.file} (${f.bad})`);
        assert.equal(f.quality!.reason, reasons[f.bad]);
        assert.equal(f.quality!.ok, false);
        // The original's check_linear raises on an empty table (§3.2); nothing else errors.
        assert.equal(checks.linear === 'error', f.bad === 'empty');
        seen.add(f.bad);
      } else {
        assert.deepEqual(failing, [], f.file);
        assert.equal(checks.linear, 'pass');
        assert.equal(f.quality!.ok, true);
      }
    }
    assert.deepEqual([...seen].sort(), Object.keys(reasons).sort());
  });

  it('groups good files into composites of 2–5 members, with alias target spellings', () => {
    const multi = manifest.composites.filter((c) => c.members.length > 1);
    assert.ok(multi.length >= 6, `${multi.length} multi-member composites`);
    for (const c of manifest.composites) {
      assert.ok(c.members.length >= 1 && c.members.length <= 5, c.name);
      assert.deepEqual(c.members, [...c.members].sort());
      assert.equal(c.name, c.name.toLowerCase());
    }
    const byCanonical = new Map<string, Set<string>>();
    for (const f of manifest.files) {
      if (!byCanonical.has(f.canonical_target)) byCanonical.set(f.canonical_target, new Set());
      byCanonical.get(f.canonical_target)!.add(f.targname);
    }
    assert.deepEqual([...byCanonical.get('GD71')!].sort(), ['GD-71', 'GD71']);
    assert.deepEqual([...byCanonical.get('HD209458')!].sort(), ['HD-209458', 'HD209458']);
    const gd71 = manifest.composites.find((c) => c.name === 'hlsp_hstlc_hst_cos-fuv_gd71_g130m_1291_psa_v1_sci.fits')!;
    const spellings = new Set(gd71.members.map((m) => manifest.files.find((f) => f.file === m)!.targname));
    assert.ok(spellings.size === 2, 'a composite mixes alias spellings');
    // STIS members are named by the corrtag the pipeline will write; COS pairs by their _a file.
    assert.ok(manifest.composites.some((c) => c.members.some((m) => m.endsWith('_corrtag.fits') && m.startsWith('o'))));
    for (const c of manifest.composites) for (const m of c.members) assert.ok(!m.endsWith('_corrtag_b.fits') || !manifest.files.some((f) => f.file === m.replace('_b.fits', '_a.fits')));
  });

  it('passes fitsverify with 0 errors and 0 warnings', async (t) => {
    const skip = skipUnlessFitsverify();
    if (skip) return t.skip(skip);
    for (const f of await listFiles(dir)) {
      const r = fitsverify(join(dir, f));
      assert.ok(r.ok, `${f}: ${r.errors} errors, ${r.warnings} warnings\n${r.output.slice(-1500)}`);
    }
  });

  it('reads in astropy with the intended values', async (t) => {
    const skip = skipUnlessAstropy();
    if (skip) return t.skip(skip);
    const { stdout } = await run(PYTHON, [join(HERE, 'astropy_check.py'), dir], { maxBuffer: 64 << 20 });
    const py = JSON.parse(stdout) as {
      files: Record<string, any>;
      refs: Record<string, Array<{ name: string; type: string; shape: number[] | null }>>;
    };
    const corrtagFormats = ['1E', '1I', '1I', '1E', '1E', '1E', '1E', '1E', '1E', '1E', '1I', '1B'];
    for (const f of manifest.files) {
      const e = py.files[f.file];
      assert.ok(e, f.file);
      assert.equal(e.primary.TARGNAME, f.targname);
      assert.equal(e.primary.PROPOSID, f.proposid);
      assert.equal(e.primary.OPT_ELEM, f.opt_elem);
      assert.equal(e.primary.APERTURE, f.aperture);
      assert.equal(e.primary.EQUINOX, 2000);
      if (f.kind === 'stis_x1d') {
        assert.equal(e.x1d.rows, f.opt_elem.startsWith('E') ? 44 : 1);
        assert.equal(e.x1d.dtype_wavelength, '>f8');
        continue;
      }
      assert.equal(e.hdus[1].name, 'EVENTS');
      assert.equal(e.hdus[2].name, 'GTI');
      assert.equal(e.hdus[1].rows, f.events!.total);
      assert.equal(e.events.EXPFLAG, f.expflag);
      assert.equal(e.events.EXPTIME, f.exptime);
      assert.equal(e.events.SDQFLAGS, f.sdqflags);
      assert.deepEqual(e.gti, f.good_time_intervals);
      assert.deepEqual(e.checks, f.quality!.checks, f.file);
      if (f.instrument === 'COS') {
        assert.deepEqual(e.hdus[1].columns.map((c: { name: string }) => c.name), ['TIME', 'RAWX', 'RAWY', 'XCORR', 'YCORR', 'XDOPP', 'XFULL', 'YFULL', 'WAVELENGTH', 'EPSILON', 'DQ', 'PHA']);
        assert.deepEqual(e.hdus[1].columns.map((c: { format: string }) => c.format), corrtagFormats);
        assert.equal(e.dtypes.PHA, 'uint8');
        assert.equal(e.primary.CENWAVE, f.cenwave);
        if (f.detector === 'FUV') {
          assert.equal(e.fluxtab_rows, 1, `${f.file}: one FLUXTAB row`);
          assert.equal(e.tds.rows, 1);
          assert.ok(e.tds.time_before_expstart && e.tds.covers_selected, f.file);
          assert.deepEqual(e.tds.slope_shape, [8, 30]);
        } else if (f.obstype === 'SPECTROSCOPIC') {
          // §6.7: NUV primary SEGMENT is N/A, so no FLUXTAB row matches (unity calibration).
          assert.equal(e.fluxtab_rows, 0);
        }
      } else {
        assert.deepEqual(e.hdus[1].columns.map((c: { name: string; format: string }) => `${c.name}:${c.format}`), ['TIME:1D', 'AXIS1:1I', 'AXIS2:1I', 'DETAXIS1:1I']);
        assert.deepEqual(e.flats, { PFLTFILE: [2048, 2048], LFLTFILE: [2048, 2048] });
        // §7.4 corrected regions recomputed by numpy from the x1d, BPIXTAB and the flats.
        const corrected = f.corrected_regions!;
        assert.equal(e.corrected_regions.length, corrected.length, f.file);
        e.corrected_regions.forEach((r: Record<string, any>, i: number) => {
          const m = corrected[i];
          const at = `${f.file} order ${m.sporder} ${m.name}`;
          assert.equal(r.sporder, m.sporder, at);
          assert.equal(r.name, m.name, at);
          assert.deepEqual(r.y, m.y, at);
          for (const k of ['selected', 'in_box', 'dq_rejected', 'airglow_rejected', 'wavelength_rejected'] as const) assert.equal(r[k], m[k], `${at} ${k}`);
          assert.ok(Math.abs(r.weighted - m.weighted) <= 1e-9 * Math.max(1, m.weighted), `${at} weighted ${r.weighted} vs ${m.weighted}`);
        });
      }
      e.regions.forEach((r: Record<string, unknown>, i: number) => {
        const m = f.regions[i];
        for (const k of ['selected', 'in_box', 'dq_rejected', 'airglow_rejected', 'wavelength_rejected'] as const) assert.equal(r[k], m[k], `${f.file} ${m.letter} ${m.name} ${k}`);
        assert.deepEqual(r.y, m.y);
      });
    }
    const tds = Object.entries(py.refs).filter(([n]) => n.endsWith('_tds.fits'));
    assert.equal(tds.length, 2);
    for (const [n, hdus] of Object.entries(py.refs)) {
      if (n.endsWith('_pfl.fits') || n.endsWith('_lfl.fits')) assert.deepEqual(hdus.map((h) => h.name), ['PRIMARY', 'SCI', 'ERR', 'DQ']);
    }
  });
});
