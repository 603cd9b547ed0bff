/**
 * Ingest's quicklook PNGs (issue 7) and the whole chain on three groups of the tiny synthetic archive: ingest writes the PNG
 * beside each individual lightcurve (a failure is a warning on that file, never a failed ingest), then
 * stats and plots run on what ingest recorded — our composites name their members (MEMBERnn), which the
 * dashboards show.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectDatabase, listOutputs } from '../../src/db/index.js';
import { collectingLogger, runIngest } from '../../src/pipeline/index.js';
import { runStats } from '../../src/pipeline/stats.js';
import { runPlots } from '../../src/pipeline/plots.js';
import { LIGHTCURVE_SIZE } from '../../src/plots/charts/lightcurve.js';
import { lightcurveOutputs, pngBeside } from '../../src/plots/layout.js';
import { pngSize } from '../../src/plots/render.js';
import { skipUnlessFonts } from '../plots/helpers.js';
import { cleanupHomes, homeFor, keepArchiveGroups, listTree, tinyArchive, type Archive } from './helpers.js';

let archive: Archive;
before(async () => {
  // Three composite groups (COS FUV GD71, COS NUV AZV 148, STIS XTEJ1118+480 with x1d; a bad file in
  // each): composites of several members, every product kind, at a third of the chain's work.
  archive = keepArchiveGroups(await tinyArchive(), /^(lb9y|lbal|o6a50)/);
});
after(cleanupHomes);

describe('ingest quicklooks', { skip: skipUnlessFonts(), timeout: 600_000 }, () => {
  it('a quicklook that cannot be written is a warning on its file; ingest, stats and plots go on', async () => {
    const { settings } = homeFor(archive);
    const handle = await connectDatabase(settings.db);
    try {
      // The first good file's quicklook path is taken by a directory: the PNG cannot be moved there.
      const first = archive.manifest.files.find((f) => f.ingested && f.quality?.ok === true)!;
      const blocked = path.join(settings.outputs_dir, first.canonical_target, `${first.rootname}_curve.png`);
      mkdirSync(blocked, { recursive: true });
      writeFileSync(path.join(blocked, 'keep'), '');
      const log = collectingLogger();
      const summary = await runIngest(handle, { settings, logger: log });
      assert.equal(summary.counts.failed, 0);
      assert.ok(summary.ok);
      const done = summary.files.filter((f) => f.status === 'done');
      const hit = done.find((f) => f.lightcurve === path.join(path.dirname(blocked), `${first.rootname}_curve.fits`))!;
      assert.ok(hit, 'the blocked file was ingested');
      assert.equal(hit.quicklook, undefined);
      assert.ok(hit.warnings?.some((w) => /quicklook PNG not written/.test(w)), JSON.stringify(hit));
      assert.ok(log.lines.some((l) => l.level === 'warn' && /quicklook PNG not written/.test(l.message)));
      for (const f of done.filter((x) => x !== hit)) {
        assert.equal(f.quicklook, pngBeside(f.lightcurve!));
        assert.deepEqual(pngSize(readFileSync(f.quicklook!)), LIGHTCURVE_SIZE);
      }

      // The chain goes on: stats, then plots from what ingest recorded.
      const stats = await runStats(handle, { type: 'both', grid: 'compat', numCores: 1 });
      assert.ok(stats.ok);
      const plots = await runPlots(handle, { settings: { ...settings, algorithm: 'compat' } });
      assert.ok(plots.ok, JSON.stringify(plots.items.filter((i) => i.status === 'failed')));
      assert.equal(plots.counts.skipped, 0);
      assert.equal(plots.counts.composites, summary.compositeCounts.done);
      // A composite's dashboard names its members as the composite's MEMBERnn says.
      const composite = summary.composites.find((c) => c.status === 'done' && c.members.length > 1 && c.dropped.length === 0);
      assert.ok(composite, 'the tiny archive has a composite of several members');
      {
        const html = readFileSync(path.join(settings.plot_dir, lightcurveOutputs('composite', composite.name).dashboard!), 'utf8');
        // Legends name each member by its rootname (the first nine characters of an HST file name).
        for (const m of composite.members) assert.ok(html.includes(path.basename(m).slice(0, 9)), `${composite.name}: member ${path.basename(m)} named`);
      }
      const rows = await listOutputs(handle.db);
      assert.ok(rows.length > 0);
    } finally {
      await handle.close();
    }
  });

  it('quicklook: false writes none', async () => {
    const { settings } = homeFor(archive);
    const handle = await connectDatabase(settings.db);
    try {
      const summary = await runIngest(handle, { settings, quicklook: false });
      assert.ok(summary.ok);
      assert.deepEqual(listTree(settings.outputs_dir).filter((f) => f.endsWith('.png')), []);
      assert.ok(summary.files.every((f) => f.quicklook === undefined));
      assert.ok(existsSync(settings.outputs_dir));
    } finally {
      await handle.close();
    }
  });
});
