/** `hstlc plots` / `make_hstlc_plots` end to end through the CLI, reading the database (issue 7). */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { connectDatabase } from '../../src/db/index.js';
import type { PlotsSummary } from '../../src/pipeline/plots.js';
import { cleanupSandboxes, run, runArgv, sandbox } from '../cli/helpers.js';
import { skipUnlessFonts } from '../plots/helpers.js';
import { cleanupTempDirs, copyGolden, tempDir } from './stats-fixtures.js';
import { seedGoldenPlots } from './plots-fixtures.js';

after(async () => {
  await cleanupSandboxes();
  cleanupTempDirs();
});

/**
 * A config whose SQLite database records the golden archive, stats rows included; with `subset`, only
 * its first individuals and composites of it.
 */
async function configured(numCores: number, subset?: { individuals: number; composites: number }) {
  const dirs = await sandbox();
  const home = path.join(dirs.cwd, 'hstlc-home');
  await writeFile(path.join(dirs.cwd, 'hstlc.yaml'), `home_dir: ${home}\nnum_cores: ${numCores}\nalgorithm: compat\n`);
  const all = copyGolden(tempDir('hstlc-plots-cli-'));
  const copy = subset === undefined ? all : { ...all, individuals: all.individuals.slice(0, subset.individuals), composites: all.composites.slice(0, subset.composites) };
  const handle = await connectDatabase({ dialect: 'sqlite', path: path.join(home, 'hstlc.db'), params: {} });
  const seeded = await seedGoldenPlots(handle, copy);
  await handle.close();
  return { ...dirs, home, seeded, plotDir: path.join(home, 'plots') };
}

describe('hstlc plots', { skip: skipUnlessFonts(), timeout: 600_000 }, () => {
  it('builds the site from the database in the worker pool, --json summary; a re-run writes nothing', async () => {
    const s = await configured(2);
    const r = await run(['--json', 'plots'], s);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as PlotsSummary;
    assert.equal(summary.parallel, true, 'num_cores 2: PNGs and periodograms in the pool');
    assert.equal(summary.grid, 'compat');
    assert.equal(summary.counts.composites, s.seeded.composites.length);
    assert.equal(summary.counts.individuals, s.seeded.individuals.length);
    assert.equal(summary.counts.failed, 0);
    assert.equal(summary.counts.done, s.seeded.composites.length + s.seeded.individuals.length);
    assert.equal(summary.site, path.join(s.plotDir, 'index.html'));
    assert.ok(existsSync(summary.site));

    const again = await runArgv(['node', '/usr/bin/make_hstlc_plots'], s);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^outputs +0 written, \d+ unchanged, 0 removed, 0 failed$/m);
    assert.match(again.stdout, /^periodograms +0 computed, \d+ cached \(compat grid\)$/m);
  });

  it('exits 1 naming the lightcurve that failed, after drawing the others', async () => {
    // A few lightcurves are enough to see one fail alone while the others are drawn.
    const s = await configured(1, { individuals: 4, composites: 1 });
    assert.equal(s.seeded.individuals.length, 4);
    const broken = s.seeded.individuals[0]!;
    writeFileSync(broken, 'SIMPLE  = this is not a FITS file');
    const r = await run(['plots', '--plot-dir', path.join(s.cwd, 'site')], s);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`^failed {2}${path.basename(broken).replace('.', '\\.')}: `, 'm'));
    assert.match(r.stdout, /^lightcurves +\d+ drawn, 0 unchanged, 1 failed, 0 skipped/m);
    assert.ok(existsSync(path.join(s.cwd, 'site', 'index.html')));
  });
});
