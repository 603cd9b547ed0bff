/**
 * Hostile header values end to end: a file whose OPT_ELEM cannot name a composite is bad data with its
 * reason and the pipeline finishes stats and plots; a group whose recorded values still make an unsafe
 * composite name fails alone, by name; a hostile TARGNAME at a real target's position renames nothing,
 * whatever the ingest order, and is listed as a candidate pair.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FitsReader } from '../../src/fits/index.js';
import { runIngest } from '../../src/pipeline/index.js';
import { runPipeline, type PlotsStage } from '../../src/pipeline/pipeline.js';
import { collectStatus } from '../../src/pipeline/status.js';
import { cleanupHomes, keepGroups, replaceCard, withHome, tinyArchive, type Archive } from './helpers.js';

const HOSTILE = '<img src=x onerror=alert(4)>';

let archive: Archive;
before(async () => {
  archive = await tinyArchive();
});
after(cleanupHomes);

function plotsThatRan(ran: string[]): PlotsStage {
  return async () => {
    ran.push('plots');
    return { status: 'done', written: 0, unchanged: 0, failed: 0, site: null, elapsedMs: 0 };
  };
}

describe('hostile header values', () => {
  it(`puts a file with OPT_ELEM ${HOSTILE} in bad_data, and the pipeline runs stats and plots`, async () => {
    await withHome(archive, async (settings, handle) => {
      // GD71's G130M group: the pair below and the group's other exposures (one bad by EXPFLAG).
      keepGroups(settings.ingest_dir, /^lb9y/);
      // One of a COS FUV pair: the pair goes to bad_data together.
      const file = path.join(settings.ingest_dir, 'lb9y0108q_corrtag_a.fits');
      replaceCard(file, 'OPT_ELEM', `OPT_ELEM= '${HOSTILE}'`);
      const ran: string[] = [];
      const summary = await runPipeline(handle, { settings, plots: plotsThatRan(ran) });
      assert.deepEqual(summary.stages.map((s) => [s.stage, s.status]), [['ingest', 'ok'], ['stats', 'ok'], ['plots', 'ok']]);
      assert.deepEqual(ran, ['plots']);
      const bad = await handle.db.selectFrom('bad_data').select(['filename', 'reason']).where('filename', '=', 'lb9y0108q_corrtag_a.fits').execute();
      assert.deepEqual(bad, [{ filename: 'lb9y0108q_corrtag_a.fits', reason: 'Bad header: OPT_ELEM' }]);
      assert.ok(existsSync(path.join(settings.bad_data_dir, 'lb9y0108q_corrtag_a.fits')));
      assert.ok(existsSync(path.join(settings.bad_data_dir, 'lb9y0108q_corrtag_b.fits')));
      const rows = await handle.db.selectFrom('metadata').select(['filename', 'opt_elem']).execute();
      assert.ok(!rows.some((r) => r.filename.startsWith('lb9y0108q')));
      assert.ok(rows.every((r) => /^[A-Z0-9]+$/.test(r.opt_elem)));
      assert.equal(summary.totals.composites.failed, 0);
      // A second run has nothing left to stop at.
      const again = await runIngest(handle, { settings });
      assert.ok(again.ok);
    });
  });

  it('fails only the group whose recorded values make an unsafe composite name, by name', async () => {
    await withHome(archive, async (settings, handle) => {
      // AZV 148's group, whose first member is the victim below.
      keepGroups(settings.ingest_dir, /^lbal/);
      const first = await runIngest(handle, { settings });
      assert.ok(first.ok);
      // A row recorded before ingest checked header values (an older database).
      const victim = await handle.db.selectFrom('metadata').select(['id', 'targname']).where('filename', '=', 'lbal0108q_corrtag.fits').executeTakeFirstOrThrow();
      await handle.db.updateTable('metadata').set({ opt_elem: HOSTILE }).where('id', '=', victim.id).execute();
      await handle.db.updateTable('outputs').set({ composite_path: null, composite_filename: null }).where('metadata_id', '=', victim.id).execute();
      const ran: string[] = [];
      const summary = await runPipeline(handle, { settings, plots: plotsThatRan(ran) });
      assert.deepEqual(summary.stages.map((s) => [s.stage, s.status]), [['ingest', 'failed'], ['stats', 'ok'], ['plots', 'ok']]);
      assert.deepEqual(ran, ['plots']);
      assert.deepEqual(summary.totals.composites, { done: 0, failed: 1 });
      const failed = summary.ingest.composites.filter((c) => c.status === 'failed');
      assert.equal(failed.length, 1);
      assert.match(failed[0]!.name, /onerror=alert\(4\)/);
      assert.match(failed[0]!.reason ?? '', /not a safe directory or file name/);
      assert.deepEqual(failed[0]!.members.map((m) => path.basename(m)), ['lbal0108q_corrtag.fits']);
      assert.ok(!existsSync(path.join(settings.composite_dir, HOSTILE)));
    });
  });
});

describe('target names by position', () => {
  const ROOT = 'rf --no-preserve-root';
  const AZV = ['lbal0108q_corrtag.fits', 'lbal0206q_corrtag.fits'];

  /**
   * AZV 148's two exposures and a copy of one with TARGNAME `rf --no-preserve-root` (same RA_TARG and
   * DEC_TARG), named to sort before or after them, ingested in one run or in two (the copy's run first or last).
   */
  async function namesAfter(order: 'hostile-first' | 'hostile-last' | 'hostile-run-first' | 'hostile-run-last'): Promise<{ azv: string[]; hostile: string; candidates: string[][] }> {
    return withHome(archive, async (settings, handle) => {
      for (const f of readdirSync(settings.ingest_dir)) if (!AZV.includes(f)) rmSync(path.join(settings.ingest_dir, f));
      const name = order === 'hostile-last' ? 'lzzz0101q_corrtag.fits' : 'laaa0101q_corrtag.fits';
      const hostile = path.join(settings.ingest_dir, name);
      copyFileSync(path.join(settings.ingest_dir, AZV[0]!), hostile);
      replaceCard(hostile, 'TARGNAME', `TARGNAME= '${ROOT}'`);
      // Files held back from the first run wait beside ingest_dir.
      const hold = (files: string[]) => {
        for (const f of files) renameSync(path.join(settings.ingest_dir, f), path.join(settings.home_dir, f));
        return () => {
          for (const f of files) renameSync(path.join(settings.home_dir, f), path.join(settings.ingest_dir, f));
        };
      };
      if (order === 'hostile-run-first' || order === 'hostile-run-last') {
        const later = order === 'hostile-run-first' ? AZV : [name];
        const putBack = hold(later);
        assert.ok((await runIngest(handle, { settings })).ok);
        putBack();
      }
      const s = await runIngest(handle, { settings });
      assert.ok(s.ok, JSON.stringify(s.files.filter((f) => f.status !== 'done')));
      const rows = await handle.db.selectFrom('metadata').select(['filename', 'targname']).orderBy('filename').execute();
      const status = await collectStatus(handle, settings);
      return {
        azv: rows.filter((r) => AZV.includes(r.filename)).map((r) => r.targname),
        hostile: rows.find((r) => r.filename === name)!.targname,
        candidates: status.targetCandidates.map((c) => c.names),
      };
    });
  }

  it('renames nothing by position, the same whatever the ingest order, and lists the pair as a candidate', async () => {
    const canonical = archive.manifest.files.find((f) => f.file === AZV[0])!.canonical_target;
    const results = [];
    for (const order of ['hostile-first', 'hostile-last', 'hostile-run-first', 'hostile-run-last'] as const) results.push(await namesAfter(order));
    const first = results[0]!;
    assert.deepEqual(first.azv, [canonical, canonical]);
    assert.notEqual(first.hostile, canonical);
    assert.doesNotMatch(first.hostile, /[ /]/);
    assert.deepEqual(first.candidates, [[first.hostile, canonical].sort()]);
    for (const r of results.slice(1)) assert.deepEqual(r, first);
  });
});

