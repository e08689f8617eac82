/** Ordering between agents declared with `after`. Pure graph logic. */
export type AfterGraph = ReadonlyMap<string, readonly string[]>;

/**
 * The first cycle found in `after`, as a closed walk [a, b, ..., a], or null. Deterministic: manifest order.
 * A depth-first search with its own stack: a manifest may chain thousands of agents, deeper than
 * the call stack goes.
 */
export function findAfterCycle(graph: AfterGraph): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  for (const root of graph.keys()) {
    if (state.has(root)) continue;
    // The current path, each node with the index of the next of its `after` to follow.
    const path: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
    state.set(root, 'visiting');
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const targets = graph.get(top.node) ?? [];
      if (top.next === targets.length) {
        path.pop();
        state.set(top.node, 'done');
        continue;
      }
      const next = targets[top.next++]!;
      if (!graph.has(next)) continue;
      const s = state.get(next);
      if (s === 'visiting') {
        const nodes = path.map((p) => p.node);
        return [...nodes.slice(nodes.indexOf(next)), next];
      }
      if (s === undefined) {
        state.set(next, 'visiting');
        path.push({ node: next, next: 0 });
      }
    }
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

/**
 * Every agent that `agent` comes (transitively) after: the closure of its `after` lists. A
 * depth-first walk from the one agent, where agentsAfter scans the whole graph, so that asking it
 * for the few agents of conflicting pairs stays cheap on long chains.
 */
export function agentsBefore(graph: AfterGraph, agent: string): Set<string> {
  const before = new Set<string>();
  const stack = [...(graph.get(agent) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (before.has(next)) continue;
    before.add(next);
    stack.push(...(graph.get(next) ?? []));
  }
  return before;
}
