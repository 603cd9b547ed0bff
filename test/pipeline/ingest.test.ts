/**
 * The ingest stage end to end on the tiny synthetic archive, against the manifest's truth (verdicts,
 * canonical targets, composite groups): files on disk, rows in every table, re-runs, crashes (thrown
 * and SIGKILL) followed by a re-run, and one vs two cores.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { pngSize } from '../../src/plots/render.js';
import { LIGHTCURVE_SIZE } from '../../src/plots/charts/lightcurve.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { connectDatabase, listBadData, recentRuns, tableCounts, type HstlcDb } from '../../src/db/index.js';
import type { HstlcSettings } from '../../src/config/types.js';
import { HomeLockedError, lockHome } from '../../src/archive/home-lock.js';
import { runStage } from '../../src/pipeline/stage.js';
import { IngestAborted, collectingLogger, ingestStage, runIngest, type IngestStep, type IngestSummary } from '../../src/pipeline/index.js';
import type { ArchiveManifest, FileTruth } from '../../src/synthetic/index.js';
import { DIALECTS, type TestDatabase } from '../db/dialects.js';
import { cleanupHomes, homeFor, keepGroups, listTree, snapshot, tinyArchive, type Archive, type Snapshot } from './helpers.js';

let archive: Archive;
before(async () => {
  archive = await tinyArchive();
});
after(cleanupHomes);

const good = (m: ArchiveManifest): FileTruth[] => m.files.filter((f) => f.ingested && f.quality?.ok === true);
const bad = (m: ArchiveManifest): FileTruth[] => m.files.filter((f) => f.ingested && f.quality !== null && !f.quality.ok);
const archivedName = (f: FileTruth): string => (f.kind === 'stis_tag' ? f.file.replace('_tag.fits', '_corrtag.fits') : f.file);
const curveOf = (f: FileTruth): string => `${f.rootname}_curve.fits`;

/** What the manifest says the archive must look like after ingest. */
function expectedTrees(m: ArchiveManifest): Snapshot['trees'] {
  const filesystem: string[] = [];
  const outputs: string[] = [];
  for (const f of good(m)) {
    for (const name of new Set([f.file, archivedName(f), ...f.companions])) filesystem.push(`${f.canonical_target}/${name}`);
    outputs.push(`${f.canonical_target}/${curveOf(f)}`);
    // Issue 7: the quicklook PNG beside each individual lightcurve.
    outputs.push(`${f.canonical_target}/${f.rootname}_curve.png`);
  }
  for (const c of m.composites) outputs.push(`composite/${c.name}`);
  const badData = bad(m).flatMap((f) => [f.file, ...f.companions]);
  return { ingest: [], filesystem: filesystem.sort(), outputs: outputs.sort(), bad_data: badData.sort() };
}

async function ingest(settings: HstlcSettings, handle: HstlcDb, extra: Partial<Parameters<typeof runIngest>[1]> = {}): Promise<IngestSummary> {
  return runIngest(handle, { settings, ...extra });
}

