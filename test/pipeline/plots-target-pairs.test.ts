/**
 * index.html lists the target-name pairs recorded at one position that no alias settles, as `hstlc
 * status` does: both names (escaped: they come from FITS headers), the separation, and the
 * target_aliases lines that settle them; a pair an alias settles is gone.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { connectDatabase, recordTargetName } from '../../src/db/index.js';
import { runPlots } from '../../src/pipeline/plots.js';
import { collectStatus } from '../../src/pipeline/status.js';
import { PAGES } from '../../src/plots/layout.js';
import { tempDir } from '../helpers/tools.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
const tmp = tempDir('hstlc-pairs-');
after(tmp.cleanup);

test('index.html lists unsettled target-name pairs, escaped, with their separation and how to settle them', { timeout: 60_000 }, async () => {
  const home = path.join(tmp.dir, 'home');
  const plotDir = path.join(tmp.dir, 'site');
  const handle = await connectDatabase({ dialect: 'sqlite', path: path.join(tmp.dir, 'hstlc.db'), params: {} });
  try {
    // 2.5″ apart in Dec at one RA: the separation is 2.50″ by hand (2.5/3600 degrees).
    await recordTargetName(handle, { header_name: 'WD2359-324', canonical: 'WD2359-324', method: 'rule', ra_targ: 0.5, dec_targ: -32.2 });
    await recordTargetName(handle, { header_name: HOSTILE, canonical: HOSTILE, method: 'rule', ra_targ: 0.5, dec_targ: -32.2 + 2.5 / 3600 });
    // Far away (1°): not a pair.
    await recordTargetName(handle, { header_name: 'GD71', canonical: 'GD71', method: 'rule', ra_targ: 88.1, dec_targ: 15.9 });

    const settings = { home_dir: home, plot_dir: plotDir, num_cores: 1, algorithm: 'compat' as const, target_match_radius: 5 };
    const summary = await runPlots(handle, { settings });
    assert.equal(summary.ok, true);
    const index = readFileSync(path.join(plotDir, PAGES.index), 'utf8');
    assert.ok(!index.includes('<img src=x'), 'the hostile name is escaped');
    assert.ok(!index.includes('onerror=alert(1)>'), 'the hostile name is escaped');
    const table = /<table class="plain" id="target-pairs">[\s\S]*?<\/table>/.exec(index)?.[0] ?? '';
    const rows = table.split('\n').filter((l) => l.startsWith('<tr><td>'));
    assert.equal(rows.length, 1, table);
    const esc = '&lt;img src=x onerror=alert(1)&gt;';
    // Sorted names: '<' sorts before 'W'.
    assert.ok(rows[0]!.startsWith(`<tr><td>${esc}</td><td>WD2359-324</td><td class="num">2.50″</td>`), rows[0]);
    assert.ok(rows[0]!.includes(`<code>${esc}: WD2359-324</code> merges them`), rows[0]);
    assert.ok(rows[0]!.includes(`<code>${esc}: ${esc}</code> keeps them apart`), rows[0]);
    assert.ok(!index.includes('GD71'));
    // The same pair `hstlc status` reports.
    const status = await collectStatus(handle, { ...settings, ingest_dir: path.join(home, 'ingest'), filesystem_dir: home, outputs_dir: home, bad_data_dir: home, db: { dialect: 'sqlite', path: '', params: {} } });
    assert.deepEqual(status.targetCandidates.map((c) => c.names), [[HOSTILE, 'WD2359-324']]);

    // An alias saying WD2359-324 is a target of its own settles the pair: the section says none is left.
    const aliases = path.join(tmp.dir, 'target_aliases.yaml');
    writeFileSync(aliases, 'WD2359-324: WD2359-324\n');
    assert.equal((await runPlots(handle, { settings: { ...settings, target_aliases: aliases } })).ok, true);
    const settled = readFileSync(path.join(plotDir, PAGES.index), 'utf8');
    assert.ok(!settled.includes('id="target-pairs"'));
    assert.match(settled, /id="target-pairs-none"/);
  } finally {
    await handle.close();
  }
});
