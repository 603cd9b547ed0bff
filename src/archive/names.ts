/** HST file names (§1.1, §1.3): rootnames, FUV segment partners, x1d companions. Pure string functions. */
import path from 'node:path';

/** The part of the base name before the first underscore (§1.1), e.g. `lb4m01a1q`. */
export function rootnameOf(file: string): string {
  const base = path.basename(file);
  const at = base.indexOf('_');
  return at < 0 ? base : base.slice(0, at);
}

/** `<root>_corrtag_a.fits` / `_b.fits`: one segment of a COS FUV exposure. */
export function isFuvSegmentFile(file: string): boolean {
  return /_corrtag_[ab]\.fits$/.test(path.basename(file));
}

/**
 * The other FUV segment of a segment file, in the same directory (§1.3), or undefined for any other
 * file. Only the base name is looked at, unlike the original's replace over the whole path.
 */
export function fuvPartnerOf(file: string): string | undefined {
  const base = path.basename(file);
  const m = /^(.*_corrtag_)([ab])\.fits$/.exec(base);
  if (!m) return undefined;
  return path.join(path.dirname(file), `${m[1]}${m[2] === 'a' ? 'b' : 'a'}.fits`);
}

/** `<dir>/<rootname>_x1d.fits`, the extracted spectrum that travels with an event file (§5.4). */
export function x1dOf(file: string): string {
  return path.join(path.dirname(file), `${rootnameOf(file)}_x1d.fits`);
}

/** `<rootname>_curve.fits`, the individual lightcurve's name (§5.3). */
export function individualLightcurveName(file: string): string {
  return `${rootnameOf(file)}_curve.fits`;
}
