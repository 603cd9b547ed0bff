/**
 * STIS scratch directories left by a killed run are removed at the next extraction; a live run's
 * never are. A dead pid is a child process that has exited; live ones are this process and its parent.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { extractFile } from '../../src/hst/extract.js';
import { removeStaleScratch } from '../../src/hst/stis/scratch.js';
import { COMPAT } from '../../src/lightcurve/algorithm.js';
import { INPUTS } from '../lightcurve/golden.js';
import { tempDir } from '../helpers/tools.js';

const tmp = tempDir('hstlc-scratch-');
after(() => tmp.cleanup());

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('STIS scratch directories', () => {
  it("removes a dead process's, keeps live ones' and anything else", async () => {
    const dir = path.join(tmp.dir, 'unit');
    const dead = `hstlc-stis-${deadPid()}-AbC123`;
    const names = [dead, `hstlc-stis-${process.pid}-x`, `hstlc-stis-${process.ppid}-y`, 'hstlc-stis-legacy', 'other'];
    for (const n of names) {
      mkdirSync(path.join(dir, n), { recursive: true });
      writeFileSync(path.join(dir, n, 'o_corrtag.fits'), 'partial');
    }
    assert.deepEqual(await removeStaleScratch(dir), [dead]);
    assert.deepEqual(readdirSync(dir).sort(), names.slice(1).sort());
  });

  it('the next extraction cleans up after a killed one, and leaves nothing of its own', async () => {
    const dir = path.join(tmp.dir, 'TMPDIR');
    const stale = path.join(dir, `hstlc-stis-${deadPid()}-ZZZ`);
    mkdirSync(stale, { recursive: true });
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = dir;
    try {
      await extractFile(path.join(INPUTS, 'o6a501030_tag.fits'), { step: 2, algorithm: COMPAT, refs: { env: {}, refDir: INPUTS } });
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
    assert.equal(existsSync(stale), false);
    assert.deepEqual(readdirSync(dir), []);
  });
});
