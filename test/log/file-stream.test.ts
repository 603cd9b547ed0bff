/**
 * Logging never blocks: a log file on a full device (/dev/full answers every write with ENOSPC) ends
 * the file log with one console line, and the program goes on and exits at once.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { LogFileStream } from '../../src/log/file-stream.js';
import { logFileName } from '../../src/log/logger.js';

const FULL = '/dev/full';
const skip = existsSync(FULL) ? false : `${FULL} is not available here`;
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the log file on a full disk', { skip }, () => {
  it('reports the first failed write once, drops the rest, and still closes', async () => {
    const failures: string[] = [];
    const stream = new LogFileStream(openSync(FULL, 'a'), FULL, (err) => failures.push(String(err.code)));
    for (let i = 0; i < 100; i++) stream.write(`{"msg":"line ${i}"}\n`);
    stream.flushSync();
    await new Promise<void>((resolve) => {
      stream.on('close', resolve);
      stream.end();
    });
    assert.deepEqual(failures, ['ENOSPC']);
    assert.equal(stream.failed?.code, 'ENOSPC');
  });

  it('lets a program that logs to it finish and exit at once, saying why the log stops', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hstlc-log-'));
    dirs.push(dir);
    const now = new Date(2026, 11, 2, 20, 45);
    symlinkSync(FULL, path.join(dir, logFileName('ingest', now)));
    const script = `
      import { createLogger } from ${JSON.stringify(new URL('../../src/log/logger.ts', import.meta.url).href)};
      const log = createLogger({ command: 'ingest', logDir: ${JSON.stringify(dir)}, now: new Date(${now.getTime()}), quiet: true });
      for (let i = 0; i < 2000; i++) log.info({ i }, 'a line of the run');
      setTimeout(() => { process.stdout.write('done'); process.exit(0); }, 200);
    `;
    const started = Date.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.signal, null, `killed after ${Date.now() - started} ms: it hung`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'done');
    assert.match(r.stderr, /warning: cannot write the log file .*ingest_2026-12-02-20-45\.log: no space left on the device/);
    assert.equal(r.stderr.match(/cannot write the log file/g)?.length, 1);
  });
});
