/** Matching a target to a known one by position (RA_TARG/DEC_TARG, degrees). */

const DEG = Math.PI / 180;

/** Great-circle separation in arcseconds (haversine: exact at the small separations that matter here). */
export function separationArcsec(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const dDec = (dec2 - dec1) * DEG;
  const dRa = (ra2 - ra1) * DEG;
  const h = Math.sin(dDec / 2) ** 2 + Math.cos(dec1 * DEG) * Math.cos(dec2 * DEG) * Math.sin(dRa / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(h))) * (180 / Math.PI) * 3600;
}

export interface PositionedTarget {
  name: string;
  ra?: number;
  dec?: number;
}

/** The nearest target within `radiusArcsec`, ties broken by name; undefined when none is that close. */
export function nearestTarget(
  ra: number,
  dec: number,
  known: readonly PositionedTarget[],
  radiusArcsec: number,
): { name: string; separationArcsec: number } | undefined {
  let best: { name: string; separationArcsec: number } | undefined;
  for (const k of known) {
    if (k.ra === undefined || k.dec === undefined || !Number.isFinite(k.ra) || !Number.isFinite(k.dec)) continue;
    const s = separationArcsec(ra, dec, k.ra, k.dec);
    if (s > radiusArcsec) continue;
    if (best === undefined || s < best.separationArcsec || (s === best.separationArcsec && k.name < best.name)) {
      best = { name: k.name, separationArcsec: s };
    }
  }
  return best;
}
