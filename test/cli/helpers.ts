/** Run the CLI in-process with captured output and an isolated home and working directory. */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main, type CliIo } from '../../src/cli/main.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const roots: string[] = [];

/** A fresh working directory and home, removed by cleanupSandboxes. */
export async function sandbox(): Promise<{ cwd: string; homedir: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'hstlc-cli-'));
  roots.push(root);
  const cwd = path.join(root, 'work');
  const homedir = path.join(root, 'home');
  await mkdir(cwd, { recursive: true });
  await mkdir(homedir, { recursive: true });
  return { cwd, homedir };
}

/** `argv` as process.argv would be: ['node', script, ...args]. */
export async function runArgv(argv: string[], io: Partial<CliIo> = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    env: {},
    ...io,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  // main sets process.exitCode for the real CLI; a test process must not inherit it.
  process.exitCode = 0;
  return { code, stdout, stderr };
}

export function run(args: string[], io: Partial<CliIo> = {}): Promise<RunResult> {
  return runArgv(['node', '/usr/local/bin/hstlc', ...args], io);
}

export async function cleanupSandboxes(): Promise<void> {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
}
