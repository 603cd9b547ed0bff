/** The CLI as its own process, for the test that kills a download mid-transfer. */
import { main } from '../../src/cli/main.js';

await main(process.argv);
