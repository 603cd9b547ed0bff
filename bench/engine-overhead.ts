/**
 * The job engine's cost and scaling (DESIGN §9), against the PostgreSQL of HSTLC_TEST_POSTGRES_URL
 * (default postgresql://root@127.0.0.1:5432/test), each part on a schema of its own, dropped after.
 *
 *   node --import tsx bench/engine-overhead.ts [--jobs 200] [--exposures 500] [--no-throughput]
 *       [--engines local,graphile] [--no-pin] [--cpu-prof DIR]
 *
 * 1. Overhead per job: an empty task on graphile-worker (one runner in this process, concurrency 1),
 *    one job at a time: enqueue → start and enqueue → complete, median and 90th percentile (target:
 *    complete ≤ 10 ms median).
 * 2. The machine's own ceiling: a CPU-bound and a memory-streaming program, alone and two at once.
 * 3. Throughput on a generated archive of ≥ `exposures` small exposures (tiny-preset exposures of several
 *    seeds, one reference set): ingest (with composites) then stats, by the local engine with num_cores
 *    1 and 2, and by the graphile engine with 1 and 2 `hstlc worker` processes (the built CLI, bin/hstlc.js:
 *    run `npm run build` first). Files per second and the 2-vs-1 ratio of each (target ≥ 1.8× on 2 cores,
 *    which only a quiet machine can show), with the CLI processes' CPU and the PostgreSQL server's CPU of
 *    each stage. Plots are left out: the site is one job by design.
 *
 * Run it only on a quiet machine; the figures go in the README's engine section.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { run, type WorkerEvents } from 'graphile-worker';
import pg from 'pg';
import { loadConfig, parseConnectionString, resolveSettings } from '../src/config/index.js';
import { connectDatabase } from '../src/db/index.js';
import { engineLogger, openEngine } from '../src/pipeline/engine/graphile.js';
import { SILENT } from '../src/pipeline/log.js';
import { submitRun, waitForRun } from '../src/pipeline/engine/submit.js';
import { buildExposure, buildReferenceSet, planArchive, SIZE_PRESETS, type ExposurePlan } from '../src/synthetic/index.js';
import { writeProduct } from '../src/synthetic/fitsio.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : dflt;
}
const JOBS = Number(arg('jobs', '200'));
const EXPOSURES = Number(arg('exposures', '500'));
const THROUGHPUT = !process.argv.includes('--no-throughput');
const PIN = !process.argv.includes('--no-pin');
/** Only these engines' configurations (default both). */
const ENGINES = arg('engines', 'local,graphile').split(',');
/** `node --cpu-prof` of every CLI child, into DIR/<configuration>-<stage> (read with bench/cpuprofile-top.ts). */
const CPU_PROF = arg('cpu-prof', '');
const URL_ = process.env['HSTLC_TEST_POSTGRES_URL'] ?? 'postgresql://root@127.0.0.1:5432/test';
const admin = parseConnectionString(URL_);
const CLI = fileURLToPath(new URL('../bin/hstlc.js', import.meta.url));

