/**
 * Ingest beyond the clean archive: hostile input (malformed FITS, a missing keyword, a TARGNAME that
 * tries to leave its directory), a reset-filesystem round trip, `--corrtag-extract`, and the CLI.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { layoutFromSettings, resetFilesystem } from '../../src/archive/index.js';
import { FitsReader } from '../../src/fits/index.js';
import type { HstlcSettings } from '../../src/config/types.js';
import { connectDatabase, listTargetNames, type HstlcDb } from '../../src/db/index.js';
import { runIngest, type IngestSummary } from '../../src/pipeline/index.js';
import { cleanupSandboxes, run, runArgv, sandbox } from '../cli/helpers.js';
import { cleanupHomes, homeFor, replaceCard, withHome, listTree, snapshot, tableDigest, tinyArchive, type Archive, type Snapshot } from './helpers.js';
import { extractFile } from '../../src/hst/extract.js';
import { algorithmParams } from '../../src/lightcurve/algorithm.js';
import { writeIndividual } from '../../src/lightcurve/individual.js';

let archive: Archive;
before(async () => {
  archive = await tinyArchive();
});
after(async () => {
  cleanupHomes();
  await cleanupSandboxes();
});

/** Leave only `keep` in ingest_dir: a check about one file or one step needs no whole archive. */
function keepOnly(ingestDir: string, keep: readonly string[]): void {
  for (const f of readdirSync(ingestDir)) if (!keep.includes(f)) rmSync(path.join(ingestDir, f));
  assert.deepEqual(readdirSync(ingestDir).sort(), [...keep].sort());
}