describe('non-ASCII header text', () => {
  it('is written as ASCII with the original in HISTORY, and the files go through (COS, STIS tag)', async () => {
    await withHome(archive, async (settings, handle) => {
      // The two files and the other members of their composite groups (AZV 148; the STIS tags with their x1d).
      keepGroups(settings.ingest_dir, /^(lbal|o6a50)/);
      const targname = 'CAFÉ-ÅNGSTRÖM';
      const cos = path.join(settings.ingest_dir, 'lbal0108q_corrtag.fits');
      const stis = path.join(settings.ingest_dir, 'o6a501080_tag.fits');
      for (const f of [cos, stis]) replaceCard(f, 'TARGNAME', `TARGNAME= '${targname}'`);
      const s = await runIngest(handle, { settings });
      assert.ok(s.ok, JSON.stringify(s.files.filter((f) => f.status !== 'done' && f.status !== 'bad')));
      for (const f of [cos, stis]) {
        const r = s.files.find((x) => x.file === f)!;
        assert.equal(r.status, 'done', r.reason);
        const primaryOf = async (file: string) => {
          const fits = await FitsReader.open(file);
          const primary = fits.hdus[0]!.header;
          await fits.close();
          return primary;
        };
        assert.equal((await primaryOf(r.lightcurve!)).string('TARGNAME'), 'CAFE-ANGSTROM');
        // The original is kept by the first file written from it: the lightcurve, or a STIS tag's corrtag.
        const primary = await primaryOf(f === stis ? r.archived! : r.lightcurve!);
        assert.equal(primary.string('TARGNAME'), 'CAFE-ANGSTROM');
        const history = primary.cards.filter((c) => c.key === 'HISTORY').map((c) => String(c.value));
        assert.ok(history.includes("TARGNAME in the source header: 'CAF\\u00c9-\\u00c5NGSTR\\u00d6M'"), history.join('\n'));
        // The composite of its group was made too.
        const composite = s.composites.find((c) => c.members.some((m) => path.basename(m) === path.basename(r.archived!)));
        assert.equal(composite?.status, 'done', composite?.reason);
      }
    });
  });
});
