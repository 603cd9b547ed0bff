/**
 * The bad-data reasons: the six of §3.2, spelled exactly as the original's database ENUM, then ours.
 * "Bad header: <KEYWORD>" is a header value that becomes part of an archive path or composite name
 * (§5.3, §9.2) and is not one an HST COS or STIS file can carry (src/quality/header.ts). "Bad checksum"
 * is a DATASUM/CHECKSUM that does not match the file's bytes (FITS standard 4.0 App. J); "Empty x1d" a
 * STIS x1d with no rows, so corrected mode has no extraction box (§7.1).
 */
import { ProductError } from '../fits/errors.js';

export const HEADER_NAME_KEYWORDS = ['INSTRUME', 'DETECTOR', 'OPT_ELEM', 'CENWAVE', 'APERTURE', 'TARGNAME'] as const;
export type HeaderNameKeyword = (typeof HEADER_NAME_KEYWORDS)[number];

export const BAD_DATA_REASONS = [
  'Bad EXPFLAG',
  'Non-linear time',
  'No events',
  'Singular event',
  'Bad Proposal',
  'Short Exposure',
  ...HEADER_NAME_KEYWORDS.map((k) => `Bad header: ${k}` as const),
  'Bad checksum',
  'Empty x1d',
] as const;
export type BadDataReason = (typeof BAD_DATA_REASONS)[number];

export function isBadDataReason(value: string): value is BadDataReason {
  return (BAD_DATA_REASONS as readonly string[]).includes(value);
}

/**
 * A defect found while extracting that makes the file bad data (not a failure): ingest sends it to
 * bad_data_dir with `reason`, `extract` reports the message.
 */
export class BadDataError extends ProductError {
  constructor(
    readonly reason: BadDataReason,
    message: string,
    where: { file?: string; cause?: unknown } = {},
  ) {
    super(message, where);
    this.name = 'BadDataError';
  }
}

/** The BadDataError in a thrown value or its chain of causes (outer layers re-word messages). */
export function badDataErrorIn(err: unknown): BadDataError | undefined {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 8; e = (e as Error).cause, depth++) {
    if (e instanceof BadDataError) return e;
  }
  return undefined;
}
