/**
 * Configuration problems are collected, not thrown one at a time, so a user fixing a config file sees
 * every wrong key in one run.
 */

export interface ConfigIssue {
  /** The file as shown to the user (relative to the working directory when inside it). */
  file?: string;
  /** The top-level key at fault, when the problem belongs to one. */
  key?: string;
  /** 1-based position, for YAML syntax errors. */
  line?: number;
  column?: number;
  /** What is wrong, without the file or key prefix. */
  problem: string;
}

/** `file:line:column: key: problem`, with whatever parts are known. */
export function formatIssue(issue: ConfigIssue): string {
  let where = issue.file ?? '';
  if (issue.file !== undefined && issue.line !== undefined) {
    where += `:${issue.line}` + (issue.column !== undefined ? `:${issue.column}` : '');
  }
  const parts = [where, issue.key ?? ''].filter((p) => p !== '');
  return [...parts, issue.problem].join(': ');
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }

  /** One printable line per issue. */
  get messages(): string[] {
    return this.issues.map(formatIssue);
  }
}
