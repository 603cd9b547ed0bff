/**
 * Rule-based target-name normalization: the patterns the original's hand-made table encoded one name at
 * a time (§4.2) — catalogue prefixes written with a hyphen (`HD-209458` → `HD209458`), visit/epoch/copy/
 * update suffixes (`GW-LIB-COPY2` → `GW-LIB`, `TOL26-UPDATED` → `TOL26`), SIMBAD identifiers (`V* YZ CMi`
 * → `YZCMI`) — stated once as rules, so new spellings are covered too. Moving (solar-system) targets are
 * left to aliases: their numbers name different observations (the original's own merges of them, such as
 * `JUPITER-NORTH-1` … `-14` → `JUPITER-NORTH`, are built-in aliases).
 * Names the rules do not recognise are left alone: a designation such as `WASP-12`, `EX-HYA` or `BD-13D3442`
 * keeps its hyphen because there the hyphen is part of the name or a declination sign.
 */

/** Catalogues whose number or coordinate follows the prefix directly in the canonical spelling. */
const CATALOGUE_PREFIXES = [
  '1RXS', '2MASS', '2MASX', '4C', 'AZV', 'D33', 'ESO', 'FBQS', 'FIRST', 'G', 'GALEX', 'GD', 'GJ', 'H', 'HD', 'HIP',
  'HS', 'IC', 'KIC', 'LBQS', 'LHS', 'MRK', 'NGC', 'PG', 'QSO', 'RXS', 'SDSS', 'SK', 'TOL', 'TWA', 'UGC', 'UGCA',
  'UKS', 'UM', 'WD', 'XTE',
];

// Longest first, so UGCA wins over UGC and GD over G. The separator (one or more '-' or '.') is removed
// only when a number or a J/B coordinate follows: `GD-71`, `SDSS-J1507`, `QSO-B0007+107`, `4C--01.61`.
const PREFIX_RE = new RegExp(
  `^(${[...CATALOGUE_PREFIXES].sort((a, b) => b.length - a.length).join('|')}|VV\\d{2,4})[-.]+(?=\\d|[JB]\\d)`,
);

/** Tokens that record how an observation was scheduled, not what was observed. */
const BOOKKEEPING_TOKEN = /^(COPY\d*|UPDAT(E|ED)?\d*|REVISIT(ED)?\d*|REVISED|REPEAT\d*|TWEAK(ED)?\d*|(LONG|SHORT)?VISIT\d*|EPOCH\d*)$/;
/** A bookkeeping token written apart from its number, as in `SKY-NEAR-MARS-VISIT-01`. */
const BARE_COUNTER_TOKEN = /^((LONG|SHORT)?VISIT|EPOCH)$/;

/**
 * Moving targets (planets, moons, dwarf planets, asteroids, comets): their names carry visit, orbit and
 * pointing numbers that name different observations of a changing scene (`SATURN-VISIT11-SLEW-ORBIT1`,
 * `JUP-IMAGE-NORTH2`, `EUROPA-4`), so no rule merges them, and coordinates say nothing.
 */
export const SOLAR_SYSTEM_BODIES = new Set([
  'MERCURY', 'VENUS', 'MOON', 'MARS', 'PHOBOS', 'DEIMOS', 'JUPITER', 'JUP', 'IO', 'EUROPA', 'GANYMEDE', 'CALLISTO',
  'AMALTHEA', 'SATURN', 'SAT', 'MIMAS', 'ENCELADUS', 'TETHYS', 'DIONE', 'RHEA', 'TITAN', 'HYPERION', 'IAPETUS',
  'PHOEBE', 'URANUS', 'MIRANDA', 'ARIEL', 'UMBRIEL', 'TITANIA', 'OBERON', 'NEPTUNE', 'TRITON', 'NEREID', 'PLUTO',
  'CHARON', 'ERIS', 'MAKEMAKE', 'HAUMEA', 'SEDNA', 'CERES', 'VESTA', 'PALLAS', 'JUNO', 'HYGIEA', 'COMET',
]);

/** Body names that are also common words or short tokens: they mark a moving target only as the first token. */
const FIRST_TOKEN_ONLY = new Set(['IO', 'JUP', 'SAT', 'MOON', 'JUNO', 'ERIS']);

/** A periodic or non-periodic comet designation: `103P`, `C/2012-S1` (cleaned `C/2012-S1`), `P/2010-A2`. */
const COMET_TOKEN = /^(\d{1,4}P|[CP]\/\d{4})$/;

