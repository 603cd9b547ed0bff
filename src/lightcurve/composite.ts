/**
 * Composite lightcurves (§9.3): the members' common wavelength range, one extraction per member on
 * that range, members numbered and stacked, and the HLSP headers of §9.3(d).
 */
import { copiedTextCards, FitsReader, writeFits, type CardInput, type Header, ProductError } from '../fits/index.js';
import type { AlgorithmParams } from './algorithm.js';
import { CORRECTED } from './algorithm.js';
import { exposureSummary, extensionCards, membersSpan, provenanceCards } from './individual.js';
import { columnSpecs, memberCards } from './product.js';
import { binInsideGti, readGti } from './gti.js';
import { concatColumns, selectRows, type Lightcurve, type LightcurveColumns, type LightcurveMeta } from './table.js';

/** `hlsp_hstlc_hst_<instrume>-<detector>_<targname>_<opt_elem>_<cenwave>_<aperture>_v1_sci.fits`, lower case (§9.2). */
export function hlspName(g: { instrume: string; detector: string; targname: string; opt_elem: string; cenwave: string | number; aperture: string }): string {
  return `hlsp_hstlc_hst_${g.instrume}-${g.detector}_${g.targname}_${g.opt_elem}_${g.cenwave}_${g.aperture}_v1_sci.fits`.toLowerCase();
}

export interface GroupKey {
  instrume: string;
  detector: string;
  targname: string;
  opt_elem: string;
  cenwave: string | number;
  aperture: string;
}

/** §9.2 the group key of one file's primary header (IMAGING has cenwave 0), with the target name given. */
export function groupKeyOf(header: Header, targname: string): GroupKey {
  const s = (k: string): string => (header.string(k) ?? '').trim();
  const imaging = s('OBSTYPE').toUpperCase() === 'IMAGING';
  const cen = header.get('CENWAVE');
  return {
    instrume: s('INSTRUME'),
    detector: s('DETECTOR'),
    targname,
    opt_elem: s('OPT_ELEM'),
    cenwave: imaging ? 0 : typeof cen === 'number' ? cen : s('CENWAVE'),
    aperture: s('APERTURE'),
  };
}

/** The header keyword each group-key field comes from, for messages. */
const GROUP_KEYWORDS: Record<keyof GroupKey, string> = {
  instrume: 'INSTRUME',
  detector: 'DETECTOR',
  targname: 'TARGNAME',
  opt_elem: 'OPT_ELEM',
  cenwave: 'CENWAVE',
  aperture: 'APERTURE',
};

/**
 * §9.2 a composite is one target and one setting. The first group-key field in which a member
 * differs from the first member, as a message naming the keyword, both values and both files; undefined
 * when every member has the same key.
 */
export function groupMismatch(keys: readonly GroupKey[], files: readonly string[]): string | undefined {
  const first = keys[0];
  if (first === undefined) return undefined;
  for (let i = 1; i < keys.length; i++) {
    for (const field of Object.keys(GROUP_KEYWORDS) as Array<keyof GroupKey>) {
      if (String(keys[i]![field]) === String(first[field])) continue;
      const name = (f: string): string => f.split('/').pop() ?? f;
      return `members differ in ${GROUP_KEYWORDS[field]}: ${JSON.stringify(String(first[field]))} (${name(files[0]!)}) vs ${JSON.stringify(String(keys[i]![field]))} (${name(files[i]!)}); a composite combines one target and instrument setting`;
    }
  }
  return undefined;
}

/** The primary header of a file (the group-key keywords). */
export async function primaryHeaderOf(path: string): Promise<Header> {
  return (await primaryOf(path)).header;
}

/**
 * §9.2 groups: files of one instrume/detector/targname/opt_elem/cenwave/aperture (from each file's
 * primary header; IMAGING has cenwave 0), members in sorted file-name order, keyed by HLSP name.
 * The pipeline passes the resolved target name through `targname`.
 */
