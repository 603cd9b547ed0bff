/**
 * `dataset_ok` (§3.1) without its side effects: read what the checks need from an event file and say
 * whether it is good, bad (which check, which reason, why) or unreadable. Moving the file and writing the
 * bad_data row are the ingest stage's business, so this can run in a worker and be tested alone.
 */
import { FitsError, FitsReader, ProductError } from '../fits/index.js';
import type { BadDataReason } from './reasons.js';
import { runChecks, type CheckName, type CheckResult, type QualityInput, type QualityOptions } from './checks.js';

export type Verdict =
  | { status: 'good'; checks: CheckResult[] }
  | { status: 'bad'; check: CheckName; reason: BadDataReason; detail: string; checks: CheckResult[] }
  /** The file could not be checked (malformed FITS, a keyword missing): not bad data, a failure to report. */
  | { status: 'error'; message: string };

/** The first failing check decides (§3.1). */
export function verdictOf(input: QualityInput, options: QualityOptions = {}): Verdict {
  const checks = runChecks(input, options);
  const failed = checks.find((c) => !c.passed);
  if (failed === undefined || failed.passed) return { status: 'good', checks };
  return { status: 'bad', check: failed.check, reason: failed.reason, detail: failed.detail, checks };
}

export class QualityInputError extends ProductError {
  constructor(message: string) {
    super(message);
    this.name = 'QualityInputError';
  }
}

/** Read EXPFLAG, EXPTIME (HDU 1), PROPOSID (HDU 0) and the TIME column. Throws on anything missing. */
export async function readQualityInput(file: string): Promise<QualityInput> {
  const fits = await FitsReader.open(file, { maxHdus: 2 });
  try {
    if (fits.hdus.length < 2 || fits.hdus[1]!.type !== 'BINTABLE') throw new QualityInputError(`${file}: HDU 1 is not a binary table of events`);
    const primary = fits.hdus[0]!.header;
    const events = fits.hdus[1]!.header;
    const expflag = events.string('EXPFLAG');
    if (expflag === undefined) throw new QualityInputError(`${file}: keyword EXPFLAG missing from HDU 1`);
    const exptime = events.number('EXPTIME');
    if (exptime === undefined) throw new QualityInputError(`${file}: keyword EXPTIME missing from HDU 1 (or not a number)`);
    const proposid = primary.integer('PROPOSID');
    if (proposid === undefined) throw new QualityInputError(`${file}: keyword PROPOSID missing from HDU 0 (or not an integer)`);
    const table = await fits.readTable(1, { columns: ['TIME'], int64AsNumber: true });
    const time = table.columns.get('TIME');
    if (time === undefined || time.kind !== 'numeric') throw new QualityInputError(`${file}: HDU 1 has no numeric TIME column`);
    return { expflag: expflag.trimEnd(), exptime, proposid, times: time.data as ArrayLike<number> };
  } finally {
    await fits.close();
  }
}

/** Check one file; never throws for a bad or unreadable file (the verdict says so). */
export async function checkFile(file: string, options: QualityOptions = {}): Promise<Verdict> {
  let input: QualityInput;
  try {
    input = await readQualityInput(file);
  } catch (err) {
    if (err instanceof QualityInputError || err instanceof FitsError) return { status: 'error', message: err.message };
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return { status: 'error', message: `${file}: ${(err as Error).message}` };
    throw err;
  }
  return verdictOf(input, options);
}

export interface FileVerdict {
  file: string;
  verdict: Verdict;
}

/** Check many files, one verdict each, in order; a file that cannot be read does not stop the others. */
export async function checkFiles(files: readonly string[], options: QualityOptions = {}): Promise<FileVerdict[]> {
  const out: FileVerdict[] = [];
  for (const file of files) {
    try {
      out.push({ file, verdict: await checkFile(file, options) });
    } catch (err) {
      out.push({ file, verdict: { status: 'error', message: `${file}: ${(err as Error).message}` } });
    }
  }
  return out;
}
