/** The local MAST + CRDS stand-in used by tests, benchmarks and `hstlc mast-stub`. */
export { startMastStub, cloudKeyOf, CLOUD_PREFIX, type MastStub, type StubOptions, type Fault, type FaultKind, type SeenRequest, type StubRoute } from './server.js';
export { buildCatalog, loadArchive, type StubCatalog, type StubFile, type StubRow, type CatalogInput } from './catalog.js';
export { matchesConditions, matchesCondition } from './conditions.js';
