/**
 * A read-only outputs_dir or ingest_dir (a tmpfs mounted read-only, so root cannot write it either):
 * ingest stops before it commits anything, naming the directory and the system's cause (EROFS), with
 * no rows recorded and every file still in ingest_dir (files are moved out of it, so it must be writable). Needs root and mount(2); skipped with the reason otherwise.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { connectDatabase } from '../../src/db/index.js';
import { NotWritableError } from '../../src/files/index.js';
import { runIngest } from '../../src/pipeline/index.js';
import { cleanupHomes, homeFor, tinyArchive } from './helpers.js';

const mountPoint = mkdtempSync(path.join(tmpdir(), 'hstlc-ro-'));
const skip = ((): string | false => {
  if (process.getuid?.() !== 0) return 'needs root to mount a read-only tmpfs';
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', mountPoint], { encoding: 'utf8' });
  return r.status === 0 ? false : `cannot mount a tmpfs here: ${(r.stderr || r.error?.message || '').trim()}`;
})();

describe('ingest with a read-only outputs_dir or ingest_dir', { skip }, () => {
  const ingestMount = mkdtempSync(path.join(tmpdir(), 'hstlc-ro-ingest-'));
  after(() => {
    for (const m of [mountPoint, ingestMount]) {
      spawnSync('umount', [m]);
      rmSync(m, { recursive: true, force: true });
    }
    cleanupHomes();
  });

  it('a read-only ingest_dir: stops before committing anything, naming it', async () => {
    const archive = await tinyArchive();
    const { settings } = homeFor(archive);
    // The files on a tmpfs, then the tmpfs made read-only.
    const mount = (opts: string): void => {
      const r = spawnSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', ingestMount], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };
    mount('size=64m');
    cpSync(settings.ingest_dir, ingestMount, { recursive: true });
    mount('remount,ro');
    const before = readdirSync(ingestMount).sort();
    assert.ok(before.length > 0);
    const handle = await connectDatabase(settings.db);
    try {
      const err = await runIngest(handle, { settings: { ...settings, ingest_dir: ingestMount } }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof NotWritableError, String(err));
      assert.match(err.message, new RegExp(`^ingest_dir ${ingestMount} is not writable \\(EROFS: read-only file system\\)`));
      assert.deepEqual(await handle.db.selectFrom('metadata').select('filename').execute(), []);
      assert.deepEqual(await handle.db.selectFrom('bad_data').select('id').execute(), []);
      assert.deepEqual(readdirSync(ingestMount).sort(), before);
    } finally {
      await handle.close();
    }
  });

  it('stops before committing anything, and says EROFS', async () => {
    const archive = await tinyArchive();
    const { settings } = homeFor(archive);
    const outputs = path.join(mountPoint, 'outputs');
    const before = readdirSync(settings.ingest_dir).sort();
    const handle = await connectDatabase(settings.db);
    try {
      const err = await runIngest(handle, { settings: { ...settings, outputs_dir: outputs } }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof NotWritableError, String(err));
      assert.match(err.message, new RegExp(`^outputs_dir ${outputs} is not writable \\(EROFS: read-only file system\\)`));
      assert.deepEqual(await handle.db.selectFrom('metadata').select('filename').execute(), []);
      assert.deepEqual(await handle.db.selectFrom('outputs').select('id').execute(), []);
      assert.deepEqual(readdirSync(settings.ingest_dir).sort(), before);
    } finally {
      await handle.close();
    }
  });
});
