/**
 * The size of an HDU's data as its header declares it (FITS Standard 4.0 §4.4.1): what the reader
 * walks by and what bounds the inflate of a `.fits.gz`.
 */
import { FitsError } from './errors.js';
import type { Header } from './header.js';

export type HduType = 'PRIMARY' | 'IMAGE' | 'BINTABLE' | 'TABLE' | 'UNKNOWN';

export function typeOf(index: number, header: Header): HduType {
  if (index === 0) return 'PRIMARY';
  const x = header.string('XTENSION')?.trim().toUpperCase();
  if (x === 'BINTABLE' || x === 'A3DTABLE') return 'BINTABLE';
  if (x === 'IMAGE' || x === 'IUEIMAGE') return 'IMAGE';
  if (x === 'TABLE') return 'TABLE';
  return 'UNKNOWN';
}

function mandatoryInt(h: Header, key: string): number {
  const c = h.card(key);
  if (c === undefined) throw new FitsError('BAD_KEYWORD', `missing mandatory keyword ${key}`);
  if (c.type !== 'integer' || typeof c.value !== 'number') throw new FitsError('BAD_KEYWORD', `keyword ${key} must be an integer`);
  return c.value;
}

/** Data size per the standard: |BITPIX|/8 * GCOUNT * (PCOUNT + NAXIS1*...*NAXISn). */
export function dataSizeOf(h: Header, type: HduType): { bytes: number; axes: number[] } {
  const bitpix = mandatoryInt(h, 'BITPIX');
  if (![8, 16, 32, 64, -32, -64].includes(bitpix)) throw new FitsError('BAD_KEYWORD', `BITPIX = ${bitpix} is not a valid value`);
  const naxis = mandatoryInt(h, 'NAXIS');
  if (naxis < 0 || naxis > 999) throw new FitsError('BAD_SIZE', `NAXIS = ${naxis} is out of range`);
  const axes: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    const n = mandatoryInt(h, `NAXIS${i}`);
    if (n < 0) throw new FitsError('BAD_SIZE', `NAXIS${i} = ${n} is negative`);
    axes.push(n);
  }
  const pcount = type === 'PRIMARY' ? 0 : (h.integer('PCOUNT') ?? 0);
  const gcount = type === 'PRIMARY' ? 1 : (h.integer('GCOUNT') ?? 1);
  if (pcount < 0 || gcount < 0) throw new FitsError('BAD_SIZE', `PCOUNT/GCOUNT must not be negative`);
  if (naxis === 0) return { bytes: 0, axes };
  // Random groups (primary with NAXIS1 = 0 and GROUPS = T): NAXIS1 does not count.
  const groups = type === 'PRIMARY' && axes[0] === 0 && h.boolean('GROUPS') === true;
  const gp = groups ? (h.integer('PCOUNT') ?? 0) : pcount;
  const gc = groups ? (h.integer('GCOUNT') ?? 1) : gcount;
  const prod = (groups ? axes.slice(1) : axes).reduce((a, b) => a * b, 1);
  const bytes = (Math.abs(bitpix) / 8) * gc * (gp + prod);
  if (!Number.isSafeInteger(bytes)) throw new FitsError('BAD_SIZE', `data size ${bytes} is too large`);
  return { bytes, axes };
}
