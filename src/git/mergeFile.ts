import { SwarmError } from '../errors.js';
import { runGit } from './run.js';

/**
 * git's own three-way line merge of files, written into `ours` in place (`git merge-file`).
 * Returns the number of conflicts (0: clean).
 */
export async function mergeFileInPlace(files: { base: string; ours: string; theirs: string }, label: string): Promise<number> {
  const args = ['merge-file', '-L', `${label} (ours)`, '-L', `${label} (base)`, '-L', `${label} (theirs)`, files.ours, files.base, files.theirs];
  const result = await runGit(args);
  if (result.code < 0 || result.code > 127) throw new SwarmError('git', '', { command: args, exitCode: result.code, stderr: result.stderr });
  return result.code;
}
