import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { connectDatabase, listMetadataFilenames, recordIngestedFile } from '../../src/db/index.js';
import { cleanupSandboxes, run, sandbox } from '../cli/helpers.js';

after(cleanupSandboxes);

describe('hstlc reset-filesystem', () => {
  it('asks first, then moves files back, clears outputs and the rows that pointed at them', async () => {
    const dirs = await sandbox();
    const home = path.join(dirs.cwd, 'h');
    await writeFile(path.join(dirs.cwd, 'hstlc.yaml'), `home_dir: ${home}\n`);
    const fsDir = path.join(home, 'filesystem', 'GD71');
    mkdirSync(fsDir, { recursive: true });
    mkdirSync(path.join(home, 'ingest'), { recursive: true });
    mkdirSync(path.join(home, 'outputs', 'GD71'), { recursive: true });
    writeFileSync(path.join(fsDir, 'lb9y0102q_corrtag.fits'), 'x');
    writeFileSync(path.join(home, 'outputs', 'GD71', 'lb9y0102q_curve.fits'), 'y');
    const handle = await connectDatabase({ dialect: 'sqlite', path: path.join(home, 'hstlc.db'), params: {} });
    await recordIngestedFile(handle, {
      metadata: { filename: 'lb9y0102q_corrtag.fits', path: fsDir, ingest_date: '2026-11-25', telescop: 'HST', instrume: 'COS', targname: 'GD71', cal_ver: '3', obstype: 'SPECTROSCOPIC', cenwave: 1291, aperture: 'PSA', detector: 'FUV', opt_elem: 'G130M', fppos: 1 },
      output: { individual_path: path.join(home, 'outputs', 'GD71'), individual_filename: 'lb9y0102q_curve.fits' },
    });
    await handle.close();

    const refused = await run(['reset-filesystem'], dirs);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /About to reset filesystem .*filesystem\. Not a terminal, so not asking: add --yes to proceed\./);
    assert.deepEqual(readdirSync(fsDir), ['lb9y0102q_corrtag.fits']);

    const r = await run(['reset_hstlc_filesystem', '--yes'], dirs);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n')[0], 'Resetting filesystem');
    assert.match(r.stdout, /\tMoved .*lb9y0102q_corrtag\.fits to .*ingest\n/);
    assert.match(r.stdout, /Database: forgot 1 file\(s\) and 0 stats row\(s\) whose files are gone\./);
    assert.deepEqual(readdirSync(path.join(home, 'ingest')), ['lb9y0102q_corrtag.fits']);
    assert.deepEqual(readdirSync(path.join(home, 'filesystem')), []);
    assert.deepEqual(readdirSync(path.join(home, 'outputs')), []);
    const again = await connectDatabase({ dialect: 'sqlite', path: path.join(home, 'hstlc.db'), params: {} });
    assert.deepEqual(await listMetadataFilenames(again.db), []);
    await again.close();
  });
});
