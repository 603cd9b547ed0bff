/**
 * The plots stage reads the same site out of SQLite, PostgreSQL and MySQL (issue 7): the golden archive
 * recorded in each, plotted into one plot_dir — after the first dialect, every other one finds every
 * output current (same records, same statistics, same booleans), so it writes nothing.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { connectDatabase } from '../../src/db/index.js';
import { lightcurvesToPlot, runPlots } from '../../src/pipeline/plots.js';
import { DIALECTS, type TestDatabase } from '../db/dialects.js';
import { skipUnlessFonts } from '../plots/helpers.js';
import { cleanupTempDirs, copyGolden, tempDir } from './stats-fixtures.js';
import { seedGoldenPlots } from './plots-fixtures.js';

after(cleanupTempDirs);

describe('plots stage across dialects', { skip: skipUnlessFonts(), timeout: 600_000 }, () => {
  const copy = copyGolden(tempDir('hstlc-plots-dialects-'));
  const settings = { home_dir: path.join(copy.dir, 'home'), plot_dir: path.join(copy.dir, 'site'), num_cores: 1, algorithm: 'compat' as const };
  let reference: string | undefined;
  let built = false;
  for (const dialect of DIALECTS) {
    it(`${dialect.name}: same lightcurves, same site`, { skip: dialect.skip }, async () => {
      const db: TestDatabase = await dialect.create();
      const handle = await connectDatabase(db.info);
      try {
        await seedGoldenPlots(handle, copy);
        const { candidates } = await lightcurvesToPlot(handle);
        const listed = JSON.stringify(candidates);
        reference ??= listed;
        assert.equal(listed, reference);
        const r = await runPlots(handle, { settings });
        assert.ok(r.ok, JSON.stringify(r.items.filter((i) => i.status === 'failed')));
        if (built) assert.equal(r.outputs.written, 0, JSON.stringify(r.items.filter((i) => i.status !== 'unchanged')));
        else assert.ok(r.outputs.written > 0);
        built = true;
      } finally {
        await handle.close();
        await db.drop();
      }
    });
  }
});
