import { SwarmError } from '../errors.js';
import { messages } from '../messages.js';
import { git } from './run.js';

export const MIN_GIT = [2, 38] as const;

/** Refuses a git older than MIN_GIT (merge-tree --write-tree, update-ref --stdin transactions). */
export async function assertGitVersion(): Promise<void> {
  const text = (await git(['--version'])).trim();
  const m = /(\d+)\.(\d+)/.exec(text);
  const [major, minor] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (major < MIN_GIT[0] || (major === MIN_GIT[0] && minor < MIN_GIT[1])) {
    throw new SwarmError('git-version', messages.gitTooOld(text, MIN_GIT.join('.')));
  }
}
