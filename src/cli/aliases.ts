/**
 * The original console scripts (§14.5, setup.py entry points) as aliases, so crontabs and habits that
 * call `ingest_hstlc -corrtag_extract` keep working.
 */
import path from 'node:path';

export const SCRIPT_ALIASES: Readonly<Record<string, string>> = {
  ingest_hstlc: 'ingest',
  build_stats_table: 'stats',
  make_hstlc_plots: 'plots',
  hstlc_pipeline: 'pipeline',
  download_hstlc: 'download',
  reset_hstlc_filesystem: 'reset-filesystem',
  reset_hstlc_database: 'reset-database',
};

/** Global options that take a value, so the scan for the command word can skip that value. */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['--config']);

/** argparse spelled flags with one dash and underscores (`-corrtag_extract`); commander wants `--corrtag-extract`. */
function modernFlag(arg: string): string {
  return /^-[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+$/.test(arg) ? `-${arg.replace(/_/g, '-')}` : arg;
}

function aliasOf(word: string): string | undefined {
  return Object.hasOwn(SCRIPT_ALIASES, word) ? SCRIPT_ALIASES[word] : undefined;
}

/**
 * Turn `process.argv` into commander's user arguments, mapping an alias found either as the program's
 * own name (argv[1], e.g. a symlink called ingest_hstlc) or as the first command word.
 */
export function toCommandArgs(argv: readonly string[]): string[] {
  const script = argv[1] ?? '';
  const args = argv.slice(2);
  const invoked = aliasOf(path.basename(script).replace(/\.[cm]?[jt]s$/, ''));
  if (invoked !== undefined) return [invoked, ...args.map(modernFlag)];

  let i = 0;
  while (i < args.length && args[i]!.startsWith('-') && args[i] !== '--') {
    i += GLOBAL_OPTIONS_WITH_VALUE.has(args[i]!) ? 2 : 1;
  }
  const command = i < args.length ? aliasOf(args[i]!) : undefined;
  if (command === undefined) return args;
  return [...args.slice(0, i), command, ...args.slice(i + 1).map(modernFlag)];
}
