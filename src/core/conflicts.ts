/**
 * The conflict matrix: which pairs of writers could refuse each other's work, decided exactly on
 * the globs (any path, tracked or not), never on the files that happen to exist.
 */
import { agentsBefore, type AfterGraph } from './agentOrder.js';
import type { CompiledGlob } from './glob.js';
import { GlobOverlap } from './globOverlap.js';
import type { CompiledPolicy } from './policy.js';

export type PairStatus = 'conflict' | 'serialized' | 'clear';

/** A glob an agent holds: exclusively (`claim`) or `shared`. */
export interface HeldGlob {
  pattern: string;
  kind: 'claim' | 'shared';
}

/** Two globs of two agents that some path matches (at least one of them exclusive), and that path. */
export interface Overlap {
  a: HeldGlob;
  b: HeldGlob;
  witness: string;
}

export interface PairReport {
  /** The two agents, in manifest order. */
  a: string;
  b: string;
  /** conflict: some path is held exclusively by one and claimed or shared by the other, and neither comes after the other. */
  status: PairStatus;
  /** For serialized: the agent the other comes after (directly or transitively), which lands first. */
  first: string | null;
  /** Every overlapping pair of globs, `a`'s glob first, in manifest order; empty when clear. */
  overlaps: Overlap[];
}

/** Agents that may hold paths (writers and leads; readers hold none) and have not landed, in manifest order. */
export function liveWriters(policy: CompiledPolicy, landed: ReadonlySet<string>): string[] {
  return Object.entries(policy.manifest.agents)
    .filter(([name, spec]) => spec.role !== 'reader' && !landed.has(name))
    .map(([name]) => name);
}

interface Entry {
  agent: number;
  held: HeldGlob;
  glob: CompiledGlob;
}

/**
 * Every pair of live writers with its verdict, in manifest order ((0,1), (0,2)…, (1,2)…).
 * `landed`: agents whose work has landed; their claims hold nobody back, so they leave the matrix.
 *
 * Only globs whose literal directory prefixes nest can meet (every path an alternative matches
 * starts with its prefix), so candidates come from walking each prefix's ancestors in a map of
 * prefixes, and the exact search (GlobOverlap) runs on those alone.
 */
export function conflicts(policy: CompiledPolicy, landed: ReadonlySet<string> = new Set(), overlap = new GlobOverlap(), withClear = true): PairReport[] {
  const agents = liveWriters(policy, landed);
  const index = new Map(agents.map((name, i) => [name, i]));
  const entries: Entry[] = [];
  for (const { tag, glob } of policy.globs) {
    const agent = tag.agent === null ? undefined : index.get(tag.agent);
    if (agent === undefined || tag.kind === 'always') continue;
    entries.push({ agent, held: { pattern: tag.pattern, kind: tag.kind }, glob });
  }
  const byPrefix = new Map<string, number[]>();
  entries.forEach((entry, e) => {
    for (const { prefix } of entry.glob.alternatives) {
      const bucket = byPrefix.get(prefix);
      if (!bucket) byPrefix.set(prefix, [e]);
      else if (bucket[bucket.length - 1] !== e) bucket.push(e);
    }
  });
  const found = new Map<number, Array<{ e: number; f: number; witness: string }>>();
  const tried = new Set<number>();
  const witnesses = new Map<string, string | null>();
  entries.forEach((entry, e) => {
    for (const { prefix } of entry.glob.alternatives) {
      for (const ancestor of ancestors(prefix)) {
        for (const f of byPrefix.get(ancestor) ?? []) {
          const other = entries[f]!;
          // Shared never conflicts with shared: two agents may share a path.
          if (other.agent === entry.agent || (other.held.kind === 'shared' && entry.held.kind === 'shared')) continue;
          const [lo, hi] = e < f ? [e, f] : [f, e];
          const key = lo * entries.length + hi;
          if (tried.has(key)) continue;
          tried.add(key);
          const [x, y] = [entries[lo]!, entries[hi]!];
          const cacheKey = `${x.held.pattern}\0${y.held.pattern}`;
          let witness = witnesses.get(cacheKey);
          if (witness === undefined) witnesses.set(cacheKey, (witness = overlap.witness(x.glob, y.glob)));
          if (witness === null) continue;
          const pair = Math.min(x.agent, y.agent) * agents.length + Math.max(x.agent, y.agent);
          const list = found.get(pair);
          const hit = x.agent < y.agent ? { e: lo, f: hi, witness } : { e: hi, f: lo, witness };
          if (list) list.push(hit);
          else found.set(pair, [hit]);
        }
      }
    }
  });
  const graph: AfterGraph = new Map(Object.entries(policy.manifest.agents).map(([name, spec]) => [name, spec.after]));
  const before = new Map<string, Set<string>>();
  const comesAfter = (later: string, earlier: string) => {
    let set = before.get(later);
    if (!set) before.set(later, (set = agentsBefore(graph, later)));
    return set.has(earlier);
  };
  const reports: PairReport[] = [];
  // Without the clear pairs, only the overlapping ones are visited: n agents make n²/2 pairs.
  const pairs = withClear
    ? agents.flatMap((_, i) => agents.slice(i + 1).map((__, k) => i * agents.length + i + 1 + k))
    : [...found.keys()].sort((p, q) => p - q);
  for (const key of pairs) {
    const [i, j] = [Math.floor(key / agents.length), key % agents.length];
    const [a, b] = [agents[i]!, agents[j]!];
    const hits = found.get(key);
    if (!hits) {
      reports.push({ a, b, status: 'clear', first: null, overlaps: [] });
      continue;
    }
    hits.sort((p, q) => p.e - q.e || p.f - q.f);
    const overlaps = hits.map(({ e, f, witness }) => ({ a: entries[e]!.held, b: entries[f]!.held, witness }));
    const first = comesAfter(b, a) ? a : comesAfter(a, b) ? b : null;
    reports.push({ a, b, status: first === null ? 'conflict' : 'serialized', first, overlaps });
  }
  return reports;
}

/** A literal directory prefix and each shorter one: "src/db/" gives "", "src/", "src/db/". */
function ancestors(prefix: string): string[] {
  const out = [''];
  for (let slash = prefix.indexOf('/'); slash !== -1; slash = prefix.indexOf('/', slash + 1)) out.push(prefix.slice(0, slash + 1));
  return out;
}
