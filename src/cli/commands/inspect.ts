/**
 * `hstlc inspect FILE... [--hdu N] [--json] [--data]`: what FITS files hold, like astropy's
 * fitsinfo + fitsheader (which also take several files), or one JSON document per file for scripts.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { FitsDescription, HduDescription, Plain } from '../../fits/index.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { examples } from '../examples.js';

interface InspectOptions {
  hdu?: string;
  data?: boolean;
  rows?: number;
  checksum?: boolean;
  header?: boolean;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

function dimensions(h: HduDescription): string {
  if (h.rows !== null) return `${h.rows}R x ${h.columns.length}C`;
  return h.shape && h.shape.length ? `(${[...h.shape].reverse().join(', ')})` : '()';
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd());
}

function showValue(v: Plain): string {
  if (typeof v === 'string') return `'${v}'`;
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  return Array.isArray(v) ? JSON.stringify(v) : String(v);
}

/** Shortest decimal text that reads back as the same float32 (0.032, not 0.03200000151991844). */
function float32Text(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  for (let p = 1; p <= 9; p++) {
    const t = x.toPrecision(p);
    if (Math.fround(Number(t)) === x) return String(Number(t));
  }
  return String(x);
}

function showCell(v: Plain, single: boolean): string {
  if (v === null) return 'nan';
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'number' && single) return float32Text(v);
  if (Array.isArray(v)) return single ? `[${v.map((x) => showCell(x, single)).join(', ')}]` : JSON.stringify(v);
  return String(v);
}

function human(d: FitsDescription, opts: InspectOptions): string[] {
  const lines: string[] = [`Filename: ${d.file}`];
  const rows = [['No.', 'Name', 'Ver', 'Type', 'Cards', 'Dimensions', 'Format']];
  for (const h of d.hdus) {
    const format = h.columns.length ? `[${h.columns.map((c) => c.format).join(', ')}]` : '';
    rows.push([String(h.index), h.name, String(h.extver), h.type, String(h.header.length), dimensions(h), format]);
  }
  lines.push(...table(rows));
  for (const h of d.hdus) {
    if (h.checksum) lines.push(`HDU ${h.index} ${h.name}: DATASUM ${h.checksum.datasum}, CHECKSUM ${h.checksum.checksum}`);
  }
  for (const h of d.hdus) {
    if (opts.header || opts.hdu !== undefined) {
      lines.push('', `# HDU ${h.index} ${h.name} header`);
      for (const [key, value, comment] of h.header) {
        const isCommentary = key === 'COMMENT' || key === 'HISTORY' || key === '';
        if (isCommentary) lines.push(`${key.padEnd(8)}${String(value ?? '')}`);
        else {
          const text = showValue(value);
          const aligned = typeof value === 'string' ? text.padEnd(20) : text.padStart(20);
          lines.push(`${key.length > 8 ? `HIERARCH ${key} ` : key.padEnd(8)}= ${aligned}${comment ? ` / ${comment}` : ''}`);
        }
      }
    }
    if (h.columns.length) {
      lines.push('', `# HDU ${h.index} ${h.name}: ${h.rows} rows`);
      lines.push(...table([['Name', 'Format', 'Unit', 'Shape'], ...h.columns.map((c) => [c.name, c.format, c.unit ?? '', c.shape.length ? `(${c.shape.join(', ')})` : ''])]));
    }
    if (opts.data && h.data !== undefined) {
      if (h.rows !== null) {
        const data = h.data as Record<string, Plain[]>;
        const names = Object.keys(data);
        const n = names.length ? data[names[0]].length : 0;
        lines.push('', `# HDU ${h.index} ${h.name}: rows 1-${n} of ${h.rows}`);
        const single = new Set(h.columns.filter((c) => /^\d*[EC]/.test(c.format)).map((c) => c.name));
        lines.push(...table([names, ...Array.from({ length: n }, (_, r) => names.map((c) => showCell(data[c][r], single.has(c))))]));
      } else {
        lines.push('', `# HDU ${h.index} ${h.name} data`, JSON.stringify(h.data));
      }
    }
  }
  for (const w of d.warnings) lines.push(`warning: ${w}`);
  return lines;
}

export function registerInspect(program: Command, ctx: CliContext): void {
  program
    .command('inspect')
    .summary('show the HDUs, headers and columns of FITS files')
    .description(
      'Show what a FITS file holds: each HDU with its index, name, type and dimensions, and the columns ' +
        '(name, TFORM, unit, cell shape) of every binary table. --hdu also prints that HDU\'s header; ' +
        '--data prints values (the first --rows rows; all of them with --json unless --rows is given). ' +
        'Several files are shown one after the other, each headed by its name. With --json one JSON ' +
        'document per file is printed, one per line: integers beyond 2^53 as strings, NaN as null, vector ' +
        'cells as nested arrays. Reads .fits.gz too.',
    )
    .argument('<files...>', 'FITS files (.fits or .fits.gz)')
    .option('--hdu <n>', 'only this HDU: an index (0 = primary) or an EXTNAME')
    .option('--header', 'print the header cards of every HDU')
    .option('--data', 'also print the values of table columns and images')
    .option('--rows <n>', 'with --data, at most this many rows per table (default 10 for text, all for --json)', positiveInt)
    .option('--checksum', 'verify CHECKSUM and DATASUM of each HDU (exit 1 if one is bad)')
    .addHelpText(
      'after',
      examples(
        '$ hstlc inspect lb4k0105q_corrtag_a.fits',
        '$ hstlc inspect lb4k0105q_corrtag_a.fits --hdu EVENTS --data --rows 5',
        '$ hstlc inspect lb4k0105q_curve.fits --json --data > curve.json',
        '$ hstlc inspect hlsp_hstlc_hst_cos-fuv_gd71_g130m_1291_psa_v1_sci.fits --checksum',
        '$ hstlc inspect outputs/composite/hlsp_hstlc_*_v1_sci.fits | head',
      ),
    )
    .action(async (files: string[], opts: InspectOptions) => {
      const { describeFits, FitsError } = await import('../../fits/index.js');
      const json = ctx.out.json;
      const hdu = opts.hdu === undefined ? undefined : /^\d+$/.test(opts.hdu) ? Number(opts.hdu) : opts.hdu;
      let first = true;
      for (const file of files) {
        let d: FitsDescription;
        try {
          d = await describeFits(file, {
            ...(hdu !== undefined ? { hdu } : {}),
            data: opts.data === true,
            ...(opts.rows !== undefined ? { maxRows: opts.rows } : json ? {} : { maxRows: 10 }),
            checksum: opts.checksum === true,
          });
        } catch (e) {
          // One unreadable file is reported by name; the others are still shown (exit 1 at the end).
          if (e instanceof FitsError) {
            ctx.out.error(e.message);
            ctx.setExitCode(ExitCode.ITEMS_FAILED);
            continue;
          }
          throw e;
        }
        if (json) ctx.io.stdout.write(`${JSON.stringify(d)}\n`);
        else ctx.out.print(...(first ? [] : ['']), ...human(d, opts));
        first = false;
        if (d.hdus.some((h) => h.checksum && (h.checksum.datasum === 'bad' || h.checksum.checksum === 'bad'))) {
          ctx.setExitCode(ExitCode.ITEMS_FAILED);
        }
      }
    });
}
