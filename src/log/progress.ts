/**
 * A progress bar for people at a terminal; for logs and CI, a line every ~10% instead, because a bar
 * redrawn into a file or a CI console is only noise.
 */
import { createRequire } from 'node:module';
import type { TextSink } from './console.js';

export interface ProgressOptions {
  total: number;
  /** What is being counted, e.g. "ingest". */
  label: string;
  /** Where the bar is drawn (default process.stderr). */
  stream?: TextSink & NodeJS.WritableStream;
  /** For CI (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Receives the 10% lines when there is no bar; without it they go to `stream`. */
  logger?: { info(msg: string): void };
  /** No bar (it would hide nothing else, but quiet means quiet); the 10% lines still reach the logger. */
  quiet?: boolean;
  /** The bar shows the failures so far and the current item (update's `detail`) instead of the ETA. */
  detail?: boolean;
}

/** What a bar with `detail` shows beside the count. */
export interface ProgressDetail {
  failures?: number;
  current?: string;
}

export interface Progress {
  /** Count `n` more items done (default 1). */
  increment(n?: number): void;
  /** Set the number of items done (and, for a bar with `detail`, the failures and current item). */
  update(done: number, detail?: ProgressDetail): void;
  /** Finish: the bar is left at its last value, the line mode reports completion. */
  stop(): void;
}

/** CI=true (and the other truthy spellings CI services use) means no interactive output. */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const value = env['CI'];
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const env = opts.env ?? process.env;
  const interactive = stream.isTTY === true && !isCI(env) && opts.quiet !== true;
  return interactive ? barProgress(opts, stream) : lineProgress(opts, stream);
}

/**
 * cli-progress, loaded when the first bar is drawn (it is CommonJS, so synchronously): a command that
 * draws none — `hstlc --version`, `--help`, anything off a terminal — never pays for it.
 */
let cliProgressModule: typeof import('cli-progress') | undefined;
function cliProgress(): typeof import('cli-progress') {
  cliProgressModule ??= createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
  return cliProgressModule;
}

function barProgress(opts: ProgressOptions, stream: NodeJS.WritableStream): Progress {
  const { SingleBar, Presets } = cliProgress();
  const bar = new SingleBar(
    {
      stream,
      format:
        opts.detail === true
          ? `${opts.label} [{bar}] {value}/{total} | {failures} failed | {current}`
          : `${opts.label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
      hideCursor: true,
      ...(opts.detail === true ? {} : { etaBuffer: 50 }),
    },
    Presets.shades_classic,
  );
  const payload = (d: ProgressDetail = {}) => ({ failures: d.failures ?? 0, current: d.current ?? '' });
  if (opts.detail === true) bar.start(opts.total, 0, payload());
  else bar.start(opts.total, 0);
  let done = 0;
  return {
    increment(n = 1) {
      done += n;
      bar.update(done);
    },
    update(value, detail) {
      done = value;
      if (opts.detail === true) bar.update(done, payload(detail));
      else bar.update(done);
    },
    stop() {
      bar.stop();
    },
  };
}

function lineProgress(opts: ProgressOptions, stream: TextSink): Progress {
  const say = (msg: string) => (opts.logger ? opts.logger.info(msg) : stream.write(`${msg}\n`));
  let done = 0;
  let reported = 0; // the last tenth reported, 0..10
  const report = () => {
    if (opts.total <= 0) return;
    const tenth = Math.min(10, Math.floor((done / opts.total) * 10));
    if (tenth > reported) {
      reported = tenth;
      say(`${opts.label}: ${tenth * 10}% (${done}/${opts.total})`);
    }
  };
  return {
    increment(n = 1) {
      done += n;
      report();
    },
    update(value) {
      done = value;
      report();
    },
    stop() {
      if (opts.total > 0 && reported < 10) say(`${opts.label}: stopped at ${done}/${opts.total}`);
    },
  };
}
