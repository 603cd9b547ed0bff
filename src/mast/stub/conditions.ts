/**
 * The search API's condition values as the stub understands them: a comma-separated list of terms,
 * each `value` (equal, case-insensitive, `*` wildcards), `!value` (not equal), `<value` / `>value`
 * (compared as numbers when both sides are numbers, else as text, which orders ISO dates), or `a..b`.
 * A row matches when no negative term matches and, if there are positive terms, one of them does.
 */
import { wildcardRegExp } from '../names.js';
import type { StubRow } from './catalog.js';

function compare(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

function termMatches(cell: string, term: string): boolean {
  if (term.startsWith('<=')) return compare(cell, term.slice(2)) <= 0;
  if (term.startsWith('>=')) return compare(cell, term.slice(2)) >= 0;
  if (term.startsWith('<')) return compare(cell, term.slice(1)) < 0;
  if (term.startsWith('>')) return compare(cell, term.slice(1)) > 0;
  const range = /^(.+)\.\.(.+)$/.exec(term);
  if (range) return compare(cell, range[1]!) >= 0 && compare(cell, range[2]!) <= 0;
  if (term.includes('*')) return wildcardRegExp(term).test(cell);
  return cell.toUpperCase() === term.toUpperCase();
}

export function matchesCondition(row: StubRow, column: string, value: unknown): boolean {
  const raw = row[column];
  const cell = raw === null || raw === undefined ? '' : String(raw).trim();
  const terms = String(value ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  const negative = terms.filter((t) => t.startsWith('!')).map((t) => t.slice(1));
  const positive = terms.filter((t) => !t.startsWith('!'));
  if (negative.some((t) => termMatches(cell, t))) return false;
  return positive.length === 0 || positive.some((t) => termMatches(cell, t));
}

export function matchesConditions(row: StubRow, conditions: ReadonlyArray<Record<string, unknown>>): boolean {
  return conditions.every((c) => Object.entries(c).every(([column, value]) => matchesCondition(row, column, value)));
}
