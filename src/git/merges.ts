import type { Change } from '../core/model.js';
import { SwarmError } from '../errors.js';
import { parseRawChanges } from './rawDiff.js';
import { git, runGit, splitZ } from './run.js';

/**
 * The tree git's own merge of two commits gives, conflicts left in with their markers
 * (`git merge-tree --write-tree`, the same merge machinery as `git merge`). Unrelated histories
 * are merged too: a fabricated parent must not make the merge unjudgeable.
 */
export async function mergeTree(ours: string, theirs: string, cwd?: string): Promise<string> {
  const args = ['merge-tree', '--write-tree', '--allow-unrelated-histories', '--no-messages', ours, theirs];
  const result = await runGit(args, { cwd });
  const tree = result.stdout.toString('utf8').split('\n')[0]!.trim();
  // 0: clean, 1: conflicts (the tree holds them); anything else is a failure.
  if ((result.code !== 0 && result.code !== 1) || !/^[0-9a-f]{40,64}$/.test(tree)) {
    throw new SwarmError('git', '', { command: args, exitCode: result.code, stderr: result.stderr });
  }
  return tree;
}

const RAW = ['-z', '--raw', '--no-renames', '--no-ext-diff', '--ignore-submodules=none'];

/** Every path where tree-ish `to` differs from tree-ish `from`. */
export async function treeChanges(from: string, to: string, cwd?: string): Promise<Change[]> {
  return parseRawChanges(splitZ(await git(['diff-tree', '-r', ...RAW, from, to], { cwd })));
}

/** Every path where the index differs from tree-ish `tree`. */
export async function indexChangesFrom(tree: string, cwd?: string): Promise<Change[]> {
  return parseRawChanges(splitZ(await git(['diff-index', '--cached', ...RAW, tree, '--'], { cwd })));
}

/**
 * What a merge authored: where its result differs from git's own merge of its parents. An honest
 * merge costs nothing; an evil resolution, `-s ours` (which discards the other side's changes) or a
 * fabricated parent is charged path by path. Octopus merges are judged against their first parent.
 * git's merge follows renames, which carries one side's edit into the path the other side moved
 * the file (or directory) to: the caller also charges every path that differs from every parent.
 */
/** Both lists, each path once (the first list's entry wins). */
export function unionOfChanges(a: readonly Change[], b: readonly Change[]): Change[] {
  const seen = new Set(a.map((c) => c.path));
  return [...a, ...b.filter((c) => !seen.has(c.path))];
}

export async function mergeCharge(result: string, parents: readonly string[], cwd?: string): Promise<Change[]> {
  const expected = parents.length === 2 ? await mergeTree(parents[0]!, parents[1]!, cwd) : parents[0]!;
  return treeChanges(expected, result, cwd);
}
