/** Axis helpers shared by the chart definitions: extents of finite data and readable powers of ten. */

export interface Extent {
  min: number;
  max: number;
}

/** Min and max over finite values; undefined when there are none. */
export function finiteExtent(values: ArrayLike<number>): Extent | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : undefined;
}

/**
 * The extent widened by `fraction` of its span on each side (so extreme points are not cut by the frame);
 * a zero span becomes ±1 (or ±|v|/10) around the value so the axis still has a scale.
 */
export function padExtent(extent: Extent | undefined, fraction = 0.05): Extent {
  if (!extent) return { min: 0, max: 1 };
  const span = extent.max - extent.min;
  if (span > 0) return { min: extent.min - span * fraction, max: extent.max + span * fraction };
  const half = extent.min === 0 ? 1 : Math.abs(extent.min) / 10;
  return { min: extent.min - half, max: extent.max + half };
}

/**
 * A power of ten to divide values by so tick labels stay short (flux is ~1e-14): the exponent k with
 * 1 ≤ max|v|/10^k < 10, so ticks read 1.5, 2, 2.5 (two or three significant digits); 0 when values
 * already fall in [1e-2, 1e5).
 */
export function exponentFor(extent: Extent | undefined): number {
  if (!extent) return 0;
  const m = Math.max(Math.abs(extent.min), Math.abs(extent.max));
  if (m === 0 || !Number.isFinite(m) || (m >= 1e-2 && m < 1e5)) return 0;
  return Math.floor(Math.log10(m) + 1e-12);
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** `10⁻¹⁵` for an axis name. */
export function powerOfTen(exponent: number): string {
  return `10${String(exponent).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`;
}

/** Round to `digits` significant digits for embedded data (keeps JSON small, values unchanged to the eye). */
export function roundSig(value: number, digits: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

export interface TimeBreak {
  start: number;
  end: number;
  /** Width the collapsed gap keeps on the axis. */
  gap: string;
}

/**
 * Axis breaks for the long gaps between visits (ECharts 6 `axis.breaks`): a composite's members are
 * minutes long but months apart, so on a plain MJD axis each visit would be a vertical line. A gap is
 * broken when it exceeds a tenth of the whole span and 100 median bin steps.
 */
export function timeBreaks(times: ArrayLike<number>): TimeBreak[] {
  const t = Float64Array.from(Array.prototype.filter.call(times, Number.isFinite) as number[]).sort();
  if (t.length < 3) return [];
  const steps = new Float64Array(t.length - 1);
  for (let i = 1; i < t.length; i++) steps[i - 1] = t[i] - t[i - 1];
  const median = Float64Array.from(steps).sort()[steps.length >> 1];
  const span = t[t.length - 1] - t[0];
  const breaks: TimeBreak[] = [];
  for (let i = 0; i < steps.length; i++) {
    const gap = steps[i];
    if (gap > 0.1 * span && gap > 100 * median) {
      // Keep a few bins of margin so the edge points are not drawn on the break itself.
      const pad = Math.min(gap / 10, 3 * median);
      breaks.push({ start: t[i] + pad, end: t[i + 1] - pad, gap: '4%' });
    }
  }
  return breaks;
}

/**
 * An MJD as tick text: no thousands separator (56685.41, not 56,685.41), with `decimals` places (all
 * ticks of an axis alike), or float noise trimmed when not given.
 */
export function mjdText(value: number, decimals?: number): string {
  if (!Number.isFinite(value)) return '';
  return decimals === undefined ? String(Number(value.toPrecision(11))) : value.toFixed(decimals);
}

/** Decimal places that show every tick value exactly (at most 6: 0.1 s in MJD). */
export function tickDecimals(ticks: readonly number[]): number {
  let d = 0;
  for (const t of ticks) {
    while (d < 6 && Math.abs(Number(t.toFixed(d)) - t) > 1e-9 * Math.max(1, Math.abs(t))) d++;
  }
  return d;
}

export interface PeriodUnit {
  /** 's', 'min' or 'h'. */
  name: string;
  /** Unit length in days (periods in days are divided by it). */
  days: number;
}

const PERIOD_UNITS: readonly PeriodUnit[] = [
  { name: 's', days: 1 / 86400 },
  { name: 'min', days: 1 / 1440 },
  { name: 'h', days: 1 / 24 },
  { name: 'd', days: 1 },
];

/**
 * The unit a period range reads best in: the largest in which the range's lower end is at least 1, so
 * 5 s – 10 min is in seconds (5…600), 10 min – 1 h in minutes (10…60), 1 h – 10 h in hours (1…10).
 */
export function periodUnitFor(minDays: number): PeriodUnit {
  let best = PERIOD_UNITS[0];
  for (const unit of PERIOD_UNITS) if (minDays / unit.days >= 1 - 1e-9) best = unit;
  return best;
}

/** `5 s`, `10 min`, `1 h`: a duration in days as short text, in the unit that reads best for it. */
export function durationText(days: number): string {
  let unit = PERIOD_UNITS[0];
  for (const u of PERIOD_UNITS) if (days / u.days >= 1 - 1e-9) unit = u;
  return `${Number((days / unit.days).toPrecision(3))} ${unit.name}`;
}

/** Tick values of a log axis on the 1-2-5 sequence inside [min, max] (a decade alone gives too few). */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > min)) return [];
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(6));
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) ticks.push(v);
    }
  }
  return ticks;
}

