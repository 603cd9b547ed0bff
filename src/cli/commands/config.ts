import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples } from '../examples.js';

/** `hstlc config` — what the pipeline would use, so a wrong path is seen before a run, not after. */
export function registerConfig(program: Command, ctx: CliContext): void {
  program
    .command('config')
    .summary('show the resolved configuration')
    .description(
      'Show which config file is used and every setting after defaults and path resolution. ' +
        'The config is looked for at --config, $HSTLC_CONFIG, ./hstlc.yaml, ~/.hstlc/config.yaml, in ' +
        'that order. The database password is never shown.',
    )
    .addHelpText('after', examples('$ hstlc config', '$ hstlc --config prod.yaml config --json'))
    .action(async () => {
      const { describeConfig, redactedConfig } = await import('../../config/describe.js');
      const cfg = await ctx.config();
      ctx.out.result(redactedConfig(cfg), () => describeConfig(cfg));
    });
}
