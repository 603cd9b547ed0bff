/**
 * Where FITS bytes come from: a file read by position (only the blocks asked for), or a buffer
 * (a gunzipped `.fits.gz`, or bytes already in memory).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { FitsError } from './errors.js';
import { inflateFits } from './inflate.js';

export interface ByteSource {
  readonly size: number;
  /** Read exactly `length` bytes at `position` (fewer only at the end of the source). */
  read(position: number, length: number): Promise<Uint8Array>;
  /** Read into `into` at `position`; returns the count read. */
  readInto(into: Uint8Array, position: number): Promise<number>;
  close(): Promise<void>;
}

export class BufferSource implements ByteSource {
  readonly size: number;
  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.length;
  }
  async read(position: number, length: number): Promise<Uint8Array> {
    return this.bytes.subarray(position, Math.min(this.size, position + length));
  }
  async readInto(into: Uint8Array, position: number): Promise<number> {
    const part = this.bytes.subarray(position, Math.min(this.size, position + into.length));
    into.set(part);
    return part.length;
  }
  async close(): Promise<void> {}
}

export class FileSource implements ByteSource {
  private constructor(
    private readonly fh: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileSource> {
    const fh = await open(path, 'r');
    try {
      const st = await fh.stat();
      return new FileSource(fh, st.size);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  async read(position: number, length: number): Promise<Uint8Array> {
    const n = Math.max(0, Math.min(length, this.size - position));
    const buf = new Uint8Array(n);
    await this.readInto(buf, position);
    return buf;
  }

  async readInto(into: Uint8Array, position: number): Promise<number> {
    let done = 0;
    while (done < into.length) {
      const { bytesRead } = await this.fh.read(into, done, into.length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Open a file as a byte source; gzip-compressed files (by content, not name) are inflated in
 * memory, since gzip allows no random access, as a stream bounded by their declared sizes (inflate.ts).
 */
export async function openSource(path: string): Promise<ByteSource> {
  let src: FileSource;
  try {
    src = await FileSource.open(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new FitsError('NOT_FOUND', err.code === 'ENOENT' ? 'no such file' : `cannot open: ${err.message}`, { file: path });
  }
  const head = await src.read(0, 2);
  if (head.length === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) {
    await src.close();
    return new BufferSource(await inflateFits(path));
  }
  return src;
}
