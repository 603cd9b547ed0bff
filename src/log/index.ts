export { createLogger, logFileName, type HstlcLogger, type LogLevel, type LoggerOptions } from './logger.js';
export { createConsoleStream, formatRecord, useColor, type TextSink } from './console.js';
export { createProgress, isCI, type Progress, type ProgressOptions } from './progress.js';
export { redactDeep, REDACT_PATHS } from './redact.js';
