/**
 * Trivial merges without a process: trees read through one long-lived `cat-file --batch`, merged
 * level by level by core/treeMerge, and written with their commits in one round trip at the end
 * (GitSession.flush). A merge that is not trivial, or a tree not as git writes it, is left to
 * `git merge-tree`.
 */
import { isSubMerge, mergeLevel, sameEntries, TREE_MODE, wellFormed, type SubMerge, type TreeEntry } from '../core/treeMerge.js';
import type { GitSession } from './gitSession.js';

export class TreeMerger {
  /** Trees read or written in this run by id (null: not one this merges), and `<commit>^{tree}` names by the id they name. */
  readonly #trees = new Map<string, TreeEntry[] | null>();
  readonly #names = new Map<string, string | null>();
  constructor(readonly session: GitSession) {}

  /** Reads, in one round trip, what is not known yet of these names. */
  async #fetch(names: ReadonlyArray<string | null>): Promise<void> {
    const wanted = [...new Set(names)].filter((n): n is string => n !== null && !this.#trees.has(n) && !this.#names.has(n));
    if (wanted.length === 0) return;
    const trees = await this.session.readTrees(wanted);
    wanted.forEach((name, i) => {
      const tree = trees[i]!;
      this.#names.set(name, tree?.oid ?? null);
      if (tree) this.#trees.set(tree.oid, wellFormed(tree.entries) ? tree.entries : null);
    });
  }

  #entries(name: string): TreeEntry[] | null {
    const oid = this.#trees.has(name) ? name : this.#names.get(name);
    return oid ? (this.#trees.get(oid) ?? null) : null;
  }

  /**
   * A commit of `tree` (a merge's, or git's), made as GitSession.commitLater makes it: merging onto
   * it then reads nothing. Written with the trees by the session's flush.
   */
  commit(tree: string, parents: readonly string[], message: string, ident: { author: string; committer: string }): string {
    const commit = this.session.commitLater(tree, parents, message, ident);
    this.#names.set(`${commit}^{tree}`, tree);
    return commit;
  }

  /**
   * Reads ahead what merging each commit onto its base (plus others) will read, for all of them at
   * once, a level at a time: the trees it changes or adds (not inside an added one).
   */
  async prefetch(bases: ReadonlyMap<string, string>): Promise<void> {
    const tree = (commit: string) => this.#names.get(`${commit}^{tree}`) ?? null;
    await this.#fetch([...bases].flatMap(([commit, base]) => [`${base}^{tree}`, `${commit}^{tree}`]));
    let pairs = [...bases].map(([commit, base]) => [tree(base), tree(commit)] as const);
    while (pairs.length > 0) {
      const next: Array<readonly [string | null, string]> = [];
      for (const [b, t] of pairs) {
        const inBase = new Map((b === null ? [] : (this.#entries(b) ?? [])).map((e) => [e.name, e]));
        for (const e of t === null ? [] : (this.#entries(t) ?? [])) {
          const was = inBase.get(e.name);
          if (e.mode === TREE_MODE && was?.oid !== e.oid) next.push([was?.mode === TREE_MODE ? was.oid : null, e.oid]);
        }
      }
      await this.#fetch(next.map(([, t]) => t));
      pairs = next.filter(([b]) => b !== null);
    }
  }

  /**
   * The tree of merging commit `theirs` into commit `ours` with `base` as their one merge base,
   * exactly as `git merge-tree --write-tree` would write it; null when the merge is not trivial.
   * The trees it makes are written by the session's flush.
   */
  async mergeCommits(base: string, ours: string, theirs: string): Promise<string | null> {
    const names = [base, ours, theirs].map((c) => `${c}^{tree}`);
    await this.#fetch(names);
    const [b, o, t] = names.map((n) => this.#names.get(n));
    if (!b || !o || !t) return null;
    // A commit made of a tree git merged names a tree not read yet.
    await this.#fetch([b, o, t]);
    const merged = await this.#merge({ name: '', base: b, ours: o, theirs: t });
    return merged === '' ? null : merged;
  }

  /** The merged tree; '' when merge-ort would leave the folder out (nothing in it); null: not trivial. */
  async #merge({ base, ours, theirs }: SubMerge): Promise<string | null> {
    const b = base === null ? [] : this.#entries(base);
    const [o, t] = [this.#entries(ours), this.#entries(theirs)];
    if (!b || !o || !t) return null;
    const level = mergeLevel(b, o, t);
    if (!level.clean) return null;
    const inside = level.entries.filter(isSubMerge);
    await this.#fetch(inside.flatMap((s) => [s.base, s.ours, s.theirs]));
    const entries: TreeEntry[] = [];
    for (const entry of level.entries) {
      if (!isSubMerge(entry)) {
        entries.push(entry);
        continue;
      }
      const oid = await this.#merge(entry);
      if (oid === null) return null;
      // merge-ort writes a folder it merged inside only when something is left in it.
      if (oid !== '') entries.push({ name: entry.name, mode: TREE_MODE, oid });
    }
    if (entries.length === 0) return '';
    if (sameEntries(entries, o)) return ours;
    if (sameEntries(entries, t)) return theirs;
    // Made inside first, so git finds each entry's object when it writes a folder.
    const oid = this.session.treeLater(entries);
    this.#trees.set(oid, entries);
    return oid;
  }
}
