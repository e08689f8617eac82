import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/core/compilePolicy.js';
import { conflicts } from '../../src/core/conflicts.js';
import { globMatches } from '../../src/core/globIndex.js';
import { globOverlap } from '../../src/core/globOverlap.js';
import type { AgentSpec, Manifest, Settings } from '../../src/core/model.js';
import { makePlan, matchTracked, sharedProbes } from '../../src/core/plan.js';

const SETTINGS = {
  integration: 'main',
  manifest: '.swarm/manifest.json',
  branchPattern: 'swarm/{agent}',
  worktrees: '../{repo}-{agent}',
  unidentified: 'allow',
  identity: 'asserted',
  alwaysAllowed: ['docs/**'],
  leases: { defaultTtl: '2h', maxTtl: '24h' },
  limits: { maxActiveAgents: 100, maxClaimsPerAgent: 100, maxLandingBatch: 10 },
  land: { check: null, checkTimeout: '30m' },
  coordination: { remote: null },
  guardIntegration: true,
} satisfies Settings;

function policyOf(agents: Record<string, Partial<AgentSpec>>) {
  const manifest: Manifest = { version: 1, agents: {} };
  for (const [name, spec] of Object.entries(agents)) manifest.agents[name] = { role: 'writer', claims: [], shared: [], after: [], ...spec };
  return compilePolicy(SETTINGS, manifest);
}

const statusOf = (pairs: ReturnType<typeof conflicts>, a: string, b: string) => pairs.find((p) => p.a === a && p.b === b)?.status;

describe('conflicts', () => {
  it('reports an overlap of exclusive claims with a witness both match and the two patterns', () => {
    const pairs = conflicts(policyOf({ alice: { claims: ['src/**'] }, bob: { claims: ['src/db/**', 'lib/'] } }));
    expect(pairs).toEqual([
      { a: 'alice', b: 'bob', status: 'conflict', first: null, overlaps: [{ a: { pattern: 'src/**', kind: 'claim' }, b: { pattern: 'src/db/**', kind: 'claim' }, witness: 'src/db/a' }] },
    ]);
  });

  it('an exclusive claim against a shared glob conflicts; shared against shared does not', () => {
    const policy = policyOf({ alice: { claims: ['CHANGELOG.md'] }, bob: { shared: ['CHANGELOG.md', 'NOTES.md'] }, carol: { shared: ['NOTES.md', '*.md'] } });
    const pairs = conflicts(policy);
    expect(statusOf(pairs, 'alice', 'bob')).toBe('conflict');
    expect(pairs.find((p) => p.a === 'alice' && p.b === 'bob')!.overlaps[0]!.b).toEqual({ pattern: 'CHANGELOG.md', kind: 'shared' });
    expect(statusOf(pairs, 'bob', 'carol')).toBe('clear');
    // carol's *.md is shared: alice's exclusive CHANGELOG.md refuses it.
    expect(statusOf(pairs, 'alice', 'carol')).toBe('conflict');
  });

  it('pairs ordered by after, directly or transitively, are serialized with who lands first', () => {
    const pairs = conflicts(policyOf({ a: { claims: ['src/**'] }, b: { claims: ['x/**'], after: ['a'] }, c: { claims: ['src/c/**'], after: ['b'] } }));
    expect(pairs.find((p) => p.a === 'a' && p.b === 'c')).toMatchObject({ status: 'serialized', first: 'a' });
    expect(statusOf(pairs, 'a', 'b')).toBe('clear');
  });

  it('leaves out readers and landed agents; a lead is a writer here', () => {
    const policy = policyOf({ lead: { role: 'lead', claims: ['src/**'] }, alice: { claims: ['src/a/**'] }, r: { role: 'reader' }, gone: { claims: ['src/**'] } });
    const pairs = conflicts(policy, new Set(['gone']));
    expect(pairs.map((p) => `${p.a}-${p.b}`)).toEqual(['lead-alice']);
    expect(pairs[0]!.status).toBe('conflict');
  });

  it('alwaysAllowed globs never conflict', () => {
    expect(statusOf(conflicts(policyOf({ alice: { claims: ['docs/**'] }, bob: { claims: ['src/**'] } })), 'alice', 'bob')).toBe('clear');
  });

  const glob = fc.constantFrom('src/**', 'src/db/**', 'src/*.ts', '**/*.md', 'docs', 'src/{a,b}/', 'lib/[ab]*', 'src', '*', 'test/**/x', 'src/db/x.ts', 'README.md', 'src/a/**');
  const manifest = fc.array(fc.record({ claims: fc.uniqueArray(glob, { maxLength: 3 }), shared: fc.uniqueArray(glob, { maxLength: 2 }) }), { minLength: 2, maxLength: 6 });

  it('agrees with testing every glob pair without the prefix index (property)', () => {
    fc.assert(
      fc.property(manifest, (specs) => {
        const agents = Object.fromEntries(specs.map((s, i) => [`ag${i}`, { claims: s.claims, shared: s.shared.filter((g) => !s.claims.includes(g)) }]));
        const policy = policyOf(agents);
        const pairs = conflicts(policy);
        // Without the clear pairs: exactly the others, in the same order.
        expect(conflicts(policy, new Set(), undefined, false)).toEqual(pairs.filter((p) => p.status !== 'clear'));
        for (const p of pairs) {
          const [A, B] = [agents[p.a]!, agents[p.b]!];
          const combos = [
            ...A.claims.flatMap((x) => [...B.claims, ...B.shared].map((y) => [x, y])),
            ...A.shared.flatMap((x) => B.claims.map((y) => [x, y])),
          ];
          const expected = combos.filter(([x, y]) => globOverlap(policy.globs.find((g) => g.tag.pattern === x)!.glob, policy.globs.find((g) => g.tag.pattern === y)!.glob) !== null);
          expect(p.overlaps.length).toBe(expected.length);
          expect(p.status).toBe(expected.length > 0 ? 'conflict' : 'clear');
          for (const o of p.overlaps) {
            expect(globMatches(policy.globs.find((g) => g.tag.pattern === o.a.pattern)!.glob, o.witness)).toBe(true);
            expect(globMatches(policy.globs.find((g) => g.tag.pattern === o.b.pattern)!.glob, o.witness)).toBe(true);
          }
        }
      }),
      { numRuns: 200, seed: 5 },
    );
  });
});

