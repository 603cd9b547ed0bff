/**
 * How a periodogram is computed (the same decisions either way, §11.3): the registry the CLI offers as
 * `--method`. A module of its own so that the choice list costs no import of the kernels.
 */
export const PERIODOGRAM_METHODS = ['auto', 'exact', 'fast'] as const;
export type PeriodogramMethod = (typeof PERIODOGRAM_METHODS)[number];
