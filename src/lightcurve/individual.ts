/**
 * The individual lightcurve file `<rootname>_curve.fits` (§8.2): HDU 1 holds the 12 columns in the
 * original's Python-3 order and types, with its keywords; unlike the original, the primary header
 * also describes the observation (instrument setting, target, step, sources, algorithm) so later
 * stages need not open the event files again.
 */
import type { CardInput } from '../fits/index.js';
import { copiedTextCards, writeFits } from '../fits/index.js';
import { algorithmCards } from './algorithm.js';
import { columnSpecs } from './product.js';
import { COLUMN_ORDER, pyStr, type Lightcurve, type LightcurveColumns, type LightcurveMeta, type PyNumber } from './table.js';
import { packageVersion } from './version.js';

const FLOAT_KEYS = new Set(['RA_TARG', 'DEC_TARG', 'EQUINOX', 'EXPSTART', 'EXPEND', 'EXPTIME']);

function numCard(key: string, n: PyNumber, comment?: string): CardInput {
  return { key, value: n.value, comment, type: n.float ? 'float' : Number.isInteger(n.value) ? 'integer' : 'float' };
}

/** Local time as Python's str(datetime.now()): 'YYYY-MM-DD HH:MM:SS.ffffff'. */
export function pyTimestamp(d: Date = new Date()): string {
  const p = (x: number, w = 2): string => String(x).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`;
}

function stepNumber(step: number): PyNumber {
  return { value: step, float: !Number.isInteger(step) };
}

/** §8.1 EXPSTART/EXPEND/EXPTIME of a table: min and max of mjd (bin starts), sum of bins. */
export function exposureSummary(c: LightcurveColumns): { expstart: number; expend: number; exptime: number } {
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  for (let i = 0; i < c.mjd.length; i++) {
    if (c.mjd[i] < lo) lo = c.mjd[i];
    if (c.mjd[i] > hi) hi = c.mjd[i];
    sum += c.bins[i];
  }
  return { expstart: lo, expend: hi, exptime: sum };
}

/**
 * The span of a composite's members: first bin start, end of the last bin (MJD; bin widths converted
 * with `daysPerSecond`, the rule the mjd column was made with) and the summed bin widths (s).
 */
export function membersSpan(c: LightcurveColumns, daysPerSecond: number): { expstart: number; expend: number; exptime: number } {
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  for (let i = 0; i < c.mjd.length; i++) {
    if (c.mjd[i] < lo) lo = c.mjd[i];
    const end = c.mjd[i] + c.bins[i] * daysPerSecond;
    if (end > hi) hi = end;
    sum += c.bins[i];
  }
  return { expstart: lo, expend: hi, exptime: sum };
}

/** The last component of a path: products name files, never the machine's directories. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * FITS time keywords (Rots et al. 2015, FITS 4.0 §9) for the mjd column: HST's EXPSTART is a UTC MJD,
 * so the column holds days in UTC from MJD 0. With them astropy's Table.read(astropy_native=True)
 * gives the column as a Time.
 */
export function timeCards(): CardInput[] {
  const n = COLUMN_ORDER.indexOf('mjd') + 1;
  return [
    { key: 'TIMESYS', value: 'UTC', comment: 'time scale of mjd and EXPSTART/EXPEND' },
    { key: 'MJDREF', value: 0, type: 'float', comment: 'mjd column is days from MJD 0' },
    { key: 'TIMEUNIT', value: 'd', comment: 'unit of time values' },
    { key: `TCTYP${n}`, value: 'UTC', comment: 'mjd column: time scale' },
    { key: `TCUNI${n}`, value: 'd', comment: 'mjd column: time unit' },
  ];
}

/** Absolute paths in a message (starting a word), written as their file names (products carry no machine paths); 'erg/s/cm2' is no path. */
export function withoutDirectories(text: string): string {
  return text.replace(/(?<=^|[\s'"`(=])(?:[A-Za-z]:)?(?:[\\/][^\s\\/'"`:;,()]+)+[\\/]([^\s\\/'"`:;,()]+)/g, '$1');
}

/**
 * HDU-1 keywords of §8.2 (in the original's meta order). `keepPairs` false drops the (value, comment)
 * keywords, as the original's metadata merge does for composites of ≥ 2 members (§9.3(c)).
 */
export function extensionCards(meta: LightcurveMeta, c: LightcurveColumns, opts: { keepPairs?: boolean; longKeys?: boolean } = {}): CardInput[] {
  const keepPairs = opts.keepPairs ?? true;
  const longKeys = opts.longKeys ?? true;
  const cards: CardInput[] = [];
  const pair = (card: CardInput): void => {
    if (keepPairs) cards.push(card);
  };
  const standard = meta.algorithm.standardKeywords;
  /**
   * A (low, high) pair: as built one keyword with the high value in its comment (§8.2, the original's
   * header of Python tuples); standard, two keywords of their own.
   */
  const range = (key: string, lo: PyNumber, hi: PyNumber, what: string): void => {
    if (!standard) pair(numCard(key, lo, pyStr(hi)));
    else {
      pair(numCard(`${key}LO`, lo, `lower limit of ${what}`));
      pair(numCard(`${key}HI`, hi, `upper limit of ${what}`));
    }
  };
  // No machine paths in products: the event file by name (the archive layout says where it lives).
  cards.push({ key: 'SOURCE', value: fileName(meta.source) });
  if (longKeys) {
    cards.push({ key: 'HIERARCH instrument', value: meta.instrument });
    if (meta.sourceFiles !== undefined) cards.push({ key: 'HIERARCH source_files', value: meta.sourceFiles.join(',') });
  }
  pair(numCard('STEPSIZE', stepNumber(meta.step), 'Bin size (seconds)'));
  range('WLIM', meta.wlim[0], meta.wlim[1], 'wavelength extracted');
  range('XLIM', meta.xlim[0], meta.xlim[1], 'x extracted');
  // COS has no single y range (one per segment): as built a null YLIM, which fitsverify warns about.
  if (meta.ylim === null) {
    if (!standard) cards.push({ key: 'YLIM', value: null });
  } else range('YLIM', meta.ylim[0], meta.ylim[1], 'y extracted');
  for (const s of meta.segmentYlim) {
    const l = s.letter.toUpperCase();
    range(`YLIM${l}`, { value: s.start, float: true }, { value: s.end, float: true }, `y extracted, segment ${l}`);
  }
  cards.push({ key: 'OUTNAME', value: fileName(meta.outname) });
  if (meta.filetype !== null) cards.push({ key: 'FILETYPE', value: meta.filetype });
  pair({ key: 'GEN_DATE', value: pyTimestamp(), comment: 'Creation Date' });
  pair({ key: 'LC_VER', value: packageVersion(), comment: 'hstlc version used' });
  const s = exposureSummary(c);
  cards.push({ key: 'EXPSTART', value: s.expstart, type: 'float' });
  cards.push({ key: 'EXPEND', value: s.expend, type: 'float' });
  cards.push({ key: 'EXPTIME', value: s.exptime, type: 'float' });
  if (standard) cards.push(...timeCards());
  pair(numCard('WMIN', meta.wlim[0], 'Minimum wavelength extracted'));
  pair(numCard('WMAX', meta.wlim[1], 'Maximum wavelength extracted'));
  pair(numCard('XMIN', meta.xlim[0], 'Minimum x-coordinate extracted'));
  pair(numCard('XMAX', meta.xlim[1], 'Maximum x-coordinate extracted'));
  if (meta.instrument === 'COS') {
    for (const seg of meta.segmentYlim) {
      const l = seg.letter.toUpperCase();
      if (l !== 'A' && l !== 'B') continue; // §8.1: stripe C gets no YMIN/YMAX
      pair(numCard(`YMIN_${l}`, { value: seg.start, float: true }, `Minimum y-coordinate extracted from FUV${l}`));
      pair(numCard(`YMAX_${l}`, { value: seg.end, float: true }, `Maximum y-coordinate extracted from FUV${l}`));
    }
  } else if (meta.ylim !== null) {
    pair(numCard('YMIN', meta.ylim[0], 'Minimum y-coordinate extracted'));
    pair(numCard('YMAX', meta.ylim[1], 'Maximum y-coordinate extracted'));
  }
  return cards;
}

/** FITS headers are printable ASCII: spell out the few typographic characters our messages use. */
export function asciiText(s: string): string {
  return s
    .replace(/§/g, 'sec. ')
    .replace(/[–—]/g, '-')
    .replace(/×/g, 'x')
    .replace(/Å/g, 'Angstrom')
    .replace(/[^\x20-\x7e]/g, '?');
}

/** hstlc's own keywords: the algorithm, its switches, fallbacks — written in HDU 1 and the primary. */
export function provenanceCards(meta: LightcurveMeta): CardInput[] {
  const cards: CardInput[] = [];
  cards.push({ key: 'HSTLCVER', value: packageVersion(), comment: 'hstlc version' });
  for (const c of algorithmCards(meta.algorithm)) cards.push(c);
  // Reference files by name (CRDS names are unique), remarks without directories (the writer wraps
  // long HISTORY between words).
  for (const [k, path] of Object.entries(meta.refFiles)) cards.push({ key: 'HISTORY', value: asciiText(`${k} used: ${fileName(path)}`) });
  for (const w of meta.warnings) cards.push({ key: 'HISTORY', value: asciiText(`WARNING ${withoutDirectories(w)}`) });
  return cards;
}

/** Descriptive primary keywords (every later stage reads them here). */
export function primaryCards(meta: LightcurveMeta): CardInput[] {
  const d = meta.describe;
  const cards: CardInput[] = [];
  const str = (key: string, v: string, comment: string): void => {
    cards.push(...copiedTextCards(key, v, comment));
  };
  str('TELESCOP', d.TELESCOP, 'telescope used to acquire data');
  str('INSTRUME', d.INSTRUME, 'instrument');
  str('DETECTOR', d.DETECTOR, 'detector');
  str('OPT_ELEM', d.OPT_ELEM, 'optical element');
  if (typeof d.CENWAVE === 'number') cards.push({ key: 'CENWAVE', value: d.CENWAVE, comment: 'central wavelength' });
  else str('CENWAVE', d.CENWAVE, 'central wavelength');
  str('APERTURE', d.APERTURE, 'aperture name');
  str('OBSTYPE', d.OBSTYPE, 'observation type');
  str('ROOTNAME', d.ROOTNAME, 'rootname of the observation');
  str('TARGNAME', d.TARGNAME, "proposer's target name");
  for (const k of ['RA_TARG', 'DEC_TARG', 'EQUINOX'] as const) {
    const v = d[k];
    if (v !== undefined) cards.push({ key: k, value: v, type: FLOAT_KEYS.has(k) ? 'float' : undefined });
  }
  str('TARDESCR', d.TARDESCR, 'target description');
  str('TARDESC2', d.TARDESC2, 'target description (continued)');
  // §15.25: the original's periodogram stage read STEPSIZE from the primary header, where the library
  // never wrote it (KeyError); it is written here so that reading works as evidently intended.
  cards.push({ key: 'STEPSIZE', value: meta.step, comment: 'Bin size (seconds)' });
  cards.push({ key: 'WMIN', value: meta.wlim[0].value, comment: 'Minimum wavelength extracted' });
  cards.push({ key: 'WMAX', value: meta.wlim[1].value, comment: 'Maximum wavelength extracted' });
  const files = meta.sourceFiles ?? [meta.source.split('/').pop() ?? meta.source];
  files.forEach((f, i) => cards.push({ key: `SRCFIL${String(i + 1).padStart(2, '0')}`, value: f, comment: 'source event file' }));
  return cards;
}

/** Write `<rootname>_curve.fits` atomically (§8.2 + descriptive primary). */
export async function writeIndividual(path: string, lc: Lightcurve): Promise<void> {
  await writeFits(path, [
    { type: 'PRIMARY', cards: [...primaryCards(lc.meta), ...provenanceCards(lc.meta)] },
    { type: 'BINTABLE', cards: [...extensionCards(lc.meta, lc.columns), ...provenanceCards(lc.meta).filter((c) => c.key !== 'HISTORY')], columns: columnSpecs(lc.columns) },
  ]);
}
