/**
 * What every command gets: the parsed global options, the config and the logger (both created on
 * first use, so `hstlc --help` or `hstlc version` never read a config file), and output helpers that
 * honour --json. Commands never write to process.stdout directly, which keeps them testable in-process.
 */
import type { LoadedConfig } from '../config/types.js';
import type { HstlcLogger } from '../log/logger.js';
import { redactDeep } from '../log/redact.js';
import { ExitCode } from './errors.js';
import type { CliIo } from './io.js';

export interface GlobalOptions {
  config?: string;
  verbose: boolean;
  quiet: boolean;
  json: boolean;
  /** --wait: wait for another process's lock, at most this many seconds (Infinity: as long as it takes). */
  waitSeconds?: number;
}

export interface Output {
  /**
   * True when --json was given. Note: --json is a program-wide option, so commander hands it to the
   * program even when it follows the command word; read it here, not from a command's own options.
   */
  readonly json: boolean;
  /** Lines on stdout. */
  print(...lines: string[]): void;
  /** A command's result: pretty JSON with --json, otherwise the lines `human` makes. Passwords masked. */
  result<T>(value: T, human: (value: T) => string[]): void;
  /** `error: message` on stderr, for problems that stop the command before logging starts. */
  error(message: string): void;
  /** `warning: message` on stderr. */
  warn(message: string): void;
}

export interface LoggerRequest {
  /**
   * Also write `<log_dir>/<command>_<date>.log` (loads the config). The stages that the original
   * logged (ingest, stats, plots, download) ask for this; quick commands do not.
   */
  file?: boolean;
}

export interface CliContext {
  readonly io: CliIo;
  readonly version: string;
  readonly out: Output;
  /** The program-wide options; valid inside a command's action. */
  globals(): GlobalOptions;
  /** The configuration, loaded once; throws ConfigError, which main reports with exit code 2. */
  config(): Promise<LoadedConfig>;
  /** The logger, created once (the first request decides whether it has a file); closed by main. */
  logger(request?: LoggerRequest): Promise<HstlcLogger>;
  /** Record the outcome; the highest code wins so one late success cannot hide a failure. */
  setExitCode(code: ExitCode): void;
  readonly exitCode: ExitCode;
  /** The name of the command being run (set by main before the action starts). */
  command: string;
}

export interface ContextInternals extends CliContext {
  /** Flush and close what was opened; main calls it once at the end. */
  close(): Promise<void>;
  /** The logger if one was created, for main's last-resort error reporting. */
  existingLogger(): HstlcLogger | undefined;
}

export function createContext(
  io: CliIo,
  version: string,
  readGlobals: () => GlobalOptions,
): ContextInternals {
  let config: Promise<LoadedConfig> | undefined;
  let logger: Promise<HstlcLogger> | undefined;
  let created: HstlcLogger | undefined;
  let exitCode: ExitCode = ExitCode.OK;

  const out: Output = {
    get json() {
      return readGlobals().json;
    },
    print(...lines) {
      for (const line of lines) io.stdout.write(`${line}\n`);
    },
    result(value, human) {
      if (readGlobals().json) io.stdout.write(`${JSON.stringify(redactDeep(value), null, 2)}\n`);
      else for (const line of human(value)) io.stdout.write(`${line}\n`);
    },
    error(message) {
      io.stderr.write(`error: ${message}\n`);
    },
    warn(message) {
      io.stderr.write(`warning: ${message}\n`);
    },
  };

  const ctx: ContextInternals = {
    io,
    version,
    out,
    command: 'hstlc',
    globals: readGlobals,
    get exitCode() {
      return exitCode;
    },
    setExitCode(code) {
      exitCode = Math.max(exitCode, code) as ExitCode;
    },
    config() {
      // Imported here: `hstlc --version` and `--help` read no config, so they load no YAML or schema.
      config ??= import('../config/load.js')
        .then(({ loadConfig }) =>
          loadConfig({
            configPath: readGlobals().config,
            env: io.env,
            cwd: io.cwd,
            homedir: io.homedir,
          }),
        )
        .then((cfg) => {
          for (const warning of cfg.warnings) out.warn(warning);
          return cfg;
        });
      return config;
    },
    logger(request = {}) {
      logger ??= (async () => {
        const globals = readGlobals();
        const cfg = request.file ? await ctx.config() : undefined;
        const { createLogger } = await import('../log/logger.js');
        created = createLogger({
          command: ctx.command,
          logDir: cfg?.log_dir,
          level: 'info',
          quiet: globals.quiet,
          verbose: globals.verbose,
          stderr: io.stderr,
          env: io.env,
          version,
          ...(cfg ? { config: cfg } : {}),
        });
        // Already shown on the console when the config loaded; the file keeps them too.
        for (const warning of cfg?.warnings ?? []) created.warn({ fileOnly: true }, warning);
        return created;
      })();
      return logger;
    },
    existingLogger: () => created,
    async close() {
      await created?.close();
    },
  };
  return ctx;
}
