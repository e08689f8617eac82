import { describe, expect, it } from 'vitest';
import { planLanding } from '../../src/core/landing.js';
import type { AgentSpec, Manifest } from '../../src/core/model.js';

const agent = (extra: Partial<AgentSpec> = {}): AgentSpec => ({ role: 'writer', claims: [], shared: [], after: [], ...extra });
const manifest: Manifest = {
  version: 1,
  agents: {
    lead: agent({ role: 'lead' }),
    a: agent(),
    b: agent({ after: ['a'] }),
    c: agent({ after: ['b'] }),
    g1: agent({ group: 'g' }),
    g2: agent({ group: 'g', after: ['a'] }),
    x: agent({ after: ['g1'] }),
  },
};
const plan = (ready: string[], asked: string[] | null, landed: string[] = [], group?: string) =>
  planLanding({ manifest, ready: new Set(ready), landed: new Set(landed), asked, group });

describe('planLanding', () => {
  it('orders by after, ties in manifest order, whatever order they were asked in', () => {
    expect(plan(['a', 'b', 'c'], ['c', 'b', 'a']).units.map((u) => u.name)).toEqual(['a', 'b', 'c']);
  });

  it('refuses an agent whose dependencies neither landed nor land before it, and what waits for it', () => {
    const p = plan(['b', 'c'], ['b', 'c']);
    expect(p.units).toEqual([]);
    expect(p.refused).toEqual([
      { agent: 'b', reason: 'waits-for', missing: ['a'] },
      { agent: 'c', reason: 'waits-for', missing: ['b'] },
    ]);
    expect(plan(['b'], ['b'], ['a']).units.map((u) => u.name)).toEqual(['b']);
  });

  it('lands a group as one unit, pulling in its members, or refuses all of it', () => {
    expect(plan(['a', 'g1', 'g2'], ['g1']).units).toEqual([]);
    const whole = plan(['a', 'g1', 'g2'], ['a', 'g1']);
    expect(whole.units).toEqual([
      { name: 'a', group: false, agents: ['a'] },
      { name: 'g', group: true, agents: ['g1', 'g2'] },
    ]);
    const missing = plan(['g1'], ['g1']);
    expect(missing.refused).toEqual(expect.arrayContaining([{ agent: 'g1', reason: 'group-incomplete', missing: ['g2'], group: 'g' }, { agent: 'g2', reason: 'not-ready', missing: [] }]));
  });

  it('with --group, only that group; with nothing asked, every ready agent; unknown names are refused', () => {
    expect(plan(['a', 'g1', 'g2', 'x'], null, [], 'g').units).toEqual([]);
    expect(plan(['g1', 'g2', 'x'], null, ['a'], 'g').units.map((u) => u.name)).toEqual(['g']);
    expect(plan(['a', 'g1', 'g2', 'x'], null).units.map((u) => u.name)).toEqual(['a', 'g', 'x']);
    expect(plan([], ['nobody']).refused).toEqual([{ agent: 'nobody', reason: 'unknown-agent', missing: [] }]);
  });

  it('stops at limits.maxLandingBatch, leaving the rest (and what comes after it) for the next run', () => {
    const p = planLanding({ manifest, ready: new Set(['a', 'b', 'c', 'g1', 'g2']), landed: new Set(), asked: null, maxBatch: 2 });
    expect(p.units.map((u) => u.name)).toEqual(['a', 'b']);
    expect(p.refused.filter((r) => r.reason === 'batch-limit').map((r) => r.agent).sort()).toEqual(['c', 'g1', 'g2']);
  });
});
