/**
 * Rule-based target-name normalization: the patterns the original's hand-made table encoded one name at
 * a time (§4.2) — catalogue prefixes written with a hyphen (`HD-209458` → `HD209458`), visit/epoch/copy/
 * update suffixes (`GW-LIB-COPY2` → `GW-LIB`, `TOL26-UPDATED` → `TOL26`), numbered pointings at solar-system
 * bodies (`JUPITER-NORTH-14` → `JUPITER-NORTH`) — stated once as rules, so new spellings are covered too.
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

/** Moving targets: their pointings get numbered (`MARS-1`, `EUROPA2`), and coordinates say nothing. */
export const SOLAR_SYSTEM_BODIES = new Set([
  'MERCURY', 'VENUS', 'MOON', 'MARS', 'JUPITER', 'JUP', 'SATURN', 'URANUS', 'NEPTUNE', 'PLUTO', 'CHARON', 'IO',
  'EUROPA', 'GANYMEDE', 'CALLISTO', 'TITAN', 'ENCELADUS', 'TRITON', 'CERES', 'VESTA', 'COMET',
]);

/** Words after which a trailing number counts pointings (a body itself, a limb or hemisphere, an event). */
const POINTED_AT = new Set([...SOLAR_SYSTEM_BODIES, 'NORTH', 'SOUTH', 'EAST', 'WEST', 'TRANSIT', 'EMERGED', 'ECLIPSED']);

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

export function isSolarSystemTarget(name: string): boolean {
  const first = cleanTargetName(name).split('-')[0] ?? '';
  return SOLAR_SYSTEM_BODIES.has(first) || SOLAR_SYSTEM_BODIES.has(first.replace(/\d+$/, ''));
}

export function normalizeTargetName(raw: string): Normalized {
  const rules: string[] = [];
  let name = cleanTargetName(raw);
  const apply = (rule: string, next: string) => {
    if (next !== name && next !== '') {
      name = next;
      rules.push(rule);
    }
  };

  // SIMBAD writes some identifiers with a literal "NAME " prefix.
  apply('name-prefix', name.replace(/^NAME-(?=.)/, ''));

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

  if (SOLAR_SYSTEM_BODIES.has(name.split('-')[0]!.replace(/\d+$/, ''))) {
    const parts = name.split('-');
    const last = parts[parts.length - 1]!;
    const before = parts[parts.length - 2];
    const comet = parts[0] === 'COMET';
    if (before !== undefined && /^\d{1,2}$/.test(last) && POINTED_AT.has(before)) {
      // JUPITER-NORTH-14, MARS-1, IO-WEST-2; but JUP-S-1 ("S-1" names a feature) and EUROPA-ORBCOV-1 stay.
      apply('pointing-number', parts.slice(0, -1).join('-'));
    } else {
      // EUROPA2, JUP-NORTH2, EUROPA-TRANSIT2, COMET-LEE2; IO-AA1-ECL1 and GANYMEDE1A are left alone.
      const m = /^([A-Z]{3,})\d{1,2}$/.exec(last);
      if (m && (POINTED_AT.has(m[1]!) || (comet && parts.length === 2))) apply('pointing-number', [...parts.slice(0, -1), m[1]!].join('-'));
    }
  }

  apply('catalogue-prefix', name.replace(PREFIX_RE, '$1'));
  // ESO galaxies: ESO 031-G 008 → ESO031-G008.
  apply('eso-designation', name.replace(/^ESO(\d+)-+G-?(\d+)$/, 'ESO$1-G$2'));
  // Sanduleak LMC stars are written without separators: SK-67-5 → SK675.
  if (/^SK[\d-]+$/.test(name)) apply('sanduleak', name.replace(/-/g, ''));
  // Numbered variable stars: V1108-HER → V1108HER (lettered ones like EX-HYA keep their hyphen).
  apply('variable-star', name.replace(/^(V\d{3,4})-([A-Z]{3})$/, '$1$2'));
  return { name, rules };
}
