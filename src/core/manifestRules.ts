import { findAfterCycle } from './agentOrder.js';
import { closest } from './didYouMean.js';
import type { Manifest } from './model.js';

export interface Problem {
  path: PropertyKey[];
  message: string;
}

/** Rules a well-formed manifest must also satisfy; each problem names its JSON path. */
export function manifestProblems(manifest: Manifest): Problem[] {
  const problems: Problem[] = [];
  const names = Object.keys(manifest.agents);
  for (const [name, agent] of Object.entries(manifest.agents)) {
    agent.after.forEach((dep, i) => {
      if (dep === name) {
        problems.push({ path: ['agents', name, 'after', i], message: `an agent cannot come after itself` });
      } else if (!(dep in manifest.agents)) {
        const hint = closest(dep, names);
        problems.push({
          path: ['agents', name, 'after', i],
          message: `unknown agent "${dep}"${hint ? ` (did you mean "${hint}"?)` : ''}; agents: ${names.join(', ')}`,
        });
      }
    });
    if (agent.role === 'reader') {
      if (agent.claims.length > 0) problems.push({ path: ['agents', name, 'claims'], message: 'a reader may not hold claims' });
      if (agent.shared.length > 0) problems.push({ path: ['agents', name, 'shared'], message: 'a reader may not hold shared paths' });
    }
    const seen = new Map<string, string>();
    for (const list of ['claims', 'shared'] as const) {
      agent[list].forEach((glob, i) => {
        const first = seen.get(glob);
        if (first) problems.push({ path: ['agents', name, list, i], message: `duplicate claim "${glob}" (already at ${first})` });
        else seen.set(glob, `${list}[${i}]`);
      });
    }
  }
  const graph = new Map(Object.entries(manifest.agents).map(([n, a]) => [n, a.after.filter((d) => d !== n)]));
  const cycle = findAfterCycle(graph);
  if (cycle) problems.push({ path: ['agents', cycle[0]!, 'after'], message: `"after" forms a cycle: ${cycle.join(' → ')}` });
  return problems;
}
