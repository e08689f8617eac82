/**
 * The three-way merge of trees that needs no content merge, decided one level at a time, with the
 * result git's merge-ort gives: an entry equal on two sides takes the third, an entry changed the
 * same way on both sides takes that change, folders on both sides merge inside. Anything else is
 * "not trivial" and left to git: content merges (merge drivers, renormalization), add/add and
 * directory/file conflicts, and deletions but one kind. merge-ort pairs a side's deleted paths
 * with its added ones as renames, and a folder a side removed as renamed: a rename carries the
 * other side's changes of the old path, and a renamed folder what the other side added into it.
 * Where the other side left the deleted path (file or whole folder) exactly as the base had it,
 * there is nothing of its own to carry: the deletion is the merge. Deleted on both sides (maybe
 * two renames of one file) or deleted on one and changed on the other stays git's.
 */

/** One entry of a git tree; `name` holds the name's bytes, one character per byte (latin1). */
export interface TreeEntry {
  name: string;
  mode: string;
  oid: string;
}

/** A folder on both sides (and maybe in the base) whose own merge decides its entry. */
export interface SubMerge {
  name: string;
  base: string | null;
  ours: string;
  theirs: string;
}

export type LevelMerge = { clean: true; entries: Array<TreeEntry | SubMerge> } | { clean: false; name: string };

export const TREE_MODE = '40000';
/** The modes git writes; a tree holding another (an old or foreign tool's) is left to git. */
const MODES = new Set([TREE_MODE, '100644', '100755', '120000', '160000']);

export function isSubMerge(entry: TreeEntry | SubMerge): entry is SubMerge {
  return 'ours' in entry;
}

/** Git's order of tree entries: by name bytes, a folder's name read as if it ended in "/". */
export function compareEntries(a: { name: string; mode: string }, b: { name: string; mode: string }): number {
  const x = a.mode === TREE_MODE ? `${a.name}/` : `${a.name}\0`;
  const y = b.mode === TREE_MODE ? `${b.name}/` : `${b.name}\0`;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Whether a tree is as git writes it: known modes, names that are one path segment, in git's
 * order, each once. Only such trees are merged here; git rewrites others when it merges them.
 */
export function wellFormed(entries: readonly TreeEntry[]): boolean {
  const names = new Set<string>();
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (!MODES.has(e.mode) || e.name === '' || e.name === '.' || e.name === '..' || e.name.includes('/') || names.has(e.name)) return false;
    if (i > 0 && compareEntries(entries[i - 1]!, e) >= 0) return false;
    names.add(e.name);
  }
  return true;
}

const isTree = (e: TreeEntry) => e.mode === TREE_MODE;
const same = (a: TreeEntry | undefined, b: TreeEntry | undefined) => a !== undefined && b !== undefined && a.mode === b.mode && a.oid === b.oid;

/** One name's merge: an entry, a folder to merge inside, 'deleted', or null when it is not trivial. */
function mergeEntry(name: string, b: TreeEntry | undefined, o: TreeEntry | undefined, t: TreeEntry | undefined): TreeEntry | SubMerge | 'deleted' | null {
  if (b !== undefined) {
    if (o === undefined || t === undefined) return (o === undefined && same(t, b)) || (t === undefined && same(o, b)) ? 'deleted' : null;
    // A folder for a file, or a file for a folder: git sees a deletion and an addition there.
    if (isTree(o) !== isTree(b) || isTree(t) !== isTree(b)) return null;
    if (!isTree(b)) return same(o, b) ? t : same(t, b) ? o : same(o, t) ? o : null;
    if (same(o, b) && same(t, b)) return b;
    // A folder changed on either side is read through: what changed in it decides.
    return { name, base: b.oid, ours: o.oid, theirs: t.oid };
  }
  if (o === undefined) return t ?? null;
  if (t === undefined) return o;
  if (isTree(o) && isTree(t)) return { name, base: null, ours: o.oid, theirs: t.oid };
  return !isTree(o) && same(o, t) ? o : null;
}

/** The merge of one level of three trees (each well-formed, the base empty when there is none), in git's order. */
export function mergeLevel(base: readonly TreeEntry[], ours: readonly TreeEntry[], theirs: readonly TreeEntry[]): LevelMerge {
  const index = (entries: readonly TreeEntry[]) => new Map(entries.map((e) => [e.name, e]));
  const [b, o, t] = [index(base), index(ours), index(theirs)];
  const entries: Array<TreeEntry | SubMerge> = [];
  for (const name of new Set([...b.keys(), ...o.keys(), ...t.keys()])) {
    const merged = mergeEntry(name, b.get(name), o.get(name), t.get(name));
    if (merged === null) return { clean: false, name };
    if (merged !== 'deleted') entries.push(merged);
  }
  const modeOf = (e: TreeEntry | SubMerge) => (isSubMerge(e) ? TREE_MODE : e.mode);
  entries.sort((x, y) => compareEntries({ name: x.name, mode: modeOf(x) }, { name: y.name, mode: modeOf(y) }));
  return { clean: true, entries };
}

/** Whether two entry lists are the same tree. */
export function sameEntries(a: readonly TreeEntry[], b: readonly TreeEntry[]): boolean {
  return a.length === b.length && a.every((e, i) => e.name === b[i]!.name && same(e, b[i]));
}
