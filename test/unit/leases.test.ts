import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob } from '../../src/core/glob.js';
import { globOverlap } from '../../src/core/globOverlap.js';
import {
  dequeue,
  EMPTY_LEDGER,
  enqueue,
  grant,
  grantsInHistory,
  liveLeases,
  release,
  renew,
  TICKET_LIFE_MS,
  withLeases,
  type LeaseContext,
  type LeaseDocument,
} from '../../src/core/leases.js';
import type { Manifest } from '../../src/core/model.js';

const manifest: Manifest = {
  version: 1,
  agents: {
    lead: { role: 'lead', claims: [], shared: [], after: [] },
    alice: { role: 'writer', claims: ['src/auth/**'], shared: [], after: [] },
    bob: { role: 'writer', claims: ['src/db/**'], shared: [], after: ['alice'] },
    dave: { role: 'writer', claims: [], shared: [], after: [] },
    rita: { role: 'reader', claims: [], shared: [], after: [] },
  },
};

const ctx: LeaseContext = { manifest, maxClaimsPerAgent: 4, maxTtl: 3_600_000, landed: new Set(), overlap: globOverlap };
const ask = (agent: string, patterns: string[], now = 1000, shared = false, ttl = 60_000) => ({ agent, patterns, shared, ttl, now });

