/**
 * What `reset-database` can empty (§13.2) and what it reports: no imports, so the CLI checks its argument
 * and states the choices in --help without loading the database.
 */
export const RESET_TARGETS = ['bad_data', 'metadata', 'outputs', 'stats', 'all', 'production'] as const;
export type ResetTarget = (typeof RESET_TARGETS)[number];

export type ResettableTable = 'stats' | 'outputs' | 'metadata' | 'bad_data' | 'target_names';

export interface ResetReport {
  target: ResetTarget;
  tables: Array<{ table: ResettableTable; rowsDeleted: number }>;
  /** The JSON copy of bad_data written before the reset, if one was. */
  badDataBackup?: string;
  badDataRows: number;
}