/**
 * The peaks worth marking among a space's significant periods: the highest first, each at least
 * `separation` decades from every one already taken (one oversampled peak is many grid points above
 * mean + 3σ), at most `max` of them. Returns indices into `periods`, highest power first.
 */
export function distinctPeaks(periods: readonly number[], powers: readonly number[], options: { max?: number; separation?: number } = {}): number[] {
  const max = options.max ?? 5;
  const separation = options.separation ?? 0.03;
  const order = periods.map((_, i) => i).filter((i) => periods[i] > 0 && Number.isFinite(powers[i])).sort((a, b) => powers[b] - powers[a]);
  const taken: number[] = [];
  for (const i of order) {
    if (taken.length >= max) break;
    if (taken.every((j) => Math.abs(Math.log10(periods[i] / periods[j])) >= separation)) taken.push(i);
  }
  return taken;
}

/**
 * A label per member: its HST rootname (the first nine characters of `lb9y0108q_corrtag_a.fits`) when
 * that tells the members apart, else the file name without `.fits` (e.g. both FUV segments of one exposure).
 */
export function datasetLabels(names: readonly string[]): string[] {
  const root = (n: string) => /^([a-z0-9]{9})_/i.exec(n)?.[1] ?? n.replace(/\.fits(\.gz)?$/i, '');
  const roots = names.map(root);
  return names.map((n, i) => (roots.filter((r) => r === roots[i]).length > 1 ? n.replace(/\.fits(\.gz)?$/i, '') : roots[i]));
}

/**
 * Tick values for a broken time axis: per unbroken piece, a nice step that gives it about `perPiece`
 * ticks (ECharts would pick one step for the whole span, so a visit minutes long between breaks months
 * apart would get none).
 */
export function pieceTicks(extent: Extent, breaks: readonly TimeBreak[], perPiece = 3): number[] {
  const pieces: Extent[] = [];
  let start = extent.min;
  for (const b of [...breaks].sort((x, y) => x.start - y.start)) {
    pieces.push({ min: start, max: b.start });
    start = b.end;
  }
  pieces.push({ min: start, max: extent.max });
  const ticks: number[] = [];
  for (const piece of pieces) {
    const span = piece.max - piece.min;
    if (!(span > 0)) continue;
    const raw = span / perPiece;
    const mag = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
    // Keep ticks off the piece's edges (a label there would overlap the break's zigzag or the frame).
    const margin = span * 0.08;
    for (let v = Math.ceil((piece.min + margin) / step) * step; v <= piece.max - margin; v += step) ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}
