import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SwarmError } from '../errors.js';
import { ensureLocalDir, readLocalFile, replaceLocalFile } from '../localFile.js';
import { git } from './run.js';

export const MIN_GIT = [2, 38] as const;

/** Refuses a git older than MIN_GIT (merge-tree --write-tree, update-ref --stdin transactions). */
export async function assertGitVersion(): Promise<void> {
  const text = (await git(['--version'])).trim();
  const m = /(\d+)\.(\d+)/.exec(text);
  const [major, minor] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (major < MIN_GIT[0] || (major === MIN_GIT[0] && minor < MIN_GIT[1])) {
    throw new SwarmError('git-version', '', { found: text, needed: MIN_GIT.join('.') });
  }
}

/**
 * The same check for hooks, without a process per commit: git tells hooks where it lives
 * (GIT_EXEC_PATH), and the answer is remembered until that git binary changes. The marker is
 * local state any agent can replace: anything but a regular file holding this key (a directory, a
 * pipe, other text) means asking git again and replacing the marker.
 */
export async function assertGitVersionCached(cacheDir: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const execPath = env.GIT_EXEC_PATH;
  const binary = execPath ? await stat(join(execPath, 'git')).catch(() => null) : null;
  if (!binary) return assertGitVersion();
  const key = `${execPath}\n${binary.mtimeMs}\n${binary.size}`;
  const marker = join(cacheDir, 'git-version-ok');
  if ((await readLocalFile(marker)) === key) return;
  await assertGitVersion();
  await ensureLocalDir(cacheDir)
    .then(() => replaceLocalFile(marker, key))
    .catch(() => undefined);
}
