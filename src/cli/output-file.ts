/**
 * The output file of `extract` and `composite`, checked before any work: a folder that does not exist,
 * or `-o` naming a folder, is said plainly (not as ENOENT or EISDIR on the temporary `.part` name the
 * atomic write uses); and one summary line of what was written.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';

/** Why `output` cannot be written (a sentence), or undefined; `example` is a file name to suggest. */
export async function outputFileProblem(output: string, example: string): Promise<string | undefined> {
  const here = await stat(output).catch(() => undefined);
  if (here?.isDirectory() === true) return `-o ${output} is a folder; give the file to write, e.g. -o ${path.join(output, example)}`;
  const dir = path.dirname(output);
  const parent = await stat(dir).catch(() => undefined);
  if (parent === undefined) return `the folder ${dir} does not exist (-o ${output}); create it first or choose another place`;
  if (!parent.isDirectory()) return `${dir} is not a folder (-o ${output})`;
  return undefined;
}

/** The subject and the message, the subject said once (a reader's message often names the file already). */
export function aboutOnce(subject: string, message: string): string {
  return message.includes(subject) ? message : `${subject}: ${message}`;
}

export interface WrittenLightcurve {
  output: string;
  bins: number;
  /** Sum of gross counts (events in the bins). */
  grossCounts: number;
  /** Sum of the counts column (gross − background). */
  totalCounts: number;
  /** Span in seconds (first bin start to last bin end, by MJD: a composite's members are days apart), and the MJDs of the first and last bin. */
  time: { seconds: number; mjdStart: number; mjdEnd: number };
  wavelength: [number, number];
}

function duration(seconds: number): string {
  if (seconds < 600) return `${Number(seconds.toFixed(1))} s`;
  if (seconds < 3 * 86400) return `${(seconds / 3600).toFixed(2)} h`;
  return `${(seconds / 86400).toFixed(2)} d`;
}

/** 'out.fits: 213 bins, 2630 counts (2617.9 net), 213 s from MJD 57373.83596 to 57373.83842, wavelength 915-3200 Angstrom'. */
export function summaryLine(s: WrittenLightcurve): string {
  const w = s.wavelength.map((x) => (Number.isInteger(x) ? String(x) : x.toFixed(3)));
  const span = s.bins === 0 ? 'no time' : `${duration(s.time.seconds)} from MJD ${s.time.mjdStart.toFixed(5)} to ${s.time.mjdEnd.toFixed(5)}`;
  return `${s.output}: ${s.bins} bins, ${Math.round(s.grossCounts)} counts (${s.totalCounts.toFixed(1)} net), ${span}, wavelength ${w[0]}-${w[1]} Angstrom`;
}

function sum(a: ArrayLike<number>): number {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i]!;
  return t;
}

/** The figures of the summary line from a lightcurve's columns. */
export function written(output: string, columns: { bins: ArrayLike<number>; mjd: ArrayLike<number>; gross: ArrayLike<number>; counts: ArrayLike<number> }, wavelength: [number, number]): WrittenLightcurve {
  const n = columns.mjd.length;
  const last = n - 1;
  return {
    output,
    bins: n,
    grossCounts: sum(columns.gross),
    totalCounts: sum(columns.counts),
    time: n === 0 ? { seconds: 0, mjdStart: 0, mjdEnd: 0 } : { seconds: (columns.mjd[last]! - columns.mjd[0]!) * 86400 + columns.bins[last]!, mjdStart: columns.mjd[0]!, mjdEnd: columns.mjd[last]! },
    wavelength,
  };
}
