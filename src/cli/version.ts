import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The package version. package.json is two levels up from both src/cli/ and dist/cli/. */
export function hstlcVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    cached = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  }
  return cached;
}