for (const dialect of DIALECTS) {
  describe(`ingest of the tiny archive on ${dialect.name}`, { skip: dialect.skip }, () => {
    let testDb: TestDatabase | undefined;
    let handle: HstlcDb;
    let settings: HstlcSettings;
    let first: IngestSummary;

    before(async () => {
      const db = dialect.name === 'sqlite' ? undefined : (testDb = await dialect.create()).info;
      settings = homeFor(archive, db !== undefined ? { db } : {}).settings;
      handle = await connectDatabase(settings.db);
    });
    after(async () => {
      await handle?.close();
      await testDb?.drop();
    });

    it('quarantines the bad files with the manifest reasons and archives the good ones', async () => {
      const log = collectingLogger();
      first = await ingest(settings, handle, { logger: log });
      const m = archive.manifest;
      assert.equal(first.counts.done, good(m).length);
      assert.equal(first.counts.bad, bad(m).length);
      assert.equal(first.counts.failed, 0, JSON.stringify(first.files.filter((f) => f.status === 'failed')));
      assert.ok(first.ok);

      // STIS lightcurves were extracted with the x1d's box (the x1d was found beside the corrtag).
      for (const f of first.files) assert.ok(!(f.warnings ?? []).some((w) => /no x1d/.test(w)), `${f.file}: ${f.warnings?.join('; ')}`);

      // Files on disk: exactly what the manifest implies, nothing left in ingest, no leftovers.
      const expected = expectedTrees(m);
      assert.deepEqual(listTree(settings.ingest_dir), expected.ingest);
      assert.deepEqual(listTree(settings.filesystem_dir), expected.filesystem);
      assert.deepEqual(listTree(settings.outputs_dir), expected.outputs);
      for (const f of first.files.filter((x) => x.status === 'done')) {
        assert.ok(f.quicklook !== undefined && existsSync(f.quicklook), `${f.file}: quicklook`);
        assert.deepEqual(pngSize(readFileSync(f.quicklook)), LIGHTCURVE_SIZE);
      }
      assert.deepEqual(listTree(settings.bad_data_dir), expected.bad_data);
      assert.deepEqual(listTree(path.join(settings.home_dir, '.hstlc-journal')), []);
      assert.equal(existsSync(path.join(settings.home_dir, '.hstlc-staging', 'ingest')), false);

      // bad_data rows: one per bad file, with the reason the manifest states.
      const rows = await listBadData(handle.db);
      assert.deepEqual(
        rows.map((r) => [r.filename, r.reason]).sort(),
        bad(m).map((f) => [f.file, f.quality!.reason]).sort(),
      );
      for (const f of bad(m)) assert.ok(log.lines.some((l) => l.message.includes(`Bad data for ${path.join(settings.ingest_dir, f.file)}: ${f.quality!.reason}`)));

      // metadata/outputs rows: one per good exposure, under the canonical target.
      const meta = await handle.db.selectFrom('metadata').selectAll().execute();
      assert.deepEqual(meta.map((r) => r.filename).sort(), good(m).map(archivedName).sort());
      for (const f of good(m)) {
        const row = meta.find((r) => r.filename === archivedName(f))!;
        assert.equal(row.targname, f.canonical_target, f.file);
        assert.equal(row.path, path.join(settings.filesystem_dir, f.canonical_target));
        assert.equal(row.instrume, f.instrument);
        assert.equal(row.cenwave, f.obstype === 'IMAGING' ? 0 : f.cenwave);
        assert.equal(row.fppos, f.instrument === 'COS' ? f.fppos : 0);
      }
      const outs = await handle.db.selectFrom('outputs').innerJoin('metadata', 'metadata.id', 'outputs.metadata_id').selectAll('outputs').select('metadata.filename').execute();
      assert.equal(outs.length, good(m).length);

      // Composites: one per manifest group, with the manifest's members, every member pointing at it.
      assert.deepEqual(first.composites.map((c) => c.name).sort(), m.composites.map((c) => c.name).sort());
      assert.ok(first.composites.every((c) => c.status === 'done'));
      for (const c of m.composites) {
        const members = outs.filter((o) => o.composite_filename === c.name).map((o) => o.filename).sort();
        assert.deepEqual(members, [...c.members].sort(), c.name);
        for (const o of outs.filter((x) => x.composite_filename === c.name)) assert.equal(o.composite_path, settings.composite_dir);
      }
      const counts = await tableCounts(handle.db);
      assert.equal(counts.pending_composites, 0);
      const runs = await recentRuns(handle.db, 1);
      assert.equal(runs[0]!.status, 'ok');
    });

    it('does nothing on a second run', async () => {
      const before = await snapshot(settings, handle);
      const again = await ingest(settings, handle);
      assert.equal(again.files.length, 0);
      assert.equal(again.composites.length, 0);
      assert.deepEqual(await snapshot(settings, handle), before);
    });
  });
}

