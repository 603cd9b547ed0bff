/**
 * Reading FITS files: walk every HDU by its header alone (data is skipped by size), then decode
 * BINTABLE columns or images on request, by column and by row range, in bounded chunks.
 */
import { FitsError } from './errors.js';
import { BLOCK, Header, parseHeader } from './header.js';
import { dataSizeOf, typeOf, type HduType } from './hdu-size.js';
import { BufferSource, openSource, type ByteSource } from './source.js';
import { findColumn, tableLayout, type ColumnInfo, type TableLayout } from './tform.js';
import { allocColumn, cellSizeOf, decodeRowsInto, finishColumn, type Column, type DecodeOptions, type NumericArray, type ColumnValues } from './column.js';
import { onesComplementSum, addSums, type ChecksumResult } from './checksum.js';

export type { HduType };

export interface Hdu {
  index: number;
  type: HduType;
  /** EXTNAME, or 'PRIMARY' for HDU 0 without one. */
  name: string;
  extver: number;
  header: Header;
  headerStart: number;
  dataStart: number;
  /** Bytes of data proper (table + heap, or image), without the padding to a block. */
  dataBytes: number;
  /** Image axes NAXIS1..n (FITS order), for PRIMARY/IMAGE. */
  axes: number[];
  /** BINTABLE layout: column descriptors and sizes. */
  table?: TableLayout;
}

export interface Table {
  rows: number;
  /** Decoded columns keyed by the name as asked (case-insensitive match on the file's TTYPE). */
  columns: Map<string, Column>;
}

export interface TableReadOptions extends DecodeOptions {
  /** Column names (case-insensitive); all columns when omitted. */
  columns?: readonly string[];
  /** Row range [start, end), zero-based. */
  rows?: readonly [number, number];
  /** Bytes read per I/O call while decoding (default 8 MiB). */
  chunkBytes?: number;
}

export interface ImageData {
  /** C order: [NAXISn, ..., NAXIS1]. */
  shape: number[];
  data: NumericArray;
}

const DEFAULT_CHUNK = 8 << 20;

export interface OpenOptions {
  /** Stop after this many HDUs (e.g. 1 to read only the primary header). */
  maxHdus?: number;
}

export class FitsReader {
  readonly warnings: string[] = [];

  private constructor(
    readonly path: string,
    private readonly source: ByteSource,
    readonly hdus: Hdu[],
  ) {}

  /** Open a file (or `.fits.gz`) and read every header; data is not read. */
  static async open(path: string, options: OpenOptions = {}): Promise<FitsReader> {
    const source = await openSource(path);
    try {
      const reader = new FitsReader(path, source, []);
      await reader.walk(options.maxHdus ?? Infinity);
      return reader;
    } catch (e) {
      await source.close();
      throw e instanceof FitsError ? e.locate({ file: path }) : e;
    }
  }

  /** Read FITS bytes already in memory; `name` is used in error messages. */
  static async fromBytes(bytes: Uint8Array, name = '<memory>'): Promise<FitsReader> {
    const reader = new FitsReader(name, new BufferSource(bytes), []);
    try {
      await reader.walk(Infinity);
    } catch (e) {
      throw e instanceof FitsError ? e.locate({ file: name }) : e;
    }
    return reader;
  }

  async close(): Promise<void> {
    await this.source.close();
  }

  private async readHeaderAt(start: number, index: number): Promise<{ header: Header; byteLength: number }> {
    let blocks = 4;
    for (;;) {
      const want = blocks * BLOCK;
      const bytes = await this.source.read(start, want);
      const parsed = parseHeader(bytes, 0);
      if (parsed) return parsed;
      if (bytes.length < want) {
        throw new FitsError(bytes.length % BLOCK === 0 ? 'NO_END' : 'TRUNCATED',
          bytes.length % BLOCK === 0 ? 'header has no END card before the end of the file' : 'file ends inside a header',
          { hdu: index });
      }
      blocks *= 4;
    }
  }

