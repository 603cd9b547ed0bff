#!/usr/bin/env node
// The stable entry point of the `hstlc` command (and of the original script names, when linked under
// them). The CLI itself is TypeScript compiled into dist/ by `npm run build`, which `npm ci` runs
// through the package's prepare script.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);

if (!existsSync(compiled)) {
  process.stderr.write(
    'hstlc: the compiled program (dist/cli/main.js) is missing.\n' +
      'Run `npm run build` in the hstlc source folder (or reinstall with `npm ci`), then try again.\n',
  );
  process.exitCode = 2;
} else {
  // `hstlc config | head` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const { main } = await import(compiled.href);
  await main(process.argv);
}
