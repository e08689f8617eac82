/**
 * Files git-swarm keeps in the git dir (cache entries, the git version marker, the stamp) are
 * local state an agent with a shell can replace by anything: a directory, a symlink, a named pipe
 * that would block a reader forever. These helpers read only regular files, never block, and
 * replace whatever is in the way atomically, so such state costs a rebuild and never a hang.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';

/** The text of a regular file (no symlink), null for anything else or any error; never blocks. */
export async function readLocalFile(file: string): Promise<string | null> {
  try {
    // O_NONBLOCK: opening a named pipe returns at once instead of waiting for a writer, and
    // fstat then turns it away unread; O_NOFOLLOW refuses a symlink.
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
      if (!(await handle.stat()).isFile()) return null;
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

/** Makes `dir` a directory, removing a file, pipe or symlink that stands where it should be. */
export async function ensureLocalDir(dir: string): Promise<void> {
  const found = await lstat(dir).catch(() => null);
  if (found?.isDirectory()) return;
  if (found) await rm(dir, { force: true });
  await mkdir(dir, { recursive: true });
}

/**
 * Writes atomically (temp file + rename) so a concurrent reader sees the old file or the new one,
 * never half of one; rename replaces a pipe or a symlink, and a directory in the way is removed.
 * The folder must exist (see ensureLocalDir).
 */
export async function replaceLocalFile(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(temp, text, { flag: 'wx' });
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  try {
    await rename(temp, file);
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno !== 'EISDIR' && errno !== 'ENOTEMPTY' && errno !== 'EEXIST') {
      await rm(temp, { force: true });
      throw error;
    }
    await rm(file, { recursive: true, force: true });
    await rename(temp, file);
  }
}
