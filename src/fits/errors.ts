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

export class FitsError extends Error {
  readonly code: FitsErrorCode;
  readonly file: string | undefined;
  readonly hdu: number | undefined;
  readonly problem: string;

  constructor(code: FitsErrorCode, problem: string, where: { file?: string; hdu?: number } = {}) {
    const parts: string[] = [];
    if (where.file !== undefined) parts.push(where.file);
    if (where.hdu !== undefined) parts.push(`HDU ${where.hdu}`);
    super(parts.length ? `${parts.join(', ')}: ${problem}` : problem);
    this.name = 'FitsError';
    this.code = code;
    this.file = where.file;
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
