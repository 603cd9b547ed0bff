/**
 * Run the stub by hand: `node --import tsx src/mast/stub/main.ts --archive DIR [--port P]`
 * (also `hstlc mast-stub`). Serves until interrupted; prints the base URL to put in the config as
 * both mast_url and crds_url.
 */
import { parseArgs } from 'node:util';
import { loadArchive } from './catalog.js';
import { startMastStub, type MastStub } from './server.js';

export async function serveArchive(archive: string, port: number, say: (line: string) => void): Promise<MastStub> {
  const input = await loadArchive(archive);
  const stub = await startMastStub({ ...input, port });
  say(`MAST/CRDS stub serving ${input.files?.length ?? 0} files and ${input.references?.length ?? 0} reference files at ${stub.url}`);
  say(`config: mast_url: ${stub.url}   crds_url: ${stub.url}`);
  return stub;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { archive: { type: 'string' }, port: { type: 'string', default: '0' } } });
  if (values.archive === undefined) {
    process.stderr.write('usage: main.ts --archive DIR [--port P]\n');
    process.exitCode = 2;
  } else {
    const stub = await serveArchive(values.archive, Number(values.port), (l) => process.stdout.write(`${l}\n`));
    process.on('SIGINT', () => void stub.close().then(() => process.exit(0)));
  }
}
