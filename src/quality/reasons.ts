/** §3.2: the six bad-data reasons, spelled exactly as the original's database ENUM. */
export const BAD_DATA_REASONS = [
  'Bad EXPFLAG',
  'Non-linear time',
  'No events',
  'Singular event',
  'Bad Proposal',
  'Short Exposure',
] as const;
export type BadDataReason = (typeof BAD_DATA_REASONS)[number];

export function isBadDataReason(value: string): value is BadDataReason {
  return (BAD_DATA_REASONS as readonly string[]).includes(value);
}
