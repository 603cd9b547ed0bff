/**
 * HST file names (§1.1, §1.3, §5.4, §7.1, §14.3): rootnames, product suffixes, the FUV partner
 * segment, the x1d companion, the STIS corrtag made from a tag file and the individual lightcurve's
 * name. The one place that parses a suffix; pure string functions. Only the base name is looked at:
 * a directory whose name looks like a suffix (`/data/run_tag.fits/…`) never misdirects a rule, unlike
 * the original's replace over the whole path.
 */
import path from 'node:path';
import { ProductError } from '../fits/errors.js';

/** The event files and x1d companions the pipeline ingests (§1.1, §14.3 suffixes TAG, CTG, CTA, CTB, X1D). */
export const HST_SUFFIXES = ['corrtag_a', 'corrtag_b', 'corrtag', 'tag', 'x1d'] as const;
export type HstSuffix = (typeof HST_SUFFIXES)[number];

/**
 * `<stem>_<suffix>.fits`, gzipped or not (ingest_dir and `extract` take `.fits.gz`); the longer
 * suffixes are tried first (`_corrtag_a` before `_a`-less ones).
 */
const SUFFIXED = /^(.*)_(corrtag_a|corrtag_b|corrtag|tag|x1d)\.fits(?:\.gz)?$/;
const GZIP = '.gz';

/** The part of the base name before the first underscore (§1.1), e.g. `lb4m01a1q`. */
export function rootnameOf(file: string): string {
  const base = path.basename(file);
  const at = base.indexOf('_');
  return at < 0 ? base : base.slice(0, at);
}

/** The product suffix of a file's base name, exactly as written (lower case), or undefined. */
export function suffixOf(file: string): HstSuffix | undefined {
  const m = SUFFIXED.exec(path.basename(file));
  return m ? (m[2] as HstSuffix) : undefined;
}

/** True for the suffixes we download, in any letter case; the name alone is looked at (§14.3). */
export function hasHstSuffix(filename: string): boolean {
  const lower = filename.toLowerCase();
  return HST_SUFFIXES.some((suffix) => lower.endsWith(`_${suffix}.fits`));
}

/**
 * §14.1 step 5: a file in ingest_dir named `*_corrtag.fits`, `*_corrtag_?.fits`, `*_tag.fits` or
 * `*_x1d.fits` (gzipped too, any letter case; hidden files are not products).
 */
export function isIngestDirProduct(name: string): boolean {
  return !name.startsWith('.') && /_(corrtag(_[a-z])?|tag|x1d)\.fits(\.gz)?$/i.test(name);
}

/**
 * Swap the base name's `from` suffix for `to`, in the same directory; undefined when it has no `from`.
 * A gzipped name keeps its `.gz` (the companions of a gzipped product travel gzipped) unless `dropGzip`.
 */
function swapSuffix(file: string, from: string, to: string, dropGzip = false): string | undefined {
  let name = path.basename(file);
  const gz = name.endsWith(GZIP) ? GZIP : '';
  if (gz) name = name.slice(0, -GZIP.length);
  if (!name.endsWith(from)) return undefined;
  return path.join(path.dirname(file), name.slice(0, -from.length) + to + (dropGzip ? '' : gz));
}

/** `<root>_corrtag_a.fits` / `_b.fits`: one segment of a COS FUV exposure. */
export function isFuvSegmentFile(file: string): boolean {
  const s = suffixOf(file);
  return s === 'corrtag_a' || s === 'corrtag_b';
}

/** `<root>_corrtag_b.fits`: the second FUV segment, read through its `_a` partner when that is present (§1.4.2). */
export function isFuvSegmentB(file: string): boolean {
  return suffixOf(file) === 'corrtag_b';
}

/**
 * The other segment's possible names for any `…_a.fits[.gz]` / `…_b.fits[.gz]` base name: compressed
 * like `file` first, then the other way, since a pair may arrive with one segment gzipped and the
 * other not (§1.3 pairs segments by name, whatever their compression).
 */
