/**
 * Trivial merges without a process: trees read through one long-lived `cat-file --batch` and
 * written through one long-lived `mktree --batch`, merged level by level by core/treeMerge. A
 * merge that is not trivial, or a tree not as git writes it, is left to `git merge-tree`.
 */
import { createHash } from 'node:crypto';
import { isSubMerge, mergeLevel, sameEntries, TREE_MODE, wellFormed, type SubMerge, type TreeEntry } from '../core/treeMerge.js';
import { SwarmError } from '../errors.js';
import type { GitSession } from './gitSession.js';

/** The id git gives a tree of these entries (SHA-1, or SHA-256 in a repository of 64-digit ids). */
function treeId(entries: readonly TreeEntry[]): string {
  const body = Buffer.concat(entries.flatMap((e) => [Buffer.from(`${e.mode} ${e.name}\0`, 'latin1'), Buffer.from(e.oid, 'hex')]));
  return createHash(entries[0]!.oid.length === 64 ? 'sha256' : 'sha1')
    .update(`tree ${body.length}\0`)
    .update(body)
    .digest('hex');
}

export class TreeMerger {
  /** Trees read or written in this run by id (null: not one this merges), and `<commit>^{tree}` names by the id they name. */
  readonly #trees = new Map<string, TreeEntry[] | null>();
  readonly #names = new Map<string, string | null>();
  /** Trees the merge under way made, inside first, with the ids git must give them. */
  #made: Array<{ oid: string; entries: TreeEntry[] }> = [];
  /** The last merge's trees, sent to git and not confirmed yet. */
  #writing: Promise<void> = Promise.resolve();

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
   * The commit being written of `tree`, the last merge's, once git has confirmed both it and every
   * tree that merge wrote (the two on their own pipes at once). Merging onto it then reads nothing.
   */
  async committed(writing: Promise<string>, tree: string): Promise<string> {
    const [commit] = await Promise.all([writing, this.#confirm()]);
    this.#names.set(`${commit}^{tree}`, tree);
    return commit;
  }

  /** Waits for the trees sent to git (the last merge's). */
  #confirm(): Promise<void> {
    const writing = this.#writing;
    this.#writing = Promise.resolve();
    return writing;
  }

  /** Sends the trees the merge made to git in one round trip; each must get the id it was given. */
  #send(made: ReadonlyArray<{ oid: string; entries: TreeEntry[] }>): void {
    if (made.length === 0) return;
    this.#writing = this.session.writeTrees(made.map((t) => t.entries)).then((ids) => {
      const wrong = made.findIndex((t, i) => ids[i] !== t.oid);
      if (wrong !== -1) throw new SwarmError('git', '', { command: ['mktree', '-z', '--batch'], stderr: `wrote ${ids[wrong]} for tree ${made[wrong]!.oid}` });
    });
    // Its failure is reported where the writes are confirmed, not as an unhandled rejection before.
    this.#writing.catch(() => undefined);
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
   * The trees it wrote are confirmed when its commit is (see committed).
   */
  async mergeCommits(base: string, ours: string, theirs: string): Promise<string | null> {
    const names = [base, ours, theirs].map((c) => `${c}^{tree}`);
    await this.#fetch(names);
    const [b, o, t] = names.map((n) => this.#names.get(n));
    if (!b || !o || !t) return null;
    let made: Array<{ oid: string; entries: TreeEntry[] }>;
    let merged: string | null;
    try {
      merged = await this.#merge({ name: '', base: b, ours: o, theirs: t });
    } finally {
      made = this.#made.splice(0);
    }
    if (merged === null || merged === '') return null;
    // A merge that is used is committed, which confirms its trees (see committed).
    this.#send(made);
    return merged;
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
    // Sent in the order made, inside first: git finds each entry's object when it writes a folder.
    const oid = treeId(entries);
    this.#made.push({ oid, entries });
    this.#trees.set(oid, entries);
    return oid;
  }
}
