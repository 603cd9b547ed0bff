/**
 * Event tables read in row chunks, straight into typed arrays, only the columns asked for. A table
 * small enough is kept after the first pass so a second pass costs no decoding; a larger one is read
 * again (bounded memory for 10^7-event files).
 */
import type { FitsReader, Header, NumericArray } from '../fits/index.js';
import { ProductError } from '../fits/index.js';

/** MJD of HST's launch (1990-04-24) and of 2100-01-01: an exposure outside them is a damaged header. */
const HST_ERA_MJD = { min: 48005, max: 88069 } as const;

/**
 * The exposure start (MJD) of an events header: every event time is counted from it (§6.6), and the
 * time-dependent sensitivity is looked up by it (§6.8), so a missing or impossible value is a defect
 * of the file, reported by name, not a failure deep in a reference table.
 */
export function exposureStartMjd(events: Header, file: string): number {
  const expstart = events.number('EXPSTART');
  if (expstart === undefined) throw new ProductError(`${file}: events header has no EXPSTART`, { file });
  if (!(expstart >= HST_ERA_MJD.min && expstart <= HST_ERA_MJD.max)) {
    throw new ProductError(`${file}: EXPSTART = ${expstart} is not an HST observation date (MJD ${HST_ERA_MJD.min}–${HST_ERA_MJD.max})`, { file });
  }
  return expstart;
}



export type NumberColumn = Exclude<NumericArray, BigInt64Array | BigUint64Array>;

export interface ChunkView {
  rows: number;
  /**
   * A column as float64 (exact for every FITS integer and float type). One element type keeps the
   * extraction loops monomorphic, which V8 runs several times faster than a mix of typed arrays.
   */
  col(name: string): Float64Array;
  /** Whether the file stores the column as float32 (numpy then compares in float32). */
  isFloat32(name: string): boolean;
}

/** Bytes of decoded columns kept in memory between passes. */
export const DEFAULT_CACHE_BYTES = 256 << 20;
export const DEFAULT_CHUNK_ROWS = 1 << 20;

export class EventTable {
  private cache: ChunkView[] | undefined;
  private cacheable: boolean;

  constructor(
    readonly reader: FitsReader,
    readonly hdu: number,
    readonly columns: readonly string[],
    readonly chunkRows = DEFAULT_CHUNK_ROWS,
    cacheBytes = DEFAULT_CACHE_BYTES,
  ) {
    const layout = reader.hdus[hdu]?.table;
    const rows = layout?.rows ?? 0;
    this.cacheable = rows * columns.length * 8 <= cacheBytes;
  }

  get rows(): number {
    return this.reader.hdus[this.hdu]?.table?.rows ?? 0;
  }

  /** One pass over the table, chunk by chunk. */
  async *chunks(): AsyncGenerator<ChunkView> {
    if (this.cache !== undefined) {
      yield* this.cache;
      return;
    }
    const kept: ChunkView[] = [];
    for await (const t of this.reader.iterTable(this.hdu, { columns: this.columns, chunkRows: this.chunkRows })) {
      const cols = new Map<string, Float64Array>();
      const f32 = new Set<string>();
      for (const [name, c] of t.columns) {
        if (c.kind !== 'numeric' || c.data instanceof BigInt64Array || c.data instanceof BigUint64Array) {
          throw new ProductError(`${this.reader.path}: column ${name} is not a 1-16-32-bit integer or float column`);
        }
        const data: NumberColumn = c.data;
        if (data instanceof Float32Array) f32.add(name.toUpperCase());
        let f64: Float64Array;
        if (data instanceof Float64Array) f64 = data;
        else {
          // TypedArray.set converts natively; Float64Array.from would go through the iterator
          f64 = new Float64Array(data.length);
          f64.set(data);
        }
        cols.set(name.toUpperCase(), f64);
      }
      const view: ChunkView = {
        rows: t.rows,
        col(name: string): Float64Array {
          const d = cols.get(name.toUpperCase());
          if (d === undefined) throw new Error(`column ${name} was not read`);
          return d;
        },
        isFloat32: (name: string): boolean => f32.has(name.toUpperCase()),
      };
      if (this.cacheable) kept.push(view);
      yield view;
    }
    if (this.cacheable) this.cache = kept;
  }
}
