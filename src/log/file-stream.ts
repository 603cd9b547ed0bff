/**
 * The log file's stream. Logging must never block or stop the program: pino's own file destination
 * (sonic-boom) retries a failed synchronous flush forever, so on a full disk (ENOSPC) the process hung at
 * exit in a timed Atomics.wait, still holding the home_dir lock. This stream writes asynchronously in
 * order; the first write error ends file logging (reported once through `onFailure`) and later records
 * are dropped. At process exit what is still queued is written in one synchronous attempt, never retried.
 */
import { EventEmitter } from 'node:events';
import { closeSync, write, writeSync } from 'node:fs';

export class LogFileStream extends EventEmitter {
  private queue: string[] = [];
  private writing = false;
  private ended = false;
  private closed = false;
  private failure: NodeJS.ErrnoException | undefined;
  private readonly onExit = (): void => this.flushSync();

  constructor(
    private readonly fd: number,
    readonly file: string,
    private readonly onFailure: (err: NodeJS.ErrnoException) => void,
  ) {
    super();
    process.on('exit', this.onExit);
  }

  /** The error that stopped file logging, if one did. */
  get failed(): NodeJS.ErrnoException | undefined {
    return this.failure;
  }

  write(chunk: string): boolean {
    if (this.failure === undefined && !this.ended) {
      this.queue.push(chunk);
      this.pump();
    }
    return true;
  }

  private fail(err: NodeJS.ErrnoException): void {
    this.queue = [];
    if (this.failure !== undefined) return;
    this.failure = err;
    this.onFailure(err);
  }

  private pump(): void {
    if (this.writing) return;
    if (this.queue.length === 0 || this.failure !== undefined) {
      if (this.ended) this.closeFd();
      return;
    }
    this.writing = true;
    let data = Buffer.from(this.queue.join(''), 'utf8');
    this.queue = [];
    const next = (err: NodeJS.ErrnoException | null, n: number): void => {
      if (err !== null) {
        this.writing = false;
        this.fail(err);
        this.pump();
        return;
      }
      data = data.subarray(n);
      if (data.length > 0 && n > 0) return void write(this.fd, data, next);
      this.writing = false;
      this.pump();
    };
    write(this.fd, data, next);
  }

  /** One synchronous attempt to write what is queued (process exit); an error ends file logging. */
  flushSync(): void {
    if (this.failure !== undefined || this.closed || this.queue.length === 0) return;
    let data = Buffer.from(this.queue.join(''), 'utf8');
    this.queue = [];
    try {
      while (data.length > 0) {
        const n = writeSync(this.fd, data);
        if (n <= 0) break;
        data = data.subarray(n);
      }
    } catch (err) {
      this.fail(err as NodeJS.ErrnoException);
    }
  }

  /** Write what is queued, close the file, then emit 'close'. */
  end(): void {
    this.ended = true;
    this.pump();
  }

  private closeFd(): void {
    if (this.closed) return;
    this.closed = true;
    process.removeListener('exit', this.onExit);
    try {
      closeSync(this.fd);
    } catch {
      // closing a file we could not write to may fail too; nothing more to do
    }
    this.emit('close');
  }
}