function otherSegmentNames(file: string): [string, string] | undefined {
  const same = swapSuffix(file, '_a.fits', '_b.fits') ?? swapSuffix(file, '_b.fits', '_a.fits');
  if (same === undefined) return undefined;
  return [same, same.endsWith(GZIP) ? same.slice(0, -GZIP.length) : same + GZIP];
}

/** The first of `names` that `exists` says is there, else the first (the name a missing file would have). */
function firstPresent(names: readonly [string, string], exists?: (file: string) => boolean): string {
  return (exists !== undefined ? names.find(exists) : undefined) ?? names[0];
}

/**
 * The other FUV segment of a segment file (`_corrtag_a` ↔ `_corrtag_b`), in the same directory (§1.3),
 * or undefined for any other file. This is the archive's rule (what travels with an event file). With
 * `exists` (e.g. fs.existsSync) the partner is found whatever its compression; without it, or when
 * neither is there, the partner is named compressed like `file`.
 */
export function fuvPartnerOf(file: string, exists?: (file: string) => boolean): string | undefined {
  if (!isFuvSegmentFile(file)) return undefined;
  return firstPresent(otherSegmentNames(file)!, exists);
}

/**
 * §1.3 both segment file names of an FUV corrtag, sorted (`_a` first); the files need not exist. The
 * extraction knows an FUV file by its content (DETECTOR), so any `…_a.fits` / `…_b.fits` base name pairs.
 * `exists` finds the other segment whatever its compression (see fuvPartnerOf).
 */
export function fuvSegmentPair(file: string, exists?: (file: string) => boolean): [string, string] {
  const names = otherSegmentNames(file);
  if (names === undefined) throw new ProductError(`${file}: file name doesn't match the FUV convention (…_a.fits / …_b.fits)`);
  const pair = [file, firstPresent(names, exists)].sort((x, y) => (path.basename(x) < path.basename(y) ? -1 : 1));
  return [pair[0]!, pair[1]!];
}

/**
 * The `_b` segment whose `_a` partner is among `files` (compressed or not): the composite lists that
 * exposure once, as its `_a` (§9.3).
 */
export function isListedThroughPartner(file: string, files: ReadonlySet<string>): boolean {
  if (!/_b\.fits(\.gz)?$/.test(path.basename(file))) return false;
  return otherSegmentNames(file)!.some((a) => files.has(a));
}

/** §7.1 step 1: the x1d beside a STIS tag or corrtag file (`_tag.fits` / `_corrtag.fits` → `_x1d.fits`). */
export function stisX1dOf(file: string): string {
  const x1d = swapSuffix(file, '_tag.fits', '_x1d.fits') ?? swapSuffix(file, '_corrtag.fits', '_x1d.fits');
  if (x1d === undefined) throw new ProductError(`${file}: not a STIS _tag.fits or _corrtag.fits name, so its x1d cannot be found`);
  return x1d;
}

/** §7.1: the corrtag made from a STIS tag file (`_tag.fits[.gz]` → `_corrtag.fits`, written uncompressed), beside it. */
export function corrtagOf(tag: string): string {
  const corrtag = swapSuffix(tag, '_tag.fits', '_corrtag.fits', true);
  if (corrtag === undefined) throw new ProductError(`${tag}: not a STIS _tag.fits name`);
  return corrtag;
}

/** The tag file a STIS `<stem>_corrtag.fits` is made from (`<stem>_tag.fits`, base name), or undefined. */
export function tagNameOfCorrtag(name: string): string | undefined {
  return suffixOf(name) === 'corrtag' ? swapSuffix(path.basename(name), '_corrtag.fits', '_tag.fits') : undefined;
}

/** `<dir>/<rootname>_x1d.fits`, the extracted spectrum that travels with an event file (§5.4). */
export function x1dOf(file: string): string {
  return path.join(path.dirname(file), `${rootnameOf(file)}_x1d.fits`);
}

/**
 * `<rootname>_curve.fits`, the individual lightcurve's name (§5.3, §8.1 OUTNAME). The original took
 * the first 9 characters of the whole path (garbage with a directory); the evidently intended
 * rootname is used instead.
 */
export function individualLightcurveName(file: string): string {
  return `${rootnameOf(file)}_curve.fits`;
}
