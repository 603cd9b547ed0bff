/**
 * The commander program: global options, shared behaviour (exit instead of process.exit, output to
 * the injected writers), and the commands, each registered from its own file.
 *
 * The command files are imported lazily: when the arguments name one command (`hstlc ingest ...`,
 * `hstlc help ingest`), only the file that defines it is loaded, so its help and its start-up do not
 * pay for the other commands' modules; anything else (`hstlc --help`, a misspelt command, no command)
 * loads every file, in the order of the root help.
 */
import { Command, Option } from 'commander';
import { SCRIPT_ALIASES } from './aliases.js';
import { positiveNumber } from './parsers.js';
import type { CliContext } from './context.js';

const ROOT_HELP_AFTER = `
Configuration:
  A YAML file, looked for at --config FILE, then $HSTLC_CONFIG, then ./hstlc.yaml,
  then ~/.hstlc/config.yaml; without one, everything lives under ~/.hstlc.
  \`hstlc config\` shows the settings in use.

Exit codes:
  0  success
  1  some items failed (each one is reported)
  2  usage or configuration error

Original script names still work:
${Object.entries(SCRIPT_ALIASES)
  .map(([alias, command]) => `  ${alias.padEnd(24)} = hstlc ${command}`)
  .join('\n')}

Examples:
  $ hstlc pipeline
  $ hstlc --config prod.yaml download --dry-run
  $ hstlc ingest --help
`;

type Register = (program: Command, ctx: CliContext) => void;

/** The command files in root-help order, each with the commands it defines. */
const COMMAND_FILES: ReadonlyArray<{ commands: readonly string[]; load: () => Promise<Register> }> = [
  { commands: ['ingest'], load: async () => (await import('./commands/ingest.js')).registerIngest },
  { commands: ['stats'], load: async () => (await import('./commands/stats.js')).registerStats },
  { commands: ['plots'], load: async () => (await import('./commands/plots.js')).registerPlots },
  { commands: ['pipeline'], load: async () => (await import('./commands/pipeline.js')).registerPipeline },
  { commands: ['status'], load: async () => (await import('./commands/status.js')).registerStatus },
  { commands: ['worker'], load: async () => (await import('./commands/worker.js')).registerWorker },
  { commands: ['resolve-target'], load: async () => (await import('./commands/resolve-target.js')).registerResolveTarget },
  { commands: ['download', 'mast-stub'], load: async () => (await import('./commands/download.js')).registerDownload },
  { commands: ['reset-filesystem'], load: async () => (await import('./commands/reset-filesystem.js')).registerResetFilesystem },
  { commands: ['reset-database'], load: async () => (await import('./commands/reset-database.js')).registerResetDatabase },
  { commands: ['extract'], load: async () => (await import('./commands/extract.js')).registerExtract },
  { commands: ['composite'], load: async () => (await import('./commands/composite.js')).registerComposite },
  { commands: ['lightcurve-stats'], load: async () => (await import('./commands/lightcurve-stats.js')).registerLightcurveStats },
  { commands: ['inspect'], load: async () => (await import('./commands/inspect.js')).registerInspect },
  { commands: ['demo'], load: async () => (await import('./commands/demo.js')).registerDemo },
  { commands: ['config'], load: async () => (await import('./commands/config.js')).registerConfig },
  { commands: ['version'], load: async () => (await import('./commands/version.js')).registerVersion },
];

/** Every command name, in root-help order (the lazy-load test checks it against the commands registered). */
export const COMMAND_NAMES: readonly string[] = COMMAND_FILES.flatMap((f) => f.commands);

/** Root flags after which commander acts on the program itself, whatever words follow. */
const ROOT_ACTIONS = new Set(['-h', '--help', '-V', '--version']);

/**
 * The one command the (alias-mapped) arguments run or ask help for, or undefined when commander may need
 * every command (root help, a misspelt command, none). Mirrors commander's scan of the program's
 * options: --config takes the next word, --wait the next one unless it is an option.
 */
export function commandOf(args: readonly string[]): string | undefined {
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    const a = args[i]!;
    if (a === '--' || ROOT_ACTIONS.has(a)) return undefined;
    if (a === '--config' || (a === '--wait' && i + 1 < args.length && !args[i + 1]!.startsWith('-'))) i++;
  }
  const word = args[i] === 'help' ? args[i + 1] : args[i];
  return word !== undefined && COMMAND_NAMES.includes(word) ? word : undefined;
}

/** The program for `args` (commander's user arguments): only the command they name, or all of them. */
export async function buildProgram(ctx: CliContext, args: readonly string[]): Promise<Command> {
  const program = new Command('hstlc');
  // Settings first: commander copies them into each command created afterwards.
  program
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void ctx.io.stdout.write(text),
      writeErr: (text) => void ctx.io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError(true);

  program
    .description(
      'Lightcurves from Hubble COS and STIS TIME-TAG data: download from MAST, ingest, extract, ' +
        'combine, compute statistics and make plots.',
    )
    .version(ctx.version, '-V, --version', 'show the hstlc version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .option('--config <file>', 'the config file to use (see "Configuration" below)')
    .addOption(new Option('--verbose', 'show debug messages and error details').conflicts('quiet'))
    .option('--quiet', 'show only warnings and errors')
    .option('--json', 'print results as JSON, for commands that print results')
    .addOption(
      new Option(
        '--wait [seconds]',
        'when another hstlc process is working on the same home_dir (or download_dir), wait for it to finish ' +
          '(at most SECONDS; without a number, as long as it takes) instead of exiting at once',
      ).argParser((v) => String(positiveNumber(v))),
    )
    .addHelpText('after', ROOT_HELP_AFTER)
    .hook('preAction', (_program, action) => {
      ctx.command = action.name();
    });

  const wanted = commandOf(args);
  const files = COMMAND_FILES.filter((f) => wanted === undefined || f.commands.includes(wanted));
  for (const register of await Promise.all(files.map((f) => f.load()))) register(program, ctx);
  return program;
}
