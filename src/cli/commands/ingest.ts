import path from 'node:path';
import type { Command } from 'commander';
import type { IngestSummary } from '../../pipeline/ingest.js';
import type { CliContext } from '../context.js';
import { examples } from '../examples.js';
import { corrtagExtractOption, type IngestCommandOptions, noWaitOption } from '../options.js';
import { progressView, runStageCommand } from '../stage.js';

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** The summary table printed at the end (the JSON output is the summary itself). */
export function describeSummary(s: IngestSummary): string[] {
  const lines: string[] = [];
  const c = s.counts;
  lines.push(`${pad('files', 12)}${c.done} done, ${c.bad} bad, ${c.failed} failed, ${c.skipped} skipped`);
  lines.push(`${pad('composites', 12)}${s.compositeCounts.done} done, ${s.compositeCounts.failed} failed`);
  const replaced = s.files.filter((f) => f.status === 'done' && f.reason?.startsWith('replaced the earlier record') === true);
  if (replaced.length > 0) lines.push(`${pad('replaced', 12)}${replaced.length} earlier record(s), ingested again: ${replaced.map((f) => path.basename(f.file)).join(', ')}`);
  if (s.recovered.length > 0) lines.push(`${pad('recovered', 12)}${s.recovered.length} interrupted ingest(s) completed`);
  const secs = s.elapsedMs / 1000;
  const total = s.files.length;
  lines.push(`${pad('time', 12)}${secs.toFixed(1)} s, ${(total / Math.max(secs, 1e-3)).toFixed(2)} files/s, ${s.numCores} core(s)`);
  const notable = s.files.filter((f) => f.status !== 'done');
  if (notable.length > 0) {
    lines.push('');
    for (const f of notable) lines.push(`${pad(f.status, 8)}${path.basename(f.file)}: ${f.reason ?? ''}`);
  }
  for (const k of s.composites.filter((x) => x.status === 'failed')) lines.push(`${pad('failed', 8)}${k.name}: ${k.reason ?? ''}`);
  return lines;
}

/** `hstlc ingest` — alias `ingest_hstlc [-corrtag_extract]` (§5). */
export function registerIngest(program: Command, ctx: CliContext): void {
  program
    .command('ingest')
    .summary('check, catalogue and file new data from ingest_dir, then make lightcurves')
    .description(
      'Ingest every TIME-TAG file waiting in ingest_dir: run the quality checks (failures go to bad_data_dir), ' +
        'record metadata, move the files to filesystem_dir/<TARGNAME>/, write each individual lightcurve ' +
        'and refresh the composites. Each file is done or failed on its own; the run can be repeated, and ' +
        `an interrupted run is completed by the next one. Target aliases are read from the config's target_aliases file ` +
        '(default <home_dir>/target_aliases.yaml) when it exists. Work runs on num_cores threads.',
    )
    .addOption(corrtagExtractOption('re-derive STIS corrtags that were already made from TIME-TAG files'))
    .addOption(noWaitOption())
    .addHelpText(
      'after',
      examples('$ hstlc ingest', '$ hstlc ingest --corrtag-extract', '$ hstlc --json ingest', '$ ingest_hstlc -corrtag_extract   (original name)'),
    )
    .action(async (opts: IngestCommandOptions) => {
      const cfg = await ctx.config();
      if (cfg.engine === 'graphile') {
        await (await import('../engine.js')).runOnEngine(ctx, cfg, { command: 'ingest', wait: opts.wait, corrtagExtract: opts.corrtagExtract === true, report: (s) => ({ summary: s.ingest, lines: describeSummary(s.ingest) }) });
        return;
      }
      const { loadAliasFile } = await import('../../targets/aliases.js');
      await runStageCommand(ctx, {
        stage: async () => (await import('../../pipeline/ingest.js')).ingestStage,
        input: { corrtagExtract: opts.corrtagExtract === true, aliases: await loadAliasFile(cfg.target_aliases), matchRadiusArcsec: cfg.target_match_radius },
        lines: describeSummary,
        // The current file and the failures so far on a terminal's bar.
        progressView: progressView({ detail: true }),
      });
    });
}
