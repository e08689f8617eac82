import { readFile } from 'node:fs/promises';
import type { Change } from '../core/model.js';
import { indexChangesFrom, mergeTree, unionOfChanges } from './merges.js';
import { parseRawChanges } from './rawDiff.js';
import { git, runGit, splitZ } from './run.js';

const DIFF = ['diff', '--cached', '-z', '--raw', '--no-renames', '--no-ext-diff', '--ignore-submodules=none'];

/** Staged changes against HEAD (every path against the empty tree on an unborn branch). */
export async function stagedChanges(cwd?: string): Promise<Change[]> {
  return parseRawChanges(splitZ(await git(DIFF, { cwd })));
}

/**
 * For `git commit --amend`: the staged changes against the amended commit's parent, since the
 * new commit replaces it whole (every path against the empty tree when it has no parent).
 */
export async function stagedChangesForAmend(amended: string, cwd?: string): Promise<Change[]> {
  const parent = await runGit(['rev-parse', '-q', '--verify', '--end-of-options', `${amended}^1^{commit}`], { cwd });
  const base = parent.code === 0 ? parent.stdout.toString('utf8').trim() : (await git(['hash-object', '-t', 'tree', '--stdin'], { cwd, input: '' })).trim();
  return indexChangesFrom(base, cwd);
}

async function mergeHeads(mergeHeadFile: string): Promise<string[]> {
  try {
    return (await readFile(mergeHeadFile, 'utf8')).split('\n').filter((l) => /^[0-9a-f]{40,64}$/.test(l));
  } catch {
    return [];
  }
}

/**
 * During a merge, the changes charged to the committer are those the merge itself authors: where
 * the index differs from git's own merge of HEAD and MERGE_HEAD (see mergeCharge). Outside a
 * merge, the staged changes as they are.
 */
export async function chargedStagedChanges(staged: Change[], mergeHeadFile: string, cwd?: string): Promise<Change[]> {
  const heads = await mergeHeads(mergeHeadFile);
  if (heads.length === 0) return staged;
  const expected = heads.length === 1 ? await mergeTree('HEAD', heads[0]!, cwd) : 'HEAD';
  // Renames carried into another path differ from every parent: charged too (see mergeCharge).
  const differing = await Promise.all(heads.map(async (h) => new Set((await indexChangesFrom(h, cwd)).map((c) => c.path))));
  const fromEveryParent = staged.filter((c) => differing.every((set) => set.has(c.path)));
  return unionOfChanges(fromEveryParent, await indexChangesFrom(expected, cwd));
}
