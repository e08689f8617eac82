/**
 * The guard on the integration branch (guardIntegration): which of the updates git hands the
 * reference-transaction hook really move the branch. Who may move it (a lead) is decided with the
 * manifest; this decides what counts as moving it.
 */

/** One line of the hook's input: `<old> <new> <ref>`; an all-zero id is "none" (or, for old, "not given"). */
export interface RefUpdateLine {
  old: string;
  next: string;
  ref: string;
}

const ZERO = /^0+$/;

export const isZeroOid = (oid: string): boolean => ZERO.test(oid);

export function parseTransaction(text: string): RefUpdateLine[] {
  const updates: RefUpdateLine[] = [];
  for (const line of text.split('\n')) {
    const [old, next, ref] = line.split(' ');
    if (old && next && ref) updates.push({ old, next, ref });
  }
  return updates;
}

/** The ref as the transaction is prepared: what it names now, and its copy in packed-refs. */
export interface RefState {
  current: string | null;
  packed: string | null;
  /** packed-refs.lock exists: somebody is rewriting packed-refs (a deletion of a packed ref holds it). */
  packedLocked: boolean;
}

/**
 * The updates that change what the ref names. Two kinds of update are git's bookkeeping, not a
 * change, and must pass or `git gc` fails for everyone but the leads: a new value the ref already
 * has (pack-refs copying the loose ref into packed-refs, `git branch -f main main`), and deleting
 * the loose copy of a ref packed-refs holds at the same value while nobody rewrites packed-refs
 * (pack-refs pruning it; a real deletion of a packed ref holds packed-refs.lock, and of a ref
 * that is only loose finds no packed copy).
 */
export function changesOf(updates: readonly RefUpdateLine[], state: RefState): RefUpdateLine[] {
  return updates.filter((u) => {
    if (!isZeroOid(u.next)) return u.next !== state.current;
    const pruning = !isZeroOid(u.old) && u.old === state.current && u.old === state.packed && !state.packedLocked;
    return !pruning;
  });
}
