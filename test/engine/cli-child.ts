/** The CLI as its own process, for the engine tests (hstlc worker processes). */
import { main } from '../../src/cli/main.js';

await main(process.argv);