export async function groupFiles(paths: readonly string[], targname: (path: string, header: Header) => string = (_p, h) => (h.string('TARGNAME') ?? '').trim()): Promise<Map<string, { key: GroupKey; members: string[] }>> {
  const groups = new Map<string, { key: GroupKey; members: string[] }>();
  for (const path of [...paths].sort()) {
    const { header } = await primaryOf(path);
    const key = groupKeyOf(header, targname(path, header));
    const name = hlspName(key);
    const g = groups.get(name) ?? { key, members: [] };
    g.members.push(path);
    groups.set(name, g);
  }
  return groups;
}

export interface WavelengthRange {
  wmin: number;
  wmax: number;
}

/** §9.3(a) the common range: the narrowest of the members' ranges. */
export function commonRange(ranges: ReadonlyArray<WavelengthRange | undefined>, files: readonly string[]): WavelengthRange {
  let out: WavelengthRange | undefined;
  ranges.forEach((r, i) => {
    if (r === undefined) {
      if (i === 0) throw new ProductError(`${files[0]}: no valid events, so no common wavelength range can be set (§9.3a)`);
      return;
    }
    out = out === undefined ? { ...r } : { wmin: Math.max(out.wmin, r.wmin), wmax: Math.min(out.wmax, r.wmax) };
  });
  if (out === undefined) throw new ProductError('no member has valid events; no common wavelength range');
  return out;
}

export interface MemberResult {
  file: string;
  kept: boolean;
  bins: number;
  zeroGrossBins: number;
  /** Bins dropped because they fall outside the exposure's good time intervals. */
  gtiDropped: number;
  reason?: string;
}

export interface CompositeResult {
  output: string;
  members: MemberResult[];
  range: WavelengthRange;
  rows: number;
  columns: LightcurveColumns;
}

/** Extracts one member on the common range; supplied by the caller (COS or STIS dispatch). */
export type MemberExtractor = (file: string, wlim: readonly [number, number]) => Promise<Lightcurve>;

/** §9.3(a) a member's valid-event wavelength extremes (instrument-specific; see src/hst/wavelength-range.ts). */
export type RangeFinder = (file: string) => Promise<WavelengthRange | undefined>;

export interface CompositeOptions {
  algorithm?: AlgorithmParams;
  extract: MemberExtractor;
  range: RangeFinder;
  /** The names to record for the members (e.g. the STIS tag files a scratch corrtag came from). */
  names?: readonly string[];
}

interface Primary {
  header: Header;
}

async function primaryOf(path: string): Promise<Primary> {
  const f = await FitsReader.open(path, { maxHdus: 1 });
  await f.close();
  return { header: f.hdus[0].header };
}

/** §9.3 is_uniq: '' for none, the value for one, 'MULTI' for several. */
function uniq(values: Set<string>): { value: string; multi: string[] } {
  const list = [...values];
  if (list.length === 0) return { value: '', multi: [] };
  if (list.length === 1) return { value: list[0], multi: [] };
  return { value: 'MULTI', multi: list };
}

/**
 * astropy `Time(mjd, format='mjd').iso` to the millisecond, but with the FITS 'T' separator: the
 * original's 'YYYY-MM-DD HH:MM:SS.sss' is an illegal DATE-OBS for fitsverify (§9.3(d)).
 */
export function mjdToIso(mjd: number): string {
  const day = Math.floor(mjd);
  let ms = Math.round((mjd - day) * 86400000);
  let d = day;
  if (ms >= 86400000) {
    ms -= 86400000;
    d += 1;
  }
  const date = new Date(Date.UTC(1858, 10, 17) + d * 86400000 + ms);
  const p = (x: number, w = 2): string => String(x).padStart(w, '0');
  return `${date.getUTCFullYear()}-${p(date.getUTCMonth() + 1)}-${p(date.getUTCDate())}T${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}.${p(date.getUTCMilliseconds(), 3)}`;
}

/** §9.3(d) primary keywords of the HLSP. */
export { binInsideGti, readGti };