function granted(doc: LeaseDocument, request: ReturnType<typeof ask>, ticket: number | null = null): LeaseDocument {
  const r = grant(doc, request, ctx, ticket);
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.refusal)}`);
  return r.document;
}

describe('grant', () => {
  it('grants every pattern or none, each with the next fencing token', () => {
    const doc = granted(EMPTY_LEDGER, ask('dave', ['docs/**', 'README.md']));
    expect(doc.leases.map((l) => [l.pattern, l.token])).toEqual([['docs/**', 1], ['README.md', 2]]);
    const refused = grant(doc, ask('alice', ['notes/**', 'docs/x']), ctx);
    expect(refused.ok).toBe(false);
    if (!refused.ok && refused.refusal.reason === 'held') {
      expect(refused.refusal.blockers).toEqual([{ pattern: 'docs/x', holder: 'dave', kind: 'lease', held: 'docs/**', witness: 'docs/x', expires: 61_000, token: 1 }]);
    }
  });

  it("extends a pattern the agent already holds under its token; a lapsed one's path goes to the next with a larger token", () => {
    const doc = granted(EMPTY_LEDGER, ask('dave', ['docs/**'], 1000));
    const again = granted(doc, ask('dave', ['docs/**'], 2000, false, 120_000));
    expect(again.leases).toEqual([{ ...doc.leases[0], expires: 122_000 }]);
    const later = granted(again, ask('alice', ['docs/a.md'], 200_000));
    expect(later.leases.map((l) => [l.agent, l.token])).toEqual([['alice', 2]]);
  });

  it("respects unlanded exclusive manifest claims, except those of agents ordered after the claimant", () => {
    expect(grant(EMPTY_LEDGER, ask('dave', ['src/**']), ctx).ok).toBe(false);
    expect(grant(EMPTY_LEDGER, ask('alice', ['src/db/x']), ctx).ok).toBe(true);
    expect(grant(EMPTY_LEDGER, ask('bob', ['src/auth/x']), ctx).ok).toBe(false);
    expect(grant(EMPTY_LEDGER, ask('dave', ['src/auth/x']), { ...ctx, landed: new Set(['alice']) }).ok).toBe(true);
  });

  it('lets shared leases overlap each other, never an exclusive one', () => {
    const doc = granted(EMPTY_LEDGER, ask('dave', ['CHANGELOG.md'], 1000, true));
    const both = granted(doc, ask('alice', ['CHANGELOG.md'], 1000, true));
    expect(grant(both, ask('bob', ['CHANGELOG.md']), ctx).ok).toBe(false);
    const exclusive = granted(EMPTY_LEDGER, ask('dave', ['CHANGELOG.md']));
    expect(grant(exclusive, ask('alice', ['CHANGELOG.md'], 1000, true), ctx).ok).toBe(false);
  });

  it('refuses readers, unknown agents, TTLs over the maximum and too many claims', () => {
    const reason = (r: ReturnType<typeof grant>) => (r.ok ? 'ok' : r.refusal.reason);
    expect(reason(grant(EMPTY_LEDGER, ask('rita', ['x']), ctx))).toBe('reader');
    expect(reason(grant(EMPTY_LEDGER, ask('zed', ['x']), ctx))).toBe('unknown-agent');
    expect(reason(grant(EMPTY_LEDGER, ask('dave', ['x'], 0, false, 3_600_001), ctx))).toBe('ttl-too-long');
    expect(reason(grant(EMPTY_LEDGER, ask('alice', ['a', 'b', 'c', 'd']), ctx))).toBe('too-many-claims');
    expect(reason(grant(EMPTY_LEDGER, ask('alice', ['a', 'b', 'c']), ctx))).toBe('ok');
  });
});

describe('the wait queue', () => {
  it('serves waiters in order: a newcomer cannot overtake an earlier ticket for the same paths', () => {
    const held = granted(EMPTY_LEDGER, ask('dave', ['docs/**']));
    const { document: queued, ticket } = enqueue(held, ask('alice', ['docs/a/**'], 2000), null);
    expect(ticket).toBe(1);
    const freed = release(queued, 'dave', null, 3000).document;
    const newcomer = grant(freed, ask('bob', ['docs/a/x.md'], 3000), ctx);
    expect(newcomer.ok).toBe(false);
    if (!newcomer.ok && newcomer.refusal.reason === 'held') expect(newcomer.refusal.blockers[0]).toMatchObject({ holder: 'alice', kind: 'waiting' });
    // Disjoint paths are not held back by the queue.
    expect(grant(freed, ask('bob', ['notes/x.md'], 3000), ctx).ok).toBe(true);
    const served = granted(freed, ask('alice', ['docs/a/**'], 3000), ticket);
    expect(served.queue).toEqual([]);
    expect(served.leases.map((l) => l.agent)).toEqual(['alice']);
  });

  it('drops a ticket that is not refreshed in time, and one that gives up', () => {
    const { document, ticket } = enqueue(EMPTY_LEDGER, ask('alice', ['docs/**'], 0), null);
    const refreshed = enqueue(document, ask('alice', ['docs/**'], TICKET_LIFE_MS - 1), ticket).document;
    expect(refreshed.queue[0]!.expires).toBe(2 * TICKET_LIFE_MS - 1);
    expect(grant(document, ask('bob', ['docs/x'], TICKET_LIFE_MS), ctx).ok).toBe(true);
    expect(dequeue(document, ticket, 1).queue).toEqual([]);
  });
});

describe('release and renew', () => {
  it('ends leases by pattern or all, and extends only live leases, never shortening one', () => {
    const doc = granted(EMPTY_LEDGER, ask('dave', ['a', 'b'], 1000, false, 10_000));
    expect(release(doc, 'dave', ['a'], 2000).document.leases.map((l) => l.pattern)).toEqual(['b']);
    expect(release(doc, 'dave', null, 2000).released).toHaveLength(2);
    expect(renew(doc, 'dave', 60_000, 5000).renewed.map((l) => l.expires)).toEqual([65_000, 65_000]);
    expect(renew(doc, 'dave', 1000, 5000).renewed.map((l) => l.expires)).toEqual([11_000, 11_000]);
    expect(renew(doc, 'dave', 60_000, 20_000).renewed).toEqual([]);
  });
});

it('renew leaves alone a lease another agent is waiting for', () => {
  const doc = granted(EMPTY_LEDGER, ask('dave', ['docs/**', 'notes/**'], 1000, false, 10_000));
  const waiting = enqueue(doc, ask('alice', ['docs/a.md'], 2000), null).document;
  const { renewed, awaited } = renew(waiting, 'dave', 60_000, 3000, globOverlap);
  expect(renewed.map((l) => l.pattern)).toEqual(['notes/**']);
  expect(awaited.map((l) => [l.pattern, l.expires])).toEqual([['docs/**', 11_000]]);
});

describe('grantsInHistory', () => {
  it('keeps each token once, and leaves out a token the history gives to two holders', () => {
    const lease = { token: 1, agent: 'dave', pattern: 'docs/**', shared: false, granted: 0, expires: 10 };
    const doc = (leases: LeaseDocument['leases']): LeaseDocument => ({ ...EMPTY_LEDGER, nextToken: 9, leases });
    expect([...grantsInHistory([doc([lease]), doc([{ ...lease, expires: 20 }])]).values()]).toEqual([{ ...lease, expires: 20 }]);
    expect(grantsInHistory([doc([lease]), doc([{ ...lease, agent: 'alice' }])]).size).toBe(0);
  });
});

it('withLeases adds each lease to its holder as a claim or a shared path', () => {
  const leases = [
    { token: 1, agent: 'dave', pattern: 'docs/**', shared: false, granted: 0, expires: 10 },
    { token: 2, agent: 'dave', pattern: 'LOG', shared: true, granted: 0, expires: 10 },
  ];
  const out = withLeases(manifest, leases);
  expect(out.agents.dave).toMatchObject({ claims: ['docs/**'], shared: ['LOG'] });
  expect(manifest.agents.dave!.claims).toEqual([]);
});

describe('invariants under any sequence of operations (property)', () => {
  const agents = ['alice', 'bob', 'dave', 'lead'];
  const patterns = ['docs/**', 'docs/a/*', 'docs/a/b.md', 'notes/**', '*.md', 'CHANGELOG.md', 'src/{x,y}/**'];
  const op = fc.record({
    kind: fc.constantFrom('grant', 'release', 'renew', 'enqueue'),
    agent: fc.constantFrom(...agents),
    patterns: fc.uniqueArray(fc.constantFrom(...patterns), { minLength: 1, maxLength: 3 }),
    shared: fc.boolean(),
    advance: fc.integer({ min: 0, max: 40_000 }),
  });

  it('never two live leases of different agents on a common path unless both are shared; tokens unique and increasing', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let doc = EMPTY_LEDGER;
        let now = 0;
        const seen = new Set<number>();
        for (const o of ops) {
          now += o.advance;
          const request = { agent: o.agent, patterns: o.patterns, shared: o.shared, ttl: 30_000, now };
          if (o.kind === 'grant') {
            const r = grant(doc, request, ctx);
            if (r.ok) doc = r.document;
          } else if (o.kind === 'release') doc = release(doc, o.agent, null, now).document;
          else if (o.kind === 'renew') doc = renew(doc, o.agent, 30_000, now).document;
          else doc = enqueue(doc, request, null).document;
          const live = liveLeases(doc, now);
          for (const a of live) {
            expect(a.token).toBeLessThan(doc.nextToken);
            for (const b of live) {
              if (a === b || a.agent === b.agent || (a.shared && b.shared)) continue;
              expect(globOverlap(compileGlob(a.pattern), compileGlob(b.pattern))).toBeNull();
            }
          }
          for (const l of doc.leases) seen.add(l.token);
          expect(new Set(doc.leases.map((l) => l.token)).size).toBe(doc.leases.length);
        }
        expect(Math.max(0, ...seen)).toBeLessThan(doc.nextToken);
      }),
      { numRuns: 150 },
    );
  });
});
