/**
 * `hstlc status` counts a run whose process is gone as interrupted, not running: a child process
 * records a run and is killed (SIGKILL: it never finishes its row); this process's own run is live; a
 * run the child submitted to the job engine stays running (its workers, not the submitter, carry it).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connectDatabase, startRun } from '../../src/db/index.js';
import { collectStatus, describeStatus } from '../../src/pipeline/status.js';
import { tempDir } from '../helpers/tools.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const tmp = tempDir('hstlc-status-runs-');
after(tmp.cleanup);

test('a killed run shows as interrupted in the counts and the last runs; a live one as running', { timeout: 120_000 }, async () => {
  const dbFile = path.join(tmp.dir, 'hstlc.db');
  const db = { dialect: 'sqlite' as const, path: dbFile, params: {} };
  const handle = await connectDatabase(db);
  try {
    // The child records its run, says so, and waits to be killed.
    const script = `import { connectDatabase, startRun } from ${JSON.stringify(path.join(REPO, 'src/db/index.ts'))};
const h = await connectDatabase(${JSON.stringify(db)});
const id = await startRun(h, 'ingest');
const submitted = await startRun(h, 'pipeline', { engine: 'graphile' });
process.stdout.write('run ' + id + ' engine ' + submitted + '\\n');
setInterval(() => undefined, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO });
    let out = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: string) => {
        out += c;
        if (/run \d+ engine \d+/.test(out)) resolve();
      });
      child.on('exit', (code) => reject(new Error(`child exited ${code} before recording its run`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const killed = Number(/run (\d+)/.exec(out)![1]);
    // Submitted to the job engine: its workers carry it whatever became of the submitter.
    const onEngine = Number(/engine (\d+)/.exec(out)![1]);
    const live = await startRun(handle, 'stats');

    const home = path.join(tmp.dir, 'home');
    const status = await collectStatus(handle, { home_dir: home, ingest_dir: path.join(home, 'ingest'), filesystem_dir: home, outputs_dir: home, bad_data_dir: home, plot_dir: home, db });
    assert.deepEqual(status.runsByStatus, { interrupted: 1, running: 2 });
    assert.deepEqual(
      status.lastRuns.map((r) => [r.id, r.status]),
      [
        [live, 'running'],
        [onEngine, 'running'],
        [killed, 'interrupted'],
      ],
    );
    const lines = describeStatus(status);
    assert.ok(lines.some((l) => /^runs\s+3 \(1 interrupted, 2 running\)$/.test(l)), lines.join('\n'));
  } finally {
    await handle.close();
  }
});