export async function hlspPrimaryCards(files: readonly string[], c: LightcurveColumns, algorithm: AlgorithmParams = CORRECTED): Promise<CardInput[]> {
  const sets = { TELESCOP: new Set<string>(), INSTRUME: new Set<string>(), DETECTOR: new Set<string>(), OPT_ELEM: new Set<string>() };
  const primaries: Primary[] = [];
  for (const f of files) {
    const p = await primaryOf(f);
    primaries.push(p);
    for (const k of Object.keys(sets) as Array<keyof typeof sets>) {
      const v = p.header.string(k);
      if (v !== undefined) sets[k].add(v.trim());
    }
  }
  const first = primaries[0].header;
  const cards: CardInput[] = [
    { key: 'PROPOSID', value: 13902 },
    { key: 'HLSPLEAD', value: 'Justin C. Ely' },
    { key: 'PR_INV_L', value: 'Ely' },
    { key: 'PR_INV_F', value: 'Justin' },
    { key: 'PR_INV_M', value: 'Charles' },
    { key: 'HLSPNAME', value: 'The Lightcurve Legacy of COS and STIS' },
    { key: 'HLSPACRN', value: 'LLOCS' },
    { key: 'CITATION', value: '' },
  ];
  for (const k of ['RA_TARG', 'DEC_TARG', 'EQUINOX']) {
    const card = first.card(k);
    if (card !== undefined) cards.push({ key: k, value: card.value, type: card.type === 'integer' ? 'integer' : 'float' });
  }
  for (const k of ['TARGNAME', 'TARDESCR', 'TARDESC2']) cards.push(...copiedTextCards(k, (first.string(k) ?? '').trim()));
  cards.push({ key: 'EXTNAME', value: 'PRIMARY' });
  const multi: CardInput[] = [];
  const add = (key: string, prefix: string, set: Set<string>): void => {
    const u = uniq(set);
    cards.push(...copiedTextCards(key, u.value));
    // §15.11 the original wrote every extra value as <prefix>01; numbered properly here
    u.multi.forEach((v, i) => multi.push(...copiedTextCards(`${prefix}${String(i + 1).padStart(2, '0')}`, v)));
  };
  add('TELESCOP', 'TELESC', sets.TELESCOP);
  add('INSTRUME', 'INSTRU', sets.INSTRUME);
  add('DETECTOR', 'DETECT', sets.DETECTOR);
  add('FILTER', 'FILTER', sets.OPT_ELEM);
  cards.push(...multi);
  // As built the primary EXPEND is the last bin's start; corrected, the end of the last bin (as in HDU 1).
  const s = algorithm.compositeSpansMembers ? membersSpan(c, algorithm.daysPerSecond) : exposureSummary(c);
  cards.push({ key: 'DATE-OBS', value: mjdToIso(s.expstart) });
  cards.push({ key: 'EXPSTART', value: s.expstart, type: 'float' });
  cards.push({ key: 'EXPEND', value: s.expend, type: 'float' });
  cards.push({ key: 'EXPTIME', value: s.exptime, type: 'float' });
  return cards;
}

