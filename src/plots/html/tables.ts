/**
 * §12.3 exploratory tables over composites, fixed (§15.24): one page per kind of the one definition of
 * 'interesting' (src/analysis/interest.ts) — interesting, boring, low counts, and without statistics (a
 * real NULL test, not the string 'NULL'); every page is written, even when empty.
 */
import { INTEREST_KINDS, INTEREST_RULE, interestOf, LOW_COUNTS_MEAN, LOW_COUNTS_TOTAL, type Interest } from '../../analysis/index.js';
import { escapeHtml, jsonForScript } from '../escape.js';
import type { StatsRecord } from '../types.js';
import { dataBlock, page } from './page.js';

export const TABLE_KINDS = INTEREST_KINDS;
export type TableKind = Interest;

/** The table a composite is listed in: its kind by the one definition of 'interesting'. */
export function classify(stats: StatsRecord): TableKind {
  return interestOf(stats).kind;
}

/** One row as the page's script receives it; strings stay raw here and are set as text in the browser. */
export interface TableRow {
  /** Place on its page in the order "most interesting first" (byInterest): the page opens sorted by it. */
  rank: number;
  target: string;
  /** Relative URLs (already percent-encoded) of the thumbnail and the dashboard, or null. */
  thumbnail: string | null;
  dashboard: string | null;
  instrument: string;
  grating: string;
  cenwave: number | null;
  aperture: string;
  exptime: number | null;
  total: number | null;
  mean: number | null;
  poisson_f: number | null;
  /** Standard error of the poisson factor (poissonFactorError), the σ the rule counts in. */
  poisson_f_err: number | null;
  /** The periodogram's false-alarm probability, shown only when the periodogram is flagged (§11.2). */
  fap: number | null;
  pearson_r: number | null;
  pearson_p: number | null;
  /** The lightcurve's file name (no folder: the page must fit a 1400 px window). */
  filename: string;
  /** Relative URL (percent-encoded) of the FITS file from the page, or null. */
  file: string | null;
}

export interface TableEntry {
  stats: StatsRecord;
  thumbnail: string | null;
  dashboard: string | null;
  /** Relative URL of the lightcurve FITS file from plot_dir (§12.3 traces a row to its file). */
  file?: string | null;
}

/** JSON has no NaN or Infinity; say "no value" explicitly. */
function finiteOrNull(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}

export function tableRow(entry: TableEntry, rank: number): TableRow {
  const s = entry.stats;
  return {
    rank,
    target: s.targname,
    thumbnail: entry.thumbnail,
    dashboard: entry.dashboard,
    instrument: s.instrument,
    grating: s.opt_elem,
    cenwave: s.cenwave,
    aperture: s.aperture,
    exptime: finiteOrNull(s.exptime),
    total: finiteOrNull(s.total),
    mean: finiteOrNull(s.mean),
    poisson_f: finiteOrNull(s.poisson_factor),
    poisson_f_err: finiteOrNull(interestOf(s).poissonError),
    fap: s.periodogram ? finiteOrNull(s.false_alarm_probability ?? null) : null,
    pearson_r: finiteOrNull(s.pearson_r),
    pearson_p: finiteOrNull(s.pearson_p),
    // §12.3 traces a row to its file: a relative link, which works wherever the site and outputs are
    // copied together (an absolute path names the machine that drew it, and widens the page).
    filename: s.lightcurve_filename,
    file: entry.file ?? null,
  };
}

/**
 * §12.3 columns, in order, plus the rank and the evidence the ranking reads (σ of the poisson factor,
 * false-alarm probability); titles carry the units (the statistics are of counts per bin, §11.2).
 * Widths in px, chosen so that all sixteen fit a 1400 px window (test/plots/screenshots.test.ts).
 */
