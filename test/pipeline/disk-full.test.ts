/**
 * The disk fills up during an ingest (home_dir, database included, on a small tmpfs): the run stops
 * with a message that says so and what to do; no file under a final name is partial; nothing has left
 * ingest_dir without its database record; and once space is freed a re-run ends in the state of a
 * run that never met a full disk. Needs root and mount(2); skipped with the reason otherwise.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { LOCK_NAME, lockHome } from '../../src/archive/home-lock.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectDatabase } from '../../src/db/index.js';
import { DiskFullError } from '../../src/files/index.js';
import { FitsReader } from '../../src/fits/index.js';
import { runIngest } from '../../src/pipeline/index.js';
import { assertRerunEqualsClean, cleanupHomes, homeFor, listTree, snapshot, tinyArchive, type Archive, type Snapshot } from './helpers.js';

const mountPoint = mkdtempSync(path.join(tmpdir(), 'hstlc-tmpfs-'));

function mountTmpfs(bytes: number): string | undefined {
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', mountPoint], { encoding: 'utf8' });
  return r.status === 0 ? undefined : (r.stderr || r.error?.message || `mount exited ${r.status}`).trim();
}

const bytesUnder = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? bytesUnder(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size), 0);

/** Probe once, with a throwaway mount, whether this machine lets the test mount a tmpfs. */
const skip = ((): string | false => {
  if (process.getuid?.() !== 0) return 'needs root to mount a tmpfs';
  const why = mountTmpfs(1 << 20);
  if (why !== undefined) return `cannot mount a tmpfs here: ${why}`;
  spawnSync('umount', [mountPoint]);
  return false;
})();

describe('ingest on a disk that fills up', { skip, timeout: 600_000 }, () => {
  let archive: Archive;
  let clean: Snapshot;

  before(async () => {
    archive = await tinyArchive();
    const { settings } = homeFor(archive);
    const handle = await connectDatabase(settings.db);
    try {
      assert.ok((await runIngest(handle, { settings })).ok);
      clean = await snapshot(settings, handle);
    } finally {
      await handle.close();
    }
  });

  after(() => {
    spawnSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
    cleanupHomes();
  });

  it('stops with a clear message, keeps every file whole and recorded, and a re-run after freeing space completes', async () => {
    // Room for the inputs and about a third of what ingest writes (lightcurves, PNGs, database, moves
    // are renames within the device, so the inputs are counted once).
    const inputs = bytesUnder(path.join(archive.dir, 'ingest')) + bytesUnder(path.join(archive.dir, 'ref'));
    assert.equal(mountTmpfs(inputs + (1500 << 10)), undefined);
    const { settings } = homeFor(archive, { parent: mountPoint });
    const handle = await connectDatabase(settings.db);
    let stopped: unknown;
    try {
      await runIngest(handle, { settings }).then(
        (s) => assert.fail(`ingest finished on a full disk: ${JSON.stringify(s.counts)}`),
        (err: unknown) => (stopped = err),
      );
      assert.ok(stopped instanceof DiskFullError, String(stopped));
      assert.match(stopped.message, /no space left on the device/);
      assert.ok(stopped.message.includes(settings.ingest_dir), stopped.message);

      // No partial file under a final name: every product opens whole and its checksums hold.
      for (const [root, files] of [[settings.filesystem_dir, listTree(settings.filesystem_dir)], [settings.outputs_dir, listTree(settings.outputs_dir)]] as const) {
        for (const f of files.filter((x) => x.endsWith('.fits'))) {
          const reader = await FitsReader.open(path.join(root, f));
          try {
            for (const h of reader.hdus) {
              const sum = await reader.verifyChecksum(h);
              assert.notEqual(sum.datasum, 'bad', `${f} HDU ${h.index}`);
              assert.notEqual(sum.checksum, 'bad', `${f} HDU ${h.index}`);
            }
          } finally {
            await reader.close();
          }
        }
      }
      // Nothing left ingest_dir without its record: an archived event file has its metadata row, a
      // quarantined one its bad_data row.
      const metadata = new Set((await handle.db.selectFrom('metadata').select('filename').execute()).map((r) => r.filename));
      const bad = new Set((await handle.db.selectFrom('bad_data').select('filename').execute()).map((r) => r.filename));
      const archivedEventFiles = listTree(settings.filesystem_dir).map((f) => path.basename(f)).filter((f) => /_(corrtag(_[ab])?|tag)\.fits$/.test(f));
      for (const f of archivedEventFiles) {
        // A STIS tag is recorded as its corrtag, an FUV _b segment through its _a partner (§1.4.2).
        const recordedAs = [f, f.replace('_tag.fits', '_corrtag.fits'), f.replace('_corrtag_b.fits', '_corrtag_a.fits')];
        assert.ok(recordedAs.some((n) => metadata.has(n)), `${f} archived without a metadata row`);
      }
      for (const f of listTree(settings.bad_data_dir).filter((x) => !x.endsWith('_x1d.fits') && !x.endsWith('_b.fits'))) {
        assert.ok(bad.has(path.basename(f)), `${f} quarantined without a bad_data row`);
      }
    } finally {
      await handle.close();
    }

    // Completely full now: the next run stops at its first write, the lock file, saying so (no hang).
    const filler = path.join(mountPoint, 'filler');
    spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k']);
    await assert.rejects(lockHome(settings.home_dir, 'pipeline'), (err: unknown) => err instanceof DiskFullError && /no space left on the device holding/.test(err.message));
    assert.ok(!existsSync(path.join(settings.home_dir, LOCK_NAME)), 'no lock left behind');
    rmSync(filler);

    assert.equal(spawnSync('mount', ['-o', 'remount,size=300m', mountPoint]).status, 0);
    await assertRerunEqualsClean(settings, clean);
  });
});
