/**
 * Event tables read in row chunks, straight into typed arrays, only the columns asked for. A table
 * small enough is kept after the first pass, in the file's own types, so a second pass costs no
 * decoding; a larger one is read again (bounded memory for 10^7-event files: peak RSS under twice the
 * bytes of the columns read, bench/extract-process.ts).
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
   * Valid until the next chunk of the same pass: the float64 buffers are reused from chunk to chunk.
   */
  col(name: string): Float64Array;
  /** Whether the file stores the column as float32 (numpy then compares in float32). */
  isFloat32(name: string): boolean;
}

/** A decoded chunk as the file stores it (float32, int16...): what the table keeps between passes. */
interface StoredChunk {
  rows: number;
  cols: Map<string, NumberColumn>;
  f32: Set<string>;
}

/** Bytes of decoded columns kept in memory between passes (counted as float64, an upper bound). */
export const DEFAULT_CACHE_BYTES = 256 << 20;
/** Rows a chunk: its float64 views (6 columns, 12 MiB) and its raw bytes stay small beside the kept table. */
export const DEFAULT_CHUNK_ROWS = 1 << 18;

/**
 * Float64 views of stored chunks, one reusable buffer per column for a whole pass: the passes
 * allocate (and fault in) one chunk's worth of float64 instead of the table's, and the table keeps
 * its columns in their own types (22 bytes an FUV event instead of 48).
 */
class Float64Views {
  private readonly buffers = new Map<string, Float64Array>();

  view(chunk: StoredChunk): ChunkView {
    const converted = new Map<string, Float64Array>();
    return {
      rows: chunk.rows,
      col: (name: string): Float64Array => {
        const key = name.toUpperCase();
        let out = converted.get(key);
        if (out !== undefined) return out;
        const data = chunk.cols.get(key);
        if (data === undefined) throw new Error(`column ${name} was not read`);
        if (data instanceof Float64Array) out = data;
        else {
          let buffer = this.buffers.get(key);
          if (buffer === undefined || buffer.length < chunk.rows) {
            buffer = new Float64Array(chunk.rows);
            this.buffers.set(key, buffer);
          }
          out = buffer.length === chunk.rows ? buffer : buffer.subarray(0, chunk.rows);
          // TypedArray.set converts natively; Float64Array.from would go through the iterator
          out.set(data);
        }
        converted.set(key, out);
        return out;
      },
      isFloat32: (name: string): boolean => chunk.f32.has(name.toUpperCase()),
    };
  }
}

export class EventTable {
  private cache: StoredChunk[] | undefined;
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

  /**
   * One pass over the table, chunk by chunk. `once`: the only pass (an extraction that records its
   * selection, selection.ts recordSelections), so the chunks are not kept for another.
   */
  async *chunks(options: { once?: boolean } = {}): AsyncGenerator<ChunkView> {
    const keep = this.cacheable && options.once !== true;
    const views = new Float64Views();
    if (this.cache !== undefined) {
      for (const chunk of this.cache) yield views.view(chunk);
      return;
    }
    const kept: StoredChunk[] = [];
    for await (const t of this.reader.iterTable(this.hdu, { columns: this.columns, chunkRows: this.chunkRows })) {
      const cols = new Map<string, NumberColumn>();
      const f32 = new Set<string>();
      for (const [name, c] of t.columns) {
        if (c.kind !== 'numeric' || c.data instanceof BigInt64Array || c.data instanceof BigUint64Array) {
          throw new ProductError(`${this.reader.path}: column ${name} is not a 1-16-32-bit integer or float column`);
        }
        if (c.data instanceof Float32Array) f32.add(name.toUpperCase());
        cols.set(name.toUpperCase(), c.data);
      }
      const chunk: StoredChunk = { rows: t.rows, cols, f32 };
      if (keep) kept.push(chunk);
      yield views.view(chunk);
    }
    if (keep) this.cache = kept;
  }
}
