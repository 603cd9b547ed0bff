/**
 * The keys a config file may hold, each with its zod schema and the plain-words description used
 * when a value is wrong. Empty values (`key:` with nothing after it) mean "use the default", as a
 * commented-out template line would.
 */
import { z } from 'zod';
import { ConnectionStringError, parseConnectionString } from './connection.js';

/** Marks an issue whose message is a full explanation, to be shown instead of "expected ...". */
export const EXPLAINED = 'explained';

const directory = z.string().trim().min(1);
const positiveInteger = z.number().int().positive();

const httpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  });

const connectionString = z
  .string()
  .trim()
  .min(1)
  .superRefine((value, ctx) => {
    try {
      parseConnectionString(value);
    } catch (err) {
      if (!(err instanceof ConnectionStringError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message, params: { [EXPLAINED]: true } });
    }
  });

/** The original's MAST/tsql/FTP download keys (§14): still accepted so an old file loads, but unused. */
export const DEPRECATED_KEYS = [
  'mast_server',
  'mast_database',
  'mast_account',
  'mast_password',
  'archive_user',
  'email',
  'host',
  'ftp_user',
  'dads_host',
  'archive',
] as const;

const deprecated = Object.fromEntries(DEPRECATED_KEYS.map((key) => [key, z.unknown().optional()])) as Record<
  (typeof DEPRECATED_KEYS)[number],
  z.ZodOptional<z.ZodUnknown>
>;

export const DIRECTORY_KEYS = [
  'home_dir',
  'ingest_dir',
  'filesystem_dir',
  'outputs_dir',
  'composite_dir',
  'log_dir',
  'download_dir',
  'plot_dir',
  'bad_data_dir',
  'ref_dir',
] as const;
export type DirectoryKey = (typeof DIRECTORY_KEYS)[number];

const directories = Object.fromEntries(DIRECTORY_KEYS.map((key) => [key, directory.nullish()])) as Record<
  DirectoryKey,
  z.ZodOptional<z.ZodNullable<typeof directory>>
>;

export const FILE_SCHEMA = z
  .object({
    db_connection_string: connectionString.nullish(),
    ...directories,
    num_cores: positiveInteger.nullish(),
    mast_url: httpUrl.nullish(),
    crds_url: httpUrl.nullish(),
    bad_proposals: z.array(positiveInteger).nullish(),
    algorithm: z.enum(['corrected', 'compat']).nullish(),
    step: z.number().positive().finite().nullish(),
    download_concurrency: positiveInteger.nullish(),
    mast_token: z.string().min(1).nullish(),
    target_aliases: directory.nullish(),
    target_match_radius: z.number().positive().finite().nullish(),
    ...deprecated,
  })
  .strict();

export type FileSettings = z.infer<typeof FILE_SCHEMA>;
export type FileKey = keyof FileSettings;

/** What each key should hold, finishing the sentence "expected ...". */
export const EXPECTED: Record<Exclude<FileKey, (typeof DEPRECATED_KEYS)[number]>, string> = {
  db_connection_string:
    'a database URL (sqlite:///file.db, postgresql://user:pass@host/db, mysql://...) or a file path',
  home_dir: 'a directory path',
  ingest_dir: 'a directory path',
  filesystem_dir: 'a directory path',
  outputs_dir: 'a directory path',
  composite_dir: 'a directory path',
  log_dir: 'a directory path',
  download_dir: 'a directory path',
  plot_dir: 'a directory path',
  bad_data_dir: 'a directory path',
  ref_dir: 'a directory path',
  num_cores: 'a positive integer',
  mast_url: 'an http(s) URL',
  crds_url: 'an http(s) URL',
  bad_proposals: 'a list of integer proposal ids, e.g. [12345, 13002]',
  algorithm: "'corrected' or 'compat'",
  step: 'a positive number of seconds',
  download_concurrency: 'a positive integer',
  mast_token: 'a MAST API token (text)',
  target_aliases: 'a file path (YAML: HEADER-NAME: CANONICAL)',
  target_match_radius: 'a positive number of arcseconds',
};

export const KNOWN_KEYS: readonly string[] = Object.keys(FILE_SCHEMA.shape);
