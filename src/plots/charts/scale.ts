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
 * 1 ≤ max|v|/10^k < 1000, but 0 when values already fall in [1e-2, 1e5).
 */
export function exponentFor(extent: Extent | undefined): number {
  if (!extent) return 0;
  const m = Math.max(Math.abs(extent.min), Math.abs(extent.max));
  if (m === 0 || (m >= 1e-2 && m < 1e5)) return 0;
  return Math.floor(Math.log10(m) / 3) * 3;
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