/** §9.3 composite(filelist, output): extract every member on the common range, stack, write. */
export async function makeComposite(files: readonly string[], output: string, opts: CompositeOptions): Promise<CompositeResult> {
  if (files.length === 0) throw new Error('a composite needs at least one file');
  const algorithm = opts.algorithm ?? CORRECTED;
  const ranges: Array<WavelengthRange | undefined> = [];
  for (const f of files) ranges.push(await opts.range(f));
  const range = commonRange(ranges, files);

  const members: MemberResult[] = [];
  const kept: Lightcurve[] = [];
  for (const [i, f] of files.entries()) {
    const lc = await opts.extract(f, [range.wmin, range.wmax]);
    if (opts.names?.[i] !== undefined) lc.meta.source = opts.names[i];
    let zero = 0;
    for (let i = 0; i < lc.columns.gross.length; i++) if (lc.columns.gross[i] === 0) zero++;
    const m: MemberResult = { file: opts.names?.[i] ?? f, kept: true, bins: lc.columns.times.length, zeroGrossBins: zero, gtiDropped: 0 };
    if (algorithm.compositeDropZeroBins && zero > 0) {
      // §9.3(b) as built: one empty bin discards the whole exposure
      m.kept = false;
      m.reason = `${zero} bin(s) with zero gross counts`;
    } else if (algorithm.dropBinsOutsideGti) {
      const gti = await readGti(f);
      if (gti !== undefined && gti.length > 0) {
        const step = lc.meta.step;
        const before = lc.columns.times.length;
        lc.columns = selectRows(lc.columns, (i) => binInsideGti(lc.columns.times[i], lc.columns.times[i] + step, gti));
        m.gtiDropped = before - lc.columns.times.length;
        m.bins = lc.columns.times.length;
      }
      if (lc.columns.times.length === 0) {
        m.kept = false;
        m.reason = 'no bin inside the good time intervals';
      }
    }
    members.push(m);
    if (m.kept) kept.push(lc);
  }
  if (kept.length === 0) {
    throw new ProductError(`no member of the composite is usable (${members.map((m) => `${m.file}: ${m.reason ?? 'dropped'}`).join('; ')})`);
  }
  // §9.3(c) members numbered 1, 2, … in order
  kept.forEach((lc, j) => lc.columns.dataset.fill(j + 1));
  const columns = concatColumns(kept.map((k) => k.columns));
  const last = kept[kept.length - 1];
  const meta: LightcurveMeta = { ...last.meta };
  // Header keywords of the last member (the original's merge keeps the later scalar); with one member the
  // original also keeps the (value, comment) pairs, and unlike it we keep them for several members too.
  const ext = extensionCards(meta, last.columns, { keepPairs: true, longKeys: false }).filter(
    (c) => !['EXPSTART', 'EXPEND', 'EXPTIME', 'WMIN', 'WMAX'].includes(c.key),
  );
  // §9.3(c) as built the last member's values survive the merge; corrected, they describe every member.
  const span = algorithm.compositeSpansMembers ? membersSpan(columns, algorithm.daysPerSecond) : exposureSummary(last.columns);
  ext.push({ key: 'EXPSTART', value: span.expstart, type: 'float' });
  ext.push({ key: 'EXPEND', value: span.expend, type: 'float' });
  ext.push({ key: 'EXPTIME', value: span.exptime, type: 'float' });
  ext.push({ key: 'WMIN', value: range.wmin, comment: 'Minimum wavelength extracted', type: 'float' });
  ext.push({ key: 'WMAX', value: range.wmax, comment: 'Maximum wavelength extracted', type: 'float' });
  ext.push(...memberCards(kept.map((k) => k.meta.source)));
  const prov = provenanceCards({ ...meta, algorithm, warnings: [...new Set(kept.flatMap((k) => k.meta.warnings))] });
  const primary = await hlspPrimaryCards(files, columns, algorithm);
  // §15.8: the original could not overwrite an existing composite; the write here is atomic and replaces it
  await writeFits(output, [
    {
      type: 'PRIMARY',
      cards: [
        ...primary,
        // hstlc additions: the setting, and STEPSIZE where the original's periodogram looked for it (§15.25)
        { key: 'CENWAVE', value: meta.describe.CENWAVE, comment: 'central wavelength' },
        { key: 'APERTURE', value: meta.describe.APERTURE, comment: 'aperture name' },
        { key: 'STEPSIZE', value: meta.step, comment: 'Bin size (seconds)' },
        ...prov,
      ],
    },
    { type: 'BINTABLE', name: 'LIGHTCURVE', cards: [...ext, ...prov.filter((c) => c.key !== 'HISTORY')], columns: columnSpecs(columns) },
  ]);
  return { output, members, range, rows: columns.times.length, columns };
}
