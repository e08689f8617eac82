/**
 * Trivial merges without a process: trees read through one long-lived `cat-file --batch` and
 * written through one long-lived `hash-object`, merged level by level by core/treeMerge. Any
 * merge that is not trivial, or any tree not as git writes it, is left to `git merge-tree`.
 */
import { isSubMerge, mergeLevel, sameEntries, TREE_MODE, wellFormed, type TreeEntry } from '../core/treeMerge.js';
import type { GitSession } from './gitSession.js';

export class TreeMerger {
  /** Trees read or written in this run, by id; null: not one this merges. */
  readonly #trees = new Map<string, TreeEntry[] | null>();

  constructor(readonly session: GitSession) {}

  async #read(name: string): Promise<{ oid: string; entries: TreeEntry[] | null } | null> {
    const known = this.#trees.get(name);
    if (known !== undefined) return { oid: name, entries: known };
    const tree = await this.session.readTree(name);
    if (tree === null) return null;
    const entries = wellFormed(tree.entries) ? tree.entries : null;
    this.#trees.set(tree.oid, entries);
    return { oid: tree.oid, entries };
  }

  /**
   * The tree of merging commit `theirs` into commit `ours` with `base` as their one merge base,
   * exactly as `git merge-tree --write-tree` would write it; null when the merge is not trivial.
   */
  async mergeCommits(base: string, ours: string, theirs: string): Promise<string | null> {
    const trees: string[] = [];
    for (const commit of [base, ours, theirs]) {
      const tree = await this.#read(`${commit}^{tree}`);
      if (tree === null) return null;
      trees.push(tree.oid);
    }
    const merged = await this.#merge(trees[0]!, trees[1]!, trees[2]!);
    return merged === '' ? null : merged;
  }

  /** The merged tree; '' when merge-ort would leave the folder out (nothing in it); null: not trivial. */
  async #merge(base: string | null, ours: string, theirs: string): Promise<string | null> {
    const [b, o, t] = [base === null ? { oid: '', entries: [] } : await this.#read(base), await this.#read(ours), await this.#read(theirs)];
    if (!b?.entries || !o?.entries || !t?.entries) return null;
    const level = mergeLevel(b.entries, o.entries, t.entries);
    if (!level.clean) return null;
    const entries: TreeEntry[] = [];
    for (const entry of level.entries) {
      if (!isSubMerge(entry)) {
        entries.push(entry);
        continue;
      }
      const oid = await this.#merge(entry.base, entry.ours, entry.theirs);
      if (oid === null) return null;
      // merge-ort writes a folder it merged inside only when something is left in it.
      if (oid !== '') entries.push({ name: entry.name, mode: TREE_MODE, oid });
    }
    if (entries.length === 0) return '';
    if (sameEntries(entries, o.entries)) return ours;
    if (sameEntries(entries, t.entries)) return theirs;
    const oid = await this.session.writeTree(entries);
    this.#trees.set(oid, entries);
    return oid;
  }
}
