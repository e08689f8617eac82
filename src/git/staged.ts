import { readFile } from 'node:fs/promises';
import type { Change } from '../core/model.js';
import { parseRawChanges } from './rawDiff.js';
import { git, splitZ } from './run.js';

const DIFF = ['diff', '--cached', '-z', '--raw', '--no-renames', '--no-ext-diff', '--ignore-submodules=none'];

/** Staged changes against HEAD (every path against the empty tree on an unborn branch). */
export async function stagedChanges(cwd?: string): Promise<Change[]> {
  return parseRawChanges(splitZ(await git(DIFF, { cwd })));
}

async function mergeHeads(mergeHeadFile: string): Promise<string[]> {
  try {
    return (await readFile(mergeHeadFile, 'utf8')).split('\n').filter((l) => /^[0-9a-f]{40,64}$/.test(l));
  } catch {
    return [];
  }
}

/**
 * During a merge, only what the merge itself authors counts: paths whose staged content differs
 * from every parent. Content taken whole from the merged branch was checked where it was written.
 */
export async function restrictToMergeResolution(changes: Change[], mergeHeadFile: string, cwd?: string): Promise<Change[]> {
  const heads = await mergeHeads(mergeHeadFile);
  if (heads.length === 0 || changes.length === 0) return changes;
  const differing = await Promise.all(
    heads.map(async (h) => new Set(splitZ(await git(['diff', '--cached', '-z', '--name-only', '--no-renames', '--no-ext-diff', h], { cwd })))),
  );
  return changes.filter((c) => differing.every((set) => set.has(c.path)));
}
