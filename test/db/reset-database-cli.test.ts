import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { lockHome } from '../../src/archive/index.js';
import { askYesNo } from '../../src/cli/commands/reset-database.js';
import { connectDatabase, listBadData, listMetadataFilenames, recordBadData, recordIngestedFile } from '../../src/db/index.js';
import { cleanupSandboxes, run, sandbox } from '../cli/helpers.js';

after(cleanupSandboxes);

async function configured(dbLine?: string) {
  const dirs = await sandbox();
  const home = path.join(dirs.cwd, 'hstlc-home');
  const config = path.join(dirs.cwd, 'hstlc.yaml');
  await writeFile(config, `home_dir: ${home}\n${dbLine ? `db_connection_string: ${dbLine}\n` : ''}`);
  return { ...dirs, home, config };
}

const row = (filename: string) => ({
  filename, path: '/fs/GD71', ingest_date: '2026-11-25', telescop: 'HST', instrume: 'COS', targname: 'GD71', cal_ver: '3', obstype: 'SPECTROSCOPIC', cenwave: 1291, aperture: 'PSA', detector: 'FUV', opt_elem: 'G130M', fppos: 1,
});

describe('hstlc reset-database', () => {
  it('refuses without --yes when not on a terminal, and never prints the password', async () => {
    const s = await configured('postgresql://hstlc:s3cret@127.0.0.1:1/hstlc');
    const r = await run(['reset-database', 'all'], s);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /About to reset all table\(s\) for database instance postgresql:\/\/hstlc:\*\*\*@127\.0\.0\.1:1\/hstlc\. Not a terminal, so not asking: add --yes to proceed\./);
    assert.ok(!`${r.stdout}${r.stderr}`.includes('s3cret'));
  });

  it('empties metadata, outputs and stats for production, keeping bad_data and saving it as JSON', async () => {
    const s = await configured();
    const handle = await connectDatabase({ dialect: 'sqlite', path: path.join(s.home, 'hstlc.db'), params: {} });
    await recordIngestedFile(handle, { metadata: row('lb9y0102q_corrtag.fits'), output: { individual_path: '/o/GD71', individual_filename: 'lb9y0102q_curve.fits' } });
    await recordBadData(handle.db, handle.dialect, { filename: 'ld0q0305q_corrtag.fits', reason: 'No events', ingest_date: '2026-11-25' });
    await handle.close();

    const r = await run(['reset-database', '--yes'], s);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n'), [
      'Resetting production table(s)',
      '\temptied stats (0 rows)',
      '\temptied outputs (1 row)',
      '\temptied metadata (1 row)',
      '\temptied target_names (0 rows)',
      '\tkept bad_data (1 row)',
      `\tbad_data saved to ${path.join(s.home, 'bad_data.json')}`,
      '',
    ]);
    const saved = JSON.parse(readFileSync(path.join(s.home, 'bad_data.json'), 'utf8')) as { rows: Array<{ filename: string }> };
    assert.deepEqual(saved.rows.map((x) => x.filename), ['ld0q0305q_corrtag.fits']);

    const json = await run(['--json', 'reset_hstlc_database', 'ALL', '--yes'], s);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as { target: string; tables: Array<{ table: string; rowsDeleted: number }> };
    assert.equal(report.target, 'all');
    assert.deepEqual(report.tables.find((t) => t.table === 'bad_data'), { table: 'bad_data', rowsDeleted: 1 });

    const after = await connectDatabase({ dialect: 'sqlite', path: path.join(s.home, 'hstlc.db'), params: {} });
    assert.deepEqual(await listMetadataFilenames(after.db), []);
    assert.deepEqual(await listBadData(after.db), []);
    await after.close();
  });

  it('refuses while another command holds the home_dir lock', async () => {
    const s = await configured();
    const lock = await lockHome(s.home, 'ingest');
    try {
      const r = await run(['reset-database', 'stats', '--yes'], s);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /ingest \(pid \d+ on .*\) is already working on this home_dir/);
    } finally {
      await lock.release();
    }
    assert.equal((await run(['reset-database', 'stats', '--yes'], s)).code, 0);
  });

  it('rejects an unknown table before touching anything', async () => {
    const s = await configured();
    const r = await run(['reset-database', 'tables', '--yes'], s);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /'tables' is not a valid table/);
    assert.ok(!existsSync(path.join(s.home, 'hstlc.db')));
  });
});

describe('the confirmation prompt', () => {
  it('takes only y or Y as yes, as the original', async () => {
    let shown = '';
    const out = { write: (t: string) => (shown += t) };
    assert.equal(await askYesNo('Proceed?', Readable.from(['y\n']), out), true);
    assert.equal(await askYesNo('Proceed?', Readable.from(['Y\n']), out), true);
    assert.equal(await askYesNo('Proceed?', Readable.from(['yes\n']), out), false);
    assert.equal(await askYesNo('Proceed?', Readable.from(['n\n']), out), false);
    assert.equal(await askYesNo('Proceed?', Readable.from([]), out), false);
    assert.equal(shown, 'Proceed? (y/n) '.repeat(5));
  });
});
