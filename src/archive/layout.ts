/**
 * The directory layout from the config (DESIGN §1): where an ingested file, its individual lightcurve,
 * a composite and a bad file go. Target directories are built only from safe path components, so a
 * hostile TARGNAME cannot place a file outside its tree (src/targets/sanitize.ts makes them safe).
 */
import path from 'node:path';
import type { HstlcSettings } from '../config/types.js';
import { isSafePathComponent } from '../targets/sanitize.js';

export interface ArchiveLayout {
  homeDir: string;
  ingestDir: string;
  filesystemDir: string;
  outputsDir: string;
  compositeDir: string;
  badDataDir: string;
  /** Directories that hold data, never derived outputs: reset-filesystem must not delete them. */
  protectedDirs: string[];
}

export function layoutFromSettings(settings: Pick<HstlcSettings, 'home_dir' | 'ingest_dir' | 'filesystem_dir' | 'outputs_dir' | 'composite_dir' | 'bad_data_dir' | 'log_dir' | 'download_dir' | 'ref_dir'>): ArchiveLayout {
  return {
    homeDir: settings.home_dir,
    ingestDir: settings.ingest_dir,
    filesystemDir: settings.filesystem_dir,
    outputsDir: settings.outputs_dir,
    compositeDir: settings.composite_dir,
    badDataDir: settings.bad_data_dir,
    protectedDirs: [settings.home_dir, settings.ingest_dir, settings.filesystem_dir, settings.bad_data_dir, settings.log_dir, settings.download_dir, settings.ref_dir],
  };
}

export class UnsafePathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafePathError';
  }
}

function component(name: string, what: string): string {
  if (!isSafePathComponent(name, 255)) throw new UnsafePathError(`${what} '${name}' is not a safe directory or file name`);
  return name;
}

/** `<filesystem_dir>/<targname>` (§5.3 `path`). */
export function targetDir(layout: ArchiveLayout, targname: string): string {
  return path.join(layout.filesystemDir, component(targname, 'target name'));
}

/** `<outputs_dir>/<targname>`: individual lightcurves (a path join, not §15.19's string replacement). */
export function individualDir(layout: ArchiveLayout, targname: string): string {
  return path.join(layout.outputsDir, component(targname, 'target name'));
}

/** `<bad_data_dir>/<basename>` (§3.3). */
export function badDataPath(layout: ArchiveLayout, file: string): string {
  return path.join(layout.badDataDir, component(path.basename(file), 'file name'));
}

/** `<composite_dir>/<name>` (§9.2). */
export function compositePath(layout: ArchiveLayout, name: string): string {
  return path.join(layout.compositeDir, component(name, 'composite name'));
}

/** True when `inner` is `outer` or lies inside it. */
export function isWithin(inner: string, outer: string): boolean {
  const rel = path.relative(path.resolve(outer), path.resolve(inner));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
