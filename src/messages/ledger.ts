/** The sentences of the ledger and of leases: claim, release, renew, claims. */
import type { Blocker, Lease, LeaseRefusal, Ticket } from '../core/leases.js';
import { list, plural, quote, showPath } from './common.js';

/** A moment as people read it in a log: UTC, to the second. */
export function at(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A span as the TTL syntax writes it, rounded down: 29m, 3h, 45s. */
export function span(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s >= 86400 && s % 86400 === 0) return `${s / 86400}d`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h${s % 3600 >= 60 ? `${Math.floor((s % 3600) / 60)}m` : ''}`;
  if (s >= 60) return `${Math.floor(s / 60)}m`;
  return `${s}s`;
}

const words = (patterns: readonly string[]) => patterns.map(quote).join(' ');

function blocker(b: Blocker, now: number): string {
  const e = `e.g. ${showPath(b.witness)}`;
  switch (b.kind) {
    case 'lease':
      return `${showPath(b.pattern)}: ${b.holder} holds ${showPath(b.held)} (lease ${b.token}, until ${at(b.expires!)}, in ${span(b.expires! - now)}), ${e}`;
    case 'claim':
      return `${showPath(b.pattern)}: ${b.holder} claims ${showPath(b.held)} in the manifest until it lands, ${e}`;
    case 'waiting':
      return `${showPath(b.pattern)}: ${b.holder} is waiting for ${showPath(b.held)} ahead of you, ${e}`;
  }
}

export const ledgerMessages = {
  notACommit: (ref: string, type: string) =>
    `${ref} is a ${type}, not a ledger commit: something other than git-swarm wrote it. Restore a good version (git update-ref ${ref} <commit>, see git reflog ${ref}), or delete it if nobody holds a lease (git update-ref -d ${ref}).`,
  unresolvable: (ref: string) => `${ref} exists but names no object git can read: it is corrupt. Restore a good version (git update-ref ${ref} <commit>, see git reflog ${ref}), or delete it if nobody holds a lease (git update-ref -d ${ref}).`,
  historyTooLong: (ref: string, limit: number) => `${ref} has more than ${limit} versions: its history is read whole or not at all. A lead can start a new trail from its current version (git update-ref ${ref} $(git commit-tree ${ref}^{tree} -m "restart the trail")), after keeping the old one under another ref.`,
  mergedVersion: (commit: string) => `${commit.slice(0, 10)} has more than one parent: git-swarm never writes such a version, so it proves nothing`,
  noDocument: (where: string) => `${where} is missing: ${where.split(' ')[0]} was not written by git-swarm. Inspect it with git log.`,
  remoteRefused: (remote: string, ref: string, stderr: string) => {
    const said = stderr.split('\n').filter((l) => /^(remote:|error:|fatal:)/.test(l)).map((l) => `  ${l.trim()}`);
    return [
      `the remote "${remote}" (coordination.remote) refused the ledger write to ${ref}; nothing was taken.`,
      ...said.slice(0, 8),
      `The host must accept pushes to refs/swarm/* (README: Across machines); or set coordination.remote: null in .swarmrc to coordinate on this machine only.`,
    ].join('\n');
  },
  keptMoving: (ref: string, attempts: number, budget: number) =>
    `${ref} kept moving: ${plural(attempts, 'attempt')} in ${span(budget)} each lost the race to another writer. Try again.`,
  unidentified: (hint: string) => `who is claiming? No agent identity here. Set one: ${hint}`,
  granted: (agent: string, leases: readonly Lease[], now: number) =>
    [
      `${agent} holds:`,
      ...leases.map((l) => `  ${showPath(l.pattern)}${l.shared ? ' (shared)' : ''}  token ${l.token}, until ${at(l.expires)} (${span(l.expires - now)})`),
      `Commits under a lease carry Swarm-Lease: <token>. Release: git swarm release ${words(leases.map((l) => l.pattern))}`,
    ].join('\n'),
  refused: (agent: string, patterns: readonly string[], refusal: LeaseRefusal, now: number, waited: boolean) => {
    switch (refusal.reason) {
      case 'unknown-agent':
        return `refused: ${agent} is not in the manifest. Ask a lead to add it, or identify as a known agent.`;
      case 'reader':
        return `refused: ${agent} is a reader; readers commit nothing, so they take no lease.`;
      case 'ttl-too-long':
        return `refused: --ttl ${span(refusal.ttl)} is longer than leases.maxTtl (${span(refusal.maxTtl)}). Ask for less, and renew: git swarm renew`;
      case 'too-many-claims':
        return `refused: ${agent} would hold ${refusal.count} claims and leases, over limits.maxClaimsPerAgent (${refusal.limit}). Release some first: git swarm release <glob>`;
      case 'held':
        return [
          `${waited ? 'gave up waiting' : 'refused'}: ${agent} cannot take ${words(patterns)}; nothing was taken.`,
          ...refusal.blockers.map((b) => `  ${blocker(b, now)}`),
          waited ? `Still held. Try again later, or ask the holder to run: git swarm release` : `Wait in line: git swarm claim ${words(patterns)} --wait=10m`,
        ].join('\n');
    }
  },
  waiting: (agent: string, ticket: number, blockers: readonly Blocker[], now: number) =>
    [`${agent} is waiting (ticket ${ticket}) for:`, ...blockers.map((b) => `  ${blocker(b, now)}`)].join('\n'),
  released: (agent: string, leases: readonly Lease[]) =>
    leases.length === 0 ? `${agent} held no lease.` : `${agent} released ${words(leases.map((l) => l.pattern))} (${plural(leases.length, 'lease')}).`,
  notHeld: (agent: string, pattern: string, held: readonly string[]) =>
    `${agent} holds no lease on ${quote(pattern)}; it holds: ${list(held.map(quote))}. Release by the pattern as claimed, or --all.`,
  releaseWhat: 'release needs the globs to release, or --all',
  renewed: (agent: string, leases: readonly Lease[], now: number) =>
    [`${agent} renewed:`, ...leases.map((l) => `  ${showPath(l.pattern)}  token ${l.token}, until ${at(l.expires)} (${span(l.expires - now)})`)].join('\n'),
  awaited: (leases: readonly Lease[], now: number) =>
    [`not renewed, somebody is waiting for them (git swarm claims shows who):`, ...leases.map((l) => `  ${showPath(l.pattern)}  token ${l.token}, still until ${at(l.expires)} (${span(l.expires - now)})`)].join('\n'),
  nothingToRenew: (agent: string) => `${agent} holds no live lease to renew: a lapsed lease may be anybody's by now. Claim again: git swarm claim <glob>`,
  unknownAgent: (agent: string, known: readonly string[]) => `--force-release: "${agent}" is not an agent of the manifest; agents: ${list(known)}`,
  forceNeedsLead: (agent: string) => `refused: only a lead may --force-release another agent's leases; ${agent} is not a lead.`,
  forceReleased: (lead: string, agent: string, leases: readonly Lease[]) =>
    `${lead} force-released ${agent}'s ${plural(leases.length, 'lease')}${leases.length ? `: ${words(leases.map((l) => l.pattern))}` : ''} (recorded in git log refs/swarm/leases).`,
  badTtl: (value: string) => `--ttl needs a duration such as 90s, 30m, 4h (at most 30d), got ${JSON.stringify(value)}`,
  badWait: (value: string) => `--wait needs a duration such as 90s, 10m (at most 30d), got ${JSON.stringify(value)}`,
  badGlob: (pattern: string, reason: string) => `${JSON.stringify(pattern)} is not a claim glob: ${reason}`,
  claimWhat: 'claim needs at least one glob (or --force-release <agent>)',
  interrupted: (ticket: number) => `interrupted: left the queue (ticket ${ticket}).`,
  // Commit messages of ledger versions: the audit trail (git log refs/swarm/leases).
  logClaim: (agent: string, leases: readonly Lease[]) =>
    `claim ${agent}: ${leases.map((l) => `${l.pattern}${l.shared ? ' (shared)' : ''} #${l.token} until ${new Date(l.expires).toISOString()}`).join(', ')}`,
  logEnqueue: (agent: string, ticket: number, patterns: readonly string[]) => `wait ${agent}: ticket ${ticket} for ${patterns.join(', ')}`,
  logDequeue: (agent: string, ticket: number) => `leave ${agent}: ticket ${ticket}`,
  logRelease: (agent: string, leases: readonly Lease[]) => `release ${agent}: ${leases.map((l) => `${l.pattern} #${l.token}`).join(', ') || '(none)'}`,
  logRenew: (agent: string, leases: readonly Lease[]) => `renew ${agent}: ${leases.map((l) => `#${l.token} until ${new Date(l.expires).toISOString()}`).join(', ')}`,
  logForce: (lead: string, agent: string, leases: readonly Lease[]) => `force-release ${agent} by ${lead}: ${leases.map((l) => `${l.pattern} #${l.token}`).join(', ') || '(none)'}`,
  // claims
  noLeases: 'no leases in force, nobody waiting.',
  leasesTitle: (n: number) => `${plural(n, 'lease')} in force:`,
  leaseLine: (l: Lease, now: number) => `  ${l.agent}  ${showPath(l.pattern)}${l.shared ? ' (shared)' : ''}  token ${l.token}  until ${at(l.expires)} (${span(l.expires - now)})`,
  queueTitle: (n: number) => `${plural(n, 'waiter')}, in order:`,
  ticketLine: (t: Ticket, now: number) => `  ${t.ticket}. ${t.agent}  ${words(t.patterns)}${t.shared ? ' (shared)' : ''}  since ${at(t.enqueued)} (${span(now - t.enqueued)} ago)`,
} as const;
