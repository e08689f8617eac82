import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agentsAfter, findAfterCycle, type AfterGraph } from '../../src/core/agentOrder.js';

const graph = (obj: Record<string, string[]>): AfterGraph => new Map(Object.entries(obj));
const sorted = (s: Set<string>) => [...s].sort();

describe('findAfterCycle', () => {
  it('returns null for an empty graph, a single agent and agents without after', () => {
    expect(findAfterCycle(graph({}))).toBeNull();
    expect(findAfterCycle(graph({ a: [] }))).toBeNull();
    expect(findAfterCycle(graph({ a: [], b: [], c: [] }))).toBeNull();
  });

  it('returns null for chains, diamonds and forests', () => {
    expect(findAfterCycle(graph({ a: [], b: ['a'], c: ['b'], d: ['c'] }))).toBeNull();
    expect(findAfterCycle(graph({ top: [], l: ['top'], r: ['top'], bottom: ['l', 'r'] }))).toBeNull();
    expect(findAfterCycle(graph({ x: [], y: ['x'], p: [], q: ['p'], z: ['x', 'p'] }))).toBeNull();
  });

  it('finds a two-agent cycle as a closed walk', () => {
    expect(findAfterCycle(graph({ a: ['b'], b: ['a'] }))).toEqual(['a', 'b', 'a']);
  });

  it('finds a longer cycle, starting from the first agent in manifest order', () => {
    expect(findAfterCycle(graph({ a: ['b'], b: ['c'], c: ['a'] }))).toEqual(['a', 'b', 'c', 'a']);
    expect(findAfterCycle(graph({ c: ['a'], a: ['b'], b: ['c'] }))).toEqual(['c', 'a', 'b', 'c']);
  });

  it('reports only the cycle, not the path leading into it', () => {
    expect(findAfterCycle(graph({ entry: ['x'], x: ['y'], y: ['z'], z: ['x'] }))).toEqual(['x', 'y', 'z', 'x']);
  });

  it('finds a self-loop', () => {
    expect(findAfterCycle(graph({ a: ['a'] }))).toEqual(['a', 'a']);
  });

  it('ignores dependencies on unknown agents', () => {
    expect(findAfterCycle(graph({ a: ['ghost'], b: ['a', 'nobody'] }))).toBeNull();
    expect(findAfterCycle(graph({ a: ['ghost', 'b'], b: ['a'] }))).toEqual(['a', 'b', 'a']);
  });

  it('is deterministic: the first cycle in manifest order', () => {
    const g = graph({ p: ['q'], q: ['p'], r: ['s'], s: ['r'] });
    expect(findAfterCycle(g)).toEqual(['p', 'q', 'p']);
    expect(findAfterCycle(graph({ r: ['s'], s: ['r'], p: ['q'], q: ['p'] }))).toEqual(['r', 's', 'r']);
  });

  it('every returned walk is a real closed walk of the graph (property)', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const arb = fc.dictionary(fc.constantFrom(...names), fc.uniqueArray(fc.constantFrom(...names, 'ghost'), { maxLength: 4 }));
    fc.assert(
      fc.property(arb, (obj) => {
        const g = graph(obj);
        const cycle = findAfterCycle(g);
        if (cycle === null) {
          // acyclic: a topological order exists (Kahn's algorithm over known agents)
          const remaining = new Map([...g].map(([n, deps]) => [n, deps.filter((d) => g.has(d))]));
          let progress = true;
          while (progress) {
            progress = false;
            for (const [n, deps] of remaining) {
              if (deps.every((d) => !remaining.has(d))) {
                remaining.delete(n);
                progress = true;
              }
            }
          }
          expect(remaining.size).toBe(0);
        } else {
          expect(cycle.length).toBeGreaterThanOrEqual(2);
          expect(cycle[0]).toBe(cycle[cycle.length - 1]);
          for (let i = 0; i + 1 < cycle.length; i++) expect(g.get(cycle[i]!)).toContain(cycle[i + 1]);
          // no agent repeats inside the walk
          expect(new Set(cycle.slice(0, -1)).size).toBe(cycle.length - 1);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('agentsAfter', () => {
  it('is empty when nobody comes after the agent', () => {
    expect(sorted(agentsAfter(graph({ a: [], b: [] }), 'a'))).toEqual([]);
    expect(sorted(agentsAfter(graph({ a: ['b'], b: [] }), 'a'))).toEqual([]);
  });

  it('contains direct followers', () => {
    expect(sorted(agentsAfter(graph({ alice: [], bob: ['alice'], carol: [] }), 'alice'))).toEqual(['bob']);
  });

  it('is transitive', () => {
    const g = graph({ a: [], b: ['a'], c: ['b'], d: ['c'], x: [] });
    expect(sorted(agentsAfter(g, 'a'))).toEqual(['b', 'c', 'd']);
    expect(sorted(agentsAfter(g, 'b'))).toEqual(['c', 'd']);
    expect(sorted(agentsAfter(g, 'd'))).toEqual([]);
    expect(sorted(agentsAfter(g, 'x'))).toEqual([]);
  });

  it('is transitive regardless of manifest order', () => {
    const g = graph({ d: ['c'], c: ['b'], b: ['a'], a: [] });
    expect(sorted(agentsAfter(g, 'a'))).toEqual(['b', 'c', 'd']);
  });

  it('follows every branch of a diamond and does not include the agent itself', () => {
    const g = graph({ top: [], l: ['top'], r: ['top'], bottom: ['l', 'r'] });
    expect(sorted(agentsAfter(g, 'top'))).toEqual(['bottom', 'l', 'r']);
    expect(sorted(agentsAfter(g, 'l'))).toEqual(['bottom']);
    expect(agentsAfter(g, 'top').has('top')).toBe(false);
  });

  it('an unknown agent has no followers unless someone names it', () => {
    expect(sorted(agentsAfter(graph({ a: [] }), 'ghost'))).toEqual([]);
    expect(sorted(agentsAfter(graph({ a: ['ghost'] }), 'ghost'))).toEqual(['a']);
  });

  it('terminates on cycles', () => {
    const got = agentsAfter(graph({ a: ['b'], b: ['a'], c: ['b'] }), 'a');
    expect(sorted(got)).toEqual(['a', 'b', 'c']);
  });

  it('matches the reachability over reversed edges (property)', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const arb = fc.dictionary(fc.constantFrom(...names), fc.uniqueArray(fc.constantFrom(...names), { maxLength: 3 }));
    fc.assert(
      fc.property(arb, fc.constantFrom(...names), (obj, agent) => {
        const g = graph(obj);
        // x comes after agent when some x -> ... -> agent path exists along "after" edges
        const reach = new Set<string>();
        const stack = [agent];
        while (stack.length > 0) {
          const cur = stack.pop()!;
          for (const [n, deps] of g) {
            if (deps.includes(cur) && !reach.has(n)) {
              reach.add(n);
              stack.push(n);
            }
          }
        }
        expect(sorted(agentsAfter(g, agent))).toEqual(sorted(reach));
      }),
      { numRuns: 500 },
    );
  });
});
