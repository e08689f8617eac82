/**
 * Leases: run-time claims kept in the ledger (refs/swarm/leases), with a fair wait queue. Pure:
 * every decision is a function of the document read, the manifest and the clock, and returns the
 * next document; src/orchestration/leases.ts writes it with a compare-and-swap and retries when
 * it lost the race. Time is milliseconds since the epoch, passed in.
 */
import { agentsAfter } from './agentOrder.js';
import { compileGlob, type CompiledGlob } from './glob.js';
import { agentSpec, type Manifest } from './model.js';

export interface Lease {
  /** Fencing token: unique, and larger than every token granted before it. */
  token: number;
  agent: string;
  pattern: string;
  shared: boolean;
  granted: number;
  expires: number;
}

/** A waiter's place in the queue; it lapses unless its owner refreshes it (a dead waiter leaves). */
export interface Ticket {
  ticket: number;
  agent: string;
  patterns: string[];
  shared: boolean;
  /** The lease length asked for, in milliseconds. */
  ttl: number;
  enqueued: number;
  expires: number;
}

export interface LeaseDocument {
  version: 1;
  nextToken: number;
  nextTicket: number;
  leases: Lease[];
  queue: Ticket[];
}

export const EMPTY_LEDGER: LeaseDocument = { version: 1, nextToken: 1, nextTicket: 1, leases: [], queue: [] };

/** How long a ticket lives without being refreshed: a waiter refreshes it well within this. */
export const TICKET_LIFE_MS = 30_000;

/** Who stands in the way of a pattern, and a path both would cover. */
export interface Blocker {
  /** The requested pattern that meets it. */
  pattern: string;
  holder: string;
  /** lease: a live lease; claim: an exclusive manifest claim; waiting: an earlier ticket in the queue. */
  kind: 'lease' | 'claim' | 'waiting';
  /** The holder's pattern. */
  held: string;
  witness: string;
  /** For leases and tickets: when it lapses unless renewed. */
  expires: number | null;
  token: number | null;
}

export interface LeaseRequest {
  agent: string;
  patterns: readonly string[];
  shared: boolean;
  ttl: number;
  now: number;
}

/** What the rules need beside the document: the manifest, the limits, a glob intersection. */
export interface LeaseContext {
  manifest: Manifest;
  maxClaimsPerAgent: number;
  maxTtl: number;
  /** Agents whose work has landed: their manifest claims hold no one back. */
  landed: ReadonlySet<string>;
  /** A path both globs match, or null. */
  overlap: (a: CompiledGlob, b: CompiledGlob) => string | null;
}

export type LeaseRefusal =
  | { reason: 'unknown-agent'; agent: string }
  | { reason: 'reader'; agent: string }
  | { reason: 'ttl-too-long'; ttl: number; maxTtl: number }
  | { reason: 'too-many-claims'; count: number; limit: number }
  | { reason: 'held'; blockers: Blocker[] };

export type GrantResult = { ok: true; document: LeaseDocument; granted: Lease[] } | { ok: false; refusal: LeaseRefusal };

/** The document without what has lapsed at `now`: expired leases, and tickets not refreshed in time. */
export function prune(doc: LeaseDocument, now: number): LeaseDocument {
  return { ...doc, leases: doc.leases.filter((l) => l.expires > now), queue: doc.queue.filter((t) => t.expires > now) };
}

/** Leases in force at `now`. */
export function liveLeases(doc: LeaseDocument, now: number): Lease[] {
  return doc.leases.filter((l) => l.expires > now);
}

function compileCached(cache: Map<string, CompiledGlob>, pattern: string): CompiledGlob {
  let glob = cache.get(pattern);
  if (!glob) cache.set(pattern, (glob = compileGlob(pattern)));
  return glob;
}

/** Whether two holds of different agents exclude each other: unless both are shared. */
const excludes = (aShared: boolean, bShared: boolean) => !(aShared && bShared);

/**
 * Everything that stands in the way of `request` now, in the order a message lists it: other
 * agents' live leases, their exclusive manifest claims (unless landed, or ordered after the
 * requester, as in the ownership rule), and — unless `ticket` is the request's own place in the
 * queue — earlier waiters for the same paths, so that a newcomer cannot overtake them.
 */
