/**
 * Options that several commands share, declared once. Choice lists come from the registries that own the
 * concept (algorithms, periodogram grids and methods), so a new entry there is offered everywhere.
 */
import { InvalidArgumentError, Option } from 'commander';
// The registries' own small modules, not analysis/index.js: `--help` loads no periodogram kernel.
import { GRID_KINDS } from '../analysis/periodogram/grids.js';
import { PERIODOGRAM_METHODS } from '../analysis/periodogram/methods.js';
import { ALGORITHM_NAMES, type AlgorithmName } from '../lightcurve/algorithm.js';
import { positiveNumber } from './parsers.js';

const quoted = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(' or ');

export function algorithmName(value: string): AlgorithmName {
  const name = ALGORITHM_NAMES.find((n) => n === value);
  if (name === undefined) throw new InvalidArgumentError(`expected ${quoted(ALGORITHM_NAMES)}, got '${value}'.`);
  return name;
}

/** `--algorithm` of the extraction commands (default: the config's algorithm). */
export function extractionAlgorithmOption(description: string): Option {
  return new Option('--algorithm <name>', description).argParser(algorithmName);
}

/** `--step` of the extraction commands (default: the config's step). */
export function stepOption(): Option {
  return new Option('--step <seconds>', 'bin width in seconds (default: the config step)').argParser(positiveNumber);
}

/** `--algorithm` of the statistics commands: the periodogram grid. */
export function periodogramGridOption(description: string): Option {
  return new Option('--algorithm <grid>', description).choices(GRID_KINDS);
}

/** `--method` of the statistics commands: how the periodogram is computed (same decisions either way). */
export function periodogramMethodOption(description: string): Option {
  return new Option('--method <method>', description).choices(PERIODOGRAM_METHODS).default('auto');
}

/** `--no-wait` of the stage commands: with engine graphile, return once the jobs are queued. */
export function noWaitOption(): Option {
  return new Option('--no-wait', 'engine graphile: return once the jobs are queued (hstlc worker runs them)');
}

/** `--corrtag-extract` of ingest and the pipeline (§5.1: re-derive STIS corrtags already made from tag files). */
export function corrtagExtractOption(description: string): Option {
  return new Option('--corrtag-extract', description);
}

/** What ingest and the pipeline are given: `--corrtag-extract`, `--no-wait`. */
export interface IngestCommandOptions {
  corrtagExtract?: boolean;
  wait: boolean;
}