  private async walk(maxHdus: number): Promise<void> {
    const size = this.source.size;
    if (size < BLOCK) {
      const head = await this.source.read(0, 9);
      const text = new TextDecoder('latin1').decode(head);
      if (!text.startsWith('SIMPLE  =')) throw new FitsError('NOT_FITS', 'not a FITS file (does not begin with SIMPLE)');
      throw new FitsError('TRUNCATED', `file is ${size} bytes, shorter than one 2880-byte block`, { hdu: 0 });
    }
    let pos = 0;
    for (let index = 0; index < maxHdus && pos < size; index++) {
      const start = await this.source.read(pos, 80);
      const first = new TextDecoder('latin1').decode(start);
      if (index === 0 && !first.startsWith('SIMPLE  =')) {
        throw new FitsError('NOT_FITS', 'not a FITS file (does not begin with SIMPLE)');
      }
      if (index > 0 && !first.startsWith('XTENSION=')) {
        // Bytes after the last HDU that are not an extension: ignored, as astropy does, but noted.
        this.warnings.push(`${size - pos} bytes after HDU ${index - 1} are not a FITS extension; ignored`);
        break;
      }
      if (index > 0 && size - pos < BLOCK) {
        throw new FitsError('TRUNCATED', 'file ends inside a header', { hdu: index });
      }
      let parsed;
      try {
        parsed = await this.readHeaderAt(pos, index);
      } catch (e) {
        throw e instanceof FitsError ? e.locate({ hdu: index }) : e;
      }
      const header = parsed.header;
      const dataStart = pos + parsed.byteLength;
      let hdu: Hdu;
      try {
        const type = typeOf(index, header);
        const { bytes, axes } = dataSizeOf(header, type);
        hdu = {
          index,
          type,
          name: header.string('EXTNAME')?.trim() || (index === 0 ? 'PRIMARY' : ''),
          extver: header.integer('EXTVER') ?? 1,
          header,
          headerStart: pos,
          dataStart,
          dataBytes: bytes,
          axes,
        };
        if (type === 'BINTABLE') {
          hdu.table = tableLayout(header);
          const expect = hdu.table.rowBytes * hdu.table.rows + hdu.table.pcount;
          if (expect !== bytes) throw new FitsError('BAD_SIZE', `data size ${bytes} disagrees with NAXIS1*NAXIS2+PCOUNT = ${expect}`);
        }
      } catch (e) {
        throw e instanceof FitsError ? e.locate({ hdu: index }) : e;
      }
      if (dataStart + hdu.dataBytes > size) {
        throw new FitsError('TRUNCATED', `file ends inside the data: ${hdu.dataBytes} bytes of data declared, ${Math.max(0, size - dataStart)} present`, { hdu: index });
      }
      this.hdus.push(hdu);
      const padded = Math.ceil(hdu.dataBytes / BLOCK) * BLOCK;
      if (dataStart + padded > size) this.warnings.push(`HDU ${index}: data is not padded to a whole 2880-byte block`);
      pos = dataStart + padded;
    }
  }

  /** An HDU by index, or by EXTNAME (case-insensitive) and optional EXTVER. */
  hdu(which: number | string, extver?: number): Hdu {
    if (typeof which === 'number') {
      const h = this.hdus[which];
      if (h === undefined) throw new FitsError('NOT_FOUND', `no HDU ${which} (file has ${this.hdus.length})`, { file: this.path });
      return h;
    }
    const u = which.toUpperCase();
    const h = this.hdus.find((x) => x.name.toUpperCase() === u && (extver === undefined || x.extver === extver));
    if (h === undefined) {
      throw new FitsError('NOT_FOUND', `no HDU named ${which}${extver !== undefined ? `, EXTVER ${extver}` : ''}`, { file: this.path });
    }
    return h;
  }

  private tableOf(which: number | string | Hdu): { hdu: Hdu; layout: TableLayout } {
    const hdu = typeof which === 'object' ? which : this.hdu(which);
    if (hdu.table === undefined) throw new FitsError('NOT_FOUND', `HDU ${hdu.index} is ${hdu.type}, not a BINTABLE`, { file: this.path, hdu: hdu.index });
    return { hdu, layout: hdu.table };
  }

  private selectColumns(hdu: Hdu, layout: TableLayout, names?: readonly string[]): Array<[string, ColumnInfo]> {
    if (names === undefined) return layout.columns.map((c) => [c.name, c]);
    return names.map((n) => {
      const c = findColumn(layout, n);
      if (c === undefined) {
        throw new FitsError('NOT_FOUND', `no column ${n} (columns: ${layout.columns.map((x) => x.name).join(', ')})`, { file: this.path, hdu: hdu.index });
      }
      return [n, c];
    });
  }

