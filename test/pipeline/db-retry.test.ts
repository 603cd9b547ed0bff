/**
 * The stages' database writes (ingest's commits, the composites' rows, the stats batches) go through
 * retryWrite: a lost connection is retried and logged, a lasting outage stops the stage as
 * DatabaseUnreachableError with the stage's words, and any other error passes as it is.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatabaseUnreachableError, type HstlcDb } from '../../src/db/index.js';
import { retryWrite } from '../../src/pipeline/db-retry.js';
import { collectingLogger } from '../../src/pipeline/log.js';

const handle = { dialect: 'postgresql' } as HstlcDb;
const lost = (): Error => Object.assign(new Error('Connection terminated unexpectedly'), {});

test('a write that loses its connection twice is retried and succeeds', async () => {
  const logger = collectingLogger();
  let calls = 0;
  const v = await retryWrite(handle, logger, { what: 'recording composite X', stopped: 'Stopped.', delays: [1, 1, 1] }, async () => {
    if (++calls <= 2) throw lost();
    return 42;
  });
  assert.equal(v, 42);
  assert.equal(calls, 3);
  assert.deepEqual(logger.lines.map((l) => [l.level, l.message]), [
    ['warn', '\tdatabase connection lost while recording composite X (Connection terminated unexpectedly); retry 1 in 1 ms'],
    ['warn', '\tdatabase connection lost while recording composite X (Connection terminated unexpectedly); retry 2 in 1 ms'],
  ]);
});

test('a lasting outage stops with DatabaseUnreachableError; other errors pass as they are', async () => {
  const logger = collectingLogger();
  let calls = 0;
  const err = await retryWrite(handle, logger, { what: 'recording stats', stopped: 'Stats stopped.', delays: [1, 1] }, async () => {
    calls++;
    throw lost();
  }).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof DatabaseUnreachableError, String(err));
  assert.equal(err.message, 'the postgresql database is unreachable: Connection terminated unexpectedly. Stats stopped.');
  assert.equal(calls, 3);
  const other = new Error('duplicate key');
  await assert.rejects(retryWrite(handle, logger, { what: 'x', stopped: 'y', delays: [1] }, async () => { throw other; }), (e) => e === other);
});
