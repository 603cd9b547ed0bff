import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  badDataPath,
  fileDicts,
  filesToMove,
  gatherIngestFiles,
  individualDir,
  MetadataError,
  moveBadFile,
  moveFile,
  moveWithCompanions,
  resetFilesystem,
  targetDir,
  type ArchiveLayout,
} from '../../src/archive/index.js';
import { fuvPartnerOf, rootnameOf, x1dOf } from '../../src/hst/names.js';
import { connectDatabase, findOutputs, listMetadataFilenames, listStats, recordIngestedFile, upsertStats } from '../../src/db/index.js';
import { FitsReader, Header } from '../../src/fits/index.js';
import { resolveTarget } from '../../src/targets/index.js';
import { tempDir } from '../helpers/tools.js';

const INPUTS = new URL('../fixtures/golden/inputs/', import.meta.url).pathname;
const results = JSON.parse(readFileSync(new URL('../fixtures/golden/expected/results.json', import.meta.url), 'utf8')) as {
  files_to_ingest: string[];
  files: Array<{ file: string; dataset_ok: string; metadata?: Record<string, string | number> }>;
};

function layoutIn(root: string): ArchiveLayout {
  const d = (n: string) => path.join(root, n);
  const layout: ArchiveLayout = {
    homeDir: root,
    ingestDir: d('ingest'),
    filesystemDir: d('filesystem'),
    outputsDir: d('outputs'),
    compositeDir: d('outputs/composite'),
    badDataDir: d('bad_data'),
    protectedDirs: [root, d('ingest'), d('filesystem'), d('bad_data'), d('logs')],
  };
  for (const dir of [layout.ingestDir, layout.filesystemDir, layout.outputsDir, layout.badDataDir]) mkdirSync(dir, { recursive: true });
  return layout;
}

const tmp = tempDir();
after(tmp.cleanup);
let n = 0;
const fresh = () => layoutIn(path.join(tmp.dir, `case${n++}`));

describe('file names (§1.1, §1.3)', () => {
  it('take rootnames, FUV partners and x1d companions', () => {
    assert.equal(rootnameOf('/x/lb4m01a1q_corrtag_a.fits'), 'lb4m01a1q');
    assert.equal(fuvPartnerOf('/x/root_corrtag_b.fits'), '/x/root_corrtag_a.fits');
    assert.equal(fuvPartnerOf('/x/root_corrtag_a.fits'), '/x/root_corrtag_b.fits');
    // only the base name counts, not a directory that happens to contain "_a.fits"
    assert.equal(fuvPartnerOf('/odd_a.fits/root_corrtag_a.fits'), '/odd_a.fits/root_corrtag_b.fits');
    assert.equal(fuvPartnerOf('/x/root_corrtag.fits'), undefined);
    assert.equal(x1dOf('/x/o6a501030_tag.fits'), '/x/o6a501030_x1d.fits');
    assert.deepEqual(filesToMove('/i/r_corrtag_a.fits').map((f) => f.role), ['partner', 'x1d', 'event']);
  });
});

describe('gathering files to ingest (§1.4)', () => {
  it("takes the golden archive's files exactly as the original did", async () => {
    const layout = fresh();
    cpSync(INPUTS, layout.ingestDir, { recursive: true });
    const files = await gatherIngestFiles(layout.ingestDir);
    assert.deepEqual(files.map((f) => path.basename(f)), results.files_to_ingest);
    assert.ok(files.every((f) => path.isAbsolute(f)));
  });

  it('keeps a lone _b, skips hidden, partial and non-matching entries', async () => {
    const layout = fresh();
    for (const name of ['z_corrtag_b.fits', 'y_corrtag_a.fits', 'y_corrtag_b.fits', '.x_corrtag.fits', '.w_corrtag.fits.1.part', 'v_x1d.fits', 'u_tag.fits.gz', 'notes.txt', 't_tag.fits']) {
      writeFileSync(path.join(layout.ingestDir, name), '');
    }
    mkdirSync(path.join(layout.ingestDir, 'dir_tag.fits'));
    const files = await gatherIngestFiles(layout.ingestDir);
    assert.deepEqual(files.map((f) => path.basename(f)), ['t_tag.fits', 'y_corrtag_a.fits', 'z_corrtag_b.fits']);
  });
});