  private async readHeap(hdu: Hdu, layout: TableLayout): Promise<{ bytes: Uint8Array; at: number } | undefined> {
    const heapBytes = layout.rowBytes * layout.rows + layout.pcount - layout.heapOffset;
    if (heapBytes <= 0) return undefined;
    return { bytes: await this.source.read(hdu.dataStart + layout.heapOffset, heapBytes), at: 0 };
  }

  /**
   * Decode the asked columns (all by default) of a row range. Rows are read in chunks of about
   * `chunkBytes` and decoded straight into the output arrays; only the asked fields are touched.
   */
  async readTable(which: number | string | Hdu, options: TableReadOptions = {}): Promise<Table> {
    const { hdu, layout } = this.tableOf(which);
    const [r0, r1] = this.rowRange(hdu, layout, options.rows);
    const chosen = this.selectColumns(hdu, layout, options.columns);
    const outputs = chosen.map(([, info]) => allocColumn(info, r1 - r0));
    const heap = await this.heapFor(hdu, layout, chosen);
    for await (const chunk of this.chunks(hdu, layout, r0, r1, options.chunkBytes)) {
      this.decodeChunk(hdu, chosen, outputs, chunk.startRow - r0, chunk.bytes, layout.rowBytes, chunk.rows, heap);
    }
    return this.assemble(hdu, chosen, outputs, r1 - r0, options);
  }

  /** Stream a table in row chunks, for tables larger than memory. */
  async *iterTable(which: number | string | Hdu, options: TableReadOptions & { chunkRows?: number } = {}): AsyncGenerator<Table & { startRow: number }> {
    const { hdu, layout } = this.tableOf(which);
    const [r0, r1] = this.rowRange(hdu, layout, options.rows);
    const chosen = this.selectColumns(hdu, layout, options.columns);
    const heap = await this.heapFor(hdu, layout, chosen);
    const chunkBytes = options.chunkRows !== undefined ? options.chunkRows * Math.max(1, layout.rowBytes) : options.chunkBytes;
    for await (const chunk of this.chunks(hdu, layout, r0, r1, chunkBytes)) {
      const outputs = chosen.map(([, info]) => allocColumn(info, chunk.rows));
      this.decodeChunk(hdu, chosen, outputs, 0, chunk.bytes, layout.rowBytes, chunk.rows, heap);
      yield { ...this.assemble(hdu, chosen, outputs, chunk.rows, options), startRow: chunk.startRow };
    }
  }

  private rowRange(hdu: Hdu, layout: TableLayout, rows?: readonly [number, number]): [number, number] {
    const r0 = rows?.[0] ?? 0;
    const r1 = rows?.[1] ?? layout.rows;
    if (!(Number.isInteger(r0) && Number.isInteger(r1) && r0 >= 0 && r1 >= r0 && r1 <= layout.rows)) {
      throw new FitsError('NOT_FOUND', `row range [${r0}, ${r1}) outside the table's ${layout.rows} rows`, { file: this.path, hdu: hdu.index });
    }
    return [r0, r1];
  }

  private async heapFor(hdu: Hdu, layout: TableLayout, chosen: Array<[string, ColumnInfo]>): Promise<{ bytes: Uint8Array; at: number } | undefined> {
    return chosen.some(([, c]) => c.tform.code === 'P' || c.tform.code === 'Q') ? this.readHeap(hdu, layout) : undefined;
  }

  private decodeChunk(
    hdu: Hdu,
    chosen: Array<[string, ColumnInfo]>,
    outputs: ColumnValues[],
    outRow: number,
    bytes: Uint8Array,
    rowBytes: number,
    rows: number,
    heap: { bytes: Uint8Array; at: number } | undefined,
  ): void {
    try {
      decodeRowsInto(chosen.map(([, info]) => info), outputs, outRow, bytes, rowBytes, rows, heap);
    } catch (e) {
      throw e instanceof FitsError ? e.locate({ file: this.path, hdu: hdu.index }) : e;
    }
  }

  private assemble(hdu: Hdu, chosen: Array<[string, ColumnInfo]>, outputs: ColumnValues[], rows: number, options: DecodeOptions): Table {
    const columns = new Map<string, Column>();
    try {
      chosen.forEach(([name, info], c) => {
        columns.set(name, { ...finishColumn(info, outputs[c], options), info, rows, cellSize: cellSizeOf(info) } as Column);
      });
    } catch (e) {
      throw e instanceof FitsError ? e.locate({ file: this.path, hdu: hdu.index }) : e;
    }
    return { rows, columns };
  }

