/**
 * One logger per command run: JSON lines appended to `<log_dir>/<command>_<YYYY-MM-DD-HH-MM>.log`
 * (the original's naming, §2.2) and readable lines on stderr.
 */
import { mkdirSync, openSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino, { type DestinationStream, type Logger, type StreamEntry } from 'pino';
import { redactUrl } from '../config/connection.js';
import { describeSource } from '../config/describe.js';
import type { LoadedConfig } from '../config/types.js';
import { createConsoleStream, useColor, type TextSink } from './console.js';
import { LogFileStream } from './file-stream.js';
import { CENSOR, REDACT_PATHS, redactDeep } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LoggerOptions {
  /** The command being run; names the log file. */
  command: string;
  /** Where the log file goes; without it the logger writes to the console only. */
  logDir?: string | undefined;
  /** Console threshold when neither quiet nor verbose is given. */
  level?: LogLevel;
  /** Console shows warnings and errors only. */
  quiet?: boolean;
  /** Console and file show debug records, console shows error stacks. */
  verbose?: boolean;
  /** Console destination (default process.stderr). */
  stderr?: TextSink;
  /** For NO_COLOR (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Start time for the file name (default now). */
  now?: Date;
  /** hstlc version for the preamble. */
  version?: string;
  /** Config whose source and (redacted) database go into the preamble. */
  config?: Pick<LoadedConfig, 'source' | 'db_connection_string'>;
}

export type HstlcLogger = Logger & {
  /** The log file, when there is one. */
  readonly file: string | undefined;
  /** Flush and close the log file; later records are dropped. Safe to call twice. */
  close(): Promise<void>;
};

const RANK: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50 };

function lower(a: LogLevel, b: LogLevel): LogLevel {
  return RANK[a] <= RANK[b] ? a : b;
}

function higher(a: LogLevel, b: LogLevel): LogLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `<command>_<YYYY-MM-DD-HH-MM>.log`, local time, as the original named its logs. */
export function logFileName(command: string, when: Date): string {
  const stamp = [
    when.getFullYear(),
    pad(when.getMonth() + 1),
    pad(when.getDate()),
    pad(when.getHours()),
    pad(when.getMinutes()),
  ].join('-');
  return `${command.replace(/[^\w.-]/g, '_')}_${stamp}.log`;
}

function loginName(env: NodeJS.ProcessEnv): string {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to what the shell says.
    return env['USER'] ?? env['LOGNAME'] ?? 'unknown';
  }
}

export function createLogger(opts: LoggerOptions): HstlcLogger {
  const env = opts.env ?? process.env;
  const sink = opts.stderr ?? process.stderr;
  const verbose = opts.verbose === true;
  const base = opts.level ?? 'info';
  const consoleLevel: LogLevel = verbose ? 'debug' : opts.quiet ? higher(base, 'warn') : base;
  // The file is the record of the run: always info and above, whatever the console shows.
  const fileLevel: LogLevel = verbose || base === 'debug' ? 'debug' : 'info';

  const streams: StreamEntry[] = [
    { level: consoleLevel, stream: createConsoleStream(sink, { color: useColor(sink, env), verbose }) },
  ];
  let file: string | undefined;
  let fileStream: LogFileStream | undefined;
  if (opts.logDir !== undefined) {
    const logFile = path.join(opts.logDir, logFileName(opts.command, opts.now ?? new Date()));
    file = logFile;
    // Opened synchronously so a missing permission is an error here, not an unhandled stream event.
    mkdirSync(opts.logDir, { recursive: true });
    const fd = openSync(logFile, 'a');
    // A failed write (a full disk) ends the file log with one line on the console; the run goes on.
    fileStream = new LogFileStream(fd, logFile, (err) => {
      const cause = err.code === 'ENOSPC' ? 'no space left on the device' : err.message;
      sink.write(`warning: cannot write the log file ${logFile}: ${cause}; the rest of this run is not in it\n`);
    });
    streams.push({ level: fileLevel, stream: fileStream as unknown as DestinationStream });
  }

  const logger = pino(
    {
      level: opts.logDir !== undefined ? lower(consoleLevel, fileLevel) : consoleLevel,
      base: { pid: process.pid, hostname: os.hostname(), command: opts.command },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      formatters: {
        level: (label) => ({ level: label }),
      },
      hooks: {
        // Every argument, message text included, goes through URL redaction before formatting.
        logMethod(args, method) {
          const clean = args.map((arg) => redactDeep(arg)) as Parameters<typeof method>;
          method.apply(this, clean);
        },
      },
    },
    pino.multistream(streams),
  );

  // pino gives children no bindings formatter, so redact child bindings on the way in; every
  // descendant inherits this method through its prototype.
  const pinoChild = logger.child;
  logger.child = function (this: Logger, bindings, options) {
    return pinoChild.call(this, redactDeep(bindings) as typeof bindings, options);
  } as typeof logger.child;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      logger.level = 'silent';
      if (!fileStream) return resolve();
      fileStream.on('close', () => resolve());
      fileStream.end();
    });
    return closing;
  };

  const result = Object.assign(logger, { file, close }) as HstlcLogger;
  logPreamble(result, opts, env, verbose);
  return result;
}

/** The first lines of every log (§2.2): who, where, which versions, which config. */
function logPreamble(logger: Logger, opts: LoggerOptions, env: NodeJS.ProcessEnv, verbose: boolean): void {
  // On the console only with --verbose: they are for the record, not for the person watching.
  const fields = { startup: true, fileOnly: !verbose };
  logger.info(fields, `User: ${loginName(env)}`);
  logger.info(fields, `System: ${os.hostname()}`);
  logger.info(fields, `Node version: ${process.version}`);
  if (opts.version !== undefined) logger.info(fields, `hstlc version: ${opts.version}`);
  if (opts.config !== undefined) {
    logger.info(fields, `Config: ${describeSource(opts.config.source)}`);
    logger.info(fields, `Database: ${redactUrl(opts.config.db_connection_string)}`);
  }
}
