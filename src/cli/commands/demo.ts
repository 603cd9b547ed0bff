import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples, notAvailableYet } from '../not-available.js';

/** `hstlc demo` — a synthetic archive and config, then the pipeline on it. */
export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .summary('write a sample archive and config, then run the pipeline on it')
    .description(
      'Write a realistic synthetic set of COS and STIS TIME-TAG files and a config into DIR, then run ' +
        'the whole pipeline on it, so you can see every output without downloading anything.',
    )
    .argument('[dir]', 'where to create the demo', 'hstlc-demo')
    .addHelpText('after', examples('$ hstlc demo', '$ hstlc demo /tmp/hstlc-demo'))
    .action(notAvailableYet(ctx, 'demo'));
}
