/**
 * How every stage command ends: its summary lines go to the log file and to stdout (or the summary
 * as JSON with --json), and the exit code says whether any item failed.
 */
import { HomeLockedError } from '../archive/home-lock.js';
import type { HstlcLogger } from '../log/logger.js';
import type { CliContext } from './context.js';
import { ExitCode } from './errors.js';

export function reportStage<T extends { ok: boolean }>(
  ctx: CliContext,
  log: HstlcLogger,
  summary: T,
  lines: readonly string[],
  print = true,
): void {
  for (const line of lines) if (line !== '') log.info({ fileOnly: true }, line);
  if (print) ctx.out.result(summary, () => [...lines]);
  if (!summary.ok) ctx.setExitCode(ExitCode.ITEMS_FAILED);
}

/** Another hstlc process holds the home_dir lock: say so, exit 1. Any other error propagates. */
export function reportLocked(ctx: CliContext, err: unknown, prefix = ''): void {
  if (!(err instanceof HomeLockedError)) throw err;
  ctx.out.error(`${prefix}${err.message}`);
  ctx.setExitCode(ExitCode.ITEMS_FAILED);
}
