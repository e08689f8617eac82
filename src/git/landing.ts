/** The git operations landing is made of: marks under refs/swarm/, in-memory merges, commits from trees. */
import { SwarmError } from '../errors.js';
import { git, runGit } from './run.js';

/** Every ref under `prefix` (e.g. refs/swarm/ready/) by its name after the prefix, with the object it names. */
export async function refsUnder(prefix: string, cwd?: string): Promise<Map<string, string>> {
  return new Map([...(await typedRefsUnder(prefix, cwd))].map(([name, { oid }]) => [name, oid]));
}

/** The same, with the type of the object each names (commit, tag, tree, blob). */
export async function typedRefsUnder(prefix: string, cwd?: string): Promise<Map<string, { oid: string; type: string }>> {
  const out = new Map<string, { oid: string; type: string }>();
  // A ref name holds no space or newline (git refuses them), so one line per ref is unambiguous.
  for (const line of (await git(['for-each-ref', '--format=%(objectname) %(objecttype) %(refname)', prefix], { cwd })).split('\n')) {
    const [oid = '', type = '', ref = ''] = line.split(' ');
    if (oid && ref.startsWith(prefix)) out.set(ref.slice(prefix.length), { oid, type });
  }
  return out;
}

/**
 * git's own merge of `theirs` into `ours` without a working tree (`merge-tree --write-tree`, merge
 * drivers included): the tree, or the paths in conflict.
 */
export async function mergeInMemory(ours: string, theirs: string, cwd?: string): Promise<{ tree: string; conflicts: string[] }> {
  const args = ['merge-tree', '--write-tree', '-z', '--name-only', '--no-messages', ours, theirs];
  const result = await runGit(args, { cwd });
  const [tree = '', ...rest] = result.stdout.toString('utf8').split('\0');
  if ((result.code !== 0 && result.code !== 1) || !/^[0-9a-f]{40,64}$/.test(tree)) {
    throw new SwarmError('git', '', { command: args, exitCode: result.code, stderr: result.stderr });
  }
  const end = rest.indexOf('');
  return { tree, conflicts: result.code === 0 ? [] : [...new Set(end === -1 ? rest : rest.slice(0, end))] };
}

/** A commit of `tree` with these parents and message, authored by the repository's configured user. */
export async function commitTree(tree: string, parents: readonly string[], message: string, cwd?: string): Promise<string> {
  return (await git(['commit-tree', tree, ...parents.flatMap((p) => ['-p', p])], { cwd, input: message })).trim();
}

/** Updates a worktree that has `from` checked out to `to`, as a fast-forward would (index and files). */
export async function fastForwardWorktree(worktree: string, from: string, to: string): Promise<void> {
  await git(['-C', worktree, 'read-tree', '-m', '-u', from, to]);
}

/** Whether a worktree has changes, staged or not, to tracked files. */
export async function worktreeDirty(worktree: string): Promise<boolean> {
  const result = await runGit(['-C', worktree, 'status', '--porcelain', '-z', '--untracked-files=no']);
  return result.code !== 0 || result.stdout.length > 0;
}

/**
 * The agents whose landed mark (refs/swarm/landed/<agent>) names a commit the integration tip
 * contains and that carries that agent's Swarm-Agent trailer: a mark written by hand for
 * another agent, or at a commit that never landed, frees no claim. One process.
 */
export async function verifiedLanded(prefix: string, tip: string, cwd?: string): Promise<Set<string>> {
  const out = new Set<string>();
  const format = '%(refname)%09%(trailers:key=Swarm-Agent,valueonly,separator=%x2c)';
  const result = await runGit(['for-each-ref', `--merged=${tip}`, `--format=${format}`, prefix], { cwd });
  // No tip to measure against (a branch not created yet): nobody has landed, so every claim holds.
  if (result.code !== 0) return out;
  for (const line of result.stdout.toString('utf8').split('\n')) {
    const [ref = '', trailers = ''] = line.split('\t');
    if (!ref.startsWith(prefix)) continue;
    const agent = ref.slice(prefix.length);
    if (trailers.split(',').map((t) => t.trim()).filter(Boolean).pop() === agent) out.add(agent);
  }
  return out;
}

/** Whether a worktree's index and tracked files are exactly `commit`'s tree. */
export async function worktreeMatches(worktree: string, commit: string): Promise<boolean> {
  const [index, files] = await Promise.all([
    runGit(['-C', worktree, 'diff', '--cached', '--quiet', '--no-ext-diff', commit, '--']),
    runGit(['-C', worktree, 'diff', '--quiet', '--no-ext-diff', commit, '--']),
  ]);
  return index.code === 0 && files.code === 0;
}

