/**
 * bad_data.reason also takes "Bad checksum" (a DATASUM or CHECKSUM that does not match the bytes, FITS
 * standard 4.0 App. J) and "Empty x1d" (a STIS x1d beside the events with no rows, so no extraction box
 * in corrected mode, §7.1). The lists are written out, as in 0004, so this migration keeps its meaning.
 */
import type { Migration } from 'kysely';
import type { Dialect } from '../connect.js';
import { swapCheck } from './0004-bad-header-reasons.js';

const BEFORE = [
  'Bad EXPFLAG',
  'Non-linear time',
  'No events',
  'Singular event',
  'Bad Proposal',
  'Short Exposure',
  'Bad header: INSTRUME',
  'Bad header: DETECTOR',
  'Bad header: OPT_ELEM',
  'Bad header: CENWAVE',
  'Bad header: APERTURE',
  'Bad header: TARGNAME',
];
const AFTER = [...BEFORE, 'Bad checksum', 'Empty x1d'];

export function checksumX1dReasons(dialect: Dialect): Migration {
  return {
    up: (db) => swapCheck(db, dialect, AFTER),
    // Fails, as it should, while a row still carries one of the added reasons.
    down: (db) => swapCheck(db, dialect, BEFORE),
  };
}
