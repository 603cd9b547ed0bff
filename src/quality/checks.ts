/**
 * The six data-quality checks (§3.2), as pure functions of what they look at, in the documented order
 * (§3.3): EXPFLAG, non-linear time, no events, singular event, bad proposal, short exposure. The original's
 * effective order (Python 2 dict order) put the time check on an empty table before "no events", which
 * then crashed; here the time check has nothing to object to in an empty table, so "No events" is
 * recorded for it, as documented.
 */
import type { BadDataReason } from './reasons.js';

export type CheckName = 'expflag' | 'linear' | 'no_events' | 'singular' | 'bad_proposal' | 'exptime';

/** What the checks read from an event file. */
export interface QualityInput {
  /** Events-header (HDU 1) EXPFLAG. */
  expflag: string;
  /** Events-header EXPTIME, seconds. */
  exptime: number;
  /** Primary-header PROPOSID. */
  proposid: number;
  /** HDU 1 TIME column, in file order. */
  times: ArrayLike<number>;
}

export interface QualityOptions {
  /** Proposal ids whose data are rejected (config `bad_proposals`; the original's list was empty). */
  badProposals?: readonly number[];
}

export type CheckResult =
  | { check: CheckName; passed: true }
  | { check: CheckName; passed: false; reason: BadDataReason; detail: string };

interface Check {
  name: CheckName;
  /** The original's function name, for comparing with its recorded results. */
  original: string;
  run(input: QualityInput, options: QualityOptions): CheckResult;
}

const pass = (check: CheckName): CheckResult => ({ check, passed: true });
const fail = (check: CheckName, reason: BadDataReason, detail: string): CheckResult => ({ check, passed: false, reason, detail });

/** §3.2 EXPFLAG must be exactly NORMAL. */
function expflag(input: QualityInput): CheckResult {
  return input.expflag === 'NORMAL' ? pass('expflag') : fail('expflag', 'Bad EXPFLAG', `EXPFLAG is '${input.expflag}', not 'NORMAL'`);
}

/** §3.2 times never decrease; a NaN fails too (every comparison with it is false). */
function linear(input: QualityInput): CheckResult {
  const t = input.times;
  for (let i = 1; i < t.length; i++) {
    if (!(t[i]! >= t[i - 1]!)) return fail('linear', 'Non-linear time', `TIME[${i}] = ${t[i]} follows TIME[${i - 1}] = ${t[i - 1]}`);
  }
  return pass('linear');
}

function noEvents(input: QualityInput): CheckResult {
  return input.times.length > 0 ? pass('no_events') : fail('no_events', 'No events', 'the events table has 0 rows');
}

/** §3.2 exactly one distinct time: one event, or all events at one instant. Empty tables pass. */
function singular(input: QualityInput): CheckResult {
  const t = input.times;
  if (t.length === 0) return pass('singular');
  const first = t[0]!;
  for (let i = 1; i < t.length; i++) if (!Object.is(t[i], first)) return pass('singular');
  return fail('singular', 'Singular event', t.length === 1 ? 'the events table has one event' : `all ${t.length} events are at TIME = ${first}`);
}

function badProposal(input: QualityInput, options: QualityOptions): CheckResult {
  return (options.badProposals ?? []).includes(input.proposid)
    ? fail('bad_proposal', 'Bad Proposal', `proposal ${input.proposid} is listed in bad_proposals`)
    : pass('bad_proposal');
}

/** §3.2 EXPTIME under 1 s; a NaN exposure time is no exposure either (the original let it pass). */
function exptime(input: QualityInput): CheckResult {
  return input.exptime >= 1 ? pass('exptime') : fail('exptime', 'Short Exposure', `EXPTIME = ${input.exptime} s is under 1 s`);
}

/** The documented order (§3.3). */
export const CHECKS: readonly Check[] = [
  { name: 'expflag', original: 'check_expflag', run: expflag },
  { name: 'linear', original: 'check_linear', run: linear },
  { name: 'no_events', original: 'check_no_events', run: noEvents },
  { name: 'singular', original: 'check_not_singular', run: singular },
  { name: 'bad_proposal', original: 'check_bad_proposal', run: badProposal },
  { name: 'exptime', original: 'check_exptime', run: exptime },
];

/** Every check's result, in order (the verdict is the first failure; all are useful for diagnosis). */
export function runChecks(input: QualityInput, options: QualityOptions = {}): CheckResult[] {
  return CHECKS.map((c) => c.run(input, options));
}
