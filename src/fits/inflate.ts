/**
 * Inflating a `.fits.gz` as a stream, bounded by what its FITS headers declare. gzip allows no
 * random access, so the inflated bytes are held in memory; a small file may inflate to anything, so
 * the inflate reads the headers as the bytes arrive (FITS Standard 4.0 §3.3: every HDU is a header
 * ending with END, then the data its header sizes, padded to 2880-byte blocks) and stops with a
 * FitsError naming the file as soon as the bytes go beyond that:
 * - more than one block of bytes after the last HDU that are not an extension (trailing data);
 * - a header longer than MAX_GZIP_HEADER_BYTES without an END card;
 * - more than MAX_INFLATED_BYTES in all (2 GiB: far above any HST event or x1d file; a larger file
 *   is read uncompressed, by position, with no limit).
 * Memory is then at most the declared size (plus the stream's own buffers), never the inflated size.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { FitsError } from './errors.js';
import { BLOCK, CARD, parseHeader } from './header.js';
import { dataSizeOf, typeOf } from './hdu-size.js';

/** The most a `.fits.gz` may inflate to, whatever its headers declare. */
export const MAX_INFLATED_BYTES = 2 ** 31;
/** The longest header (to its END card) a `.fits.gz` may hold: 16 MiB, about 200,000 cards. */
export const MAX_GZIP_HEADER_BYTES = 16 * 2 ** 20;

const latin1 = new TextDecoder('latin1');

function textAt(bytes: Uint8Array, at: number, length: number): string {
  return latin1.decode(bytes.subarray(at, at + length));
}

/** Enough is read: the rest of the stream is not needed (the reader reports what is wrong here). */
class Enough extends Error {}

/**
 * Follows the HDU structure of the bytes inflated so far and says how many bytes the file may
 * hold: `limit()` is the end of what is declared (or allowed for a header still arriving).
 */
class DeclaredLayout {
  /** Where the next HDU begins (the end of everything declared so far). */
  private next = 0;
  private index = 0;
  /** Where to look for an END card in the header being read. */
  private scan = 0;
  private phase: 'start' | 'header' | 'trailing' = 'start';

  constructor(private readonly file: string) {}

  /** The end of the known HDUs: what a buffer should be sized to. */
  get declared(): number {
    return this.next;
  }

  limit(): number {
    if (this.phase === 'trailing') return Math.min(this.next + BLOCK, MAX_INFLATED_BYTES);
    return Math.min(this.next + MAX_GZIP_HEADER_BYTES, MAX_INFLATED_BYTES);
  }

  /** Why a file holding more than `limit()` is refused. */
  refusal(): FitsError {
    const problem =
      this.phase === 'trailing'
        ? `inflates to more than the ${this.next} bytes its FITS headers declare; refused (data after the last HDU)`
        : this.next + MAX_GZIP_HEADER_BYTES >= MAX_INFLATED_BYTES
          ? `inflates to more than ${MAX_INFLATED_BYTES} bytes, the limit for a .fits.gz; refused`
          : `header of HDU ${this.index} has no END card in its first ${MAX_GZIP_HEADER_BYTES} bytes; refused`;
    return new FitsError('BAD_SIZE', problem, { file: this.file });
  }

  /** Look at the bytes inflated so far (`length` of `bytes`); throws Enough or a FitsError. */
  advance(bytes: Uint8Array, length: number): void {
    for (;;) {
      if (this.phase === 'trailing') return;
      if (this.phase === 'start') {
        if (length < this.next + CARD) return;
        const first = textAt(bytes, this.next, 9);
        if (this.index === 0 && first !== 'SIMPLE  =') throw new FitsError('NOT_FITS', 'not a FITS file (does not begin with SIMPLE)', { file: this.file });
        if (this.index > 0 && first !== 'XTENSION=') {
          this.phase = 'trailing';
          return;
        }
        this.phase = 'header';
        this.scan = this.next;
      }
      // In a header: find its END card among the whole cards inflated since the last look.
      let end = -1;
      for (; this.scan + CARD <= length; this.scan += CARD) {
        if (/^END {5}/.test(textAt(bytes, this.scan, 8))) {
          end = this.scan;
          break;
        }
      }
      if (end < 0) return;
      const parsed = parseHeader(bytes.subarray(this.next, end + CARD));
      const headerEnd = this.next + Math.ceil((end + CARD - this.next) / BLOCK) * BLOCK;
      let dataBytes: number;
      try {
        if (parsed === undefined) throw new Enough();
        dataBytes = dataSizeOf(parsed.header, typeOf(this.index, parsed.header)).bytes;
      } catch {
        // A header that cannot be sized: nothing after it can be found, and the reader reports
        // the header's fault when it walks to it; the bytes up to its end are all it needs.
        this.next = headerEnd;
        throw new Enough();
      }
      this.next = headerEnd + Math.ceil(dataBytes / BLOCK) * BLOCK;
      this.index += 1;
      this.phase = 'start';
      if (this.next > MAX_INFLATED_BYTES) {
        throw new FitsError('BAD_SIZE', `HDU ${this.index - 1} declares ${dataBytes} bytes of data, beyond the ${MAX_INFLATED_BYTES}-byte limit for a .fits.gz (decompress it to read it)`, { file: this.file });
      }
    }
  }
}

/** Inflate a gzip-compressed FITS file into memory, bounded by its declared HDU sizes. */
export async function inflateFits(path: string): Promise<Uint8Array> {
  const layout = new DeclaredLayout(path);
  let buffer = new Uint8Array(0);
  let length = 0;
  /** Refuse the file once it holds more than it may: checked before growing and after each look. */
  const check = (total: number): number => {
    const limit = layout.limit();
    if (total <= limit) return limit;
    throw layout.refusal();
  };
  const append = (chunk: Uint8Array): void => {
    const need = length + chunk.length;
    const limit = check(need);
    if (need > buffer.length) {
      // Straight to the declared end when it holds the chunk (one allocation for a big data unit),
      // else double, never beyond what the file may hold.
      const size = need <= layout.declared ? layout.declared : Math.min(Math.max(need, buffer.length * 2, 1 << 16), limit);
      const grown = new Uint8Array(size);
      grown.set(buffer.subarray(0, length));
      buffer = grown;
    }
    buffer.set(chunk, length);
    length = need;
  };
  // Why the inflate stopped, when it was stopped here: pipeline() reports that as an abort.
  let stop: unknown;
  try {
    await pipeline(createReadStream(path), createGunzip({ chunkSize: 1 << 16 }), async (inflated: AsyncIterable<Buffer>) => {
      try {
        for await (const chunk of inflated) {
          append(chunk);
          layout.advance(buffer, length);
          check(length);
        }
      } catch (e) {
        stop = e;
        throw e;
      }
    });
  } catch (thrown) {
    const e = stop ?? thrown;
    if (e instanceof FitsError) throw e;
    if (!(e instanceof Enough)) {
      const err = e as NodeJS.ErrnoException;
      if (err.code !== undefined && err.syscall !== undefined) {
        throw new FitsError('NOT_FOUND', err.code === 'ENOENT' ? 'no such file' : `cannot open: ${err.message}`, { file: path });
      }
      throw new FitsError('TRUNCATED', `gzip data is corrupt or truncated: ${err.message}`, { file: path });
    }
    length = Math.min(length, layout.declared);
  }
  return buffer.subarray(0, length);
}