export interface Normalized {
  name: string;
  /** The rules that changed the name, in the order applied (empty when none did). */
  rules: string[];
}

/** Upper case, runs of spaces or underscores as one hyphen, no hyphens at the ends. */
export function cleanTargetName(raw: string): string {
  return raw
    .trim()
    .toUpperCase()
    .replace(/[\s_]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A moving target by its name: a body (or comet) as the first token, or a longer body name as any token
 * (`SKY-NEAR-MARS`, `CP1-JUP-NORTH` is caught by JUP only as the first token). Trailing pointing digits
 * count (`EUROPA2`). The header's MTFLAG says it directly where present (resolve.ts).
 */
export function isSolarSystemTarget(name: string): boolean {
  const tokens = cleanTargetName(name).split('-');
  return tokens.some((t, i) => {
    const bare = t.replace(/\d+[A-Z]?$/, '');
    const body = SOLAR_SYSTEM_BODIES.has(t) || SOLAR_SYSTEM_BODIES.has(bare);
    if (body && (i === 0 || !FIRST_TOKEN_ONLY.has(SOLAR_SYSTEM_BODIES.has(t) ? t : bare))) return true;
    return COMET_TOKEN.test(t);
  });
}

/**
 * SIMBAD identifiers (`V* YZ CMi`, `NAME Europa`, `* alf Cen`, `2MASS J…`): the object-type prefix is
 * dropped, and a variable-star name of letters and a constellation is written as HST proposers write it,
 * in one word (`YZ CMi` → `YZCMI`, `V* V1108 Her` → `V1108HER`). Takes and gives a cleaned name
 * (`V*-YZ-CMI`); other names are returned as they are. `2MASS J…` needs no step: its catalogue prefix
 * rule joins it.
 */
export function simbadIdentifier(cleaned: string): string {
  const m = /^(V\*|\*\*|\*|EM\*|NAME|CL\*)-(.+)$/.exec(cleaned);
  if (m === null) return cleaned;
  const rest = m[2]!;
  if (m[1] === 'V*') {
    // GCVS names: one or two letters, or V + number, then the constellation's three-letter abbreviation.
    const v = /^([A-Z]{1,2}|V\d{3,4})-([A-Z]{3})$/.exec(rest);
    if (v !== null) return `${v[1]}${v[2]}`;
  }
  return rest;
}

export interface NormalizeOptions {
  /** The header says the target moves (MTFLAG = T) or does not (F); by default the name decides. */
  moving?: boolean;
}

export function normalizeTargetName(raw: string, options: NormalizeOptions = {}): Normalized {
  const rules: string[] = [];
  let name = cleanTargetName(raw);
  const apply = (rule: string, next: string) => {
    if (next !== name && next !== '') {
      name = next;
      rules.push(rule);
    }
  };

  // SIMBAD's object-type prefixes (`V* YZ CMi`, `NAME …`, `* …`).
  apply('simbad-identifier', simbadIdentifier(name));
  const moving = options.moving ?? isSolarSystemTarget(name);

  // A moving target's numbers and visit tokens name different observations of a changing scene (Saturn
  // visit 11 and 21, Europa 4 and 5): no rule merges them; an alias (the original's table) may.
  if (moving) return { name, rules };

  // Bookkeeping tokens, never the first token (a target could be called EPOCH).
  const tokens = name.split('-');
  const kept: string[] = [tokens[0] ?? ''];
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (BARE_COUNTER_TOKEN.test(t) && /^\d+$/.test(tokens[i + 1] ?? '')) {
      i += 1;
      continue;
    }
    if (BOOKKEEPING_TOKEN.test(t)) continue;
    kept.push(t);
  }
  apply('visit-suffix', kept.join('-'));

  apply('catalogue-prefix', name.replace(PREFIX_RE, '$1'));
  // ESO galaxies: ESO 031-G 008 → ESO031-G008.
  apply('eso-designation', name.replace(/^ESO(\d+)-+G-?(\d+)$/, 'ESO$1-G$2'));
  // Sanduleak LMC stars are written without separators: SK-67-5 → SK675.
  if (/^SK[\d-]+$/.test(name)) apply('sanduleak', name.replace(/-/g, ''));
  // Numbered variable stars: V1108-HER → V1108HER (lettered ones like EX-HYA keep their hyphen).
  apply('variable-star', name.replace(/^(V\d{3,4})-([A-Z]{3})$/, '$1$2'));
  return { name, rules };
}