  /** The table's rows [r0, r1) in chunks of about `chunkBytes`, through one reused buffer. */
  private async *chunks(
    hdu: Hdu,
    layout: TableLayout,
    r0: number,
    r1: number,
    chunkBytes = DEFAULT_CHUNK,
  ): AsyncGenerator<{ startRow: number; rows: number; bytes: Uint8Array }> {
    const rowBytes = layout.rowBytes;
    if (rowBytes === 0 || r1 === r0) {
      yield { startRow: r0, rows: r1 - r0, bytes: new Uint8Array(0) };
      return;
    }
    const perChunk = Math.max(1, Math.floor(chunkBytes / rowBytes));
    const direct = this.source instanceof BufferSource;
    let buf: Uint8Array | undefined;
    for (let r = r0; r < r1; r += perChunk) {
      const n = Math.min(perChunk, r1 - r);
      const pos = hdu.dataStart + r * rowBytes;
      let bytes: Uint8Array;
      if (direct) {
        bytes = await this.source.read(pos, n * rowBytes);
      } else {
        // One reusable buffer: memory stays at one chunk whatever the table's size.
        buf ??= new Uint8Array(Math.min(perChunk, r1 - r0) * rowBytes);
        bytes = buf.subarray(0, n * rowBytes);
        const got = await this.source.readInto(bytes, pos);
        if (got < bytes.length) throw new FitsError('TRUNCATED', 'file ends inside the table', { file: this.path, hdu: hdu.index });
      }
      yield { startRow: r, rows: n, bytes };
    }
  }

  /** Decode an IMAGE (or primary array), applying BSCALE/BZERO (unsigned conventions kept exact). */
  async readImage(which: number | string | Hdu = 0): Promise<ImageData> {
    const hdu = typeof which === 'object' ? which : this.hdu(which);
    if (hdu.type !== 'PRIMARY' && hdu.type !== 'IMAGE') {
      throw new FitsError('NOT_FOUND', `HDU ${hdu.index} is ${hdu.type}, not an image`, { file: this.path, hdu: hdu.index });
    }
    const { readImageData } = await import('./image.js');
    const bytes = await this.source.read(hdu.dataStart, hdu.dataBytes);
    try {
      return readImageData(hdu.header, hdu.axes, bytes);
    } catch (e) {
      throw e instanceof FitsError ? e.locate({ file: this.path, hdu: hdu.index }) : e;
    }
  }

  /** The raw bytes of an HDU: header blocks and data blocks (padded, as stored). */
  async rawBytes(which: number | string | Hdu): Promise<{ header: Uint8Array; data: Uint8Array }> {
    const hdu = typeof which === 'object' ? which : this.hdu(which);
    const header = await this.source.read(hdu.headerStart, hdu.dataStart - hdu.headerStart);
    const padded = Math.ceil(hdu.dataBytes / BLOCK) * BLOCK;
    const data = new Uint8Array(padded);
    data.set(await this.source.read(hdu.dataStart, padded));
    return { header, data };
  }

  /** Verify DATASUM and CHECKSUM of an HDU (streamed over the data in chunks). */
  async verifyChecksum(which: number | string | Hdu): Promise<ChecksumResult> {
    const hdu = typeof which === 'object' ? which : this.hdu(which);
    const header = await this.source.read(hdu.headerStart, hdu.dataStart - hdu.headerStart);
    const padded = Math.ceil(hdu.dataBytes / BLOCK) * BLOCK;
    let datasum = 0;
    const chunk = new Uint8Array(Math.min(padded, DEFAULT_CHUNK - (DEFAULT_CHUNK % BLOCK)));
    for (let off = 0; off < padded; off += chunk.length) {
      const part = chunk.subarray(0, Math.min(chunk.length, padded - off));
      const got = await this.source.readInto(part, hdu.dataStart + off);
      part.fill(0, got); // a missing final padding counts as zeros
      datasum = onesComplementSum(part, datasum);
    }
    const storedData = hdu.header.get('DATASUM');
    const storedCheck = hdu.header.get('CHECKSUM');
    const result: ChecksumResult = { datasum: 'absent', checksum: 'absent', computedDatasum: datasum };
    if (storedData !== undefined && storedData !== null) {
      result.datasum = String(storedData).trim() === String(datasum) ? 'ok' : 'bad';
    }
    if (storedCheck !== undefined && storedCheck !== null) {
      const total = addSums(onesComplementSum(header), datasum);
      result.checksum = total === 0xffffffff ? 'ok' : 'bad';
    }
    return result;
  }
}
