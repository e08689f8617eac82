import { findAfterCycle } from './agentOrder.js';
import { closest } from './didYouMean.js';
import type { Manifest } from './model.js';

export type ClaimList = 'claims' | 'shared';

/** A broken rule across agents, as data (src/messages/validation.ts words it), at its JSON path. */
export type Problem = { path: PropertyKey[] } & (
  | { code: 'after-self'; data: { agent: string } }
  /** `hint` is the closest known name, if any is close. */
  | { code: 'unknown-agent'; data: { agent: string; hint: string | null; known: string[] } }
  | { code: 'reader-holds'; data: { agent: string; list: ClaimList } }
  /** `first` locates the earlier occurrence within the same agent. */
  | { code: 'duplicate-claim'; data: { glob: string; first: { list: ClaimList; index: number } } }
  /** `first` is the index of the earlier occurrence in the same `after`. */
  | { code: 'duplicate-after'; data: { agent: string; first: number } }
  /** From an agent back to itself, e.g. ["a", "b", "a"]. */
  | { code: 'after-cycle'; data: { cycle: string[] } }
  /** `first` is the agent listed earlier with the same key. */
  | { code: 'shared-signing-key'; data: { agent: string; first: string } }
);

/** Rules a well-formed manifest must also satisfy; each problem names its JSON path. */
export function manifestProblems(manifest: Manifest): Problem[] {
  const problems: Problem[] = [];
  const names = Object.keys(manifest.agents);
  for (const [name, agent] of Object.entries(manifest.agents)) {
    const listed = new Map<string, number>();
    agent.after.forEach((dep, i) => {
      const path = ['agents', name, 'after', i];
      const first = listed.get(dep);
      if (first !== undefined) problems.push({ path, code: 'duplicate-after', data: { agent: dep, first } });
      else listed.set(dep, i);
      if (dep === name) problems.push({ path, code: 'after-self', data: { agent: name } });
      // Own keys only: "toString" or "constructor" is no agent of an empty manifest.
      else if (!Object.hasOwn(manifest.agents, dep)) problems.push({ path, code: 'unknown-agent', data: { agent: dep, hint: closest(dep, names), known: names } });
    });
    if (agent.role === 'reader') {
      for (const list of ['claims', 'shared'] as const) {
        if (agent[list].length > 0) problems.push({ path: ['agents', name, list], code: 'reader-holds', data: { agent: name, list } });
      }
    }
    const seen = new Map<string, { list: ClaimList; index: number }>();
    for (const list of ['claims', 'shared'] as const) {
      agent[list].forEach((glob, index) => {
        const first = seen.get(glob);
        if (first) problems.push({ path: ['agents', name, list, index], code: 'duplicate-claim', data: { glob, first } });
        else seen.set(glob, { list, index });
      });
    }
  }
  // A key is its type and data; the comment is free text and says nothing about who holds it.
  const keyHolders = new Map<string, string>();
  for (const [name, agent] of Object.entries(manifest.agents)) {
    if (agent.signingKey === undefined) continue;
    const key = agent.signingKey.split(' ').slice(0, 2).join(' ');
    const first = keyHolders.get(key);
    if (first) problems.push({ path: ['agents', name, 'signingKey'], code: 'shared-signing-key', data: { agent: name, first } });
    else keyHolders.set(key, name);
  }
  const graph = new Map(Object.entries(manifest.agents).map(([n, a]) => [n, a.after.filter((d) => d !== n)]));
  const cycle = findAfterCycle(graph);
  if (cycle) problems.push({ path: ['agents', cycle[0]!, 'after'], code: 'after-cycle', data: { cycle } });
  return problems;
}
