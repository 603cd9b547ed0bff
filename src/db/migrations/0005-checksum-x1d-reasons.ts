/**
 * bad_data.reason also takes "Bad checksum" (a DATASUM or CHECKSUM that does not match the bytes, FITS
 * standard 4.0 App. J) and "Empty x1d" (a STIS x1d beside the events with no rows, so no extraction box
 * in corrected mode, §7.1). It starts from the list 0004 leaves (fixed there), so this migration keeps its meaning.
 */
import type { Migration } from 'kysely';
import type { Dialect } from '../connect.js';
import { REASONS_AFTER_0004, swapCheck } from './0004-bad-header-reasons.js';

const BEFORE = REASONS_AFTER_0004;
const AFTER = [...BEFORE, 'Bad checksum', 'Empty x1d'];

export function checksumX1dReasons(dialect: Dialect): Migration {
  return {
    up: (db) => swapCheck(db, dialect, AFTER),
    // Fails, as it should, while a row still carries one of the added reasons.
    down: (db) => swapCheck(db, dialect, BEFORE),
  };
}
