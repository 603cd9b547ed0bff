/**
 * A read-only outputs_dir (a tmpfs mounted read-only, so root cannot write it either): ingest stops
 * before it commits anything, naming the directory and the system's cause (EROFS), with no rows
 * recorded and every file still in ingest_dir. Needs root and mount(2); skipped with the reason otherwise.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
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

describe('ingest with a read-only outputs_dir', { skip }, () => {
  after(() => {
    spawnSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
    cleanupHomes();
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
