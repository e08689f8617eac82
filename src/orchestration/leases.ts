/**
 * Lease operations on the ledger: each one reads, decides with src/core/leases.ts and writes with
 * a compare-and-swap (LeaseLedger.update), so every grant, wait, release and renewal is one
 * version in the audit trail.
 */
import { dequeue, enqueue, grant, release, renew, TICKET_LIFE_MS, type Blocker, type Lease, type LeaseContext, type LeaseRefusal, type LeaseRequest } from '../core/leases.js';
import { durationSeconds } from '../core/duration.js';
import { SwarmError } from '../errors.js';
import { hookMessages } from '../messages/hook.js';
import { ledgerMessages as m } from '../messages/ledger.js';
import { LeaseLedger, type LedgerStep } from './ledger.js';
import { integrationPolicy, type Workspace } from './workspace.js';

export interface LeaseScope {
  ledger: LeaseLedger;
  ctx: LeaseContext;
}

/** The ledger and the rules of this workspace (the integration tip's manifest and settings). */
export async function openLeases(ws: Workspace, who: string): Promise<LeaseScope> {
  const loaded = await integrationPolicy(ws);
  if (!loaded.policy) throw new SwarmError('manifest', hookMessages.noManifest(ws.settings.manifest), { file: ws.settings.manifest });
  const { GlobOverlap } = await import('./heavy.js');
  const overlap = new GlobOverlap();
  const ledger = await LeaseLedger.open(ws.paths, ws.settings.coordination.remote, who);
  const ctx: LeaseContext = {
    manifest: loaded.policy.manifest,
    maxClaimsPerAgent: ws.settings.limits.maxClaimsPerAgent,
    maxTtl: durationSeconds(ws.settings.leases.maxTtl) * 1000,
    landed: new Set(),
    overlap: (a, b) => overlap.witness(a, b),
  };
  return { ledger, ctx };
}

export type ClaimOutcome =
  | { status: 'granted'; leases: Lease[]; now: number; waitedMs: number }
  | { status: 'refused'; refusal: LeaseRefusal; now: number; waited: boolean; interrupted?: boolean };

type Ask = Omit<LeaseRequest, 'now'>;

/** One attempt: grants every pattern or none. */
export async function claimOnce({ ledger, ctx }: LeaseScope, ask: Ask): Promise<ClaimOutcome> {
  return ledger.update<ClaimOutcome>((state, now) => {
    const result = grant(state.document, { ...ask, now }, ctx);
    if (!result.ok) return { done: { status: 'refused', refusal: result.refusal, now, waited: false } as ClaimOutcome };
    return { write: result.document, message: m.logClaim(ask.agent, result.granted), result: { status: 'granted', leases: result.granted, now, waitedMs: 0 } };
  });
}

export interface WaitHooks {
  /** Told once, when the request joins the queue, with what it waits for. */
  onQueued: (ticket: number, blockers: readonly Blocker[], now: number) => void;
  /** How often the ledger is read again while waiting. */
  pollMs: number;
}

/**
 * Waits in the ledger's FIFO queue until every pattern can be granted at once, or `waitMs` ends.
 * The ticket keeps this request's place: later arrivals for the same paths do not overtake it
 * (grant skips no earlier ticket), and a waiter that dies stops refreshing it, so it lapses and
 * the line moves on. On a timeout or a signal the ticket is withdrawn.
 */