describe('ingest of hostile input', () => {
  it('reports malformed files by name, leaves them in ingest_dir, and goes on with the rest', async () => {
    await withHome(archive, async (settings, handle) => {
      writeFileSync(path.join(settings.ingest_dir, 'zzzz0001q_corrtag.fits'), 'SIMPLE  =                    T / not really\n');
      const truncated = path.join(settings.ingest_dir, 'zzzz0002q_corrtag.fits');
      copyFileSync(path.join(settings.ingest_dir, 'lcah0206q_corrtag.fits'), truncated);
      truncateSync(truncated, 2880 * 3 + 100);
      // A good file without OBSTYPE: the metadata cannot be made (§5.3).
      const noObstype = path.join(settings.ingest_dir, 'lb6k0108q_corrtag.fits');
      replaceCard(noObstype, 'OBSTYPE', 'COMMENT   OBSTYPE removed by the test');

      const s = await runIngest(handle, { settings });
      const failed = s.files.filter((f) => f.status === 'failed');
      assert.deepEqual(failed.map((f) => path.basename(f.file)).sort(), ['lb6k0108q_corrtag.fits', 'zzzz0001q_corrtag.fits', 'zzzz0002q_corrtag.fits']);
      for (const f of failed) assert.match(f.reason ?? '', /\S/);
      assert.match(failed.find((f) => f.file === noObstype)!.reason!, /OBSTYPE/);
      assert.match(failed.find((f) => f.file.endsWith('zzzz0002q_corrtag.fits'))!.reason!, /zzzz0002q_corrtag\.fits/);
      assert.equal(s.ok, false);
      assert.deepEqual(listTree(settings.ingest_dir), ['lb6k0108q_corrtag.fits', 'zzzz0001q_corrtag.fits', 'zzzz0002q_corrtag.fits']);
      // The rest went through; no row names a failed file.
      assert.equal(s.counts.done, 21);
      const names = (await handle.db.selectFrom('metadata').select('filename').execute()).map((r) => r.filename);
      assert.ok(!names.some((n) => n.startsWith('zzzz') || n.startsWith('lb6k')));
      assert.equal(s.composites.length, 11, 'the SK6522 group has no member, so no composite');
    });
  });

  it('keeps a TARGNAME with ../, quotes and markup inside filesystem_dir and records the mapping', async () => {
    await withHome(archive, async (settings, handle) => {
      // The file is the one member of its composite group (SK6522): the rest of the archive adds nothing here.
      keepOnly(settings.ingest_dir, ['lb6k0108q_corrtag.fits']);
      const file = path.join(settings.ingest_dir, 'lb6k0108q_corrtag.fits');
      const hostile = `../<script>x'y`;
      replaceCard(file, 'TARGNAME', `TARGNAME= '../<script>x''y'`);
      const s = await runIngest(handle, { settings });
      assert.ok(s.ok, JSON.stringify(s.files.filter((f) => f.status === 'failed')));
      const row = await handle.db.selectFrom('metadata').selectAll().where('filename', '=', 'lb6k0108q_corrtag.fits').executeTakeFirstOrThrow();
      // One plain path component: no separator, no markup or quotes, not hidden, not `..`.
      assert.doesNotMatch(row.targname, /[/\\<>'"]|^[.-]/);
      assert.equal(path.basename(row.targname), row.targname);
      assert.equal(row.path, path.join(settings.filesystem_dir, row.targname));
      assert.ok(existsSync(path.join(settings.filesystem_dir, row.targname, 'lb6k0108q_corrtag.fits')));
      assert.ok(existsSync(path.join(settings.outputs_dir, row.targname, 'lb6k0108q_curve.fits')));
      // Nothing was written outside the configured directories.
      // Only the hostile name's own markup counts: the shared temporary folder holds other programs' entries.
      assert.deepEqual(readdirSync(path.dirname(settings.home_dir)).filter((p) => /<script>|x'y/i.test(p)), []);
      const allowed = /^(ingest|filesystem|outputs|bad_data|ref)\/|^hstlc\.db/;
      assert.deepEqual(listTree(settings.home_dir).filter((p) => !allowed.test(p)), []);
      const mapping = (await listTargetNames(handle.db)).find((t) => t.header_name === hostile);
      assert.equal(mapping?.canonical, row.targname);
      assert.equal(mapping?.method, 'sanitized');
      const composite = s.composites.find((c) => c.members.some((m) => m.endsWith('lb6k0108q_corrtag.fits')))!;
      assert.equal(composite.status, 'done');
      assert.ok(existsSync(path.join(settings.composite_dir, composite.name)));
    });
  });
});

describe('leftovers of a killed run', () => {
  it('removes half-written composites of a process that is gone, and keeps those of live ones', async () => {
    await withHome(archive, async (settings, handle) => {
      // The composite step (which removes them) runs for any ingest; one file is enough to reach it.
      keepOnly(settings.ingest_dir, ['lbal0108q_corrtag.fits']);
      const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
      mkdirSync(settings.composite_dir, { recursive: true });
      const stale = path.join(settings.composite_dir, `.hlsp_x_v1_sci.fits.${gone}.0badc0de.part`);
      const live = path.join(settings.composite_dir, `.hlsp_y_v1_sci.fits.${process.pid}.0badc0de.part`);
      writeFileSync(stale, 'half');
      writeFileSync(live, 'being written');
      await runIngest(handle, { settings });
      assert.equal(existsSync(stale), false);
      assert.equal(existsSync(live), true);
    });
  });
});

/**
 * One ingest of the clean archive, then what is checked against it in order: its individual lightcurves
 * against `hstlc extract`; a reset and re-ingest ending in the same state; then, from that state again,
 * a reset and an ingest of corrtags only with --corrtag-extract.
 */
describe('one ingest of the clean archive', () => {
  let settings: HstlcSettings;
  let handle: HstlcDb;
  let first: IngestSummary;
  let clean: Snapshot;
  let originals: string;
  before(async () => {
    ({ settings } = homeFor(archive));
    handle = await connectDatabase(settings.db);
    originals = path.join(settings.home_dir, 'originals');
    cpSync(settings.ingest_dir, originals, { recursive: true });
    first = await runIngest(handle, { settings });
    clean = await snapshot(settings, handle);
  });
  after(async () => {
    await handle.close();
  });

  it('ingests every good file', () => {
    assert.ok(first.ok, JSON.stringify(first.files.filter((f) => f.status === 'failed')));
  });

  it('its individual lightcurves equal what `hstlc extract` makes of the same files (COS pair, COS NUV, STIS tag via its corrtag)', async () => {
    const opts = { step: settings.step, algorithm: algorithmParams(settings.algorithm), refs: { env: {}, refDir: settings.ref_dir } };
    for (const [file, target] of [['lb9y0108q_corrtag_a.fits', 'GD71'], ['lbal0108q_corrtag.fits', 'AZV148'], ['o6a501080_tag.fits', 'XTEJ1118+480']] as const) {
      const { lightcurve } = await extractFile(path.join(originals, file), opts);
      const direct = path.join(originals, `${file.split('_')[0]}_direct_curve.fits`);
      await writeIndividual(direct, lightcurve);
      const ingested = path.join(settings.outputs_dir, target, `${file.split('_')[0]}_curve.fits`);
      assert.equal(await tableDigest(ingested), await tableDigest(direct), file);
    }
  });

  it('re-ingests what a reset brought back (STIS tag and its corrtag both) to the same end state', async () => {
    const report = await resetFilesystem(layoutFromSettings(settings), { db: handle });
    assert.equal(report.failures.length, 0);
    assert.ok(listTree(settings.ingest_dir).includes('o6a501080_corrtag.fits'));
    assert.ok(listTree(settings.ingest_dir).includes('o6a501080_tag.fits'));
    const again = await runIngest(handle, { settings });
    assert.ok(again.ok);
    assert.equal(again.counts.done, first.counts.done, 'the corrtag beside its tag is not a file of its own');
    assert.deepEqual(await snapshot(settings, handle), clean);
  });

  it('re-derives STIS corrtags found in ingest_dir only with --corrtag-extract', async () => {
    // From the clean end state (the re-ingest above ends in it; checked here as well).
    assert.deepEqual(await snapshot(settings, handle), clean);
    await resetFilesystem(layoutFromSettings(settings), { db: handle });
    // As the original archive: corrtags only (its ingest deleted the tags).
    for (const f of listTree(settings.ingest_dir)) if (f.endsWith('_tag.fits')) rmSync(path.join(settings.ingest_dir, f));
    const corrtag = path.join(settings.ingest_dir, 'o6a501080_corrtag.fits');
    const genDate = async (p: string): Promise<string> => {
      const f = await FitsReader.open(p, { maxHdus: 1 });
      await f.close();
      return String(f.hdus[0]!.header.get('GEN_DATE'));
    };
    const before = await genDate(corrtag);
    await new Promise((r) => setTimeout(r, 5));
    const s: IngestSummary = await runIngest(handle, { settings, corrtagExtract: true });
    assert.ok(s.ok);
    const archived = path.join(settings.filesystem_dir, 'XTEJ1118+480', 'o6a501080_corrtag.fits');
    assert.notEqual(await genDate(archived), before, 're-derived');
    const after = await snapshot(settings, handle);
    // Same rows and products; the archive just lacks the tag files.
    assert.deepEqual(after.metadata, clean.metadata);
    assert.deepEqual(after.outputs, clean.outputs);
    assert.deepEqual(after.productDigests, clean.productDigests);
    assert.deepEqual(after.trees.filesystem, clean.trees.filesystem.filter((f) => !f.endsWith('_tag.fits')));
  });
});

describe('hstlc ingest (CLI)', () => {
  async function configured(keep?: readonly string[]) {
    const dirs = await sandbox();
    const home = path.join(dirs.cwd, 'hstlc-home');
    const config = path.join(dirs.cwd, 'hstlc.yaml');
    await writeFile(config, `home_dir: ${home}\nnum_cores: 1\nfile_time_limit: 0\nbad_proposals: [${archive.manifest.bad_proposals.join(', ')}]\n`);
    const { settings } = homeFor(archive);
    cpSync(settings.ingest_dir, path.join(home, 'ingest'), { recursive: true });
    if (keep !== undefined) keepOnly(path.join(home, 'ingest'), keep);
    return { ...dirs, home };
  }

  it('prints a JSON summary, logs to log_dir, and exits 0; the original name works too', async () => {
    const s = await configured();
    const r = await run(['--json', 'ingest'], s);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as IngestSummary;
    assert.equal(summary.counts.done, 22);
    assert.equal(summary.counts.bad, 6);
    assert.equal(summary.compositeCounts.done, archive.manifest.composites.length);
    assert.equal(listTree(path.join(s.home, 'logs')).filter((f) => /^ingest_.*\.log$/.test(f)).length, 1);
    const alias = await runArgv(['node', '/usr/local/bin/ingest_hstlc', '-corrtag_extract'], s);
    assert.equal(alias.code, 0, alias.stderr);
    assert.match(alias.stdout, /files\s+0 done, 0 bad, 0 failed, 0 skipped/);
  });

  it('exits 1 and names the file when one fails', async () => {
    // One good file beside the bad one: the exit code and the message need no whole archive.
    const s = await configured(['lbal0108q_corrtag.fits']);
    writeFileSync(path.join(s.home, 'ingest', 'zzzz0001q_corrtag.fits'), 'garbage');
    const r = await run(['ingest'], s);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /failed\s+zzzz0001q_corrtag\.fits: /);
    assert.match(r.stderr, /Failed to ingest .*zzzz0001q_corrtag\.fits/);
  });
});

/** Rows of metadata, counted by Python's sqlite3 (not by hstlc's database layer). */
function metadataRows(db: string): number {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from metadata").fetchone()[0])', db], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim());
}

describe('ingest of a file ingested before', () => {
  const FILE = 'lbal0108q_corrtag.fits';

  it('re-ingesting an identical file says it replaced the earlier record (log and summary), one metadata row', { timeout: 10 * 60_000 }, async () => {
    const dirs = await sandbox();
    const home = path.join(dirs.cwd, 'home');
    mkdirSync(path.join(home, 'ingest'), { recursive: true });
    cpSync(path.join(archive.dir, 'ref'), path.join(home, 'ref'), { recursive: true });
    copyFileSync(path.join(archive.dir, 'ingest', FILE), path.join(home, 'ingest', FILE));
    await writeFile(path.join(dirs.cwd, 'hstlc.yaml'), `home_dir: ${home}\nnum_cores: 1\nfile_time_limit: 0\n`);

    const first = await run(['ingest'], dirs);
    assert.equal(first.code, 0, first.stderr);
    assert.doesNotMatch(first.stdout + first.stderr, /replaced/);
    const today = new Date().toISOString().slice(0, 10);

    // The same bytes again (the generator's copy), as a user re-copying a download would.
    copyFileSync(path.join(archive.dir, 'ingest', FILE), path.join(home, 'ingest', FILE));
    const again = await run(['ingest'], dirs);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, new RegExp(`^info  \\t${FILE.replace('.', '\\.')}: replaced the earlier record \\(ingested ${today}; the file is identical to the archived copy\\)$`, 'm'), again.stderr);
    assert.match(again.stdout, new RegExp(`^replaced {4}1 earlier record\\(s\\), ingested again: ${FILE.replace('.', '\\.')}$`, 'm'), again.stdout);
    assert.equal(metadataRows(path.join(home, 'hstlc.db')), 1);
  });
});
