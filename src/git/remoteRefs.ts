/**
 * The ledger through a shared remote: the git host is the compare-and-swap. A write is one
 * `push --atomic` with `--force-with-lease=<ref>:<old>` on every ref it moves; a read first
 * mirrors the remote's refs/swarm/* locally.
 */
import { SwarmError } from '../errors.js';
import type { CasResult, RefUpdate } from './refs.js';
import { runGit } from './run.js';

/** The namespace mirrored; local copies follow the remote's, deletions included. */
const LEDGER_REFSPEC = '+refs/swarm/*:refs/swarm/*';

/**
 * receive-pack's reason (on stderr) when the ref moved between the lease check against the
 * advertised value and its own update under lock: another push won in between. Read only beside
 * a "[remote rejected] (atomic transaction failed)" line, which a refusing hook never produces.
 */
const REMOTE_MOVED = /cannot lock ref '([^']+)': (?:is at [0-9a-f]+ but expected|reference already exists|unable to resolve reference|reference is missing)/;
const REMOTE_LOCKED = /cannot lock ref '([^']+)': Unable to create '[^']*\.lock': File exists/;

/** Replaces the local refs/swarm/* with the remote's (the remote is the truth). */
export async function fetchLedger(remote: string, cwd: string): Promise<void> {
  const args = ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--prune', remote, LEDGER_REFSPEC];
  const result = await runGit(args, { cwd });
  if (result.code !== 0) throw new SwarmError('git', '', { command: args, exitCode: result.code, stderr: result.stderr, ref: remote });
}

/**
 * The same, and in the same fetch the remote's `branch` into `into` (a ref of git-swarm's own,
 * not the user's branch): the tip landing builds on. Null when the remote has no such branch.
 */
export async function fetchLedgerAndBranch(remote: string, branch: string, into: string, cwd: string): Promise<string | null> {
  const args = ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--prune', remote, LEDGER_REFSPEC, `+refs/heads/${branch}:${into}`];
  const result = await runGit(args, { cwd });
  if (result.code !== 0) {
    if (/couldn't find remote ref/.test(result.stderr)) return null;
    throw new SwarmError('git', '', { command: args, exitCode: result.code, stderr: result.stderr, ref: remote });
  }
  const tip = await runGit(['rev-parse', '--verify', '-q', `${into}^{commit}`], { cwd });
  return tip.code === 0 ? tip.stdout.toString('utf8').trim() : null;
}

/**
 * Publishes every update or none. A ref that moved on the remote since it was read comes back as
 * `moved`; anything else git refuses (no access, a host that rejects the namespace) is an error.
 * pre-push is skipped: a ledger document is not work for the ownership rule to judge.
 */
export async function pushLedger(remote: string, updates: readonly RefUpdate[], cwd: string): Promise<CasResult> {
  const args = [
    'push',
    '--atomic',
    '--no-verify',
    '--porcelain',
    ...updates.map((u) => `--force-with-lease=${u.ref}:${u.expected ?? ''}`),
    remote,
    ...updates.map((u) => (u.next === null ? `:${u.ref}` : `${u.next}:${u.ref}`)),
  ];
  const result = await runGit(args, { cwd });
  if (result.code === 0) return { ok: true };
  // --porcelain: "!<TAB><from>:<to><TAB>[rejected] (stale info)" for a lease that lost the race
  // before the push (under --atomic the other refs say "(atomic push failed)"); one that lost it
  // on the remote, after the check, says "[remote rejected] (atomic transaction failed)".
  for (const line of result.stdout.toString('utf8').split('\n')) {
    const [flag, refs, summary] = line.split('\t');
    if (flag !== '!' || !refs || !summary) continue;
    if (/stale info|fetch first|non-fast-forward|already exists/.test(summary)) return { ok: false, reason: 'moved', ref: refs.slice(refs.indexOf(':') + 1) };
    if (/^\[remote rejected\] \((?:atomic transaction failed|failed to update ref)\)$/.test(summary)) {
      const moved = REMOTE_MOVED.exec(result.stderr);
      if (moved) return { ok: false, reason: 'moved', ref: moved[1]! };
      const locked = REMOTE_LOCKED.exec(result.stderr);
      if (locked) return { ok: false, reason: 'locked', ref: locked[1]! };
    }
  }
  throw new SwarmError('git', '', { command: args, exitCode: result.code, stderr: result.stderr, ref: remote });
}
