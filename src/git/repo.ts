import { readFile } from 'node:fs/promises';
import { SwarmError } from '../errors.js';
import { selectionArgs, type CommitSelection } from './log.js';
import { git, runGit } from './run.js';

export interface RepoPaths {
  toplevel: string;
  gitDir: string;
  commonDir: string;
  mergeHeadFile: string;
}

export interface RepoProbe {
  paths: RepoPaths;
  /** The checked-out branch's short name, null when HEAD is detached. */
  branch: string | null;
  /** The object id `blobSpec` names (e.g. `refs/heads/main:.swarm/manifest.json`), null when missing. */
  blob: string | null;
}

const OID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * Absolute paths of this worktree and its repository, the current branch, and optionally one
 * blob's id, from ONE git call (never by guessing `.git/`): the hook path pays per process.
 */
export async function probeRepo(cwd: string, blobSpec?: string): Promise<RepoProbe> {
  const args = ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-dir', '--git-common-dir', '--git-path', 'MERGE_HEAD', '--git-path', 'HEAD'];
  const result = await runGit(blobSpec ? [...args, blobSpec] : args, { cwd });
  const [toplevel, gitDir, commonDir, mergeHeadFile, headFile, blob] = result.stdout.toString('utf8').split('\n');
  if (!toplevel || !gitDir || !commonDir || !mergeHeadFile || !headFile) {
    throw new SwarmError('repository', '', { file: cwd, stderr: result.stderr });
  }
  const head = await readFile(headFile, 'utf8').catch(() => '');
  const ref = /^ref: refs\/heads\/(.+)$/m.exec(head);
  return {
    paths: { toplevel, gitDir, commonDir, mergeHeadFile },
    branch: ref ? ref[1]! : null,
    blob: blob && OID.test(blob) ? blob : null,
  };
}

export async function repoPaths(cwd = process.cwd()): Promise<RepoPaths> {
  return (await probeRepo(cwd)).paths;
}

/** The object id a revision expression names, or null. */
export async function resolveObject(spec: string, cwd?: string): Promise<string | null> {
  const result = await runGit(['rev-parse', '-q', '--verify', '--end-of-options', spec], { cwd });
  return result.code === 0 ? result.stdout.toString('utf8').trim() : null;
}

export async function getConfig(key: string, cwd?: string): Promise<string | undefined> {
  const result = await runGit(['config', '--get', key], { cwd });
  return result.code === 0 ? result.stdout.toString('utf8').replace(/\n$/, '') : undefined;
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

/**
 * True when the selection reaches a commit whose parents this shallow clone lacks: git would show
 * such a commit as adding every file, so the range cannot be judged.
 */
export async function selectionHitsShallowBoundary(selection: CommitSelection, cwd?: string): Promise<boolean> {
  const shallowFile = (await git(['rev-parse', '--path-format=absolute', '--git-path', 'shallow'], { cwd })).trim();
  const boundary = new Set((await readFile(shallowFile, 'utf8').catch(() => '')).split('\n').filter(Boolean));
  if (boundary.size === 0) return false;
  const range = (await git(['rev-list', ...selectionArgs(selection), '--'], { cwd })).split('\n');
  return range.some((sha) => boundary.has(sha));
}

/**
 * The tip of a branch wherever this clone has it: the local branch, else origin's copy, else any
 * remote's. Null when none has it.
 */
export async function branchTip(branch: string, cwd?: string): Promise<string | null> {
  const local = (await resolveCommit(`refs/heads/${branch}`, cwd)) ?? (await resolveCommit(`refs/remotes/origin/${branch}`, cwd));
  if (local) return local;
  const [first] = (await git(['for-each-ref', '--format=%(objectname)', `refs/remotes/*/${branch}`], { cwd })).split('\n').filter(Boolean);
  return first ?? null;
}

/** The branches this clone knows, local and remote-tracking, for messages. */
export async function knownBranches(cwd?: string): Promise<string[]> {
  return (await git(['for-each-ref', '--format=%(refname:short)', 'refs/heads', 'refs/remotes'], { cwd })).split('\n').filter(Boolean);
}

/** The branch origin's HEAD points at (its default branch), null when unknown. */
export async function remoteDefaultBranch(cwd?: string): Promise<string | null> {
  const result = await runGit(['symbolic-ref', '-q', '--short', 'refs/remotes/origin/HEAD'], { cwd });
  const ref = result.stdout.toString('utf8').trim();
  return result.code === 0 && ref.startsWith('origin/') ? ref.slice('origin/'.length) : null;
}

export async function isShallow(cwd?: string): Promise<boolean> {
  return (await git(['rev-parse', '--is-shallow-repository'], { cwd })).trim() === 'true';
}
