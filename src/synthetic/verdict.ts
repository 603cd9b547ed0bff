/**
 * The expected outcome of the six quality checks of §3.2 on a generated file, evaluated on the
 * very values written (TIME column, EXPFLAG, EXPTIME, PROPOSID), so the manifest states what
 * a faithful implementation must conclude.
 */

export type CheckName = 'expflag' | 'linear' | 'no_events' | 'not_singular' | 'bad_proposal' | 'exptime';

/** `error`: the original raises instead of answering (check_linear on an empty table). */
export type CheckOutcome = 'pass' | 'fail' | 'error';

export const CHECK_REASONS: Readonly<Record<CheckName, string>> = {
  expflag: 'Bad EXPFLAG',
  linear: 'Non-linear time',
  no_events: 'No events',
  not_singular: 'Singular event',
  bad_proposal: 'Bad Proposal',
  exptime: 'Short Exposure',
};

/** Documented order (module docstring of the original). */
export const CHECK_ORDER: readonly CheckName[] = ['expflag', 'linear', 'no_events', 'not_singular', 'bad_proposal', 'exptime'];

export interface Verdict {
  ok: boolean;
  /** Reason of the failing check (documented order), or null. */
  reason: string | null;
  checks: Record<CheckName, CheckOutcome>;
}

export interface VerdictInput {
  time: ArrayLike<number>;
  expflag: string;
  exptime: number;
  proposid: number;
  badProposals: readonly number[];
}

export function evaluateChecks(input: VerdictInput): Verdict {
  const { time } = input;
  const n = time.length;
  let linear: CheckOutcome = 'pass';
  if (n === 0) linear = 'error';
  else {
    for (let i = 1; i < n; i++) {
      if (!(time[i] >= time[i - 1])) {
        linear = 'fail';
        break;
      }
    }
  }
  let distinct = 0;
  if (n > 0) {
    const seen = new Set<number>();
    for (let i = 0; i < n && seen.size < 2; i++) seen.add(time[i]);
    distinct = seen.size;
  }
  const checks: Record<CheckName, CheckOutcome> = {
    expflag: input.expflag === 'NORMAL' ? 'pass' : 'fail',
    linear,
    no_events: n === 0 ? 'fail' : 'pass',
    not_singular: distinct === 1 ? 'fail' : 'pass',
    bad_proposal: input.badProposals.includes(input.proposid) ? 'fail' : 'pass',
    exptime: input.exptime < 1 ? 'fail' : 'pass',
  };
  const failing = CHECK_ORDER.find((c) => checks[c] === 'fail');
  return { ok: failing === undefined && linear !== 'error', reason: failing ? CHECK_REASONS[failing] : null, checks };
}
