/**
 * Good time intervals: the GTI extension of an event file (START, STOP in seconds from the exposure
 * start) and whether a time bin lies inside them.
 */
import { FitsReader } from '../fits/index.js';

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
