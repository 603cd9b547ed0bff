import { InvalidArgumentError, type Command } from 'commander';
import { describeConnection } from '../../config/connection.js';
import type { Resolution } from '../../targets/index.js';
import type { PositionedTarget } from '../../targets/coordinates.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { examples } from '../examples.js';

interface ResolveTargetOptions {
  ra?: number;
  dec?: number;
  database: boolean;
  mtflag?: boolean;
}

/** MTFLAG as a FITS logical: T or F. */
function mtflag(v: string): boolean {
  const u = v.trim().toUpperCase();
  if (u === 'T' || u === 'F') return u === 'T';
  throw new InvalidArgumentError('--mtflag is T or F');
}

function degrees(what: string, min: number, max: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${what} must be a number of degrees in [${min}, ${max}]`);
    return n;
  };
}

/**
 * `hstlc resolve-target NAME... [--ra R --dec D]`: the canonical name ingest would give each header
 * spelling (rules, the alias file, and names already in the database, by name or by position).
 */
export function registerResolveTarget(program: Command, ctx: CliContext): void {
  program
    .command('resolve-target')
    .summary('print the canonical target name of header spellings')
    .description(
      'Print one line per NAME, in input order: NAME<TAB>CANONICAL — the name ingest files the data under. ' +
        'The rules turn catalogue spellings into one form (HD-209458 → HD209458, GW-LIB-COPY2 → GWLIB), the ' +
        "config's target_aliases file overrides them. With --ra/--dec, a target of another name already in the " +
        'database within target_match_radius arcseconds is reported (a candidate for an alias), never taken: ' +
        'positions do not rename targets. Names that could escape a directory are made safe. No network ' +
        'look-up. With --json: one object per name with the method, notes and any candidate.',
    )
    .argument('<names...>', 'TARGNAME values as written in headers')
    .option('--ra <deg>', 'RA_TARG of the exposure (degrees), to report a known target at that position', degrees('--ra', 0, 360))
    .option('--dec <deg>', 'DEC_TARG of the exposure (degrees)', degrees('--dec', -90, 90))
    .option('--no-database', 'do not consult the database for names already in use')
    .option('--mtflag <T|F>', "the header's MTFLAG: T (a moving target: no rule merges its names) or F; without it the name decides", mtflag)
    .addHelpText('after', examples('$ hstlc resolve-target HD-209458 GD-71 "GW-LIB-COPY2"', '$ hstlc resolve-target WD-0308 --ra 47.4743 --dec -56.3606'))
    .action(async (names: string[], opts: ResolveTargetOptions) => {
      const [{ connectDatabase, knownTargets }, { loadAliasFile }, { resolveTarget }] = await Promise.all([
        import('../../db/index.js'),
        import('../../targets/aliases.js'),
        import('../../targets/index.js'),
      ]);
      if ((opts.ra === undefined) !== (opts.dec === undefined)) {
        ctx.out.error('--ra and --dec go together');
        ctx.setExitCode(ExitCode.USAGE);
        return;
      }
      const cfg = await ctx.config();
      const aliases = await loadAliasFile(cfg.target_aliases);
      let known: PositionedTarget[] = [];
      if (opts.database) {
        try {
          const handle = await connectDatabase(cfg.db);
          try {
            known = await knownTargets(handle.db);
          } finally {
            await handle.close();
          }
        } catch (err) {
          ctx.out.warn(`names in use not consulted: cannot use the database ${describeConnection(cfg.db)}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      const results: Resolution[] = names.map((name) =>
        resolveTarget(name, {
          aliases,
          known,
          radiusArcsec: cfg.target_match_radius,
          ...(opts.ra !== undefined && opts.dec !== undefined ? { ra: opts.ra, dec: opts.dec } : {}),
          ...(opts.mtflag !== undefined ? { moving: opts.mtflag } : {}),
        }),
      );
      for (const r of results) {
        if (r.candidate !== undefined) ctx.out.warn(`${r.input}: ${r.candidate.separationArcsec.toFixed(2)}″ from ${r.candidate.name}, kept apart; an entry in target_aliases merges them`);
      }
      ctx.out.result(results, (rs) => rs.map((r) => `${r.input}\t${r.canonical}`));
    });
}
