/**
 * Option and argument parsers: bad values fail at parse time, with exit code 2 and a clear reason.
 * The download filters' parsers are in mast-parsers.ts (they load the MAST search module).
 */
import { InvalidArgumentError } from 'commander';

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`expected a positive number, got '${value}'.`);
  }
  return n;
}

export function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) <= 0) {
    throw new InvalidArgumentError(`expected a positive integer, got '${value}'.`);
  }
  return Number(value);
}

/** `A,B` in Ångström with A < B, as the library's `wlim` (§6.2). */
export function wavelengthRange(value: string): [number, number] {
  // Number('') is 0, so an empty side must be caught before converting.
  const parts = value.split(',').map((p) => (p.trim() === '' ? NaN : Number(p.trim())));
  const [lo, hi] = parts;
  const valid = parts.length === 2 && lo !== undefined && hi !== undefined && Number.isFinite(lo) && Number.isFinite(hi);
  if (!valid || lo >= hi) {
    throw new InvalidArgumentError(`expected two wavelengths 'A,B' with A < B (e.g. 915,1800), got '${value}'.`);
  }
  return [lo, hi];
}
