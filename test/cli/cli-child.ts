/** The CLI as its own process, from the TypeScript source (run under tsx): argv as bin/hstlc.js gets it. */
import { main } from '../../src/cli/main.js';

await main(process.argv);
