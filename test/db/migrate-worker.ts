/** Child process for the concurrent-migration test: open, migrate, print what ran as JSON. */
import { openDatabase, migrateToLatest } from '../../src/db/index.js';
import type { ConnectionInfo } from '../../src/config/connection.js';

const info = JSON.parse(process.argv[2] ?? '{}') as ConnectionInfo;
const handle = openDatabase(info);
try {
  const results = await migrateToLatest(handle);
  process.stdout.write(JSON.stringify(results.map((r) => `${r.migrationName}:${r.status}`)));
} finally {
  await handle.close();
}
