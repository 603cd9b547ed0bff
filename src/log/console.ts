/**
 * The console side of the logger: pino writes JSON lines, this turns each into
 * `level message key=value ...` for people. Colour only on a TTY and only without NO_COLOR.
 */

export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ConsoleFormatOptions {
  color: boolean;
  /** Show the stacks of logged errors. */
  verbose: boolean;
}

/** Fields that are context for the log file but noise on a terminal. */
const HIDDEN_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'command', 'fileOnly', 'startup']);

const COLORS: Record<string, string> = {
  trace: '\x1b[90m',
  debug: '\x1b[90m',
  info: '\x1b[36m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
  fatal: '\x1b[1;31m',
};
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** NO_COLOR (https://no-color.org): any non-empty value turns colour off. */
export function useColor(sink: TextSink, env: NodeJS.ProcessEnv): boolean {
  return sink.isTTY === true && !env['NO_COLOR'];
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value) ?? String(value);
}

interface SerializedError {
  type?: string;
  message?: string;
  stack?: string;
}

function isSerializedError(value: unknown): value is SerializedError {
  return typeof value === 'object' && value !== null && 'message' in value;
}

/** One pino JSON record → one (or, with a verbose stack, several) console lines; '' to skip. */
export function formatRecord(line: string, opts: ConsoleFormatOptions): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  // Records meant for the log file only: the startup preamble, warnings already printed.
  if (record['fileOnly'] === true) return '';

  const level = String(record['level'] ?? 'info');
  const paint = (code: string | undefined, text: string) => (opts.color && code ? `${code}${text}${RESET}` : text);
  const parts = [paint(COLORS[level], level.padEnd(5)), String(record['msg'] ?? '')];
  let stack = '';
  for (const [key, value] of Object.entries(record)) {
    if (HIDDEN_KEYS.has(key) || value === undefined) continue;
    if ((key === 'err' || key === 'error') && isSerializedError(value)) {
      parts.push(`${paint(DIM, `${key}=`)}${formatValue(value.message ?? '')}`);
      if (opts.verbose && value.stack) stack = `\n${value.stack.replace(/^/gm, '    ')}`;
      continue;
    }
    parts.push(`${paint(DIM, `${key}=`)}${formatValue(value)}`);
  }
  return `${parts.filter((p) => p !== '').join(' ')}${stack}\n`;
}

/** A write-only stream for pino.multistream that prints readable lines to `sink`. */
export function createConsoleStream(sink: TextSink, opts: ConsoleFormatOptions): { write(line: string): void } {
  return {
    write(line: string) {
      const text = formatRecord(line, opts);
      if (text !== '') sink.write(text);
    },
  };
}
