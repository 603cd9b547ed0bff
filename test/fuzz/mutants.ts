/**
 * Hostile variants of real-looking FITS products for the fuzz test and bench: each mutation is a
 * plain description (so fast-check can shrink it and print it) applied to the bytes of a fixture.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';

const CARD = 80;
const BLOCK = 2880;

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; where: 'header' | 'data'; at: number; value: number }
  | { kind: 'card'; key: string; value: string }
  | { kind: 'nonAscii'; key: string; text: string }
  | { kind: 'gzip'; corruptAt: number; truncateTo: number }
  /** NAXIS1 = 0, every TFORMn repeat 0, NAXIS2 = rows: a table of nothing that claims many rows. */
  | { kind: 'zeroWidth'; rows: number };

/** Keywords that size or shape the data: the ones whose absurd values must be refused, not obeyed. */
const SIZE_KEYS = ['NAXIS', 'NAXIS1', 'NAXIS2', 'PCOUNT', 'GCOUNT', 'TFIELDS', 'THEAP', 'TFORM1', 'TFORM2', 'TFORM3', 'TDIM1', 'EXPTIME', 'EXPSTART', 'BITPIX'];
const ABSURD = ['0', '-1', '1', '7', '2147483647', '2147483648', '4294967297', '999999999999', '9007199254740993', '1E300', "'1PE(999999999)'", "'0E'", "'999999999J'", "'(0,0)'", "'(99999,99999)'", "'X'", 'T', "''"];

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => Math.round(x * 1e6) / 1e6) }),
  fc.record({
    kind: fc.constant('flip' as const),
    where: fc.constantFrom('header' as const, 'data' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => Math.round(x * 1e6) / 1e6),
    value: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant('card' as const), key: fc.constantFrom(...SIZE_KEYS), value: fc.constantFrom(...ABSURD) }),
  fc.record({
    kind: fc.constant('nonAscii' as const),
    key: fc.constantFrom('TARGNAME', 'OPT_ELEM', 'APERTURE', 'TTYPE1', 'EXTNAME'),
    text: fc.constantFrom('Ω-Cen', 'é', '\u0000', '\u00ff\u00fe', "<img src=x onerror=alert(1)>", '../../etc'),
  }),
  fc.record({ kind: fc.constant('zeroWidth' as const), rows: fc.constantFrom(1, 1000, 2 ** 31 - 1, 999999999999) }),
  fc.record({
    kind: fc.constant('gzip' as const),
    corruptAt: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => Math.round(x * 1e6) / 1e6),
    truncateTo: fc.double({ min: 0.05, max: 1, noNaN: true }).map((x) => Math.round(x * 1e6) / 1e6),
  }),
);

/** Byte offsets of the header blocks (start, end exclusive) of each HDU, found by their END cards. */
function headerSpans(bytes: Uint8Array): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let pos = 0;
  while (pos < text.length && (text.startsWith('SIMPLE  =', pos) || text.startsWith('XTENSION=', pos))) {
    let end = pos;
    while (end < text.length && !text.startsWith('END     ', end) && !(text.startsWith('END', end) && text.slice(end + 3, end + CARD).trim() === '')) end += CARD;
    const headerEnd = Math.ceil((end + CARD) / BLOCK) * BLOCK;
    spans.push([pos, headerEnd]);
    const naxis = (k: string): number => {
      const m = new RegExp(`${k.padEnd(8, ' ')}=\\s*(-?\\d+)`).exec(text.slice(pos, headerEnd));
      return m ? Number(m[1]) : 0;
    };
    const dims = naxis('NAXIS');
    let data = dims > 0 ? 1 : 0;
    for (let i = 1; i <= dims; i++) data *= naxis(`NAXIS${i}`);
    const bitpix = Math.abs(naxis('BITPIX')) / 8;
    data = data * bitpix + naxis('PCOUNT');
    pos = headerEnd + Math.ceil(data / BLOCK) * BLOCK;
  }
  return spans;
}

/** The card of `key` in every header: replaced by `key = value` (value as FITS text). */
function replaceCards(bytes: Uint8Array, key: string, value: string): Uint8Array {
  const out = bytes.slice();
  for (const [start, end] of headerSpans(bytes)) {
    for (let at = start; at < end; at += CARD) {
      const k = Buffer.from(out.subarray(at, at + 8)).toString('latin1').trimEnd();
      if (k !== key) continue;
      const image = Buffer.from(`${key.padEnd(8, ' ')}= ${value.padStart(value.startsWith("'") ? 0 : 20, ' ')}`.padEnd(CARD, ' ').slice(0, CARD), 'latin1');
      out.set(image, at);
    }
  }
  return out;
}

export function applyMutation(bytes: Uint8Array, m: Mutation): Uint8Array {
  switch (m.kind) {
    case 'truncate':
      return bytes.slice(0, Math.floor(m.at * bytes.length));
    case 'flip': {
      const spans = headerSpans(bytes);
      const out = bytes.slice();
      if (m.where === 'header' && spans.length > 0) {
        const [s, e] = spans[Math.floor(m.at * spans.length) % spans.length]!;
        out[s + Math.floor(m.at * (e - s))] = m.value;
      } else {
        out[Math.floor(m.at * out.length) % out.length] = m.value;
      }
      return out;
    }
    case 'card':
      return replaceCards(bytes, m.key, m.value);
    case 'nonAscii':
      return replaceCards(bytes, m.key, `'${m.text.replace(/'/g, "''")}'`);
    case 'zeroWidth': {
      let out = replaceCards(bytes, 'NAXIS1', '0');
      out = replaceCards(out, 'NAXIS2', String(m.rows));
      const text = Buffer.from(out).toString('latin1');
      for (const match of text.matchAll(/TFORM(\d+)\s*= '\s*\d*([A-Z])/g)) {
        out = replaceCards(out, `TFORM${match[1]}`, `'0${match[2]}'`);
      }
      return out;
    }
    case 'gzip': {
      const gz = gzipSync(bytes).slice();
      const at = 10 + Math.floor(m.corruptAt * (gz.length - 10));
      if (at < gz.length) gz[at] = gz[at]! ^ 0x5a;
      return gz.slice(0, Math.max(1, Math.floor(m.truncateTo * gz.length)));
    }
  }
}

/** Name a mutant so the product kind is still recognised by its suffix (gzip keeps .gz). */
export function mutantName(fixture: string, m: Mutation): string {
  return m.kind === 'gzip' ? `${fixture}.gz` : fixture;
}