async function sql(text: string): Promise<void> {
  const c = new pg.Client({ host: admin.host, port: admin.port, user: admin.user, password: admin.password, database: admin.database });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

async function withSchema<T>(fn: (schema: string, url: string) => Promise<T>): Promise<T> {
  const schema = `hstlc_bench_${randomBytes(4).toString('hex')}`;
  await sql(`create schema ${schema}`);
  try {
    return await fn(schema, `${URL_.split('?')[0]}?schema=${schema}`);
  } finally {
    await sql(`drop schema if exists ${schema}_jobs cascade; drop schema if exists ${schema} cascade`);
  }
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

async function overhead(): Promise<void> {
  await withSchema(async (_schema, url) => {
    const cfg = resolveSettings({ home_dir: tmpdir(), db_connection_string: url, engine: 'graphile' }, { baseDir: tmpdir(), homedir: tmpdir(), cores: 2 });
    const handle = await connectDatabase(cfg.db);
    const engine = await openEngine(cfg, handle);
    const started = new Map<string, number>();
    const waiters = new Map<string, () => void>();
    const events: WorkerEvents = new EventEmitter() as WorkerEvents;
    events.on('job:complete', ({ job }) => waiters.get(job.id)?.());
    const runner = await run({
      pgPool: engine.pool,
      schema: engine.schema,
      concurrency: 1,
      noHandleSignals: true,
      pollInterval: 1000,
      events,
      logger: engineLogger(SILENT),
      taskList: {
        hstlc_bench_empty: async (_payload, helpers) => {
          started.set(helpers.job.id, performance.now());
        },
      },
    });
    const toStart: number[] = [];
    const toComplete: number[] = [];
    try {
      for (let i = 0; i < JOBS + 10; i++) {
        const t0 = performance.now();
        let resolveDone!: () => void;
        const done = new Promise<void>((r) => (resolveDone = r));
        const job = await engine.utils.addJob('hstlc_bench_empty', { i });
        waiters.set(job.id, resolveDone);
        // Completed before the waiter was set: the event has passed, the job row is gone.
        const pending = await engine.pool.query(`select 1 from ${engine.schema}._private_jobs where id = $1`, [job.id]);
        if (pending.rowCount === 0) resolveDone();
        await done;
        const t1 = performance.now();
        if (i >= 10) {
          toStart.push((started.get(job.id) ?? t1) - t0);
          toComplete.push(t1 - t0);
        }
      }
    } finally {
      await runner.stop();
      await engine.close();
      await handle.close();
    }
    console.log(`overhead of an empty job, ${JOBS} jobs one at a time (after 10 warm-up):`);
    console.log(`  enqueue → start     median ${quantile(toStart, 0.5).toFixed(2)} ms, p90 ${quantile(toStart, 0.9).toFixed(2)} ms`);
    console.log(`  enqueue → complete  median ${quantile(toComplete, 0.5).toFixed(2)} ms, p90 ${quantile(toComplete, 0.9).toFixed(2)} ms (target ≤ 10 ms median)`);
  });
}

/**
 * Seed `seed`'s copy of a plan as other observations of other targets: every seed plans the same rootnames
 * (the visit counter restarts) and the same 28 targets, so the visit code (two characters, base 36 as
 * HST's) is moved on by seed, and the target gets a name and a position (1° further in RA per seed) of its
 * own — an archive's composite groups hold a few exposures each, not every seed's.
 */
function renamed(plan: ExposurePlan, seed: number): ExposurePlan {
  const visit = (seed - 1) * 40 + plan.visit;
  if (visit >= 36 * 36) throw new Error(`seed ${seed}: out of visit codes`);
  const code = visit.toString(36).padStart(2, '0');
  const suffix = seed === 1 ? '' : `-S${seed}`;
  return {
    ...plan,
    rootname: `${plan.rootname.slice(0, 4)}${code}${plan.rootname.slice(6)}`,
    targname: `${plan.targname}${suffix}`,
    target: { ...plan.target, canonical: `${plan.target.canonical}${suffix}`, ra: (plan.target.ra + seed - 1) % 360 },
  };
}

/** An ingest_dir of ≥ n tiny exposures: several seeds' plans, all on seed 1's reference files. */
async function bigArchive(dir: string, n: number): Promise<{ exposures: number; files: number }> {
  const ingest = path.join(dir, 'ingest');
  mkdirSync(ingest, { recursive: true });
  const { files: refFiles, refs } = buildReferenceSet(1, SIZE_PRESETS.tiny);
  for (const f of refFiles) {
    mkdirSync(path.join(dir, 'ref', f.dir), { recursive: true });
    await writeProduct(path.join(dir, 'ref', f.dir, f.name), f.hdus);
  }
  let exposures = 0;
  let files = 0;
  for (let seed = 1; exposures < n; seed++) {
    for (const plan of planArchive(seed, 'tiny').map((p) => renamed(p, seed))) {
      const products = buildExposure(plan, refs, seed);
      if (products.some((p) => existsSync(path.join(ingest, p.name)))) throw new Error(`${plan.rootname} drawn twice`);
      for (const p of products) await writeProduct(path.join(ingest, p.name), p.hdus);
      exposures++;
      files += products.length;
    }
  }
  return { exposures, files };
}

/**
 * CPU seconds the local PostgreSQL server has used so far: every live `postgres` process's own time
 * plus the postmaster's reaped children (backends that have exited: their time is added to the parent's
 * cutime/cstime when it waits for them). The server shares the machine's two cores with the workers,
 * which is what bounds the 2-vs-1 ratio of a database-heavy stage here. Undefined without /proc.
 */
function postgresCpuSeconds(): number | undefined {
  const tick = 100; // USER_HZ on Linux (getconf CLK_TCK)
  let ticks = 0;
  let seen = false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
    // Fields after the command: state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17).
    const f = stat.slice(close + 2).split(' ');
    const [utime, stime, cutime, cstime] = [f[11], f[12], f[13], f[14]].map(Number) as [number, number, number, number];
    seen = true;
    ticks += utime + stime + cutime + cstime;
  }
  return seen ? ticks / tick : undefined;
}

/** CPU seconds (user + sys) and exit code of a CLI child, pinned to CPU 0 when `pin` (taskset). */
function cli(config: string, args: string[], pin: boolean, profile = ''): Promise<{ code: number | null; cpu: number }> {
  const timeFile = path.join(tmpdir(), `hstlc-bench-time-${randomBytes(4).toString('hex')}`);
  const prof = CPU_PROF !== '' && profile !== '' ? ['--cpu-prof', '--cpu-prof-dir', path.join(CPU_PROF, profile)] : [];
  const argv = ['-o', timeFile, '-f', '%U %S', ...(pin ? ['taskset', '-c', '0'] : []), process.execPath, ...prof, CLI, '--quiet', '--config', config, ...args];
  const child = spawn('/usr/bin/time', argv, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CI: 'true' } });
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) as [number, number];
      rmSync(timeFile, { force: true });
      resolve({ code, cpu: user + sys });
    }),
  );
}

