/** Exit codes (DESIGN §3): the contract scripts and cron jobs rely on. */
export const ExitCode = {
  /** Everything done. */
  OK: 0,
  /** Some items failed; each was reported. */
  ITEMS_FAILED: 1,
  /** Bad usage or bad configuration; nothing was done. */
  USAGE: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A mistake in how the command was called that commander cannot see (e.g. two options that clash). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