describe('ingest crash safety (SQLite)', () => {
  let clean: Snapshot;

  /**
   * A home whose ingest_dir holds four composite groups (COS NUV, COS FUV pairs, STIS tags with their
   * x1d): twelve files, nine good and three bad, enough for every crash point below; the crashed and
   * killed runs, their re-runs and the two-core run ingest those instead of the whole archive.
   */
  function crashHome(numCores = 1): HstlcSettings {
    const { settings } = homeFor(archive, { numCores });
    keepGroups(settings.ingest_dir, /^(lbal|lb9y|lc9h|o6a50)/);
    return settings;
  }

  before(async () => {
    const settings = crashHome();
    const handle = await connectDatabase(settings.db);
    try {
      const s = await ingest(settings, handle);
      assert.ok(s.ok);
      clean = await snapshot(settings, handle);
    } finally {
      await handle.close();
    }
  });

  /** Throw at the n-th `step`, check the run stopped there, run again, compare with the clean run. */
  async function crashThenRerun(crashAt: IngestStep, nth: number, numCores = 1): Promise<IngestSummary> {
    const settings = crashHome(numCores);
    const handle = await connectDatabase(settings.db);
    try {
      let seen = 0;
      await assert.rejects(
        ingest(settings, handle, {
          onStep: (step) => {
            if (step === crashAt && ++seen === nth) throw new Error('injected crash');
          },
        }),
        (err: unknown) => err instanceof IngestAborted && err.step === crashAt,
      );
      const rerun = await ingest(settings, handle);
      assert.equal(rerun.counts.failed, 0, JSON.stringify(rerun.files.filter((f) => f.status === 'failed')));
      assert.deepEqual(await snapshot(settings, handle), clean);
      assert.deepEqual(listTree(path.join(settings.home_dir, '.hstlc-journal')), []);
      assert.deepEqual(listTree(path.join(settings.home_dir, '.hstlc-staging')), []);
      // And once more: nothing left to do.
      const third = await ingest(settings, handle);
      assert.equal(third.files.length + third.composites.length, 0);
      return rerun;
    } finally {
      await handle.close();
    }
  }

  it('after the intent is written, before the rows: the re-run rolls it forward', async () => {
    const rerun = await crashThenRerun('intent-written', 3);
    assert.equal(rerun.recovered.length, 1);
  });
  it('between the rows and the moves', async () => {
    const rerun = await crashThenRerun('committed', 2);
    assert.equal(rerun.recovered.length, 1);
  });
  it('with an FUV pair half moved (partner in the archive, event file still in ingest_dir)', async () => {
    const rerun = await crashThenRerun('moved-partner', 1);
    assert.equal(rerun.recovered.length, 1);
  });
  it('after the lightcurve moved, before the event file', async () => {
    await crashThenRerun('moved-lightcurve', 5);
  });
  it('after target resolution, before anything is written', async () => {
    await crashThenRerun('resolved', 4);
  });
  it('after a bad file is recorded, before it is quarantined', async () => {
    await crashThenRerun('bad-recorded', 2);
  });
  it('after all files, before the composites', async () => {
    await crashThenRerun('composites', 1);
  });
  it('with two cores, in the middle of the files', async () => {
    await crashThenRerun('committed', 7, 2);
  });

  it('a connection lost after the moves: the retried commit finishes its intent instead of planning again', async () => {
    // The first attempt of one file's commit has written its rows and moved every file, then the
    // server goes away at its last query (whether MAST reprocessed the member). retryWrite runs the
    // commit again on a new connection; it must roll the written intent forward, not look for the
    // event file in ingest_dir again (ENOENT: it is already in the archive).
    const settings = crashHome();
    const handle = await connectDatabase(settings.db);
    let armed = false;
    let failed = 0;
    const dropOnce: KyselyPlugin = {
      transformQuery(args) {
        if (armed && JSON.stringify(args.node).includes('"name":"reprocessing"')) {
          armed = false;
          failed++;
          throw Object.assign(new Error('read ECONNRESET (injected)'), { code: 'ECONNRESET' });
        }
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    try {
      let seen = 0;
      const s = await ingest(settings, { ...handle, db: handle.db.withPlugin(dropOnce) }, {
        onStep: (step) => {
          if (step === 'moved-lightcurve' && ++seen === 3) armed = true;
        },
      });
      assert.equal(failed, 1, 'the injected loss happened once');
      assert.equal(s.counts.failed, 0, JSON.stringify(s.files.filter((f) => f.status === 'failed')));
      assert.deepEqual(await snapshot(settings, handle), clean);
      assert.deepEqual(listTree(path.join(settings.home_dir, '.hstlc-journal')), []);
    } finally {
      await handle.close();
    }
  });

  it('killed with SIGKILL between the rows and the moves (stale lock taken over)', () => {
    const settings = crashHome();
    const home = settings.home_dir;
    const settingsFile = path.join(home, 'settings.json');
    writeFileSync(settingsFile, JSON.stringify(settings));
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./kill-child.ts', import.meta.url)), settingsFile, 'committed', '6'], { encoding: 'utf8' });
    assert.equal(child.signal, 'SIGKILL', child.stderr);
    assert.ok(existsSync(path.join(home, '.hstlc.lock')), 'the killed run left its lock');
    return (async () => {
      const handle = await connectDatabase(settings.db);
      try {
        const { summary: rerun } = await runStage(ingestStage, { db: handle, settings }, {});
        assert.equal(rerun.recovered.length, 1);
        assert.deepEqual(await snapshot(settings, handle), clean);
      } finally {
        await handle.close();
      }
    })();
  });

  it('one core and two cores give the same end state', async () => {
    const settings = crashHome(2);
    const handle = await connectDatabase(settings.db);
    try {
      const s = await ingest(settings, handle);
      assert.equal(s.numCores, 2);
      assert.ok(s.ok);
      assert.deepEqual(await snapshot(settings, handle), clean);
    } finally {
      await handle.close();
    }
  });

  it('refuses to run while another ingest holds the home_dir', async () => {
    const { settings } = homeFor(archive);
    const lock = await lockHome(settings.home_dir, 'ingest');
    const handle = await connectDatabase(settings.db);
    try {
      await assert.rejects(runStage(ingestStage, { db: handle, settings }, {}), HomeLockedError);
      assert.equal(listTree(settings.ingest_dir).length, archive.manifest.files.length);
    } finally {
      await lock.release();
      await handle.close();
    }
  });
});
