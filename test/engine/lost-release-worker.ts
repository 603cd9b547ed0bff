/**
 * `runWorker` in a process of its own (no test harness listening for unhandled rejections), on the config
 * given as argv[2], that makes what graphile-worker 0.17 leaves behind when the backend is terminated as it
 * records a job's end: a promise nobody awaits, rejected with the server's 57P01. Prints the log lines and
 * the report as JSON on stdout.
 */
import { loadConfig } from '../../src/config/index.js';
import { runWorker } from '../../src/pipeline/engine/worker.js';
import { collectingLogger } from '../../src/pipeline/index.js';

const cfg = await loadConfig({ configPath: process.argv[2]!, env: {} });
const logger = collectingLogger();
let injected = false;
const report = await runWorker({
  settings: cfg,
  once: true,
  heartbeatMs: 250,
  logger,
  onJobStart: () => {
    if (injected) return;
    injected = true;
    void Promise.reject(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
  },
});
process.stdout.write(JSON.stringify({ injected, report, lines: logger.lines, listeners: process.listenerCount('unhandledRejection') }));
