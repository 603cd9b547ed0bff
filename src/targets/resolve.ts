/**
 * One canonical name per target (§4, redone): the user's aliases, then the rules, then the built-in
 * aliases; a name already in the archive is kept; otherwise a target within the match radius of a known
 * one (by RA_TARG/DEC_TARG) takes that one's name. No network look-up (the original's CDS query had no
 * timeout and its aliases overrode everything in set order, §15.22). The result is always a safe path
 * component (sanitize.ts).
 */
import { BUILTIN_ALIASES, type AliasTable } from './aliases.js';
import { nearestTarget, type PositionedTarget } from './coordinates.js';
import { cleanTargetName, isSolarSystemTarget, normalizeTargetName } from './rules.js';
import { safePathComponent } from './sanitize.js';

export const DEFAULT_MATCH_RADIUS_ARCSEC = 5;

/** How a canonical name was reached; recorded with each mapping. */
export const TARGET_METHODS = ['unchanged', 'rule', 'alias', 'coordinates', 'sanitized'] as const;
export type TargetMethod = (typeof TARGET_METHODS)[number];

export interface ResolveOptions {
  /** User aliases (loadAliasFile); consulted before the rules. */
  aliases?: AliasTable;
  /** Canonical names already in use, with coordinates where known. */
  known?: readonly PositionedTarget[];
  /** RA_TARG / DEC_TARG of the exposure, degrees. */
  ra?: number;
  dec?: number;
  radiusArcsec?: number;
}

export interface Resolution {
  /** The header name as given. */
  input: string;
  canonical: string;
  method: TargetMethod;
  /** What happened, for the log: rules applied, alias used, match distance, sanitizing. */
  notes: string[];
}

export function resolveTarget(input: string, options: ResolveOptions = {}): Resolution {
  const notes: string[] = [];
  const cleaned = cleanTargetName(input);
  let method: TargetMethod = 'unchanged';
  let name: string;

  const userAlias = options.aliases?.get(cleaned);
  if (userAlias !== undefined) {
    name = userAlias;
    method = 'alias';
    notes.push(`alias ${cleaned} → ${userAlias}`);
  } else {
    const normalized = normalizeTargetName(cleaned);
    name = normalized.name;
    if (normalized.rules.length > 0) {
      method = 'rule';
      notes.push(`rules: ${normalized.rules.join(', ')}`);
    }
    const alias = options.aliases?.get(name) ?? BUILTIN_ALIASES.get(name);
    if (alias !== undefined) {
      notes.push(`alias ${name} → ${alias}`);
      name = alias;
      method = 'alias';
    }
    if (name !== cleaned && method === 'unchanged') method = 'rule';
  }

  const known = options.known ?? [];
  const { ra, dec } = options;
  const isKnown = known.some((k) => k.name === name);
  // Moving targets have no fixed position, and (0, 0) is what headers hold when no position was set.
  const usablePosition =
    ra !== undefined && dec !== undefined && Number.isFinite(ra) && Number.isFinite(dec) && !(ra === 0 && dec === 0) && !isSolarSystemTarget(name);
  if (!isKnown && method !== 'alias' && usablePosition) {
    const near = nearestTarget(ra, dec, known, options.radiusArcsec ?? DEFAULT_MATCH_RADIUS_ARCSEC);
    if (near !== undefined) {
      notes.push(`within ${near.separationArcsec.toFixed(2)}″ of ${near.name}`);
      name = near.name;
      method = 'coordinates';
    }
  }

  const safe = safePathComponent(name);
  if (safe.changed) {
    notes.push(`made safe: ${JSON.stringify(name)} → ${safe.name}`);
    method = 'sanitized';
  }
  return { input, canonical: safe.name, method, notes };
}
