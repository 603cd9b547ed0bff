/**
 * Two commands on one home_dir: the second says the home is busy and by which process (exit 1, nothing
 * done), or with --wait waits for the first to finish — at most the given seconds — and then runs.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { lockHome } from '../../src/archive/index.js';
import { cleanupSandboxes, run, sandbox } from './helpers.js';

after(cleanupSandboxes);

async function configured() {
  const dirs = await sandbox();
  const home = path.join(dirs.cwd, 'hstlc-home');
  await writeFile(path.join(dirs.cwd, 'hstlc.yaml'), `home_dir: ${home}\n`);
  return { ...dirs, home };
}

const BUSY = new RegExp(`pipeline \\(pid ${process.pid} on .*\\) is already working on this home_dir`);

describe('a second command on a busy home_dir', () => {
  it('without --wait: says who holds it and exits 1 at once', async () => {
    const s = await configured();
    const lock = await lockHome(s.home, 'pipeline');
    try {
      const r = await run(['ingest'], s);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, BUSY);
      assert.doesNotMatch(r.stderr, /waiting/);
    } finally {
      await lock.release();
    }
  });

  it('--wait 1: waits about a second, then says who holds it and exits 1', async () => {
    const s = await configured();
    const lock = await lockHome(s.home, 'pipeline');
    try {
      const t0 = Date.now();
      const r = await run(['ingest', '--wait', '1'], s);
      const waited = Date.now() - t0;
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /waiting \(at most 1 s\): pipeline \(pid/);
      assert.match(r.stderr, BUSY);
      // It gave up after the second it was given (the poll is 0.5 s), not at once.
      assert.ok(waited >= 1000, `waited ${waited} ms`);
    } finally {
      await lock.release();
    }
  });

  it('--wait: runs once the holder releases the home_dir', async () => {
    const s = await configured();
    const lock = await lockHome(s.home, 'pipeline');
    let released = 0;
    setTimeout(() => void lock.release().then(() => (released = Date.now())), 1200);
    const r = await run(['ingest', '--wait'], s);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /waiting: pipeline \(pid/);
    assert.ok(released > 0 && Date.now() >= released, 'ran only after the release');
    assert.match(r.stdout, /files\s+0 done/);
  });

  it('--wait rejects a number that is not positive', async () => {
    const s = await configured();
    const r = await run(['ingest', '--wait', '-3'], s);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /expected a positive number/);
  });
});