export function blockers(doc: LeaseDocument, request: LeaseRequest, ctx: LeaseContext, ownTicket: number | null = null): Blocker[] {
  const cache = new Map<string, CompiledGlob>();
  const found: Blocker[] = [];
  const later = agentsAfter(new Map(Object.entries(ctx.manifest.agents).map(([n, a]) => [n, a.after])), request.agent);
  for (const pattern of request.patterns) {
    const mine = compileCached(cache, pattern);
    for (const lease of liveLeases(doc, request.now)) {
      if (lease.agent === request.agent || !excludes(request.shared, lease.shared)) continue;
      const witness = ctx.overlap(mine, compileCached(cache, lease.pattern));
      if (witness !== null) found.push({ pattern, holder: lease.agent, kind: 'lease', held: lease.pattern, witness, expires: lease.expires, token: lease.token });
    }
    for (const [name, spec] of Object.entries(ctx.manifest.agents)) {
      if (name === request.agent || spec.role === 'reader' || ctx.landed.has(name) || later.has(name)) continue;
      for (const claim of spec.claims) {
        const witness = ctx.overlap(mine, compileCached(cache, claim));
        if (witness !== null) found.push({ pattern, holder: name, kind: 'claim', held: claim, witness, expires: null, token: null });
      }
    }
    for (const ticket of doc.queue) {
      if (ticket.expires <= request.now || ticket.agent === request.agent) continue;
      if (ownTicket !== null && ticket.ticket >= ownTicket) continue;
      if (!excludes(request.shared, ticket.shared)) continue;
      for (const held of ticket.patterns) {
        const witness = ctx.overlap(mine, compileCached(cache, held));
        if (witness !== null) {
          found.push({ pattern, holder: ticket.agent, kind: 'waiting', held, witness, expires: ticket.expires, token: null });
          break;
        }
      }
    }
  }
  return found;
}

function admissible(doc: LeaseDocument, request: LeaseRequest, ctx: LeaseContext): LeaseRefusal | null {
  const spec = agentSpec(ctx.manifest, request.agent);
  if (!spec) return { reason: 'unknown-agent', agent: request.agent };
  if (spec.role === 'reader') return { reason: 'reader', agent: request.agent };
  if (request.ttl > ctx.maxTtl) return { reason: 'ttl-too-long', ttl: request.ttl, maxTtl: ctx.maxTtl };
  const held = new Set(liveLeases(doc, request.now).filter((l) => l.agent === request.agent).map((l) => l.pattern));
  const count = spec.claims.length + new Set([...held, ...request.patterns]).size;
  if (count > ctx.maxClaimsPerAgent) return { reason: 'too-many-claims', count, limit: ctx.maxClaimsPerAgent };
  return null;
}

/**
 * Grants every pattern of the request or none. A pattern the agent already leases is extended
 * under its token (renewing is not a new grant); each new one gets the next fencing token.
 * `ownTicket`: the request is that ticket in the queue, which leaves the queue when granted.
 */
export function grant(doc: LeaseDocument, request: LeaseRequest, ctx: LeaseContext, ownTicket: number | null = null): GrantResult {
  const current = prune(doc, request.now);
  const refusal = admissible(current, request, ctx);
  if (refusal) return { ok: false, refusal };
  const found = blockers(current, request, ctx, ownTicket);
  if (found.length > 0) return { ok: false, refusal: { reason: 'held', blockers: found } };
  let nextToken = current.nextToken;
  const expires = request.now + request.ttl;
  const leases = [...current.leases];
  const granted: Lease[] = [];
  for (const pattern of new Set(request.patterns)) {
    const index = leases.findIndex((l) => l.agent === request.agent && l.pattern === pattern);
    const existing = index === -1 ? null : leases[index]!;
    const lease: Lease =
      existing && existing.shared === request.shared
        ? { ...existing, expires: Math.max(existing.expires, expires) }
        : { token: nextToken++, agent: request.agent, pattern, shared: request.shared, granted: request.now, expires };
    if (index === -1) leases.push(lease);
    else leases[index] = lease;
    granted.push(lease);
  }
  const queue = ownTicket === null ? current.queue : current.queue.filter((t) => t.ticket !== ownTicket);
  return { ok: true, document: { ...current, nextToken, leases, queue }, granted };
}

