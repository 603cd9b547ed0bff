/** index.html: counts, a link to every page, and the most interesting targets first. */
import { configLabel } from '../charts/common.js';
import { escapeHtml, relativeUrl } from '../escape.js';
import { PAGES } from '../layout.js';
import type { StatsRecord } from '../types.js';
import { page } from './page.js';
import { formatNumber } from './parts.js';
import { byInterest as byInterestOf, interestOf, periodogramCandidate } from '../../analysis/index.js';
import { KIND_LABELS, TABLE_KINDS, classify } from './tables.js';
import { CONFIG_GROUPS } from '../charts/summary.js';
import type { TargetCandidate } from '../../targets/index.js';

export interface IndexEntry {
  stats: StatsRecord;
  thumbnail: string | null;
  dashboard: string | null;
  periodogram: string | null;
}

export interface IndexInput {
  composites: readonly IndexEntry[];
  individuals: number;
  /** How many of the most interesting composites get a card. */
  highlight?: number;
  /**
   * Pairs of target names recorded at one position that the rules kept apart and no alias settles
   * (targetCandidates in src/targets), as `hstlc status` lists them.
   */
  targetPairs?: readonly TargetCandidate[];
}

function link(href: string, text: string): string {
  return `<a href="${escapeHtml(relativeUrl(href))}">${escapeHtml(text)}</a>`;
}

/** Most interesting first, by the one definition (src/analysis/interest.ts): the strongest evidence first. */
export function byInterest(a: IndexEntry, b: IndexEntry): number {
  return byInterestOf(a.stats, b.stats);
}

function card(e: IndexEntry): string {
  const s = e.stats;
  const img = e.thumbnail ? `<img src="${escapeHtml(relativeUrl(e.thumbnail))}" alt="lightcurve of ${escapeHtml(s.targname)}" width="300" height="90" loading="lazy">` : '';
  const title = `<strong>${escapeHtml(s.targname)}</strong> <span class="note">${escapeHtml(configLabel({ ...s, exptime: s.exptime }))}</span>`;
  const pg = e.periodogram ? ` · ${link(e.periodogram, 'periodogram')}` : '';
  const body = e.dashboard ? `<a href="${escapeHtml(relativeUrl(e.dashboard))}">${img}${title}</a>` : `${img}${title}`;
  const err = interestOf(s).poissonError;
  const fap = s.periodogram && s.false_alarm_probability !== null ? ` · false-alarm probability ${escapeHtml(formatNumber(s.false_alarm_probability))}` : '';
  return `<li>${body}<br>poisson factor ${escapeHtml(formatNumber(s.poisson_factor))}${err !== null ? ` ± ${escapeHtml(formatNumber(err))}` : ''}${fap} · pearson r ${escapeHtml(formatNumber(s.pearson_r))}${pg}</li>`;
}

/**
 * The unsettled pairs: both names, their separation, and the target_aliases lines that settle them
 * (`A: B` merges A into B, `A: A` keeps A a target of its own). Names come from FITS headers: escaped.
 */
function targetPairsSection(pairs: readonly TargetCandidate[]): string {
  if (pairs.length === 0) return '<p class="note" id="target-pairs-none">No pair of target names at one position is waiting to be settled.</p>';
  const rows = pairs.map(({ names: [a, b], separationArcsec }) =>
    `<tr><td>${escapeHtml(a)}</td><td>${escapeHtml(b)}</td><td class="num">${escapeHtml(separationArcsec.toFixed(2))}″</td>` +
    `<td><code>${escapeHtml(`${a}: ${b}`)}</code> merges them · <code>${escapeHtml(`${a}: ${a}`)}</code> keeps them apart</td></tr>`,
  );
  return `<p class="note">${pairs.length} pair(s) of target names recorded at one position, kept apart: positions never rename a target. Settle each in the target_aliases file (YAML, one <code>HEADER-NAME: CANONICAL</code> per line) and run the pipeline again.</p>
<table class="plain" id="target-pairs">
<tr><th>target</th><th>target</th><th>separation</th><th>in target_aliases</th></tr>
${rows.join('\n')}
</table>`;
}

export function indexPage(input: IndexInput): string {
  const kinds = { interesting: 0, boring: 0, low_counts: 0, null: 0 };
  for (const e of input.composites) kinds[classify(e.stats)]++;
  // The same selection as periodogram_subset/: a low-count curve's peak is noise, not a candidate.
  const flagged = input.composites.filter((e) => periodogramCandidate(e.stats));
  const sorted = [...input.composites].sort(byInterest);
  const highlight = sorted.filter((e) => classify(e.stats) === 'interesting').slice(0, input.highlight ?? 24);
  const counts = `<table class="plain" id="counts">
<tr><th>composite lightcurves</th><td class="num">${input.composites.length}</td></tr>
${TABLE_KINDS.map((k) => `<tr><th>${link(PAGES[k], KIND_LABELS[k])}</th><td class="num" id="count-${k}">${kinds[k]}</td></tr>`).join('\n')}
<tr><th>with a significant periodogram peak</th><td class="num">${flagged.length}</td></tr>
<tr><th>individual lightcurves drawn</th><td class="num">${input.individuals}</td></tr>
</table>`;
  const pages = `<ul>
<li>${link(PAGES.exptime, 'Cumulative exposure time per target (top 30)')}</li>
${CONFIG_GROUPS.map((g) => `<li>${link(`pie_config_${g.key}.html`, g.title)}</li>`).join('\n')}
<li>${link(PAGES.optElem, 'Lightcurves per optical element')}</li>
</ul>`;
  const top = highlight.length ? `<ul class="cards" id="most-interesting">${highlight.map(card).join('\n')}</ul>` : '<p class="empty">No interesting composite lightcurves yet.</p>';
  const periodic = flagged.length
    ? `<ul id="periodograms">${flagged
        .sort(byInterest)
        .map((e) => `<li>${e.dashboard ? link(e.dashboard, e.stats.targname) : escapeHtml(e.stats.targname)} — ${escapeHtml(configLabel({ ...e.stats }))}${e.periodogram ? ` · ${link(e.periodogram, 'periodogram')}` : ''}</li>`)
        .join('\n')}</ul>`
    : '<p class="note">No lightcurve has a significant periodogram peak.</p>';
  const body = `<h2>Counts</h2>
${counts}
<h2>Charts</h2>
${pages}
<h2>Most interesting first</h2>
${top}
<h2>Periodic candidates</h2>
${periodic}
<h2>Same target under two names?</h2>
${targetPairsSection(input.targetPairs ?? [])}`;
  return page({ title: 'HST Light Curves', root: '', body });
}
