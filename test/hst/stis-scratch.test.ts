/**
 * STIS scratch directories left by a killed run are removed at the next extraction; a live run's
 * never are. A dead pid is a child process that has exited; live ones are this process and its parent.
 * An interrupted run (SIGINT) removes its own on the way out.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
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

describe('an interrupted run', () => {
  it('Ctrl-C during hstlc extract of a STIS tag: exit 130, and none of its scratch directories left', { timeout: 10 * 60_000 }, async () => {
    const REPO = fileURLToPath(new URL('../../', import.meta.url));
    const CHILD = path.join(REPO, 'test', 'cli', 'cli-child.ts');
    const scratch = path.join(tmp.dir, 'TMPDIR-interrupted');
    mkdirSync(scratch, { recursive: true });
    const home = path.join(tmp.dir, 'home-interrupted');
    const env = { ...process.env, CI: '1', TMPDIR: scratch };
    const made = spawnSync(process.execPath, ['--import', 'tsx', CHILD, 'demo', home, '--size', 'small', '--no-run'], { cwd: REPO, encoding: 'utf8', env });
    assert.equal(made.status, 0, made.stderr);
    const tags = readdirSync(path.join(home, 'ingest')).filter((f) => /^o\w+_tag\.fits$/.test(f));
    assert.ok(tags.length > 0);
    // Each try: extract one tag, interrupted while its scratch corrtag exists (a fast one may finish first).
    for (const [i, tag] of tags.entries()) {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'extract', path.join(home, 'ingest', tag), '-o', path.join(tmp.dir, `interrupted-${i}.fits`)], { cwd: REPO, env });
      let stderr = '';
      child.stdout.resume();
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (c: string) => (stderr += c));
      let gone = false;
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      void exited.then(() => (gone = true));
      const own = (): string[] => readdirSync(scratch).filter((n) => n.startsWith(`hstlc-stis-${child.pid}-`));
      let seen = 0;
      while (!gone && seen === 0) {
        seen = own().length;
        if (seen === 0) await new Promise((r) => setTimeout(r, 2));
      }
      if (seen === 0) continue;
      child.kill('SIGINT');
      assert.equal(await exited, 130, stderr);
      assert.match(stderr, /interrupted \(SIGINT\).*resume with: hstlc extract /s);
      assert.deepEqual(own(), [], 'its scratch directories are gone');
      return;
    }
    assert.fail('every extraction finished before its scratch directory was seen');
  });
});
