import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { HomeLockedError, LOCK_NAME, lockHome, makeDirectory, setPermissions } from '../../src/archive/index.js';
import { tempDir } from '../helpers/tools.js';

const tmp = tempDir();
after(tmp.cleanup);

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('the home_dir lock', () => {
  it('lets one holder in at a time and is released', async () => {
    const home = path.join(tmp.dir, 'h1');
    const first = await lockHome(home, 'ingest');
    await assert.rejects(lockHome(home, 'reset-filesystem'), (e: unknown) => e instanceof HomeLockedError && /ingest \(pid \d+/.test(e.message));
    await first.release();
    assert.ok(!existsSync(path.join(home, LOCK_NAME)));
    const second = await lockHome(home, 'ingest');
    await second.release();
  });

  it('admits exactly one of several racing takers', async () => {
    const home = path.join(tmp.dir, 'h2');
    const outcomes = await Promise.allSettled([0, 1, 2, 3, 4].map(() => lockHome(home, 'ingest')));
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    for (const o of outcomes) if (o.status === 'fulfilled') await o.value.release();
  });

  it('takes over a lock left by a process that is gone, but respects another host', async () => {
    const home = path.join(tmp.dir, 'h3');
    await lockHome(home, 'x').then((l) => l.release());
    const file = path.join(home, LOCK_NAME);
    writeFileSync(file, JSON.stringify({ pid: deadPid(), host: hostname(), command: 'ingest', started: '2026-01-01T00:00:00Z' }));
    const lock = await lockHome(home, 'ingest');
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid, process.pid);
    await lock.release();
    writeFileSync(file, JSON.stringify({ pid: deadPid(), host: 'elsewhere.example', command: 'ingest', started: '2026-01-01T00:00:00Z' }));
    await assert.rejects(lockHome(home, 'ingest'), HomeLockedError);
    // garbage in the lock file is no owner at all
    writeFileSync(file, 'not json');
    await (await lockHome(home, 'ingest')).release();
  });

  it('does not remove a lock it no longer holds', async () => {
    const home = path.join(tmp.dir, 'h4');
    const lock = await lockHome(home, 'ingest');
    const file = path.join(home, LOCK_NAME);
    writeFileSync(file, JSON.stringify({ pid: process.pid, host: 'other', command: 'other', started: 'now' }));
    await lock.release();
    assert.ok(existsSync(file));
  });
});

describe('permissions (§2.3)', () => {
  it('give what we create mode rwxrwx---', async () => {
    const dir = path.join(tmp.dir, 'p', 'a', 'b');
    await makeDirectory(dir);
    for (const d of [path.join(tmp.dir, 'p'), path.join(tmp.dir, 'p', 'a'), dir]) assert.equal(statSync(d).mode & 0o777, 0o770, d);
    const file = path.join(dir, 'x_curve.fits');
    writeFileSync(file, 'x', { mode: 0o644 });
    assert.equal(await setPermissions(file), true);
    assert.equal(statSync(file).mode & 0o777, 0o770);
    assert.equal(await setPermissions(path.join(dir, 'absent')), false);
  });
});
