/**
 * The hstlc CLI as a process of its own (for tests that signal, kill or network-isolate it), run the way
 * users run it: bin/hstlc.js and the compiled dist/, when dist/ is built from the sources as they are now
 * (distIsCurrent, the rule by which in-process worker pools load dist/pipeline/worker.js too).
 * When it is not (a source edited since `npm run build`, or never built), the child runs the sources
 * under tsx instead (test/cli/cli-child.ts), so a test never exercises stale code — only slower: tsx
 * transpiles every module in the child and in each of its worker threads at every start.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsCurrent } from '../../src/pipeline/pool.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SRC = path.join(REPO, 'src');
const DIST = path.join(REPO, 'dist');
const DIST_MAIN = path.join(DIST, 'cli', 'main.js');
const BIN = path.join(REPO, 'bin', 'hstlc.js');
const TSX_CHILD = path.join(REPO, 'test', 'cli', 'cli-child.ts');

let entry: readonly string[] | undefined;

/** Node's arguments before the CLI's own: the compiled entry, or tsx and the source entry. */
function entryArgs(): readonly string[] {
  entry ??= existsSync(DIST_MAIN) && distIsCurrent(SRC, DIST) ? [BIN] : ['--import', 'tsx', TSX_CHILD];
  return entry;
}

/** Whether children run the compiled CLI (for a test's diagnostics). */
export function cliIsCompiled(): boolean {
  return entryArgs()[0] === BIN;
}

/** `[command, ...args]` for spawn/spawnSync: `hstlc <args>` as its own process. */
export function hstlcArgv(args: readonly string[]): [string, string[]] {
  return [process.execPath, [...entryArgs(), ...args]];
}

export interface ChildResult {
  /** The exit code; null when a signal ended the process. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `hstlc <args>` as its own process, awaited without blocking this one (a server the test runs here,
 * such as the MAST stub, keeps answering it).
 */
export function runHstlc(args: readonly string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<ChildResult> {
  const [command, argv] = hstlcArgv(args);
  const child = spawn(command, argv, { cwd: opts.cwd ?? REPO, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
