import type { Identity } from '../core/identity.js';
import type { Manifest } from '../core/model.js';
import { identityOrigin, list } from './common.js';

const short = (oid: string) => (/^0+$/.test(oid) ? '(none)' : oid.slice(0, 10));

/** What the hooks print besides refusals. */
export const hookMessages = {
  manifestFromWorkingTree: (integration: string, file: string) =>
    `git-swarm: notice: ${integration} has no ${file} yet; using the working tree's copy until it is committed there.`,
  noManifest: (file: string) => `git-swarm: notice: no ${file} found; nothing to enforce (run: git swarm init).`,
  /** Printed by every hook, in one line, when what it calls by absolute path has gone since init. */
  runtimeMissing: (what: 'node' | 'git-swarm', path: string) =>
    `git-swarm: refused: the hooks call ${what} at ${path}, which is gone: reinstall git-swarm if it was removed, then run: git swarm init`,
  brokenManifest: (tip: string, problem: string, used: string, manifest: Manifest) => {
    const leads = Object.entries(manifest.agents).filter(([, a]) => a.role === 'lead').map(([n]) => n);
    return [
      `git-swarm: warning: ${tip} is invalid, so the hooks enforce its last valid version, ${used}, until it is repaired:`,
      ...problem.split('\n').map((l) => `  ${l}`),
      `  repair: a lead (${leads.join(', ') || 'none listed'}) corrects the manifest and commits it on the integration branch; git swarm doctor shows every problem.`,
    ].join('\n');
  },
  brokenSettings: (tip: string, problem: string, used: string) =>
    [
      `git-swarm: warning: ${tip} is invalid, so the hooks use its last valid version, ${used}, until it is repaired:`,
      ...problem.split('\n').map((l) => `  ${l}`),
      '  repair: a lead corrects .swarmrc and commits it on the integration branch; git swarm doctor shows every problem.',
    ].join('\n'),
  settingsFromWorkingTree: (integration: string) =>
    `git-swarm: notice: ${integration} has no .swarmrc yet; using the working tree's copy until it is committed there.`,
  noIntegrationBranch: (integration: string, known: readonly string[]) =>
    `the integration branch "${integration}" (git config swarm.integration, set by git swarm init) does not exist here, locally or on a remote (branches here: ${known.length > 0 ? known.slice(0, 20).join(', ') : 'none'}): nothing binds agents. Fetch it (git fetch origin ${integration}), or run git swarm init --integration <branch> with the right one.`,
  integrationMismatch: (integration: string, source: string, named: string) =>
    `the integration branch here is "${integration}" (git config swarm.integration, set by git swarm init), but ${source} names "${named}". Run git swarm init on the right branch, or correct .swarmrc there (a lead's job).`,
  brokenLedger: (ref: string, problem: string, valid: string) =>
    `git-swarm: warning: ${problem}\n  Leases are read from its last valid version (${valid.slice(0, 10)}) meanwhile. Repair: git update-ref ${ref} ${valid.slice(0, 10)} (after checking git log ${ref}).`,
  leaseExpiring: (lines: readonly string[]) => `git-swarm: warning: your lease is about to lapse:\n${lines.map((l) => `  ${l}`).join('\n')}\n  Renew it before it does: git swarm renew`,
  /** The guard on the integration branch (guardIntegration) refused a transaction: what, why, and how work lands instead. */
  guardRefused: (r: { integration: string; moves: ReadonlyArray<{ ref: string; from: string; to: string }>; identity: Identity; leads: readonly string[]; agentBranch: string | null }) => {
    const who = r.identity.agent ? `you are ${r.identity.agent} (from ${identityOrigin(r.identity)}), not a lead` : 'you are not identified as any agent';
    const lead = r.leads[0] ?? '<lead>';
    return [
      ...r.moves.map((m) => `git-swarm: refused: ${m.ref} ${short(m.from)} → ${/^0+$/.test(m.to) ? '(deleted)' : short(m.to)}`),
      `  why: .swarmrc sets guardIntegration, so only a lead (${list(r.leads)}) moves ${r.integration}, normally with git swarm land; ${who}.`,
      `  ${r.integration} is unchanged, but a reset, merge or pull may already have changed the files here (see git status).`,
      r.identity.agent && r.agentBranch
        ? `  fix: commit on your own branch ${r.agentBranch}, run git swarm ready there, then a lead runs: git swarm land ${r.identity.agent}`
        : '  fix: commit on an agent\'s own branch, run git swarm ready there, then a lead runs: git swarm land <agent>',
      `  a lead doing this on purpose identifies first: SWARM_AGENT=${lead} git … (or git config --worktree swarm.agent ${lead} in the lead's worktree)`,
    ].join('\n');
  },
  skipped: (variable: string) => `git-swarm: ${variable} is set, not checking (CI will: git swarm check).`,
} as const;
