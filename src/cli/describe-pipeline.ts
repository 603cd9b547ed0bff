/** The final summary of `hstlc pipeline`, on either engine (the JSON output is the summary itself). */
import path from 'node:path';
import { INTEREST_RULE } from '../analysis/interest.js';
import type { LoadedConfig } from '../config/types.js';
import type { PipelineSummary } from '../pipeline/pipeline.js';

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export function describePipeline(s: PipelineSummary, settings: Pick<LoadedConfig, 'filesystem_dir' | 'outputs_dir' | 'bad_data_dir'>): string[] {
  const t = s.totals;
  const lines: string[] = [];
  lines.push(`${pad('files', 13)}${t.files.done} ingested, ${t.files.bad} bad, ${t.files.failed} failed${t.files.skipped > 0 ? `, ${t.files.skipped} skipped` : ''}`);
  lines.push(`${pad('composites', 13)}${t.composites.done} made, ${t.composites.failed} failed`);
  lines.push(`${pad('statistics', 13)}${t.lightcurves.done} lightcurves, ${t.lightcurves.failed} failed (${s.grid} grid)`);
  lines.push(`${pad('interesting', 13)}${t.interesting} composite(s) interesting, ${t.lowCounts} with low counts, ${t.deliverable} deliverable`);
  lines.push(`${pad('', 13)}(${INTEREST_RULE})`);
  if (t.plots.status === 'unavailable') lines.push(`${pad('plots', 13)}not made: ${s.plots.message ?? 'not available'}`);
  else {
    const skipped = s.plots.skipped ?? 0;
    lines.push(`${pad('plots', 13)}${t.plots.written} written, ${t.plots.unchanged} unchanged, ${t.plots.failed} failed${skipped > 0 ? `, ${skipped} skipped (no statistics)` : ''}`);
  }
  lines.push(`${pad('time', 13)}${s.stages.map((x) => `${x.stage} ${(x.ms / 1000).toFixed(1)} s`).join(', ')}; ${s.numCores} core(s)`);
  lines.push('');
  lines.push(`${pad('archive', 13)}${settings.filesystem_dir}`);
  lines.push(`${pad('lightcurves', 13)}${settings.outputs_dir}`);
  if (t.files.bad > 0) lines.push(`${pad('bad data', 13)}${settings.bad_data_dir}`);
  lines.push(`${pad('site', 13)}${t.site ?? '(none yet)'}`);

  const problems: string[] = [];
  for (const f of s.ingest.files) if (f.status === 'failed') problems.push(`failed  ingest ${path.basename(f.file)}: ${f.reason ?? ''}`);
  for (const c of s.ingest.composites) if (c.status === 'failed') problems.push(`failed  composite ${c.name}: ${c.reason ?? ''}`);
  for (const f of s.stats.files) if (f.status === 'failed') problems.push(`failed  stats ${path.basename(f.path)}: ${f.reason ?? ''}`);
  if (s.plots.status === 'failed') problems.push(`failed  plots: ${s.plots.message ?? ''}`);
  if (problems.length > 0) lines.push('', ...problems);
  return lines;
}

