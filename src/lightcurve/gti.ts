/**
 * Good time intervals: the GTI extension of an event file (START, STOP in seconds from the exposure
 * start) and whether a time bin lies inside them.
 */
import { FitsReader, ProductError } from '../fits/index.js';
import { selectRows, type LightcurveColumns } from './table.js';

/** Good time intervals (seconds from exposure start) of an event file's GTI extension, if any. */
export async function readGti(path: string): Promise<Array<[number, number]> | undefined> {
  const f = await FitsReader.open(path);
  try {
    const h = f.hdus.find((x) => x.name.toUpperCase() === 'GTI' && x.table !== undefined);
    if (h === undefined) return undefined;
    const t = await f.readTable(h, { columns: ['START', 'STOP'] });
    const a = t.columns.get('START')?.data as ArrayLike<number>;
    const b = t.columns.get('STOP')?.data as ArrayLike<number>;
    const out: Array<[number, number]> = [];
    for (let i = 0; i < t.rows; i++) out.push([Number(a[i]), Number(b[i])]);
    return out;
  } finally {
    await f.close();
  }
}

/** A bin is inside the GTIs when it lies wholly within one interval. */
export function binInsideGti(t0: number, t1: number, gti: ReadonlyArray<[number, number]>): boolean {
  return gti.some(([a, b]) => t0 >= a && t1 <= b);
}

/**
 * §6.5 where the time grid is cut: EXPTIME as built, or (corrected, `atLastStop`) the last GTI
 * stop, so an exposure with a gap (EXPTIME is live time, shorter than the span) keeps its later events.
 */
export function gridCut(exptime: number, gti: ReadonlyArray<[number, number]> | undefined, atLastStop: boolean): number {
  return atLastStop && gti !== undefined && gti.length > 0 ? Math.max(...gti.map(([, b]) => b)) : exptime;
}

/** The bins of `columns` that lie wholly inside one good time interval; none left is bad data. */
export function keepBinsInsideGti(columns: LightcurveColumns, step: number, gti: ReadonlyArray<[number, number]>, path: string): LightcurveColumns {
  const kept = selectRows(columns, (i) => binInsideGti(columns.times[i], columns.times[i] + step, gti));
  if (kept.times.length === 0) throw new ProductError(`${path}: no ${step} s time bin lies inside the good time intervals`);
  return kept;
}

/** A warning when events lie beyond where the grid was cut (EXPTIME or the last GTI stop). */
export function cutWarning(lastEvent: number, cutAt: number, exptime: number): string[] {
  if (!(lastEvent > cutAt)) return [];
  return [`event times go beyond ${cutAt === exptime ? `EXPTIME ${exptime}` : `the last GTI stop ${cutAt}`}; cut there`];
}

/**
 * A warning for events no time grid holds: NaN TIME always, negative TIME when the grid starts at
 * 0 or later (§6.5 COS: never below 0). Events beyond the cut have their own warning (cutWarning).
 */
export function droppedTimeWarnings(nanTimes: number, negativeTimes: number, gridStart: number): string[] {
  const out: string[] = [];
  const events = (n: number): string => `${n} event${n === 1 ? '' : 's'}`;
  if (nanTimes > 0) out.push(`${events(nanTimes)} with NaN TIME dropped`);
  if (negativeTimes > 0 && gridStart >= 0) out.push(`${events(negativeTimes)} with negative TIME dropped (the time grid starts at ${gridStart} s)`);
  return out;
}
