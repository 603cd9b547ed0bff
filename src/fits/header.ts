/**
 * FITS header cards (FITS Standard 4.0 §4): parsing 80-character cards into typed values and
 * formatting them back in the standard's fixed format.
 */
import { FitsError } from './errors.js';

export const BLOCK = 2880;
export const CARD = 80;

export interface Complex {
  re: number;
  im: number;
}

/** What a card holds; `commentary` cards (COMMENT, HISTORY, blank, no value indicator) hold text. */
export type CardType = 'logical' | 'integer' | 'float' | 'string' | 'complex' | 'undefined' | 'commentary';

export type CardValue = string | number | bigint | boolean | Complex | null;

export interface Card {
  /** Upper-case keyword; for HIERARCH cards the words after `HIERARCH` (e.g. `ESO DET CHIP`). */
  key: string;
  type: CardType;
  value: CardValue;
  comment: string;
  hierarch?: boolean;
}

/** Card as a writer may give it: a type is inferred from the value unless stated. */
export interface CardInput {
  key: string;
  value?: CardValue;
  comment?: string;
  /** Force the written type, e.g. 'float' for an integral number that is a float keyword. */
  type?: CardType;
}

const COMMENTARY_KEYS = new Set(['COMMENT', 'HISTORY', '']);

function keyOf(key: string): string {
  const k = key.trim().toUpperCase();
  return k.startsWith('HIERARCH ') ? k.slice(9).trim() : k;
}

/** The key a card is stored under: upper case, except HIERARCH keys, which keep their case. */
function storedKey(key: string, hierarch: boolean): string {
  const k = key.trim();
  if (!hierarch) return k.toUpperCase();
  return /^hierarch /i.test(k) ? k.slice(9).trim() : k;
}

/** An ordered list of cards with case-insensitive look-up. */
export class Header {
  readonly cards: Card[];

  constructor(cards: Card[] = []) {
    this.cards = cards;
  }

  /** Index of the first card with this keyword, or -1. */
  indexOf(key: string): number {
    const k = keyOf(key);
    // HIERARCH keys keep their case as written (as astropy does); look-up ignores case.
    return this.cards.findIndex((c) => c.type !== 'commentary' && (c.key === k || (c.hierarch === true && c.key.toUpperCase() === k)));
  }

  has(key: string): boolean {
    return this.indexOf(key) >= 0;
  }

  card(key: string): Card | undefined {
    const i = this.indexOf(key);
    return i >= 0 ? this.cards[i] : undefined;
  }

  get(key: string): CardValue | undefined {
    return this.card(key)?.value;
  }

  /** A string value, right-trimmed (trailing blanks are insignificant in FITS strings). */
  string(key: string): string | undefined {
    const c = this.card(key);
    if (c === undefined || c.value === null) return undefined;
    if (typeof c.value === 'string') return c.value;
    // HST headers occasionally hold numbers where strings are expected (e.g. CENWAVE); give text.
    return formatValueText(c);
  }

  /** A numeric value as a JS number (integers beyond 2^53 lose precision: use `bigint`). */
  number(key: string): number | undefined {
    const c = this.card(key);
    if (c === undefined || c.value === null) return undefined;
    if (typeof c.value === 'number') return c.value;
    if (typeof c.value === 'bigint') return Number(c.value);
    if (typeof c.value === 'string') {
      const t = c.value.trim();
      const n = Number(t);
      if (t !== '' && Number.isFinite(n)) return n;
    }
    throw new FitsError('BAD_KEYWORD', `keyword ${c.key} is ${c.type}, expected a number`);
  }

  /** An integer value; throws if the card is not an integer within the safe range. */
  integer(key: string): number | undefined {
    const c = this.card(key);
    if (c === undefined || c.value === null) return undefined;
    if (c.type === 'integer' && typeof c.value === 'number') return c.value;
    if (c.type === 'integer' && typeof c.value === 'bigint') {
      throw new FitsError('BAD_KEYWORD', `keyword ${c.key} = ${c.value} exceeds 2^53; read it with bigint()`);
    }
    throw new FitsError('BAD_KEYWORD', `keyword ${c.key} is ${c.type}, expected an integer`);
  }

  bigint(key: string): bigint | undefined {
    const c = this.card(key);
    if (c === undefined || c.value === null) return undefined;
    if (typeof c.value === 'bigint') return c.value;
    if (typeof c.value === 'number' && Number.isInteger(c.value)) return BigInt(c.value);
    throw new FitsError('BAD_KEYWORD', `keyword ${c.key} is ${c.type}, expected an integer`);
  }

