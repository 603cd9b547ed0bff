/**
 * Names that come from the network, checked before they touch the filesystem. MAST's product lists
 * and FITS headers are untrusted input: a file name is accepted only if it has the shape of an HST
 * product we want (`<rootname>_<suffix>.fits`), so it can never hold a path separator, `..`, a drive
 * letter or a control character.
 */

import { HST_SUFFIXES, hasHstSuffix, rootnameOf, type HstSuffix } from '../hst/names.js';

/** The event files and x1d companions the pipeline ingests (§1.1, §14.3 suffixes TAG, CTG, CTA, CTB, X1D). */
export const WANTED_SUFFIXES = HST_SUFFIXES;
export type WantedSuffix = HstSuffix;

/** HST dataset names are IPPPSSOOT: nine characters, instrument letter first (L = COS, O = STIS). */
const ROOTNAME = /^[a-z][a-z0-9]{8}$/;
const PRODUCT = new RegExp(`^([a-z][a-z0-9]{8})_(${HST_SUFFIXES.join('|')})\\.fits$`);
/** CRDS reference names as HST headers give them: `lref$2o8vt8wzl_phot.fits`, `oref$53v1buhoo_pfl.fits`. */
const REFERENCE = /^(lref|oref)\$([a-z0-9]{1,40}_[a-z0-9]{1,20}\.fits)$/;

/** MAST's wildcard syntax as a RegExp: `*` is any run of characters, everything else literal, any case. */
export function wildcardRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
}

/** Strings from MAST's SQL tables arrive blank-padded (`"COS   "`); compare them trimmed. */
export function trimmed(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** A dataset name from a search row or product list, lower-cased; undefined when it is not IPPPSSOOT. */
export function parseRootname(value: unknown): string | undefined {
  const name = trimmed(value).toLowerCase();
  return ROOTNAME.test(name) ? name : undefined;
}

export interface ProductName {
  filename: string;
  rootname: string;
  suffix: WantedSuffix;
}

export type NameCheck = { ok: true; name: ProductName } | { ok: false; reason: string };

/**
 * Accept a product file name only if it is exactly `<rootname>_<wanted suffix>.fits`. The name is taken
 * as given (MAST spells product names in lower case); anything else is refused with the reason, so the
 * report can say why a listed file was not fetched.
 */
export function checkProductName(value: unknown): NameCheck {
  if (typeof value !== 'string' || value === '') return { ok: false, reason: 'product has no file name' };
  if (value.length > 64) return { ok: false, reason: 'file name is too long' };
  if (/[/\\\u0000-\u001f\u007f:]/.test(value) || value.includes('..')) {
    return { ok: false, reason: 'file name contains a path separator, control character or ".."' };
  }
  const m = PRODUCT.exec(value);
  if (m === null) return { ok: false, reason: 'not an HST <rootname>_<suffix>.fits name with a wanted suffix' };
  return { ok: true, name: { filename: value, rootname: m[1]!, suffix: m[2] as WantedSuffix } };
}

/** True for the suffixes we download; checked on the name alone, before full validation (§14.3). */
export function hasWantedSuffix(filename: string): boolean {
  return hasHstSuffix(filename);
}

export interface ReferenceName {
  /** `lref` or `oref`: the subfolder of ref_dir, as src/hst/reffiles.ts resolves it. */
  dir: 'lref' | 'oref';
  file: string;
}

/** `lref$x_phot.fits` → {dir, file}; undefined for N/A, blanks and anything unexpected (§6.9). */
export function parseReferenceName(value: unknown): ReferenceName | undefined {
  const name = trimmed(value).toLowerCase();
  const m = REFERENCE.exec(name);
  return m ? { dir: m[1] as 'lref' | 'oref', file: m[2]! } : undefined;
}

/** The rootname of a file in ingest_dir (the part before the first `_`, §14.1 step 5). */
export function rootnameOfFile(filename: string): string | undefined {
  return filename.includes('_') ? parseRootname(rootnameOf(filename)) : undefined;
}