describe('moving files', () => {
  it('moves, replacing an existing destination atomically', async () => {
    const layout = fresh();
    const src = path.join(layout.ingestDir, 'a_corrtag.fits');
    const dst = path.join(layout.filesystemDir, 'T', 'a_corrtag.fits');
    mkdirSync(path.dirname(dst), { recursive: true });
    writeFileSync(src, 'new');
    writeFileSync(dst, 'old');
    assert.equal(await moveFile(src, dst), 'moved');
    assert.equal(readFileSync(dst, 'utf8'), 'new');
    assert.ok(!existsSync(src));
  });

  it('never deletes a destination it does not replace (§15.18)', async () => {
    const layout = fresh();
    const dst = path.join(layout.filesystemDir, 'T', 'r_corrtag_b.fits');
    mkdirSync(path.dirname(dst), { recursive: true });
    writeFileSync(dst, 'segment b, archived earlier');
    // only the _a segment arrives: the original deleted the archived _b here
    writeFileSync(path.join(layout.ingestDir, 'r_corrtag_a.fits'), 'segment a');
    const moved = await moveWithCompanions(path.join(layout.ingestDir, 'r_corrtag_a.fits'), path.dirname(dst));
    assert.deepEqual(moved.map((m) => [m.role, m.outcome]), [['partner', 'missing'], ['x1d', 'missing'], ['event', 'moved']]);
    assert.equal(readFileSync(dst, 'utf8'), 'segment b, archived earlier');
    assert.equal(await moveFile(path.join(layout.ingestDir, 'gone.fits'), dst), 'missing');
    assert.ok(existsSync(dst));
  });

  it('moves an event file with its FUV partner and x1d', async () => {
    const layout = fresh();
    for (const f of ['r_corrtag_a.fits', 'r_corrtag_b.fits', 'r_x1d.fits', 'other_x1d.fits']) writeFileSync(path.join(layout.ingestDir, f), f);
    const dest = targetDir(layout, 'WD0308-565');
    const moved = await moveWithCompanions(path.join(layout.ingestDir, 'r_corrtag_a.fits'), dest);
    assert.ok(moved.every((m) => m.outcome === 'moved'));
    assert.deepEqual(readdirSync(dest).sort(), ['r_corrtag_a.fits', 'r_corrtag_b.fits', 'r_x1d.fits']);
    assert.deepEqual(readdirSync(layout.ingestDir), ['other_x1d.fits']);
    // running it again (as after a crash) changes nothing and loses nothing
    const again = await moveWithCompanions(path.join(layout.ingestDir, 'r_corrtag_a.fits'), dest);
    assert.ok(again.every((m) => m.outcome === 'missing'));
    assert.equal(readdirSync(dest).length, 3);
  });

  it('a gzipped partner segment travels with its uncompressed event file', async () => {
    const layout = fresh();
    for (const f of ['g_corrtag_a.fits.gz', 'g_corrtag_b.fits', 'g_x1d.fits']) writeFileSync(path.join(layout.ingestDir, f), f);
    assert.deepEqual((await gatherIngestFiles(layout.ingestDir)).map((f) => path.basename(f)), ['g_corrtag_b.fits'], 'only §1.4 *tag*.fits names are taken');
    const dest = targetDir(layout, 'WD0308-565');
    const moved = await moveWithCompanions(path.join(layout.ingestDir, 'g_corrtag_b.fits'), dest);
    assert.deepEqual(moved.map((m) => [path.basename(m.src), m.outcome]), [['g_corrtag_a.fits.gz', 'moved'], ['g_x1d.fits', 'moved'], ['g_corrtag_b.fits', 'moved']]);
    assert.deepEqual(readdirSync(layout.ingestDir), []);
  });

  it('sends a bad file to bad_data_dir with its partner and x1d', async () => {
    const layout = fresh();
    for (const f of ['ld0q0103q_corrtag_a.fits', 'ld0q0103q_corrtag_b.fits', 'ld0q0103q_x1d.fits']) writeFileSync(path.join(layout.ingestDir, f), f);
    const moved = await moveBadFile(path.join(layout.ingestDir, 'ld0q0103q_corrtag_a.fits'), layout.badDataDir);
    assert.ok(moved.every((m) => m.outcome === 'moved'));
    assert.deepEqual(readdirSync(layout.badDataDir).sort(), ['ld0q0103q_corrtag_a.fits', 'ld0q0103q_corrtag_b.fits', 'ld0q0103q_x1d.fits']);
    assert.deepEqual(await gatherIngestFiles(layout.ingestDir), [], 'the lone _b is not left behind to be ingested');
  });

  it('falls back to copy + fsync + rename across filesystems (EXDEV)', async () => {
    const layout = fresh();
    const src = path.join(layout.ingestDir, 'x_corrtag.fits');
    const dst = path.join(layout.filesystemDir, 'T', 'x_corrtag.fits');
    const payload = Buffer.alloc(3 << 20, 7);
    writeFileSync(src, payload);
    let calls = 0;
    const exdev = async () => {
      calls += 1;
      throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
    };
    assert.equal(await moveFile(src, dst, { rename: exdev }), 'moved');
    assert.equal(calls, 1);
    assert.deepEqual(readFileSync(dst), payload);
    assert.ok(!existsSync(src));
    assert.deepEqual(readdirSync(path.dirname(dst)), ['x_corrtag.fits'], 'no temporary file left behind');
  });

  it('moves for real between /dev/shm and the temp directory when they are different filesystems', async (t) => {
    if (!existsSync('/dev/shm') || statSync('/dev/shm').dev === statSync(tmp.dir).dev) return t.skip('no second filesystem');
    const src = path.join('/dev/shm', `hstlc-${process.pid}-${Date.now()}.fits`);
    writeFileSync(src, 'across');
    const dst = path.join(tmp.dir, 'across', 'a.fits');
    assert.equal(await moveFile(src, dst), 'moved');
    assert.equal(readFileSync(dst, 'utf8'), 'across');
    assert.ok(!existsSync(src));
  });
});

