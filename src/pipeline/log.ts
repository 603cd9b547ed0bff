/** What a stage logs through: the CLI passes its pino logger; tests pass a collector or nothing. */
export interface StageLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Shown with --verbose only (retries of the downloader and the like). */
  debug?(message: string): void;
}

export const SILENT: StageLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A logger that keeps every line (tests, and the JSON summary's log excerpt). */
export function collectingLogger(): StageLogger & { lines: Array<{ level: 'info' | 'warn' | 'error'; message: string }> } {
  const lines: Array<{ level: 'info' | 'warn' | 'error'; message: string }> = [];
  return {
    lines,
    info: (message) => void lines.push({ level: 'info', message }),
    warn: (message) => void lines.push({ level: 'warn', message }),
    error: (message) => void lines.push({ level: 'error', message }),
  };
}