describe('makePlan', () => {
  const policy = policyOf({
    lead: { role: 'lead' },
    alice: { claims: ['src/**', 'old/**'], shared: ['CHANGELOG.md', 'notes/*.txt'] },
    bob: { shared: ['CHANGELOG.md'] },
  });
  const tracked = ['src/a.ts', 'CHANGELOG.md', 'README.md'];

  it('lists globs over no tracked file, writers without claims, and shared paths without a merge driver', () => {
    const matches = matchTracked(policy, new Set(), tracked);
    const probes = sharedProbes(matches);
    expect(probes).toEqual(new Map([['CHANGELOG.md', { paths: ['CHANGELOG.md'], representative: false }], ['notes/*.txt', { paths: ['notes/a.txt'], representative: true }]]));
    const plan = makePlan(policy, new Set(), matches, probes, new Map([['CHANGELOG.md', 'union']]));
    expect(plan.agents).toEqual(['lead', 'alice', 'bob']);
    expect(plan.unmatched).toEqual([
      { agent: 'alice', pattern: 'old/**', kind: 'claim' },
      { agent: 'alice', pattern: 'notes/*.txt', kind: 'shared' },
    ]);
    expect(plan.noClaims).toEqual(['bob']);
    expect(plan.unmergedShared).toEqual([{ pattern: 'notes/*.txt', agents: ['alice'], paths: ['notes/a.txt'], representative: true }]);
  });

  it("git's own merges are no driver: unspecified, set, unset, text, binary", () => {
    const matches = matchTracked(policy, new Set(), tracked);
    const probes = sharedProbes(matches);
    for (const value of ['unspecified', 'set', 'unset', 'text', 'binary']) {
      const plan = makePlan(policy, new Set(), matches, probes, new Map([['CHANGELOG.md', value], ['notes/a.txt', 'union']]));
      expect(plan.unmergedShared.map((u) => u.pattern)).toEqual(['CHANGELOG.md']);
      expect(plan.unmergedShared[0]!.agents).toEqual(['alice', 'bob']);
    }
  });
});
