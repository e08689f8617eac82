import { git, splitZ } from './run.js';

/** The files of a commit's tree (`rev`), or of the index when rev is null, repository-relative. */
export async function trackedFiles(rev: string | null, cwd?: string): Promise<string[]> {
  const args = rev === null ? ['ls-files', '-z', '--full-name'] : ['ls-tree', '-r', '-z', '--name-only', '--full-tree', rev];
  // Deduplicated: during a conflicted merge the index lists a path once per stage.
  return [...new Set(splitZ(await git(args, { cwd })))];
}
