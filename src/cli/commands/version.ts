import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/** `hstlc version` — like --version, plus the Node version that matters for bug reports. */
export function registerVersion(program: Command, ctx: CliContext): void {
  program
    .command('version')
    .summary('show the hstlc and Node.js versions')
    .description('Show the hstlc version and the Node.js version running it.')
    .action(() => {
      ctx.out.result({ hstlc: ctx.version, node: process.version }, (v) => [`hstlc ${v.hstlc} (Node.js ${v.node})`]);
    });
}