export async function claimWaiting(scope: LeaseScope, ask: Ask, waitMs: number, hooks: WaitHooks): Promise<ClaimOutcome> {
  const { ledger, ctx } = scope;
  const started = Date.now();
  let ticket: number | null = null;
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  type Waiting = { status: 'waiting'; ticket: number | null; blockers: readonly Blocker[]; now: number };
  try {
    for (;;) {
      const held: number | null = ticket;
      const outcome: ClaimOutcome | Waiting = await ledger.update<ClaimOutcome | Waiting>((state, now): LedgerStep<ClaimOutcome | Waiting> => {
        const result = grant(state.document, { ...ask, now }, ctx, held);
        if (result.ok) {
          return { write: result.document, message: m.logClaim(ask.agent, result.granted), result: { status: 'granted', leases: result.granted, now, waitedMs: now - started } as const };
        }
        if (result.refusal.reason !== 'held') return { done: { status: 'refused', refusal: result.refusal, now, waited: false } as const };
        // A manifest claim holds until its agent lands: waiting in line for it would only hold back
        // everyone behind. And a ticket that vanished before its time was removed by a lead.
        const hopeless = result.refusal.blockers.some((b) => b.kind === 'claim');
        const removed = held !== null && !state.document.queue.some((t) => t.ticket === held);
        if (hopeless || removed) {
          const refused = { status: 'refused', refusal: result.refusal, now, waited: !hopeless } as const;
          return held === null || removed ? { done: refused } : { write: dequeue(state.document, held, now), message: m.logDequeue(ask.agent, held), result: refused };
        }
        if (stop || now - started >= waitMs) {
          const refused = { status: 'refused', refusal: result.refusal, now, waited: true, interrupted: stop } as const;
          return held === null ? { done: refused } : { write: dequeue(state.document, held, now), message: m.logDequeue(ask.agent, held), result: refused };
        }
        const waiting = { status: 'waiting', blockers: result.refusal.blockers, now } as const;
        // Refreshed when a third of its life is gone: a live waiter never lets it lapse.
        const mine = held === null ? undefined : state.document.queue.find((t) => t.ticket === held && t.expires > now);
        if (mine && mine.expires - now > (TICKET_LIFE_MS * 2) / 3) return { done: { ...waiting, ticket: held } };
        const joined = enqueue(state.document, { ...ask, now }, mine ? held : null);
        return { write: joined.document, message: m.logEnqueue(ask.agent, joined.ticket, ask.patterns), result: { ...waiting, ticket: joined.ticket } };
      });
      if (outcome.status !== 'waiting') return outcome;
      if (ticket === null && outcome.ticket !== null) hooks.onQueued(outcome.ticket, outcome.blockers, outcome.now);
      ticket = outcome.ticket;
      await new Promise((resolve) => setTimeout(resolve, hooks.pollMs * (0.5 + Math.random())));
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Ends the agent's leases on `patterns` (null: all, with its place in any queue). */
export async function releaseLeases({ ledger }: LeaseScope, agent: string, patterns: readonly string[] | null): Promise<Lease[]> {
  return ledger.update<Lease[]>((state, now) => {
    const live = state.document.leases.filter((l) => l.agent === agent && l.expires > now);
    const unknown = patterns?.find((p) => !live.some((l) => l.pattern === p));
    if (unknown !== undefined) throw new SwarmError('usage', m.notHeld(agent, unknown, live.map((l) => l.pattern)), { argument: unknown });
    const { document, released } = release(state.document, agent, patterns, now);
    if (released.length === 0 && document.queue.length === state.document.queue.length) return { done: released };
    return { write: document, message: m.logRelease(agent, released), result: released };
  });
}

/** A lead ends another agent's leases and queue places, recorded under the lead's name. */
export async function forceRelease({ ledger }: LeaseScope, lead: string, agent: string): Promise<Lease[]> {
  return ledger.update<Lease[]>((state, now) => {
    const { document, released } = release(state.document, agent, null, now);
    return { write: document, message: m.logForce(lead, agent, released), result: released };
  });
}

/** Extends every live lease of the agent; none lapsed is revived (another may hold it by now), none somebody waits for is extended. */
export async function renewLeases({ ledger, ctx }: LeaseScope, agent: string, ttl: number): Promise<{ renewed: Lease[]; awaited: Lease[] }> {
  if (ttl > ctx.maxTtl) throw new SwarmError('refused', m.refused(agent, [], { reason: 'ttl-too-long', ttl, maxTtl: ctx.maxTtl }, Date.now(), false));
  return ledger.update<{ renewed: Lease[]; awaited: Lease[] }>((state, now) => {
    const { document, renewed, awaited } = renew(state.document, agent, ttl, now, ctx.overlap);
    if (renewed.length === 0) return { done: { renewed, awaited } };
    return { write: document, message: m.logRenew(agent, renewed), result: { renewed, awaited } };
  });
}
