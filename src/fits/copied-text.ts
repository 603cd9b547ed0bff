/**
 * Header text copied from an input file into a file we write. FITS header text is printable ASCII
 * (FITS 4.0 §4.2.1), but input headers are not always so.
 */
import type { CardInput } from './header.js';

/** Letters no Unicode decomposition takes to ASCII. */
const SPELLED: Record<string, string> = { ß: 'ss', Æ: 'AE', æ: 'ae', Ø: 'O', ø: 'o', Œ: 'OE', œ: 'oe', Ð: 'D', ð: 'd', Þ: 'TH', þ: 'th', Ł: 'L', ł: 'l' };

/**
 * A header value copied from an input file into one we write. FITS header text is printable ASCII
 * (FITS 4.0 §4.2.1), but input headers are not always so (a TARGNAME such as 'CAFÉ'): the value is
 * transliterated (accents dropped, a few letters spelled out, anything else '?'), and when that changed
 * it a HISTORY card keeps the original, its other characters as \uXXXX escapes. An ASCII value is
 * written as it is, alone, so conforming inputs give the same files as before.
 */
export function copiedTextCards(key: string, value: string, comment?: string): CardInput[] {
  const card = (v: string): CardInput => ({ key, value: v, ...(comment !== undefined ? { comment: asciiTransliteration(comment) } : {}) });
  if (isPrintableAscii(value)) return [card(value)];
  const escaped = value.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [card(asciiTransliteration(value)), { key: 'HISTORY', value: `${key} in the source header: '${escaped}'` }];
}

export function isPrintableAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/** Accents dropped, a few letters spelled out, anything else not printable ASCII '?'. */
export function asciiTransliteration(text: string): string {
  if (isPrintableAscii(text)) return text;
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, (c) => SPELLED[c] ?? '?');
}