describe('layout', () => {
  it('places files under the configured directories and refuses unsafe components', () => {
    const layout = fresh();
    assert.equal(targetDir(layout, 'GD71'), path.join(layout.filesystemDir, 'GD71'));
    assert.equal(individualDir(layout, 'GD71'), path.join(layout.outputsDir, 'GD71'));
    assert.equal(badDataPath(layout, '/i/x_corrtag.fits'), path.join(layout.badDataDir, 'x_corrtag.fits'));
    for (const bad of ['..', '.', 'a/b', '', '../x']) assert.throws(() => targetDir(layout, bad), /not a safe/);
  });
});

describe('metadata from headers (§5.3)', () => {
  it('equals the original metadata row for every golden file that passed', async () => {
    const layout = fresh();
    const passing = results.files.filter((f) => f.metadata);
    assert.equal(passing.length, 17); // 22 gathered files, 5 of them bad
    for (const f of passing) {
      const fits = await FitsReader.open(path.join(INPUTS, f.file), { maxHdus: 1 });
      const primary = fits.hdus[0]!.header;
      await fits.close();
      const targname = resolveTarget(primary.string('TARGNAME') ?? '').canonical;
      const dicts = fileDicts(primary, layout, { filename: f.file, targname, ingestDate: '2026-11-25' });
      const { path: p, ingest_date, ...row } = dicts.metadata;
      assert.deepEqual(row, f.metadata, f.file);
      assert.equal(p, path.join(layout.filesystemDir, String(f.metadata!.targname)));
      assert.equal(ingest_date, '2026-11-25');
      assert.deepEqual(dicts.output, { individual_path: path.join(layout.outputsDir, targname), individual_filename: `${rootnameOf(f.file)}_curve.fits` });
    }
  });

  it('names missing keywords and refuses unknown instruments and observation types', () => {
    const layout = fresh();
    const h = new Header();
    h.set('TELESCOP', 'HST').set('INSTRUME', 'COS').set('OBSTYPE', 'SPECTROSCOPIC').set('APERTURE', 'PSA').set('DETECTOR', 'FUV').set('OPT_ELEM', 'G130M').set('CAL_VER', '3.0');
    assert.throws(() => fileDicts(h, layout, { filename: 'x_corrtag_a.fits', targname: 'T', ingestDate: '2026-01-01' }), (e: unknown) => e instanceof MetadataError && /CENWAVE, FPPOS/.test(e.message));
    h.set('CENWAVE', 1291).set('FPPOS', 3);
    assert.equal(fileDicts(h, layout, { filename: 'x_corrtag_a.fits', targname: 'T', ingestDate: '2026-01-01' }).metadata.cenwave, 1291);
    h.set('OBSTYPE', 'IMAGING');
    assert.equal(fileDicts(h, layout, { filename: 'x_corrtag_a.fits', targname: 'T', ingestDate: '2026-01-01' }).metadata.cenwave, 0);
    h.set('OBSTYPE', 'ACQ');
    assert.throws(() => fileDicts(h, layout, { filename: 'x', targname: 'T', ingestDate: '2026-01-01' }), /OBSTYPE 'ACQ'/);
    h.set('OBSTYPE', 'IMAGING').set('INSTRUME', 'WFC3');
    assert.throws(() => fileDicts(h, layout, { filename: 'x', targname: 'T', ingestDate: '2026-01-01' }), /INSTRUME 'WFC3'/);
    h.set('INSTRUME', 'STIS').set('CENWAVE', 'abc');
    assert.equal(fileDicts(h, layout, { filename: 'o_tag.fits', targname: 'T', ingestDate: '2026-01-01' }).metadata.fppos, 0);
    h.set('OBSTYPE', 'SPECTROSCOPIC');
    assert.throws(() => fileDicts(h, layout, { filename: 'o_tag.fits', targname: 'T', ingestDate: '2026-01-01' }), /CENWAVE = "abc" is not an integer/);
    // a hostile name never reaches a path
    assert.throws(() => fileDicts(h, layout, { filename: 'o_tag.fits', targname: '../x', ingestDate: '2026-01-01' }));
  });
});

