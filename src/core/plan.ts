/**
 * `git swarm plan`: the conflict matrix (conflicts.ts) plus what the tracked files say about the
 * manifest: claims over nothing, writers without claims, shared paths git would merge line by line.
 */
import { conflicts, liveWriters, type HeldGlob, type PairReport } from './conflicts.js';
import { GlobIndex } from './globIndex.js';
import { GlobOverlap } from './globOverlap.js';
import type { CompiledPolicy } from './policy.js';

/** A glob of an agent that matches no tracked file: a typo, or a path still to be created. */
export interface UnmatchedGlob extends HeldGlob {
  agent: string;
}

/** A shared glob whose paths no merge driver covers: concurrent edits by its sharers conflict in git. */
export interface UnmergedShared {
  pattern: string;
  agents: string[];
  /** The paths asked about that have no merge driver (at most SAMPLE). */
  paths: string[];
  /** True when the glob matches no tracked file, so a path it would match was asked about instead. */
  representative: boolean;
}

export interface Plan {
  /** The live writers (writers and leads not landed), the matrix's rows and columns. */
  agents: string[];
  pairs: PairReport[];
  unmatched: UnmatchedGlob[];
  /** Writers (role writer) with no exclusive claim. */
  noClaims: string[];
  unmergedShared: UnmergedShared[];
}

/** The paths each shared glob stands for, to ask git their `merge` attribute: its tracked files, or one path it matches. */
export type SharedProbes = Map<string, { paths: string[]; representative: boolean }>;

/** What every `merge` value but a named driver means: git's own line merge (text), or no merge at all. */
const NO_DRIVER = new Set(['unspecified', 'set', 'unset', 'text', 'binary']);

/** How many uncovered paths a finding lists. */
const SAMPLE = 5;

/** Which of the live writers' globs match tracked files: computed once, read by sharedProbes and makePlan. */
export interface TrackedMatches {
  agents: string[];
  entries: CompiledPolicy['globs'];
  /** Indexes into `entries` of the globs that match some tracked file. */
  matched: ReadonlySet<number>;
  /** The tracked files each shared glob matches, by pattern. */
  sharedFiles: ReadonlyMap<string, string[]>;
}

/** One pass of the tracked files through an index of every live writer's globs. */
export function matchTracked(policy: CompiledPolicy, landed: ReadonlySet<string>, tracked: readonly string[]): TrackedMatches {
  const agents = liveWriters(policy, landed);
  const live = new Set(agents);
  const entries = policy.globs.filter(({ tag }) => tag.agent !== null && tag.kind !== 'always' && live.has(tag.agent));
  const index = new GlobIndex(entries.map(({ glob }, i) => ({ glob, tag: i })));
  const matched = new Set<number>();
  const sharedFiles = new Map<string, string[]>();
  for (const path of tracked) {
    for (const i of index.match(path)) {
      matched.add(i);
      const { tag } = entries[i]!;
      if (tag.kind !== 'shared') continue;
      const files = sharedFiles.get(tag.pattern);
      if (!files) sharedFiles.set(tag.pattern, [path]);
      else if (files[files.length - 1] !== path) files.push(path);
    }
  }
  return { agents, entries, matched, sharedFiles };
}

/**
 * The paths to ask the `merge` attribute of, per shared glob of a live writer: the tracked files it
 * matches, or, when it matches none yet, one path it would match (GlobOverlap.example).
 */
export function sharedProbes({ entries, sharedFiles }: TrackedMatches, overlap = new GlobOverlap()): SharedProbes {
  const probes: SharedProbes = new Map();
  for (const { tag, glob } of entries) {
    if (tag.kind !== 'shared' || probes.has(tag.pattern)) continue;
    const files = sharedFiles.get(tag.pattern);
    if (files) probes.set(tag.pattern, { paths: files, representative: false });
    else probes.set(tag.pattern, { paths: [overlap.example(glob) ?? tag.pattern], representative: true });
  }
  return probes;
}

/**
 * The whole plan. `matches`: matchTracked over the files of the tree the manifest is judged
 * against; `probes` and `mergeAttributes`: the paths sharedProbes chose and git's `merge`
 * attribute for each (a path missing from the map counts as unspecified).
 */
export function makePlan(
  policy: CompiledPolicy,
  landed: ReadonlySet<string>,
  matches: TrackedMatches,
  probes: SharedProbes,
  mergeAttributes: ReadonlyMap<string, string>,
  overlap = new GlobOverlap(),
): Plan {
  const { agents, entries, matched } = matches;
  const unmatched = entries.filter((_, i) => !matched.has(i)).map(({ tag }) => ({ agent: tag.agent!, pattern: tag.pattern, kind: tag.kind as HeldGlob['kind'] }));
  const noClaims = agents.filter((name) => {
    const spec = policy.manifest.agents[name]!;
    return spec.role === 'writer' && spec.claims.length === 0;
  });
  const unmergedShared: UnmergedShared[] = [];
  for (const [pattern, { paths, representative }] of probes) {
    const uncovered = paths.filter((p) => NO_DRIVER.has(mergeAttributes.get(p) ?? 'unspecified'));
    if (uncovered.length === 0) continue;
    const sharers = entries.filter(({ tag }) => tag.kind === 'shared' && tag.pattern === pattern).map(({ tag }) => tag.agent!);
    unmergedShared.push({ pattern, agents: [...new Set(sharers)], paths: uncovered.slice(0, SAMPLE), representative });
  }
  return { agents, pairs: conflicts(policy, landed, overlap), unmatched, noClaims, unmergedShared };
}