export const TABLE_COLUMNS: ReadonlyArray<{ field: keyof TableRow | 'plot'; title: string; kind: 'text' | 'number' | 'plot' | 'file'; width?: number }> = [
  { field: 'rank', title: 'rank', kind: 'number', width: 54 },
  { field: 'target', title: 'target', kind: 'text', width: 112 },
  { field: 'plot', title: 'plot', kind: 'plot', width: 140 },
  { field: 'instrument', title: 'instrument', kind: 'text', width: 104 },
  { field: 'grating', title: 'grating', kind: 'text', width: 76 },
  { field: 'cenwave', title: 'cenwave (Å)', kind: 'number', width: 80 },
  { field: 'aperture', title: 'aperture', kind: 'text', width: 86 },
  { field: 'exptime', title: 'exptime (s)', kind: 'number', width: 76 },
  { field: 'total', title: 'total (counts)', kind: 'number', width: 76 },
  { field: 'mean', title: 'mean (counts/bin)', kind: 'number', width: 110 },
  { field: 'poisson_f', title: 'poisson factor', kind: 'number', width: 72 },
  { field: 'poisson_f_err', title: 'σ of poisson factor', kind: 'number', width: 78 },
  { field: 'fap', title: 'false-alarm prob.', kind: 'number', width: 76 },
  { field: 'pearson_r', title: 'pearson r', kind: 'number', width: 76 },
  { field: 'pearson_p', title: 'pearson p', kind: 'number', width: 82 },
  { field: 'filename', title: 'file', kind: 'file', width: 60 },
];

const LOW = `fewer than ${LOW_COUNTS_TOTAL} counts or under ${LOW_COUNTS_MEAN} count per bin`;

/** What each kind means, in the words index.html uses too. */
export const KIND_LABELS: Record<TableKind, string> = {
  interesting: `interesting (${INTEREST_RULE})`,
  boring: 'boring (enough counts, not interesting)',
  low_counts: `low counts (${LOW}: never interesting)`,
  null: 'without statistics (counts not finite)',
};

const TITLES: Record<TableKind, string> = {
  interesting: 'Interesting lightcurves',
  boring: 'Boring lightcurves',
  low_counts: 'Lightcurves with too few counts',
  null: 'Lightcurves without statistics',
};

const EMPTY: Record<TableKind, string> = {
  interesting: 'No composite lightcurve is interesting.',
  boring: 'No composite lightcurve is boring.',
  low_counts: `No composite lightcurve has ${LOW}.`,
  null: 'Every composite lightcurve has statistics.',
};

export function tablePage(kind: TableKind, rows: readonly TableRow[]): string {
  const rule = `<p class="note" id="hstlc-rule">${escapeHtml(KIND_LABELS[kind].replace(/^[a-z ]+\((.*)\)$/, '$1'))}</p>`;
  const count = rows.length === 0 ? `${rule}<p class="empty" id="hstlc-empty">${escapeHtml(EMPTY[kind])}</p>` : `${rule}<p class="note">${rows.length} composite lightcurve(s). Click a column title to sort; type in the boxes under the titles to filter (numbers: at least); click a thumbnail to enlarge it, a target for its dashboard.</p>`;
  const body = `${count}
<input id="hstlc-search" type="search" placeholder="search every column" aria-label="search every column">
<div id="hstlc-table-view"></div>
<div id="hstlc-lightbox" class="lightbox" hidden role="dialog" aria-modal="true" aria-label="lightcurve"><figure><figcaption><a class="dashboard">dashboard</a> · <button type="button" class="close">close (Esc)</button></figcaption></figure></div>
<noscript><p class="empty">The table needs JavaScript.</p></noscript>`;
  const spec = {
    rows,
    columns: TABLE_COLUMNS,
    empty: EMPTY[kind],
    // Most interesting first, as on index.html: the strongest evidence (false-alarm probability, or the
    // poisson factor's excess over 1 in its own σ) leads, not the largest poisson factor.
    initialSort: { column: 'rank', dir: 'asc' },
  };
  return page({
    title: TITLES[kind],
    root: '',
    body,
    styles: ['tabulatorCss'],
    scripts: ['tabulatorJs', 'table'],
    data: dataBlock('hstlc-table', jsonForScript(spec)),
  });
}