describe('hostile target names', () => {
  it('always land in one safe directory directly under filesystem_dir and outputs_dir', () => {
    const layout = fresh();
    const h = new Header();
    h.set('TELESCOP', 'HST').set('INSTRUME', 'STIS').set('OBSTYPE', 'IMAGING').set('APERTURE', '25MAMA').set('DETECTOR', 'FUV-MAMA').set('OPT_ELEM', 'MIRROR').set('CAL_VER', '3.4');
    const seen = new Set<string>();
    for (const targname of ['../../etc', '..', '.', '/abs/path', `O'REILLY"; drop table metadata;--`, '<script>alert(1)</script>', '', ' ', 'a\\b', 'x\u0007y', 'NUL\u0000']) {
      const { canonical } = resolveTarget(targname);
      const dicts = fileDicts(h, layout, { filename: 'o_tag.fits', targname: canonical, ingestDate: '2026-01-01' });
      assert.equal(path.dirname(dicts.metadata.path), layout.filesystemDir, JSON.stringify(targname));
      assert.equal(path.dirname(dicts.output.individual_path), layout.outputsDir);
      assert.ok(dicts.metadata.targname.length <= 30);
      seen.add(canonical);
    }
    // '' and ' ' are both "no name" and share one; every other hostile name gets its own directory
    assert.equal(seen.size, 10);
  });
});