  boolean(key: string): boolean | undefined {
    const c = this.card(key);
    if (c === undefined || c.value === null) return undefined;
    if (typeof c.value === 'boolean') return c.value;
    throw new FitsError('BAD_KEYWORD', `keyword ${c.key} is ${c.type}, expected a logical`);
  }

  /** Set the first card with this keyword, or append a new one. Returns this for chaining. */
  set(key: string, value: CardValue, comment?: string, type?: CardType): this {
    const card = makeCard({ key, value, comment, type });
    const i = this.indexOf(key);
    if (i >= 0) {
      const old = this.cards[i];
      this.cards[i] = { ...card, comment: comment ?? old.comment };
    } else {
      this.cards.push(card);
    }
    return this;
  }

  /** Append a card even if the keyword exists (COMMENT, HISTORY, or deliberate repeats). */
  add(input: CardInput): this {
    this.cards.push(makeCard(input));
    return this;
  }

  delete(key: string): boolean {
    const i = this.indexOf(key);
    if (i < 0) return false;
    this.cards.splice(i, 1);
    return true;
  }

  /** Texts of COMMENT (or HISTORY) cards, in order. */
  commentary(key: 'COMMENT' | 'HISTORY' | ''): string[] {
    return this.cards.filter((c) => c.type === 'commentary' && c.key === key).map((c) => String(c.value));
  }

  clone(): Header {
    return new Header(this.cards.map((c) => ({ ...c })));
  }
}

/** Build a card from a loose input, inferring its type. */
export function makeCard(input: CardInput): Card {
  const hierarch = input.key.trim().toUpperCase().startsWith('HIERARCH ') || input.key.trim().length > 8;
  const key = storedKey(input.key, hierarch);
  const comment = input.comment ?? '';
  if (COMMENTARY_KEYS.has(key) || input.type === 'commentary') {
    return { key, type: 'commentary', value: input.value == null ? '' : String(input.value), comment: '' };
  }
  const value = input.value === undefined ? null : input.value;
  let type: CardType;
  if (input.type !== undefined) type = input.type;
  else if (value === null) type = 'undefined';
  else if (typeof value === 'boolean') type = 'logical';
  else if (typeof value === 'bigint') type = 'integer';
  else if (typeof value === 'number') type = Number.isInteger(value) && !Object.is(value, -0) ? 'integer' : 'float';
  else if (typeof value === 'string') type = 'string';
  else type = 'complex';
  const card: Card = { key, type, value, comment };
  if (hierarch) card.hierarch = true;
  return card;
}

// ---------------------------------------------------------------------------------------------
// Parsing

const latin1 = new TextDecoder('latin1');

interface ParsedValue {
  type: CardType;
  value: CardValue;
  comment: string;
  /** For strings: whether the value ended with '&' (CONTINUE long-string convention). */
  continued: boolean;
}

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[EeDd][+-]?\d+)?$/;

function parseNumber(tok: string): { type: 'integer' | 'float'; value: number | bigint } | undefined {
  if (INT_RE.test(tok)) {
    const n = Number(tok);
    if (Number.isSafeInteger(n)) return { type: 'integer', value: n };
    return { type: 'integer', value: BigInt(tok) };
  }
  if (FLOAT_RE.test(tok)) return { type: 'float', value: Number(tok.replace(/[Dd]/, 'E')) };
  return undefined;
}

/** Parse the value-and-comment field of a card (everything after `= `). */
function parseValueField(field: string, key: string): ParsedValue {
  let i = 0;
  while (i < field.length && field[i] === ' ') i++;
  if (field[i] === "'") {
    let s = '';
    let j = i + 1;
    for (;;) {
      if (j >= field.length) throw new FitsError('BAD_CARD', `keyword ${key}: string value has no closing quote`);
      const ch = field[j];
      if (ch === "'") {
        if (field[j + 1] === "'") {
          s += "'";
          j += 2;
          continue;
        }
        j++;
        break;
      }
      s += ch;
      j++;
    }
    const rest = field.slice(j);
    const slash = rest.indexOf('/');
    if (slash < 0 && rest.trim() !== '') {
      throw new FitsError('BAD_CARD', `keyword ${key}: unexpected text after string value: ${rest.trim()}`);
    }
    const comment = slash >= 0 ? rest.slice(slash + 1).trim() : '';
    const trimmed = s.replace(/ +$/, '');
    return { type: 'string', value: trimmed, comment, continued: trimmed.endsWith('&') };
  }
  const slash = field.indexOf('/', i);
  const tok = (slash >= 0 ? field.slice(i, slash) : field.slice(i)).trim();
  const comment = slash >= 0 ? field.slice(slash + 1).trim() : '';
  if (tok === '') return { type: 'undefined', value: null, comment, continued: false };
  if (tok === 'T' || tok === 'F') return { type: 'logical', value: tok === 'T', comment, continued: false };
  const num = parseNumber(tok);
  if (num) return { ...num, comment, continued: false };
  const cm = /^\(\s*([^,]+?)\s*,\s*([^)]+?)\s*\)$/.exec(tok);
  if (cm) {
    const re = parseNumber(cm[1]);
    const im = parseNumber(cm[2]);
    if (re && im) return { type: 'complex', value: { re: Number(re.value), im: Number(im.value) }, comment, continued: false };
  }
  throw new FitsError('BAD_CARD', `keyword ${key}: cannot parse value '${tok}'`);
}