/**
 * What two cores give for work that shares nothing: a fixed CPU-bound loop and a fixed streaming pass
 * over a 64 MB Float64Array (the shape of event extraction), each timed alone and as two processes at
 * once. 2 × alone / together is this machine's own ceiling for the 2-vs-1 ratio (a VM's two vCPUs may
 * share a physical core, memory bandwidth or a host busy with others); the engines are read against it.
 */
async function machineCeiling(): Promise<void> {
  const programs = {
    compute: 'let x=0;for(let i=0;i<1.5e8;i++){x+=Math.sqrt(i)*1e-9}if(x<0)console.log(x)',
    streaming: 'const a=new Float64Array(8<<20).fill(1);let s=0;for(let r=0;r<25;r++)for(let i=0;i<a.length;i++)s+=a[i]*r;if(s<0)console.log(s)',
  };
  const once = (code: string): Promise<void> =>
    new Promise((resolve, reject) => spawn(process.execPath, ['-e', code], { stdio: 'ignore' }).on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`probe exit ${c}`)))));
  console.log('this machine, two processes that share nothing (2 × alone / together; the ceiling for 2 vs 1):');
  for (const [name, code] of Object.entries(programs)) {
    const t0 = performance.now();
    await once(code);
    const alone = performance.now() - t0;
    const t1 = performance.now();
    await Promise.all([once(code), once(code)]);
    const together = performance.now() - t1;
    console.log(`  ${name.padEnd(9)} alone ${(alone / 1000).toFixed(2)} s, two at once ${(together / 1000).toFixed(2)} s: ${((2 * alone) / together).toFixed(2)}×`);
  }
}

