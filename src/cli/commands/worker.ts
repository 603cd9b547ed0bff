import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { examples } from '../examples.js';
import { stageLogger } from '../stage.js';

const positive = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(v)}`);
  return n;
};

/** `hstlc worker`: run the job engine's jobs on this host (DESIGN §9). */
export function registerWorker(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .summary('run the pipeline jobs queued on the graphile engine')
    .description(
      'With engine: graphile, run the jobs that hstlc pipeline (ingest, stats, plots) queued in the ' +
        'PostgreSQL of db_connection_string, N at a time, until SIGTERM or SIGINT (the running jobs finish ' +
        'or are released for another worker; exit 0) or, with --once, until no job is left. Start one per ' +
        'host; every host must see the same home_dir (a shared filesystem, mounted at the same path): a ' +
        'worker whose home_dir lacks the marker the pipeline wrote refuses to start.',
    )
    .option('--concurrency <n>', 'jobs at once (default num_cores)', (v) => Math.max(1, Math.floor(positive('--concurrency')(v))))
    .option('--once', 'stop when no job is left to run')
    .option('--lock-expiry <seconds>', "release the jobs of a worker not seen for this long (default 60)", positive('--lock-expiry'))
    .addHelpText('after', examples('$ hstlc worker', '$ hstlc worker --concurrency 2', '$ hstlc worker --once'))
    .action(async (opts: { concurrency?: number; once?: boolean; lockExpiry?: number }) => {
      const [{ MarkerError }, { runWorker }] = await Promise.all([import('../../pipeline/engine/marker.js'), import('../../pipeline/engine/worker.js')]);
      const cfg = await ctx.config();
      if (cfg.engine !== 'graphile') {
        ctx.out.error("engine is 'local' in this configuration: hstlc worker runs the jobs of engine: graphile (set it in the config file, with a postgresql:// db_connection_string)");
        ctx.setExitCode(ExitCode.USAGE);
        return;
      }
      const log = await ctx.logger({ file: true });
      const controller = new AbortController();
      const onSignal = (): void => controller.abort();
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
      try {
        const report = await runWorker({
          settings: cfg,
          concurrency: opts.concurrency ?? cfg.num_cores,
          once: opts.once === true,
          ...(opts.lockExpiry !== undefined ? { lockExpiryMs: opts.lockExpiry * 1000 } : {}),
          signal: controller.signal,
          env: ctx.io.env,
          logger: stageLogger(log),
          onReady: (id) => log.info(`worker ${id} ready`),
        });
        ctx.out.result(report, (r) => [`worker ${r.id}: ${r.jobs} job(s) done${r.released.length > 0 ? `; released the jobs of ${r.released.join(', ')}` : ''}`]);
      } catch (err) {
        if (err instanceof MarkerError) {
          ctx.out.error(err.message);
          ctx.setExitCode(ExitCode.USAGE);
          return;
        }
        throw err;
      } finally {
        process.removeListener('SIGTERM', onSignal);
        process.removeListener('SIGINT', onSignal);
      }
    });
}
