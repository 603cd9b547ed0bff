/** Option and argument parsers: bad values fail at parse time, with exit code 2 and a clear reason. */
import { InvalidArgumentError } from 'commander';
import { filterProblem } from '../mast/search.js';

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

/** A calendar day `YYYY-MM-DD` that exists (2024-02-30 does not). */
export function isoDay(value: string): string {
  const text = value.trim();
  const problem = filterProblem({ since: text });
  if (problem !== undefined) throw new InvalidArgumentError(`expected a date YYYY-MM-DD, got '${value}'.`);
  return text;
}

/** A TARGNAME for MAST's search, upper-cased; `*` is MAST's wildcard, commas and operators are refused. */
export function targetPattern(value: string): string {
  const text = value.trim().toUpperCase();
  if (filterProblem({ target: text }) !== undefined) {
    throw new InvalidArgumentError(`expected a target name of letters, digits and _ + - . * (wildcard), got '${value}'.`);
  }
  return text;
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