async function throughput(): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'hstlc-bench-engine-'));
  try {
    const rows: Array<{ engine: string; n: number; seconds: number; cpu: number; stages: string }> = [];
    const g0 = performance.now();
    const { exposures, files: archiveFiles } = await bigArchive(path.join(scratch, 'archive'), EXPOSURES);
    console.log(`throughput, ingest (with composites) + stats of ${exposures} exposures (${archiveFiles} files, generated in ${((performance.now() - g0) / 1000).toFixed(1)} s):`);
    const report = (r: { engine: string; n: number; seconds: number; cpu: number; stages: string }): void => {
      rows.push(r);
      console.log(
        `  ${r.engine.padEnd(8)} ${r.engine === 'local' ? 'num_cores' : 'workers  '} ${r.n}${PIN && r.n === 1 ? ' (one core)' : ''}: ${r.seconds.toFixed(1)} s (${r.stages}), ` +
          `${(archiveFiles / r.seconds).toFixed(2)} files/s, CPU ${r.cpu.toFixed(1)} s (${((r.cpu / archiveFiles) * 1000).toFixed(0)} ms a file)`,
      );
    };
    const since = (t: number): number => (performance.now() - t) / 1000;
    // A stage's wall time, the CLI processes' CPU and the database server's CPU over the same span.
    const stageText = (name: string, seconds: number, cliCpu: number, pgBefore: number | undefined, pgAfter: number | undefined): string =>
      `${name} ${seconds.toFixed(1)} s (CPU ${cliCpu.toFixed(1)} s${pgBefore !== undefined && pgAfter !== undefined ? ` + PostgreSQL ${(pgAfter - pgBefore).toFixed(1)} s` : ''})`;
    const home = (name: string): string => {
      const h = path.join(scratch, name);
      cpSync(path.join(scratch, 'archive'), h, { recursive: true });
      return h;
    };
    // One worker on one core (taskset -c 0: a process's main thread and its unit thread then share the
    // core, as one worker per core of a host would), two on the machine's two cores.
    for (const cores of ENGINES.includes('local') ? [1, 2] : []) {
      await withSchema(async (_schema, url) => {
        const h = home(`local-${cores}`);
        const config = path.join(h, 'hstlc.yaml');
        writeFileSync(config, `home_dir: ${h}\ndb_connection_string: ${url}\nnum_cores: ${cores}\n`);
        const t0 = performance.now();
        const pg0 = postgresCpuSeconds();
        const ingest = await cli(config, ['ingest'], PIN && cores === 1, `local-${cores}-ingest`);
        const ingestSeconds = since(t0);
        const pg1 = postgresCpuSeconds();
        const t1 = performance.now();
        const stats = await cli(config, ['stats'], PIN && cores === 1, `local-${cores}-stats`);
        const pg2 = postgresCpuSeconds();
        if (ingest.code !== 0 || stats.code !== 0) throw new Error(`local ${cores}: exit ${ingest.code}, ${stats.code}`);
        const stages = [stageText('ingest', ingestSeconds, ingest.cpu, pg0, pg1), stageText('stats', since(t1), stats.cpu, pg1, pg2)];
        report({ engine: 'local', n: cores, seconds: since(t0), cpu: ingest.cpu + stats.cpu, stages: stages.join(', ') });
      });
    }
    for (const workers of ENGINES.includes('graphile') ? [1, 2] : []) {
      await withSchema(async (_schema, url) => {
        const h = home(`graphile-${workers}`);
        const config = path.join(h, 'hstlc.yaml');
        writeFileSync(config, `home_dir: ${h}\ndb_connection_string: ${url}\nengine: graphile\nnum_cores: 1\n`);
        const cfg = await loadConfig({ configPath: config, env: {} });
        const handle = await connectDatabase(cfg.db);
        const engine = await openEngine(cfg, handle);
        const t0 = performance.now();
        const stages: string[] = [];
        let cpu = 0;
        for (const command of ['ingest', 'stats'] as const) {
          const t1 = performance.now();
          const pg0 = postgresCpuSeconds();
          const s = await submitRun(handle, engine, { settings: cfg, command });
          // --lock-expiry 12: a heartbeat every 2 s, so a --once worker sees the empty queue within 2 s
          // (the default 60 s expiry beats every 10 s, a fixed cost per stage that is not throughput).
          const runs = await Promise.all(Array.from({ length: workers }, () => cli(config, ['worker', '--once', '--concurrency', '1', '--lock-expiry', '12'], PIN && workers === 1, `graphile-${workers}-${command}`)));
          const stageCpu = runs.reduce((n, r) => n + r.cpu, 0);
          cpu += stageCpu;
          await waitForRun(handle, engine, s.run);
          stages.push(stageText(command, since(t1), stageCpu, pg0, postgresCpuSeconds()));
        }
        report({ engine: 'graphile', n: workers, seconds: since(t0), cpu, stages: stages.join(', ') });
        await engine.close();
        await handle.close();
      });
    }
    for (const e of ENGINES) {
      const one = rows.find((r) => r.engine === e && r.n === 1)!;
      const two = rows.find((r) => r.engine === e && r.n === 2)!;
      console.log(`  ${e}: 2 vs 1 = ${(one.seconds / two.seconds).toFixed(2)}× (target ≥ 1.8×)`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await overhead();
if (THROUGHPUT) {
  await machineCeiling();
  await throughput();
}
