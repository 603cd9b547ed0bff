/**
 * `hstlc download --since/--target/--proposal`: sent to the search as conditions in the shape
 * astroquery's MastMissions sends criteria (`conditions: [{column: value}, ...]`, MAST's `>=`, `!` and
 * comma syntax), the stub filters on them, and the client checks them again on each row.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isoDay, targetPattern } from '../../src/cli/mast-parsers.js';
import { filterProblem, MemoryLedger, runDownload, searchBody, type DownloadStageOptions } from '../../src/mast/index.js';
import { startMastStub, type MastStub } from '../../src/mast/stub/index.js';
import { filesFor } from './fixtures.js';
import { dirs, fastHttp, type Dirs } from './helpers.js';

// MJD 55927.5 = 2012-01-01T12:00; 57023.5 = 2015-01-01T12:00; 59945.5 = 2023-01-01T12:00.
const FILES = filesFor([
  { rootname: 'la0001a1q', targname: 'GD71', expstart: 55927.5 },
  { rootname: 'la0002a1q', targname: 'GD71', expstart: 59945.5 },
  { rootname: 'la0003a1q', targname: 'WD0308-565', expstart: 59945.5 },
  { rootname: 'oa0004010', targname: 'GD153', expstart: 57023.5 },
]);
const NOW = new Date('2026-12-01T00:00:00Z');

let stub: MastStub;
let d: Dirs;

async function start(extra: { honourTargetCondition?: boolean } = {}): Promise<void> {
  stub = await startMastStub({ files: FILES, rowOverrides: { LA0003A1Q: { sci_pep_id: 16196 } }, ...extra });
}
beforeEach(() => {
  d = dirs();
});
afterEach(async () => {
  await stub.close();
  d.cleanup();
});

function options(extra: Partial<DownloadStageOptions> = {}): DownloadStageOptions {
  return { mastUrl: stub.url, crdsUrl: stub.url, ingestDir: d.ingest, refDir: d.ref, http: fastHttp(), ledger: new MemoryLedger(), references: false, dryRun: true, now: NOW, ...extra };
}

function sentConditions(): Array<Record<string, unknown>> {
  const search = stub.requests.find((r) => r.route === 'search')!;
  return (search.body as { conditions: Array<Record<string, unknown>> }).conditions;
}

describe('download filters', () => {
  it('--since is sci_start_time >= the day, sent as a condition and applied by the stub', async () => {
    await start();
    const report = await runDownload(options({ filters: { since: '2015-01-01' } }));
    assert.deepEqual(sentConditions().filter((c) => 'sci_start_time' in c), [{ sci_start_time: '>=2015-01-01' }]);
    assert.deepEqual(report.requested.datasets, ['la0002a1q', 'la0003a1q', 'oa0004010']);
    assert.equal(report.search.total_results, 3, 'the stub filtered, not only the client');
    assert.deepEqual(report.search.filters, { since: '2015-01-01' });
  });

  it('--target joins the wanted name to the excluded ones in the one sci_targname condition', async () => {
    await start();
    const report = await runDownload(options({ filters: { target: 'GD71' } }));
    assert.deepEqual(sentConditions().filter((c) => 'sci_targname' in c), [{ sci_targname: 'GD71,!DARK,!BIAS,!DEUTERIUM,!WAVE,!ANY,!NONE' }]);
    assert.deepEqual(report.requested.datasets, ['la0001a1q', 'la0002a1q']);
    assert.equal(report.search.total_results, 2);
    // MAST's wildcard.
    stub.requests.length = 0;
    const wild = await runDownload(options({ filters: { target: 'GD*' } }));
    assert.deepEqual(wild.requested.datasets, ['la0001a1q', 'la0002a1q', 'oa0004010']);
  });

  it('--proposal is sci_pep_id, and all three filters combine', async () => {
    await start();
    const report = await runDownload(options({ filters: { proposal: 16196 } }));
    assert.deepEqual(sentConditions().filter((c) => 'sci_pep_id' in c), [{ sci_pep_id: 16196 }]);
    assert.deepEqual(report.requested.datasets, ['la0003a1q']);
    stub.requests.length = 0;
    const all = await runDownload(options({ filters: { since: '2020-06-01', target: 'GD71', proposal: 11897 } }));
    assert.deepEqual(all.requested.datasets, ['la0002a1q']);
    // The five of every search, with the target inside sci_targname's, plus sci_start_time and sci_pep_id.
    assert.equal(sentConditions().length, 7);
  });

  it('a server that ignores the target condition cannot widen the download', async () => {
    await start({ honourTargetCondition: false });
    const report = await runDownload(options({ filters: { target: 'GD71' } }));
    assert.equal(report.search.total_results, 4);
    assert.deepEqual(report.requested.datasets, ['la0001a1q', 'la0002a1q']);
    assert.deepEqual(report.search.rejected.map((r) => r.reason).sort(), ['target GD153 is not GD71', 'target WD0308-565 is not GD71']);
  });

  it('refuses values MAST would read as other terms, and impossible dates', () => {
    assert.equal(isoDay('2024-02-29'), '2024-02-29');
    assert.throws(() => isoDay('2023-02-29'), /YYYY-MM-DD/);
    assert.throws(() => isoDay('2024-1-5'), /YYYY-MM-DD/);
    assert.equal(targetPattern(' gd71 '), 'GD71');
    for (const bad of ['GD71,!WAVE', '!WAVE', '<A', '']) assert.throws(() => targetPattern(bad), /target name/);
    assert.match(filterProblem({ proposal: 0 }) ?? '', /positive integer/);
    // Without filters the body is what it was: five conditions.
    assert.equal((searchBody(0, 10, NOW).conditions as unknown[]).length, 5);
  });
});
