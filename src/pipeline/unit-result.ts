/**
 * The one shape of a unit's answer (units.ts): `done` with its values, `bad` (the input fails a quality
 * check, §3: quarantine it and go on) or `failed` with the reason. A unit does not throw for a defect of
 * its input; a throw, or a worker that died, is the machine's or a bug, and is the only thing a job engine
 * should retry.
 */

/** `internal` marks a programming error (not a ProductError, not a system error such as ENOENT): the input is not at fault, so it is never quarantined; the stack is kept for the report. */
export type UnitFailure = { status: 'failed'; reason: string; internal?: true; stack?: string };

export type UnitResult<Done extends object, Bad extends object = never> =
  | ({ status: 'done' } & Done)
  | ([Bad] extends [never] ? never : { status: 'bad' } & Bad)
  | UnitFailure;
