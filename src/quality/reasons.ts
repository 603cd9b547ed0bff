/**
 * The bad-data reasons: the six of §3.2, spelled exactly as the original's database ENUM, then ours.
 * "Bad header: <KEYWORD>" is a header value that becomes part of an archive path or composite name
 * (§5.3, §9.2) and is not one an HST COS or STIS file can carry (src/quality/header.ts).
 */
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
] as const;
export type BadDataReason = (typeof BAD_DATA_REASONS)[number];

export function isBadDataReason(value: string): value is BadDataReason {
  return (BAD_DATA_REASONS as readonly string[]).includes(value);
}