/**
 * Reverts merge commits (newest first, each against its first parent) in a worktree, without
 * committing: the tree that results, or the paths that conflict (the revert is then aborted).
 */
export async function revertMerges(worktree: string, merges: readonly string[]): Promise<{ tree: string; conflicts: string[] }> {
  const reverted = await runGit(['-C', worktree, '-c', 'core.hooksPath=/dev/null', 'revert', '--no-commit', '-m', '1', ...merges]);
  if (reverted.code !== 0) {
    const unmerged = await runGit(['-C', worktree, 'diff', '--name-only', '--diff-filter=U', '-z']);
    await runGit(['-C', worktree, 'revert', '--abort']);
    const conflicts = unmerged.stdout.toString('utf8').split('\0').filter(Boolean);
    if (conflicts.length === 0) throw new SwarmError('git', '', { command: ['revert', '--no-commit', '-m', '1', ...merges], exitCode: reverted.code, stderr: reverted.stderr });
    return { tree: '', conflicts };
  }
  return { tree: (await git(['-C', worktree, 'write-tree'])).trim(), conflicts: [] };
}

/** Who commits here, as git would write it in a commit ("Name <email> <time> <zone>"), author and committer. */
export async function committerIdent(cwd?: string): Promise<{ author: string; committer: string }> {
  const [author, committer] = await Promise.all([git(['var', 'GIT_AUTHOR_IDENT'], { cwd }), git(['var', 'GIT_COMMITTER_IDENT'], { cwd })]);
  return { author: author.trim(), committer: committer.trim() };
}

/** Untracked (not ignored) files in a worktree among `paths`: a fast-forward would refuse to overwrite them. */
export async function untrackedAmong(worktree: string, from: string, to: string): Promise<string[]> {
  const [changed, untracked] = await Promise.all([
    git(['-C', worktree, 'diff', '--name-only', '-z', '--no-renames', from, to]),
    git(['-C', worktree, 'ls-files', '--others', '--exclude-standard', '-z']),
  ]);
  const wanted = new Set(changed.split('\0').filter(Boolean));
  return untracked.split('\0').filter((p) => p && wanted.has(p));
}

/** The names (after `prefix`) of refs whose commit the tip already contains. */
export async function mergedUnder(prefix: string, tip: string, cwd?: string): Promise<Set<string>> {
  const out = new Set<string>();
  const result = await runGit(['for-each-ref', `--merged=${tip}`, '--format=%(refname)', prefix], { cwd });
  if (result.code !== 0) return out;
  for (const ref of result.stdout.toString('utf8').split('\n')) if (ref.startsWith(prefix)) out.add(ref.slice(prefix.length));
  return out;
}

/** The value `ref` had before its last update, from its reflog; null without one. */
export async function previousValue(ref: string, cwd?: string): Promise<string | null> {
  const result = await runGit(['rev-parse', '--verify', '-q', `${ref}@{1}`], { cwd });
  return result.code === 0 ? result.stdout.toString('utf8').trim() : null;
}

/** The paths whose content differs between two commits (a rename counts as both paths). */
export async function changedPaths(from: string, to: string, cwd?: string): Promise<string[]> {
  const out = await git(['diff-tree', '-r', '-z', '--name-only', '--no-renames', from, to], { cwd });
  return out.split('\0').filter(Boolean);
}

/** The object each of `paths` names in `commit` (absent paths are left out). */
export async function objectsAt(commit: string, paths: readonly string[], cwd?: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (paths.length === 0) return out;
  const listing = await git(['--literal-pathspecs', 'ls-tree', '-z', '--full-tree', commit, '--', ...paths], { cwd });
  for (const entry of listing.split('\0')) {
    // "<mode> SP <type> SP <object> TAB <path>"
    const tab = entry.indexOf('\t');
    if (tab > 0) out.set(entry.slice(tab + 1), entry.slice(0, tab).split(' ')[2]!);
  }
  return out;
}

/** The subjects of the commits on `ref`'s first-parent chain, newest first; empty when it does not exist. */
export async function chainSubjects(ref: string, cwd?: string): Promise<string[]> {
  const result = await runGit(['log', '--first-parent', '--format=%s', ref, '--'], { cwd });
  return result.code === 0 ? result.stdout.toString('utf8').split('\n').filter(Boolean) : [];
}

/**
 * Those of `commits` that none of the others reaches (`merge-base --independent`): exact whatever
 * the commit dates say, where a `git log A ^B` walk trusts them.
 */
export async function independentCommits(commits: readonly string[], cwd?: string): Promise<Set<string>> {
  return new Set((await git(['merge-base', '--independent', ...commits], { cwd })).split('\n').filter(Boolean));
}
