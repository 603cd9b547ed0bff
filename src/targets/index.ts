/** Target-name resolution (§4): rules, aliases, coordinates, and safe directory names. */
export { cleanTargetName, normalizeTargetName, isSolarSystemTarget, SOLAR_SYSTEM_BODIES, type Normalized } from './rules.js';
export { safePathComponent, isSafePathComponent, TARGNAME_MAX_LENGTH, type SafeName } from './sanitize.js';
export { separationArcsec, nearestTarget, type PositionedTarget } from './coordinates.js';
export { BUILTIN_ALIASES, aliasTable, loadAliasFile, AliasFileError, type AliasTable } from './aliases.js';
export { resolveTarget, targetCandidates, DEFAULT_MATCH_RADIUS_ARCSEC, TARGET_METHODS, type TargetMethod, type ResolveOptions, type Resolution, type TargetCandidate } from './resolve.js';