/** Parse one 80-character card image. Returns undefined for the END card. */
export function parseCard(image: string): Card | undefined {
  const key8 = image.slice(0, 8).trimEnd();
  if (key8 === 'END' && image.slice(8).trim() === '') return undefined;
  const upper = key8.toUpperCase();
  if (upper === 'HIERARCH') {
    const eq = image.indexOf('=', 8);
    if (eq < 0) return { key: image.slice(9).trim(), type: 'commentary', value: '', comment: '', hierarch: true };
    const key = image.slice(9, eq).trim();
    const v = parseValueField(image.slice(eq + 1), key);
    return { key, type: v.type, value: v.value, comment: v.comment, hierarch: true };
  }
  if (COMMENTARY_KEYS.has(upper) || image.slice(8, 10) !== '= ') {
    return { key: upper, type: 'commentary', value: image.slice(8).trimEnd(), comment: '' };
  }
  if (!/^[A-Z0-9_-]*$/.test(upper)) {
    throw new FitsError('BAD_CARD', `invalid keyword '${key8}'`);
  }
  const v = parseValueField(image.slice(10), upper);
  return { key: upper, type: v.type, value: v.value, comment: v.comment };
}

export interface ParsedHeader {
  header: Header;
  /** Bytes taken by the header including its padding to a whole block. */
  byteLength: number;
}

/**
 * Parse the header that begins at `offset` in `bytes`. Returns undefined when `bytes` ends before
 * the END card, so a caller reading block by block can read more and try again.
 */
