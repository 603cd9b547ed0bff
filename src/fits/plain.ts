/**
 * Column values and header cards as plain JSON values: integers beyond 2^53 as strings, NaN and
 * infinities as null, vector cells as nested arrays in C order, logicals as booleans.
 */
import type { Column, NumericArray } from './column.js';
import type { Card } from './header.js';

export type Plain = null | boolean | number | string | Plain[];

function num(v: number | bigint): number | string | null {
  if (typeof v === 'bigint') {
    return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v.toString();
  }
  return Number.isFinite(v) ? v : null;
}

/** Nest a flat list of cell elements by a C-order shape. */
function nest(flat: Plain[], shape: readonly number[]): Plain {
  if (shape.length <= 1) return flat;
  const inner = shape.slice(1);
  const step = inner.reduce((a, b) => a * b, 1);
  const out: Plain[] = [];
  for (let i = 0; i < shape[0]; i++) out.push(nest(flat.slice(i * step, (i + 1) * step), inner));
  return out;
}

/** Row values of a decoded column; scalar columns give one value per row. */
export function columnToPlain(col: Column): Plain[] {
  const rows: Plain[] = [];
  const { shape } = col.info;
  const scalar = shape.length === 0;
  const per = col.cellSize;
  const cell = (flat: Plain[]): Plain => (scalar ? flat[0] : nest(flat, shape));
  switch (col.kind) {
    case 'numeric': {
      const d = col.data;
      for (let r = 0; r < col.rows; r++) {
        const flat: Plain[] = [];
        for (let k = r * per; k < (r + 1) * per; k++) flat.push(num(d[k]));
        rows.push(cell(flat));
      }
      return rows;
    }
    case 'complex': {
      const d = col.data;
      for (let r = 0; r < col.rows; r++) {
        const flat: Plain[] = [];
        for (let k = r * per; k < (r + 1) * per; k++) flat.push([num(d[2 * k]), num(d[2 * k + 1])]);
        rows.push(cell(flat));
      }
      return rows;
    }
    case 'logical':
    case 'bits': {
      const d = col.data;
      for (let r = 0; r < col.rows; r++) {
        const flat: Plain[] = [];
        for (let k = r * per; k < (r + 1) * per; k++) flat.push(d[k] < 0 ? null : d[k] === 1);
        rows.push(cell(flat));
      }
      return rows;
    }
    case 'string': {
      const d = col.data;
      const strShape = shape.slice(0, -1);
      for (let r = 0; r < col.rows; r++) {
        const flat = d.slice(r * per, (r + 1) * per);
        rows.push(strShape.length === 0 ? flat[0] : nest(flat, strShape));
      }
      return rows;
    }
    case 'varlen':
      return col.data.map((c) => (typeof c === 'string' ? c : Array.from(c as NumericArray, (v: number | bigint) => num(v))));
  }
}

/** A header card as `[key, value, comment]` (complex values as [re, im]). */
export function cardToPlain(c: Card): [string, Plain, string] {
  const v = c.value;
  let value: Plain;
  if (v === null) value = null;
  else if (typeof v === 'object') value = [num(v.re), num(v.im)];
  else if (typeof v === 'number' || typeof v === 'bigint') value = num(v);
  else value = v;
  return [c.key, value, c.comment];
}