/** Joins the queue, or refreshes the request's ticket (`ticket` not null) so it does not lapse. */
export function enqueue(doc: LeaseDocument, request: LeaseRequest, ticket: number | null): { document: LeaseDocument; ticket: number } {
  const current = prune(doc, request.now);
  const expires = request.now + TICKET_LIFE_MS;
  const existing = ticket === null ? undefined : current.queue.find((t) => t.ticket === ticket);
  if (existing) {
    return { document: { ...current, queue: current.queue.map((t) => (t === existing ? { ...t, expires } : t)) }, ticket: existing.ticket };
  }
  // A lapsed ticket rejoins at the back: its place was given up when it stopped refreshing.
  const fresh: Ticket = { ticket: current.nextTicket, agent: request.agent, patterns: [...request.patterns], shared: request.shared, ttl: request.ttl, enqueued: request.now, expires };
  return { document: { ...current, nextTicket: current.nextTicket + 1, queue: [...current.queue, fresh] }, ticket: fresh.ticket };
}

/** Leaves the queue (a waiter that gave up). */
export function dequeue(doc: LeaseDocument, ticket: number, now: number): LeaseDocument {
  const current = prune(doc, now);
  return { ...current, queue: current.queue.filter((t) => t.ticket !== ticket) };
}

/** Ends an agent's leases: those on `patterns`, or all of them (null), with its tickets. Returns what ended. */
export function release(doc: LeaseDocument, agent: string, patterns: readonly string[] | null, now: number): { document: LeaseDocument; released: Lease[] } {
  const current = prune(doc, now);
  const ends = (l: Lease) => l.agent === agent && (patterns === null || patterns.includes(l.pattern));
  const queue = patterns === null ? current.queue.filter((t) => t.agent !== agent) : current.queue;
  return { document: { ...current, leases: current.leases.filter((l) => !ends(l)), queue }, released: current.leases.filter(ends) };
}

/**
 * Extends every live lease of an agent to `now + ttl`; none is shortened. A lease somebody is
 * waiting for is not extended (`overlap` given): renewing must not keep a waiter out forever.
 */
export function renew(
  doc: LeaseDocument,
  agent: string,
  ttl: number,
  now: number,
  overlap: ((a: CompiledGlob, b: CompiledGlob) => string | null) | null = null,
): { document: LeaseDocument; renewed: Lease[]; awaited: Lease[] } {
  const current = prune(doc, now);
  const cache = new Map<string, CompiledGlob>();
  const awaitedBy = (l: Lease) =>
    overlap !== null &&
    current.queue.some((t) => t.agent !== agent && excludes(t.shared, l.shared) && t.patterns.some((p) => overlap(compileCached(cache, p), compileCached(cache, l.pattern)) !== null));
  const renewed: Lease[] = [];
  const awaited: Lease[] = [];
  const leases = current.leases.map((l) => {
    if (l.agent !== agent) return l;
    if (awaitedBy(l)) {
      awaited.push(l);
      return l;
    }
    const next = { ...l, expires: Math.max(l.expires, now + ttl) };
    renewed.push(next);
    return next;
  });
  return { document: { ...current, leases }, renewed, awaited };
}

/** The manifest with each lease added to its holder's claims (exclusive) or shared paths: what `plan` weighs. */
export function withLeases(manifest: Manifest, leases: readonly Lease[]): Manifest {
  const agents = { ...manifest.agents };
  for (const lease of leases) {
    const spec = agentSpec({ ...manifest, agents }, lease.agent);
    if (!spec) continue;
    agents[lease.agent] = lease.shared ? { ...spec, shared: [...new Set([...spec.shared, lease.pattern])] } : { ...spec, claims: [...new Set([...spec.claims, lease.pattern])] };
  }
  return { ...manifest, agents };
}

/**
 * Every lease ever granted, from the documents of the ledger's history (any order): what `check`
 * believes a commit's Swarm-Lease trailer against. A token names one grant (its longest expiry
 * counts); a token the history gives to two different holders or patterns proves nothing and is
 * left out, so a rewritten ledger cannot lend a token to someone else.
 */
export function grantsInHistory(docs: Iterable<LeaseDocument>): Map<number, Lease> {
  const grants = new Map<number, Lease>();
  const poisoned = new Set<number>();
  for (const doc of docs) {
    for (const lease of doc.leases) {
      const known = grants.get(lease.token);
      if (!known) grants.set(lease.token, lease);
      else if (known.agent !== lease.agent || known.pattern !== lease.pattern || known.shared !== lease.shared) poisoned.add(lease.token);
      else if (lease.expires > known.expires) grants.set(lease.token, lease);
    }
  }
  for (const token of poisoned) grants.delete(token);
  return grants;
}
