/**
 * One canonical name per target (§4, redone): the user's aliases, then the rules, then the built-in
 * aliases. The name depends on the header name and the aliases only — never on what was ingested
 * before — so the same inputs in any order give the same names. A position within the match radius of a
 * known target with another name (by RA_TARG/DEC_TARG) does not rename either: positions cannot tell a
 * careless or hostile TARGNAME from a real second spelling, and renaming by them let one file move a
 * whole target's data. Such a pair is reported as a candidate (`hstlc status`); an entry in
 * target_aliases merges them. No network look-up (the original's CDS query had no timeout and its
 * aliases overrode everything in set order, §15.22). The result is always a safe path component
 * (sanitize.ts).
 */
import { BUILTIN_ALIASES, type AliasTable } from './aliases.js';
import { nearestTarget, separationArcsec, type PositionedTarget } from './coordinates.js';
import { cleanTargetName, isSolarSystemTarget, normalizeTargetName } from './rules.js';
import { safePathComponent } from './sanitize.js';

export const DEFAULT_MATCH_RADIUS_ARCSEC = 5;

/** How a canonical name was reached; recorded with each mapping ('coordinates' only in rows of older runs). */
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
  /** The header's MTFLAG (moving target) where it has one; without it the name decides (rules.ts). */
  moving?: boolean;
}

export interface Resolution {
  /** The header name as given. */
  input: string;
  canonical: string;
  method: TargetMethod;
  /** What happened, for the log: rules applied, alias used, a nearby target, sanitizing. */
  notes: string[];
  /** A known target of another name within the match radius: perhaps the same one, for an alias to settle. */
  candidate?: { name: string; separationArcsec: number };
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
    const normalized = normalizeTargetName(cleaned, options.moving !== undefined ? { moving: options.moving } : {});
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

  const safe = safePathComponent(name);
  if (safe.changed) {
    notes.push(`made safe: ${JSON.stringify(name)} → ${safe.name}`);
    method = 'sanitized';
  }

  const { ra, dec } = options;
  let candidate: Resolution['candidate'];
  // Moving targets have no fixed position, and (0, 0) is what headers hold when no position was set.
  const usablePosition =
    ra !== undefined && dec !== undefined && Number.isFinite(ra) && Number.isFinite(dec) && !(ra === 0 && dec === 0) && !(options.moving ?? isSolarSystemTarget(name));
  if (method !== 'alias' && usablePosition) {
    const others = (options.known ?? []).filter((k) => k.name !== safe.name);
    const near = nearestTarget(ra, dec, others, options.radiusArcsec ?? DEFAULT_MATCH_RADIUS_ARCSEC);
    if (near !== undefined) {
      candidate = near;
      notes.push(`within ${near.separationArcsec.toFixed(2)}″ of ${near.name}, kept apart (an entry in target_aliases merges them)`);
    }
  }
  return { input, canonical: safe.name, method, notes, ...(candidate !== undefined ? { candidate } : {}) };
}

export interface TargetCandidate {
  /** The two canonical names, in sorted order. */
  names: [string, string];
  separationArcsec: number;
}

/**
 * Pairs of different targets whose recorded positions lie within the radius: perhaps one target under
 * two names, for the user to settle with target_aliases (`A: B` merges them, `A: A` keeps A apart). Sorted, so the list is the same whatever order
 * the targets were ingested in. Moving targets and unset (0, 0) positions are left out.
 */
export function targetCandidates(known: readonly PositionedTarget[], radiusArcsec: number = DEFAULT_MATCH_RADIUS_ARCSEC, aliases?: AliasTable): TargetCandidate[] {
  // `NAME: NAME` in target_aliases says the name is a target of its own: its pairs are settled.
  const settled = (name: string): boolean => aliases?.get(name) === name;
  const placed = known
    .filter((k): k is Required<PositionedTarget> => k.ra !== undefined && k.dec !== undefined && Number.isFinite(k.ra) && Number.isFinite(k.dec))
    .filter((k) => !(k.ra === 0 && k.dec === 0) && !isSolarSystemTarget(k.name))
    // Sorted by declination, so each target is compared only with those within the radius in Dec.
    .sort((a, b) => a.dec - b.dec);
  const out: TargetCandidate[] = [];
  const radiusDeg = radiusArcsec / 3600;
  for (let i = 0; i < placed.length; i++) {
    const a = placed[i]!;
    for (let j = i + 1; j < placed.length && placed[j]!.dec - a.dec <= radiusDeg; j++) {
      const b = placed[j]!;
      if (a.name === b.name || settled(a.name) || settled(b.name)) continue;
      const s = separationArcsec(a.ra, a.dec, b.ra, b.dec);
      if (s <= radiusArcsec) out.push({ names: a.name < b.name ? [a.name, b.name] : [b.name, a.name], separationArcsec: s });
    }
  }
  return out.sort((x, y) => (x.names[0] !== y.names[0] ? (x.names[0] < y.names[0] ? -1 : 1) : x.names[1] < y.names[1] ? -1 : x.names[1] > y.names[1] ? 1 : 0));
}