export function parseHeader(bytes: Uint8Array, offset = 0): ParsedHeader | undefined {
  const cards: Card[] = [];
  let pos = offset;
  // Pending long string (CONTINUE convention): the card whose value continues.
  let longCard: Card | undefined;
  while (pos + CARD <= bytes.length) {
    const image = latin1.decode(bytes.subarray(pos, pos + CARD));
    pos += CARD;
    if (image.startsWith('CONTINUE') && longCard !== undefined) {
      const v = parseValueField(image.slice(8), 'CONTINUE');
      if (v.type === 'string') {
        const prev = longCard.value as string;
        longCard.value = prev.slice(0, -1) + (v.value as string);
        if (v.comment) longCard.comment = longCard.comment ? `${longCard.comment} ${v.comment}` : v.comment;
        if (!v.continued) longCard = undefined;
        continue;
      }
    }
    longCard = undefined;
    const card = parseCard(image);
    if (card === undefined) {
      const end = Math.ceil((pos - offset) / BLOCK) * BLOCK;
      return { header: new Header(cards), byteLength: end };
    }
    if (card.type === 'string' && (card.value as string).endsWith('&')) longCard = card;
    cards.push(card);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** Shortest text that reads back as the same double, always with a decimal point or exponent. */
export function formatFloat(x: number): string {
  if (!Number.isFinite(x)) throw new FitsError('WRITE', `cannot write non-finite value ${x} in a header`);
  let s = String(x);
  if (s.includes('e') || s.length > 18) {
    const [mant, exp] = x.toExponential().split('e');
    const m = mant.includes('.') ? mant : `${mant}.0`;
    const sign = exp.startsWith('-') ? '-' : '+';
    const digits = exp.replace(/^[+-]/, '').padStart(2, '0');
    s = `${m}E${sign}${digits}`;
  } else if (!s.includes('.')) {
    s = `${s}.0`;
  }
  return s;
}

function quoteString(s: string): string {
  return `'${s.replace(/'/g, "''").padEnd(8, ' ')}'`;
}

/** The value's text as it appears in a card (strings quoted). */
function formatValueText(card: Card): string {
  const v = card.value;
  switch (card.type) {
    case 'undefined':
      return '';
    case 'logical':
      return v ? 'T' : 'F';
    case 'integer':
      if (typeof v === 'number' && !Number.isInteger(v)) {
        throw new FitsError('WRITE', `keyword ${card.key}: ${v} is not an integer`);
      }
      return typeof v === 'bigint' ? v.toString() : String(v);
    case 'float':
      return formatFloat(Number(v));
    case 'complex': {
      const c = v as Complex;
      return `(${formatFloat(c.re)}, ${formatFloat(c.im)})`;
    }
    case 'string':
      return quoteString(String(v));
    case 'commentary':
      return String(v);
  }
}

function isAscii(s: string): boolean {
  return /^[\x20-\x7e]*$/.test(s);
}

/** Text room of a commentary card: 80 columns less the 8 of the keyword. */
const COMMENTARY_WIDTH = 72;

/**
 * Long commentary text as the lines of further cards of the same keyword, broken between words (the
 * space at a break is dropped); a word longer than a card is cut.
 */
export function wrapCommentary(text: string, width: number = COMMENTARY_WIDTH): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const space = rest.lastIndexOf(' ', width);
    if (space > 0) {
      out.push(rest.slice(0, space));
      rest = rest.slice(space + 1);
    } else {
      out.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
  }
  out.push(rest);
  return out;
}

/** Format one card as one or more 80-character images (long strings use CONTINUE). */
export function formatCard(card: Card): string[] {
  if (!isAscii(String(card.value ?? '')) || !isAscii(card.comment)) {
    throw new FitsError('WRITE', `keyword ${card.key}: header text must be printable ASCII`);
  }
  if (card.type === 'commentary') {
    const text = String(card.value);
    const key = card.key.padEnd(8, ' ');
    return wrapCommentary(text).map((line) => (key + line).padEnd(CARD, ' '));
  }
  const head = card.hierarch ? `HIERARCH ${card.key} = ` : `${card.key.padEnd(8, ' ')}= `;
  if (!card.hierarch && card.key.length > 8) throw new FitsError('WRITE', `keyword ${card.key} is longer than 8 characters`);
  let valueText = formatValueText(card);
  if (card.type === 'string' && head.length + valueText.length > CARD) return formatLongString(card, head);
  // Fixed format: non-string values right-justified to column 30; strings start in column 11 and
  // the comment begins in column 32 either way (as astropy writes, so checksums agree).
  if (!card.hierarch) valueText = card.type === 'string' ? valueText.padEnd(20, ' ') : valueText.padStart(20, ' ');
  let image = head + valueText;
  if (card.comment) image += ` / ${card.comment}`;
  if (image.length > CARD) {
    if (head.length + valueText.length > CARD) throw new FitsError('WRITE', `keyword ${card.key}: value does not fit on a card`);
    image = image.slice(0, CARD); // comments are truncated, as every FITS writer does
  }
  return [image.padEnd(CARD, ' ')];
}

function formatLongString(card: Card, head: string): string[] {
  const s = String(card.value);
  const out: string[] = [];
  // Each segment must fit in quotes with its '' escapes and the trailing '&'.
  const room = (lead: number): number => CARD - lead - 3;
  let rest = s;
  let first = true;
  while (rest.length > 0 || first) {
    const lead = first ? head.length : 10;
    let take = 0;
    let used = 0;
    while (take < rest.length) {
      const w = rest[take] === "'" ? 2 : 1;
      if (used + w > room(lead)) break;
      used += w;
      take++;
    }
    const seg = rest.slice(0, take);
    rest = rest.slice(take);
    const last = rest.length === 0;
    const body = `'${seg.replace(/'/g, "''")}${last ? '' : '&'}'`;
    let image = (first ? head : 'CONTINUE  ') + body;
    if (last && card.comment) image += ` / ${card.comment}`;
    out.push(image.slice(0, CARD).padEnd(CARD, ' '));
    first = false;
  }
  return out;
}

/** Format a whole header: cards, END, padded with blanks to a multiple of 2880 bytes. */
export function formatHeader(header: Header): Uint8Array {
  const images: string[] = [];
  for (const c of header.cards) images.push(...formatCard(c));
  images.push('END'.padEnd(CARD, ' '));
  const text = images.join('');
  const len = Math.ceil(text.length / BLOCK) * BLOCK;
  const out = new Uint8Array(len).fill(0x20);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
