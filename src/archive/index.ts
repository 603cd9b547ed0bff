/** The archive on disk: layout from the config, file names, gathering, atomic moves, metadata, reset. */
export { layoutFromSettings, targetDir, individualDir, badDataPath, compositePath, isWithin, UnsafePathError, type ArchiveLayout } from './layout.js';
export { moveFile, type MoveOutcome, type MoveOptions } from './move.js';
export { moveWithCompanions, moveBadFile, filesToMove, type MovedFile } from './companions.js';
export { gatherIngestFiles, matchesIngestPattern } from './gather.js';
export { fileDicts, MetadataError, type FileDicts, type FileDictsInput } from './metadata.js';
export { resetFilesystem, type ResetFilesystemReport, type ResetFilesystemOptions } from './reset-filesystem.js';
export { lockHome, HomeLockedError, LOCK_NAME, type HomeLock, type LockOwner } from './home-lock.js';
export { setPermissions, makeDirectory, hstlcGroupId, HSTLC_MODE } from './permissions.js';
