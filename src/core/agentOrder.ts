/** Ordering between agents declared with `after`. Pure graph logic. */
export type AfterGraph = ReadonlyMap<string, readonly string[]>;

/** The first cycle found in `after`, as a closed walk [a, b, ..., a], or null. Deterministic: manifest order. */
export function findAfterCycle(graph: AfterGraph): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      const s = state.get(next);
      if (s === 'visiting') return [...stack.slice(stack.indexOf(next)), next];
      if (s === undefined) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

/** Every agent that comes (transitively) after `agent`: its claims do not hold `agent` back. */
export function agentsAfter(graph: AfterGraph, agent: string): Set<string> {
  const later = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [name, before] of graph) {
      if (later.has(name)) continue;
      if (before.some((b) => b === agent || later.has(b))) {
        later.add(name);
        grew = true;
      }
    }
  }
  return later;
}
