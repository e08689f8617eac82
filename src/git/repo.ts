import { readFile } from 'node:fs/promises';
import { SwarmError } from '../errors.js';
import { selectionArgs, type CommitSelection } from './log.js';
import { git, runGit, splitZ } from './run.js';

export interface RepoPaths {
  toplevel: string;
  gitDir: string;
  commonDir: string;
  mergeHeadFile: string;
}

export interface RepoProbe {
  paths: RepoPaths;
  /**
   * The checked-out branch's short name; during a rebase (HEAD detached), the branch being
   * rebased; null when HEAD is detached otherwise.
   */
  branch: string | null;
  /** The object id each of `blobSpecs` names (e.g. `refs/heads/main:.swarmrc`), null when missing. */
  blobs: Array<string | null>;
}

const OID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

const PROBE = [
  'rev-parse', '--path-format=absolute', '--show-toplevel', '--git-dir', '--git-common-dir',
  '--git-path', 'MERGE_HEAD', '--git-path', 'HEAD', '--git-path', 'rebase-merge/head-name', '--git-path', 'rebase-apply/head-name',
];

/**
 * Absolute paths of this worktree and its repository, the current branch, and the ids of a few
 * blobs, from ONE git call (never by guessing `.git/`): the hook path pays per process. git stops
 * at the first spec that names nothing, so later ones then read as missing too.
 */
export async function probeRepo(cwd: string, blobSpecs: readonly string[] = []): Promise<RepoProbe> {
  const result = await runGit([...PROBE, ...blobSpecs], { cwd });
  const [toplevel, gitDir, commonDir, mergeHeadFile, headFile, rebaseMerge, rebaseApply, ...answers] = result.stdout.toString('utf8').split('\n');
  if (!toplevel || !gitDir || !commonDir || !mergeHeadFile || !headFile || !rebaseMerge || !rebaseApply) {
    throw new SwarmError('repository', '', { file: cwd, stderr: result.stderr });
  }
  const head = await readFile(headFile, 'utf8').catch(() => '');
  let ref = /^ref: refs\/heads\/(.+)$/m.exec(head);
  if (!ref) {
    const rebasing = (await readFile(rebaseMerge, 'utf8').catch(() => null)) ?? (await readFile(rebaseApply, 'utf8').catch(() => ''));
    ref = /^refs\/heads\/(.+)$/m.exec(rebasing);
  }
  return {
    paths: { toplevel, gitDir, commonDir, mergeHeadFile },
    branch: ref ? ref[1]! : null,
    blobs: blobSpecs.map((_, i) => {
      const answer = answers[i];
      return answer && OID.test(answer) ? answer : null;
    }),
  };
}

/** A `swarm.*` key of git config and the scope it was read from (worktree, local, global, command…). */
export interface SwarmConfigEntry {
  key: string;
  value: string;
  scope: string;
}

/** Every `swarm.*` value of git config with its scope, in one process. */
export async function swarmConfig(cwd?: string): Promise<SwarmConfigEntry[]> {
  const result = await runGit(['config', '--show-scope', '-z', '--get-regexp', '^swarm\\.'], { cwd });
  const parts = splitZ(result.stdout);
  const entries: SwarmConfigEntry[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const text = parts[i + 1]!;
    const eol = text.indexOf('\n');
    entries.push({ scope: parts[i]!, key: eol < 0 ? text : text.slice(0, eol), value: eol < 0 ? '' : text.slice(eol + 1) });
  }
  return entries;
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
  // Exact ref names through for-each-ref, never rev-parse's lookup, where a tag named
  // "refs/heads/main" or "origin/main" (which anyone who can push a tag can create) would win.
  const out = await git(['for-each-ref', '--format=%(refname) %(objecttype) %(objectname) %(*objecttype) %(*objectname)', `refs/heads/${branch}`, `refs/remotes/*/${branch}`], { cwd });
  const tips = new Map<string, string>();
  for (const line of out.split('\n')) {
    const [ref = '', type, id, peeledType, peeled] = line.split(' ');
    if (type === 'commit' && id) tips.set(ref, id);
    else if (peeledType === 'commit' && peeled) tips.set(ref, peeled);
  }
  // for-each-ref lists in refname order: the first remote's copy, when origin has none.
  const remote = [...tips.keys()].find((ref) => ref.startsWith('refs/remotes/'));
  return tips.get(`refs/heads/${branch}`) ?? tips.get(`refs/remotes/origin/${branch}`) ?? (remote ? tips.get(remote)! : null);
}

/**
 * A revision a person named (--base, --head): its commit, and whether the name is ambiguous (a tag
 * and a branch of one name), in which case git's choice could be anyone's tag.
 */
export async function resolveNamedRevision(rev: string, cwd?: string): Promise<{ commit: string | null; ambiguous: boolean }> {
  const result = await runGit(['rev-parse', '--verify', '--end-of-options', `${rev}^{commit}`], { cwd });
  return { commit: result.code === 0 ? result.stdout.toString('utf8').trim() : null, ambiguous: /refname '.*' is ambiguous/.test(result.stderr) };
}

/** The commits that changed `path` on `rev`'s first-parent line, newest first, at most `limit`. */
export async function pathHistory(rev: string, path: string, limit: number, cwd?: string): Promise<string[]> {
  const result = await runGit(['log', '--first-parent', '--format=%H', `-n${limit}`, rev, '--', path], { cwd });
  return result.code === 0 ? result.stdout.toString('utf8').split('\n').filter(Boolean) : [];
}

/**
 * The parents of the oldest commit in `rev`'s history that added `path`: history from before
 * the file existed. Empty when it never was added (or was added by a root commit).
 */
export async function parentsBeforeFirstAdding(rev: string, path: string, cwd?: string): Promise<string[]> {
  const added = (await git(['log', '--diff-filter=A', '--format=%H %P', '--reverse', rev, '--', path], { cwd })).split('\n')[0] ?? '';
  return added.split(' ').slice(1).filter(Boolean);
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

const shallow = new Map<string, Promise<boolean>>();

/** Whether the repository is a shallow clone; asked once per folder per process (landing judges many ranges). */
export function isShallow(cwd?: string): Promise<boolean> {
  const key = cwd ?? process.cwd();
  let known = shallow.get(key);
  if (!known) shallow.set(key, (known = git(['rev-parse', '--is-shallow-repository'], { cwd }).then((out) => out.trim() === 'true')));
  return known;
}
