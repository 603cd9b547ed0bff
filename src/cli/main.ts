/**
 * The CLI entry: `main(process.argv)` from bin/hstlc.js, or in-process from tests with injected io.
 * Returns the exit code (and sets process.exitCode) instead of calling process.exit, so pending log
 * writes are flushed before Node ends.
 */
import { toCommandArgs } from './aliases.js';
import type { ContextInternals, GlobalOptions } from './context.js';
import { ExitCode, UsageError } from './errors.js';
import { resolveIo, type CliIo } from './io.js';
import { hstlcVersion } from './version.js';

export type { CliIo, Writer } from './io.js';
export type { CliContext, GlobalOptions, Output } from './context.js';
export { ExitCode, UsageError } from './errors.js';

/** `hstlc --version` / `-V` alone: what commander prints for it, without loading commander. */
const VERSION_FLAGS = new Set(['--version', '-V']);

export async function main(argv: string[], io?: Partial<CliIo>): Promise<number> {
  const cli = resolveIo(io);
  const args = toCommandArgs(argv);
  if (args.length === 1 && VERSION_FLAGS.has(args[0]!)) {
    cli.stdout.write(`${hstlcVersion()}\n`);
    process.exitCode = ExitCode.OK;
    return ExitCode.OK;
  }
  // Imported after the --version answer: commander, the command definitions (program.ts), the rest of main.
  const [{ buildProgram }, { createContext }, { atInterrupt }] = await Promise.all([import('./program.js'), import('./context.js'), import('./interrupt.js')]);
  let readGlobals: () => GlobalOptions = () => ({ verbose: false, quiet: false, json: false });
  const ctx = createContext(cli, hstlcVersion(), () => readGlobals());
  const program = await buildProgram(ctx, args);
  readGlobals = () => {
    const opts = program.opts<Partial<GlobalOptions> & { wait?: true | string }>();
    return {
      ...(opts.config !== undefined ? { config: opts.config } : {}),
      verbose: opts.verbose === true,
      quiet: opts.quiet === true,
      json: opts.json === true,
      ...(opts.wait !== undefined ? { waitSeconds: opts.wait === true ? Infinity : Number(opts.wait) } : {}),
    };
  };

  let code: number;
  // Ctrl-C (cli/interrupt.ts): the log file is flushed last, after the stage's own cleanups.
  const unregister = atInterrupt(() => ctx.close());
  // A STIS tag extraction under way leaves its scratch corrtag in $TMPDIR: removed on the way out.
  const unregisterScratch = atInterrupt(async () => {
    await (await import('../hst/stis/scratch.js')).removeOwnScratch();
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    code = ctx.exitCode;
  } catch (err) {
    code = await report(err, ctx);
  } finally {
    unregisterScratch();
    unregister();
    await ctx.close();
  }
  process.exitCode = code;
  return code;
}

/** Turn what escaped a command into messages and an exit code. */
async function report(err: unknown, ctx: ContextInternals): Promise<number> {
  // Already loaded when they matter: commander by the program, the config modules by ctx.config().
  const { CommanderError } = await import('commander');
  if (err instanceof CommanderError) {
    // Commander has printed its own message (and the help hint); --help and --version end with 0.
    return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
  }
  const [{ ConfigError }, { redactUrl }] = await Promise.all([import('../config/errors.js'), import('../config/connection.js')]);
  if (err instanceof ConfigError) {
    for (const message of err.messages) ctx.out.error(message);
    return ExitCode.USAGE;
  }
  if (err instanceof UsageError) {
    ctx.out.error(redactUrl(err.message));
    ctx.io.stderr.write(`(run "hstlc ${ctx.command} --help" for usage)\n`);
    return ExitCode.USAGE;
  }
  // A failure no command handled: a bug or an environment problem. Keep it in the log file too.
  const error = err instanceof Error ? err : new Error(String(err));
  const logger = ctx.existingLogger();
  if (logger) logger.error({ err: error, fileOnly: true }, 'unexpected failure');
  ctx.out.error(redactUrl(error.message));
  if (ctx.globals().verbose && error.stack) ctx.io.stderr.write(`${redactUrl(error.stack)}\n`);
  return ExitCode.ITEMS_FAILED;
}
