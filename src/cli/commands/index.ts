/** Every command except inspect (owned by the FITS work, registered by main from its own file). */
export { registerComposite } from './composite.js';
export { registerConfig } from './config.js';
export { registerDemo } from './demo.js';
export { registerDownload } from './download.js';
export { registerExtract } from './extract.js';
export { registerIngest } from './ingest.js';
export { registerLightcurveStats } from './lightcurve-stats.js';
export { registerPipeline } from './pipeline.js';
export { registerPlots } from './plots.js';
export { registerResetDatabase } from './reset-database.js';
export { registerResetFilesystem } from './reset-filesystem.js';
export { registerStats } from './stats.js';
export { registerVersion } from './version.js';
