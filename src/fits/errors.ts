/**
 * Every failure to read or write FITS is a FitsError that names the file, the HDU (when known)
 * and the problem, so a pipeline can report it per file and go on.
 */
export type FitsErrorCode =
  | 'TRUNCATED' // the file ends before a header or data unit does
  | 'NO_END' // a header without an END card
  | 'BAD_CARD' // a card that does not follow the standard
  | 'BAD_KEYWORD' // a mandatory keyword missing or of the wrong type
  | 'BAD_TFORM' // an unparseable or unsupported TFORMn
  | 'BAD_TDIM' // TDIMn that disagrees with the repeat count
  | 'BAD_SIZE' // NAXISn, PCOUNT, NAXIS1 vs TFORMs, negative sizes
  | 'NOT_FOUND' // an HDU or column that does not exist
  | 'CHECKSUM' // CHECKSUM/DATASUM verification failed
  | 'NOT_FITS' // the file does not start with SIMPLE
  | 'WRITE'; // a value that cannot be written as asked

/**
 * A defect of the input data (a malformed file, a keyword missing, no events to extract): the file is
 * reported (ingest: failed or bad, by name) and the run goes on. Anything else thrown while processing a
 * file is a programming error: it is reported as such and never taken as a verdict on the data, so good
 * data is never quarantined because of a bug. Reference-file problems are not ProductErrors either: the
 * science file is not at fault.
 */
export class ProductError extends Error {
  readonly file: string | undefined;

  constructor(message: string, where: { file?: string; cause?: unknown } = {}) {
    super(message, where.cause !== undefined ? { cause: where.cause } : undefined);
    this.name = 'ProductError';
    this.file = where.file;
  }
}

/** Whether a thrown value is a defect of the input data (ProductError), not a programming error. */
export function isProductError(err: unknown): err is ProductError {
  return err instanceof ProductError;
}

/**
 * A product error raised where the file was not known (a header value checked deep in a calculation)
 * with the file named by the outer layer that knows it; an error that already names it is returned as is.
 */
export function locatedIn(err: ProductError, file: string): ProductError {
  if (err.file !== undefined || err.message.includes(file)) return err;
  if (err instanceof FitsError) return err.locate({ file });
  return new ProductError(`${file}: ${err.message}`, { file, cause: err });
}

export class FitsError extends ProductError {
  readonly code: FitsErrorCode;
  readonly hdu: number | undefined;
  readonly problem: string;

  constructor(code: FitsErrorCode, problem: string, where: { file?: string; hdu?: number } = {}) {
    const parts: string[] = [];
    if (where.file !== undefined) parts.push(where.file);
    if (where.hdu !== undefined) parts.push(`HDU ${where.hdu}`);
    super(parts.length ? `${parts.join(', ')}: ${problem}` : problem, where.file !== undefined ? { file: where.file } : {});
    this.name = 'FitsError';
    this.code = code;
    this.hdu = where.hdu;
    this.problem = problem;
  }

  /** The same error with the file (and HDU) filled in by an outer layer that knows them. */
  locate(where: { file?: string; hdu?: number }): FitsError {
    return new FitsError(this.code, this.problem, {
      file: this.file ?? where.file,
      hdu: this.hdu ?? where.hdu,
    });
  }
}
