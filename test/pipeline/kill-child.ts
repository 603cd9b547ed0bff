/**
 * Child process for the SIGKILL test: runs ingest on the home named in argv and kills itself with
 * SIGKILL (no cleanup of any kind runs) at the n-th occurrence of a step.
 * argv: <settings JSON file> <step> <n>
 */
import { readFileSync } from 'node:fs';
import { connectDatabase } from '../../src/db/index.js';
import type { HstlcSettings } from '../../src/config/types.js';
import { ingestStage, runStage, type IngestStep } from '../../src/pipeline/index.js';

const [settingsFile, killStep, nth] = process.argv.slice(2) as [string, IngestStep, string];
const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as HstlcSettings;
const handle = await connectDatabase(settings.db);
let seen = 0;
// Through runStage, as the CLI runs it: the killed run leaves its home_dir lock behind.
await runStage(ingestStage, { db: handle, settings }, {
  onStep: (step) => {
    if (step === killStep && ++seen === Number(nth)) process.kill(process.pid, 'SIGKILL');
  },
});
await handle.close();
process.stdout.write('finished without being killed\n');
