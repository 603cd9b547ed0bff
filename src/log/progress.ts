/**
 * A progress bar for people at a terminal; for logs and CI, a line every ~10% instead, because a bar
 * redrawn into a file or a CI console is only noise.
 */
import cliProgress from 'cli-progress';
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
}

export interface Progress {
  /** Count `n` more items done (default 1). */
  increment(n?: number): void;
  /** Set the number of items done. */
  update(done: number): void;
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

function barProgress(opts: ProgressOptions, stream: NodeJS.WritableStream): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${opts.label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(opts.total, 0);
  let done = 0;
  return {
    increment(n = 1) {
      done += n;
      bar.update(done);
    },
    update(value) {
      done = value;
      bar.update(done);
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
