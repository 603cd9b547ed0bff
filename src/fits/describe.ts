/**
 * A FITS file described as plain data (what `hstlc inspect` prints): every HDU's index, name,
 * type, header, table columns or image shape, and optionally the values.
 */
import { FitsReader, type Hdu } from './reader.js';
import { cardToPlain, columnToPlain, type Plain } from './plain.js';
import type { NumericArray } from './column.js';

export interface ColumnDescription {
  name: string;
  format: string;
  unit: string | null;
  /** C-order cell shape; [] for a scalar. */
  shape: number[];
}

export interface HduDescription {
  index: number;
  name: string;
  type: Hdu['type'];
  extver: number;
  header: Array<[string, Plain, string]>;
  /** Table rows, or null for images. */
  rows: number | null;
  columns: ColumnDescription[];
  /** Image shape in C order (null for tables). */
  shape: number[] | null;
  checksum?: { datasum: string; checksum: string };
  /** Column values (tables) or the nested image array, with `data: true`. */
  data?: Record<string, Plain[]> | Plain;
}

export interface FitsDescription {
  file: string;
  hdus: HduDescription[];
  warnings: string[];
}

export interface DescribeOptions {
  /** Only this HDU (index or EXTNAME). */
  hdu?: number | string;
  data?: boolean;
  /** With `data`: at most this many rows per table. */
  maxRows?: number;
  checksum?: boolean;
}

function nestImage(flat: NumericArray, shape: number[]): Plain {
  const values: Plain[] = Array.from(flat as ArrayLike<number | bigint>, (v) => {
    if (typeof v === 'bigint') return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v.toString();
    return Number.isFinite(v) ? v : null;
  });
  const nest = (vals: Plain[], dims: number[]): Plain => {
    if (dims.length <= 1) return vals;
    const step = dims.slice(1).reduce((a, b) => a * b, 1);
    return Array.from({ length: dims[0] }, (_, i) => nest(vals.slice(i * step, (i + 1) * step), dims.slice(1)));
  };
  return nest(values, shape);
}

export async function describeFits(path: string, options: DescribeOptions = {}): Promise<FitsDescription> {
  const f = await FitsReader.open(path);
  try {
    const chosen = options.hdu === undefined ? f.hdus : [f.hdu(options.hdu)];
    const hdus: HduDescription[] = [];
    for (const h of chosen) {
      const d: HduDescription = {
        index: h.index,
        name: h.name,
        type: h.type,
        extver: h.extver,
        header: h.header.cards.map(cardToPlain),
        rows: h.table ? h.table.rows : null,
        columns: (h.table?.columns ?? []).map((c) => ({ name: c.name, format: c.tform.text, unit: c.unit ?? null, shape: c.shape })),
        shape: h.table ? null : [...h.axes].reverse(),
      };
      if (options.checksum) {
        const r = await f.verifyChecksum(h);
        d.checksum = { datasum: r.datasum, checksum: r.checksum };
      }
      if (options.data) {
        if (h.table) {
          const end = Math.min(h.table.rows, options.maxRows ?? h.table.rows);
          const t = await f.readTable(h, { rows: [0, end] });
          d.data = Object.fromEntries([...t.columns].map(([name, col]) => [name, columnToPlain(col)]));
        } else if (h.axes.length > 0 && (h.type === 'PRIMARY' || h.type === 'IMAGE')) {
          const img = await f.readImage(h);
          d.data = nestImage(img.data, img.shape);
        }
      }
      hdus.push(d);
    }
    return { file: path, hdus, warnings: f.warnings };
  } finally {
    await f.close();
  }
}
