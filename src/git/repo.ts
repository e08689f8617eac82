import { SwarmError } from '../errors.js';
import { messages } from '../messages.js';
import { git, runGit } from './run.js';

export interface RepoPaths {
  toplevel: string;
  gitDir: string;
  commonDir: string;
  mergeHeadFile: string;
}

/** Absolute paths of this worktree and its repository, found by git (never by guessing `.git/`). */
export async function repoPaths(cwd = process.cwd()): Promise<RepoPaths> {
  const result = await runGit(
    ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-dir', '--git-common-dir', '--git-path', 'MERGE_HEAD'],
    { cwd },
  );
  const [toplevel, gitDir, commonDir, mergeHeadFile] = result.stdout.toString('utf8').split('\n');
  if (result.code !== 0 || !toplevel || !gitDir || !commonDir || !mergeHeadFile) {
    throw new SwarmError('repository', messages.notARepository(cwd));
  }
  return { toplevel, gitDir, commonDir, mergeHeadFile };
}

/** The checked-out branch's short name, or null when HEAD is detached. */
export async function currentBranch(cwd?: string): Promise<string | null> {
  const result = await runGit(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd });
  return result.code === 0 ? result.stdout.toString('utf8').trim() : null;
}

export async function getConfig(key: string, cwd?: string): Promise<string | undefined> {
  const result = await runGit(['config', '--get', key], { cwd });
  return result.code === 0 ? result.stdout.toString('utf8').replace(/\n$/, '') : undefined;
}

export async function setConfig(key: string, value: string, cwd?: string): Promise<void> {
  await git(['config', key, value], { cwd });
}

export async function unsetConfig(key: string, cwd?: string): Promise<void> {
  await runGit(['config', '--unset', key], { cwd });
}

/** The commit a revision names, or null when it names none. */
export async function resolveCommit(rev: string, cwd?: string): Promise<string | null> {
  const result = await runGit(['rev-parse', '-q', '--verify', '--end-of-options', `${rev}^{commit}`], { cwd });
  return result.code === 0 ? result.stdout.toString('utf8').trim() : null;
}

export async function mergeBase(a: string, b: string, cwd?: string): Promise<string | null> {
  const result = await runGit(['merge-base', a, b], { cwd });
  return result.code === 0 ? result.stdout.toString('utf8').trim() : null;
}

export async function isAncestor(ancestor: string, descendant: string, cwd?: string): Promise<boolean> {
  return (await runGit(['merge-base', '--is-ancestor', ancestor, descendant], { cwd })).code === 0;
}

export async function isShallow(cwd?: string): Promise<boolean> {
  return (await git(['rev-parse', '--is-shallow-repository'], { cwd })).trim() === 'true';
}
