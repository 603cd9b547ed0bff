/**
 * The commander program: global options, shared behaviour (exit instead of process.exit, output to
 * the injected writers), and the commands, each registered from its own file.
 */
import { Command, Option } from 'commander';
import { SCRIPT_ALIASES } from './aliases.js';
import { positiveNumber } from './parsers.js';
import {
  registerComposite,
  registerConfig,
  registerDemo,
  registerDownload,
  registerExtract,
  registerIngest,
  registerLightcurveStats,
  registerPipeline,
  registerPlots,
  registerResetDatabase,
  registerResetFilesystem,
  registerStats,
  registerVersion,
} from './commands/index.js';
import { registerInspect } from './commands/inspect.js';
import { registerStatus } from './commands/status.js';
import { registerWorker } from './commands/worker.js';
import { registerResolveTarget } from './commands/resolve-target.js';
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

export function buildProgram(ctx: CliContext): Command {
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

  registerIngest(program, ctx);
  registerStats(program, ctx);
  registerPlots(program, ctx);
  registerPipeline(program, ctx);
  registerStatus(program, ctx);
  registerWorker(program, ctx);
  registerResolveTarget(program, ctx);
  registerDownload(program, ctx);
  registerResetFilesystem(program, ctx);
  registerResetDatabase(program, ctx);
  registerExtract(program, ctx);
  registerComposite(program, ctx);
  registerLightcurveStats(program, ctx);
  registerInspect(program, ctx);
  registerDemo(program, ctx);
  registerConfig(program, ctx);
  registerVersion(program, ctx);
  return program;
}
