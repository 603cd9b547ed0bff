/**
 * The original's permissions (§2.3): files and directories the pipeline creates are given to the group
 * `hstlc` (or, without one, the user's own group) with mode rwxrwx---, but only when we own them.
 * Failures are ignored, as the original did: permissions are a courtesy to the group, not a condition.
 */
import { chmod, chown, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

let cachedGid: number | undefined;

/** gid of the group `hstlc` from /etc/group, else the process's group. */
export async function hstlcGroupId(groupFile = '/etc/group'): Promise<number> {
  if (cachedGid !== undefined && groupFile === '/etc/group') return cachedGid;
  let gid = typeof process.getgid === 'function' ? process.getgid() : 0;
  try {
    for (const line of (await readFile(groupFile, 'utf8')).split('\n')) {
      const [name, , id] = line.split(':');
      if (name === 'hstlc' && id !== undefined && /^\d+$/.test(id)) gid = Number(id);
    }
  } catch {
    // no group database: keep the process's group
  }
  if (groupFile === '/etc/group') cachedGid = gid;
  return gid;
}

export const HSTLC_MODE = 0o770;

/** Apply §2.3 to one path; returns whether anything was changed. */
export async function setPermissions(p: string): Promise<boolean> {
  try {
    const st = await stat(p);
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return false;
    const gid = await hstlcGroupId();
    if (st.gid !== gid) await chown(p, st.uid, gid).catch(() => undefined);
    await chmod(p, HSTLC_MODE);
    return true;
  } catch {
    return false;
  }
}

/** `make_directory` (§2.3), but creating parents too: a missing parent is not a reason to fail later. */
export async function makeDirectory(dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true });
  if (created === undefined) return;
  // Every level this call created, from the first one down to `dir`.
  const rel = path.relative(created, dir);
  let level = created;
  await setPermissions(level);
  for (const part of rel === '' ? [] : rel.split(path.sep)) {
    level = path.join(level, part);
    await setPermissions(level);
  }
}