describe('reset-filesystem (§13.1)', () => {
  it('moves files back, removes target and output directories, and brings the database in line', async () => {
    const layout = fresh();
    const gd = targetDir(layout, 'GD71');
    const wd = targetDir(layout, 'WD0308-565');
    mkdirSync(gd, { recursive: true });
    mkdirSync(wd, { recursive: true });
    writeFileSync(path.join(gd, 'lb9y0102q_corrtag.fits'), 'archived');
    writeFileSync(path.join(wd, 'lc7a0101q_corrtag_a.fits'), 'archived a');
    writeFileSync(path.join(wd, 'lc7a0101q_corrtag_b.fits'), 'archived b');
    writeFileSync(path.join(wd, 'notes.txt'), 'keep me');
    // the ingest copy wins over the archived one
    writeFileSync(path.join(layout.ingestDir, 'lc7a0101q_corrtag_b.fits'), 'fresh b');
    mkdirSync(path.join(layout.outputsDir, 'GD71'), { recursive: true });
    writeFileSync(path.join(layout.outputsDir, 'GD71', 'lb9y0102q_curve.fits'), 'lc');
    mkdirSync(layout.compositeDir, { recursive: true });
    writeFileSync(path.join(layout.compositeDir, 'hlsp.fits'), 'c');
    writeFileSync(path.join(layout.outputsDir, 'stray.txt'), 's');
    mkdirSync(path.join(layout.outputsDir, 'logs'), { recursive: true });
    layout.protectedDirs.push(path.join(layout.outputsDir, 'logs'));

    const handle = await connectDatabase({ dialect: 'sqlite', path: path.join(layout.homeDir, 'hstlc.db'), params: {} });
    try {
      const base = { ingest_date: '2026-01-01', telescop: 'HST', instrume: 'COS', cal_ver: '3', obstype: 'SPECTROSCOPIC', cenwave: 1291, aperture: 'PSA', detector: 'FUV', opt_elem: 'G130M', fppos: 1 };
      await recordIngestedFile(handle, { metadata: { ...base, filename: 'lb9y0102q_corrtag.fits', path: gd, targname: 'GD71' }, output: { individual_path: path.join(layout.outputsDir, 'GD71'), individual_filename: 'lb9y0102q_curve.fits' } });
      await recordIngestedFile(handle, { metadata: { ...base, filename: 'lc7a0101q_corrtag_a.fits', path: wd, targname: 'WD0308-565' } });
      // a file that stays archived elsewhere keeps its rows, but loses the pointer to its deleted lightcurve
      const keep = targetDir(layout, 'KEEP');
      const kept = await recordIngestedFile(handle, { metadata: { ...base, filename: 'kept_corrtag.fits', path: path.join(layout.homeDir, 'elsewhere'), targname: 'KEEP' }, output: { individual_path: path.join(layout.outputsDir, 'KEEP'), individual_filename: 'kept_curve.fits' } });
      mkdirSync(path.join(layout.homeDir, 'elsewhere'));
      writeFileSync(path.join(layout.homeDir, 'elsewhere', 'kept_corrtag.fits'), 'k');
      await upsertStats(handle.db, handle.dialect, { lightcurve_path: path.join(layout.outputsDir, 'GD71'), lightcurve_filename: 'lb9y0102q_curve.fits', total: 1, mean: 1, mu: 1, stdev: 1, poisson_factor: 1, pearson_r: 1, pearson_p: 1 });

      const lines: string[] = [];
      const report = await resetFilesystem(layout, { db: handle, onLine: (l) => lines.push(l) });
      assert.deepEqual(readdirSync(layout.ingestDir).sort(), ['lb9y0102q_corrtag.fits', 'lc7a0101q_corrtag_a.fits', 'lc7a0101q_corrtag_b.fits']);
      assert.equal(readFileSync(path.join(layout.ingestDir, 'lc7a0101q_corrtag_b.fits'), 'utf8'), 'fresh b');
      assert.equal(report.moved.length, 2);
      assert.deepEqual(report.deleted, [path.join(wd, 'lc7a0101q_corrtag_b.fits')]);
      assert.deepEqual(report.removedDirs, [gd]);
      assert.deepEqual(report.keptDirs, [wd]);
      assert.ok(existsSync(path.join(wd, 'notes.txt')));
      assert.deepEqual(readdirSync(layout.outputsDir), ['logs']);
      assert.equal(report.keptOutputs[0]!.path, path.join(layout.outputsDir, 'logs'));
      assert.ok(lines.includes(`\tMoved ${path.join(gd, 'lb9y0102q_corrtag.fits')} to ${layout.ingestDir}`));
      assert.deepEqual(await listMetadataFilenames(handle.db), ['kept_corrtag.fits']);
      assert.equal(report.forgottenFiles, 2);
      assert.equal(report.forgottenStats, 1);
      assert.deepEqual(await listStats(handle.db), []);
      const out = await findOutputs(handle.db, kept.metadataId);
      assert.equal(out?.individual_filename, null);
      assert.ok(!existsSync(keep));
    } finally {
      await handle.close();
    }
  });
});
