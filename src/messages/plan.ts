/** The sentences of `git swarm plan` in every format. */
import type { HeldGlob } from '../core/conflicts.js';
import { plural, showPath } from './common.js';

const held = (g: HeldGlob) => (g.kind === 'shared' ? `${showPath(g.pattern)} (shared)` : showPath(g.pattern));

export const planMessages = {
  title: (source: string, writers: number, conflicts: number, serialized: number) =>
    `git-swarm plan: ${source}: ${plural(writers, 'writer')}, ${plural(conflicts, 'conflicting pair')}, ${plural(serialized, 'serialized pair')}`,
  legend: 'cells: overlapping glob pairs; N conflict, (N) serialized by after, · clear',
  matrixOmitted: (writers: number, limit: number) => `(matrix left out: ${writers} writers, more than ${limit}; --format json lists every pair)`,
  conflictsTitle: 'conflicts (each would refuse the other\'s commits; add after, or split the globs):',
  conflict: (a: string, b: string, ga: HeldGlob, gb: HeldGlob, witness: string) => `${a} × ${b}: ${held(ga)} vs ${held(gb)} e.g. ${showPath(witness)}`,
  serializedTitle: 'serialized (overlapping, but one comes after the other):',
  serialized: (first: string, then: string, gFirst: HeldGlob, gThen: HeldGlob, witness: string) =>
    `${then} after ${first}: ${held(gThen)} vs ${held(gFirst)} e.g. ${showPath(witness)}`,
  unmatchedTitle: 'globs that match no tracked file (a typo, or paths still to be created):',
  unmatched: (agent: string, g: HeldGlob) => `${agent}: ${held(g)}`,
  noClaims: (agents: readonly string[]) => `writers with no claims (they can commit only shared paths): ${agents.join(', ')}`,
  unmergedTitle: 'shared paths no merge driver covers (git merges them line by line; concurrent edits conflict):',
  unmerged: (pattern: string, agents: readonly string[], paths: readonly string[], representative: boolean) =>
    `${showPath(pattern)} (${agents.join(', ')}): ${representative ? 'no tracked file yet; e.g. ' : ''}${paths.map(showPath).join(', ')}`,
  clean: 'no conflicts',
  withLeases: (source: string, leases: number) => `${source} with ${plural(leases, 'live lease')} (refs/swarm/leases)`,
  unknownRevision: (rev: string) => `--rev: unknown revision ${JSON.stringify(rev)}`,
  markdownTitle: (source: string, conflicts: number, serialized: number) =>
    `### git-swarm plan: ${plural(conflicts, 'conflicting pair')}, ${plural(serialized, 'serialized pair')} (\`${source}\`)`,
  markdownHeader: ['agent', 'other', 'status', 'globs', 'e.g.'] as const,
  status: { conflict: 'conflict', serialized: 'serialized', clear: 'clear' } as const,
  markdownUnmatched: '**Globs that match no tracked file**',
  markdownNoClaims: '**Writers with no claims**',
  markdownUnmerged: '**Shared paths no merge driver covers**',
} as const;
