import type { CliContext } from './context.js';
import { ExitCode } from './errors.js';

/**
 * The action of a command whose stage is not built yet: registered now so `--help` documents the whole
 * interface; the stage's own work replaces this in the command's file.
 */
export function notAvailableYet(ctx: CliContext, name: string): () => void {
  return () => {
    ctx.io.stderr.write(`hstlc ${name}: not available yet in this version\n`);
    ctx.setExitCode(ExitCode.USAGE);
  };
}

/** The "Examples:" block shown after a command's help. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  ${line}`).join('\n')}\n`;
}
