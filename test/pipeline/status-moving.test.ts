/**
 * `hstlc status` never calls a file ingested before its moves are done: an ingest stopped between the
 * commit of a file's rows and its journalled moves shows that file as moving (its row counted apart,
 * the file still in ingest_dir); the next ingest finishes the moves, without a second row.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { connectDatabase } from '../../src/db/index.js';
import { IngestAborted, filesToIngest, runIngest } from '../../src/pipeline/index.js';
import { collectStatus, describeStatus } from '../../src/pipeline/status.js';
import { cleanupHomes, homeFor, tinyArchive } from './helpers.js';

describe('status during an interrupted ingest', () => {
  after(cleanupHomes);

  it('counts a committed file with pending moves as moving, and the re-run completes it once', async () => {
    const archive = await tinyArchive();
    const { settings } = homeFor(archive);
    const handle = await connectDatabase(settings.db);
    try {
      const { files } = await filesToIngest(settings.ingest_dir);
      let stopped: string | undefined;
      const err = await runIngest(handle, {
        settings,
        onStep: (step, file) => {
          // The first good file: its rows are committed, none of its files moved yet.
          if (step === 'committed' && stopped === undefined) {
            stopped = file;
            throw new Error('stop here');
          }
        },
      }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof IngestAborted, String(err));
      assert.ok(stopped !== undefined && files.includes(stopped));
      assert.ok(existsSync(stopped), 'the file is still in ingest_dir');

      const status = await collectStatus(handle, settings);
      assert.deepEqual(status.moving, [path.basename(stopped)]);
      const rows = await handle.db.selectFrom('metadata').select('filename').execute();
      assert.equal(status.counts.metadata, rows.length);
      const line = describeStatus(status).find((l) => l.startsWith('metadata'));
      assert.equal(line, `metadata      ${rows.length} (${rows.length - 1} ingested, 1 moving: moves pending in the journal)`);

      const summary = await runIngest(handle, { settings });
      assert.deepEqual(summary.recovered, [stopped]);
      assert.ok(!existsSync(stopped), 'moved out of ingest_dir by the re-run');
      const after = await collectStatus(handle, settings);
      assert.deepEqual(after.moving, []);
      assert.deepEqual(after.interruptedIngests, []);
      const names = (await handle.db.selectFrom('metadata').select('filename').execute()).map((r) => r.filename);
      assert.equal(new Set(names).size, names.length, 'no duplicate rows');
      assert.match(describeStatus(after).find((l) => l.startsWith('metadata'))!, /^metadata\s+\d+$/);
    } finally {
      await handle.close();
    }
  });
});
