/**
 * The parsers of download's MAST filters (--since, --target): they check with the search module's own
 * rules, so they live apart from parsers.ts and only `hstlc download` loads the MAST modules to describe itself.
 */
import { InvalidArgumentError } from 'commander';
import { filterProblem } from '../mast/search.js';

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
