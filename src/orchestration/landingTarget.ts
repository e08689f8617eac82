/**
 * Where landing reads and publishes. Without `coordination.remote`: this repository's integration
 * branch and refs/swarm/*, one `update-ref --stdin` transaction. With it: the remote's branch and
 * refs/swarm/*, fetched together first, published by one `push --atomic` with --force-with-lease
 * on every ref it moves (the host is the compare-and-swap); this repository's copies follow.
 */
import { join } from 'node:path';
import { isSwarmError, SwarmError } from '../errors.js';
import { GitSession } from '../git/gitSession.js';
import { fastForwardWorktree } from '../git/landing.js';
import type { RefUpdate } from '../git/refs.js';
import { fetchLedgerAndBranch, pushLedger } from '../git/remoteRefs.js';
import { mergeBase, resolveCommit } from '../git/repo.js';
import { landingMessages as m } from '../messages/landing.js';
import { crashPoint } from './crashPoint.js';
import type { Workspace } from './workspace.js';

export interface LandingTarget {
  remote: string | null;
  integration: string;
  /** The integration tip landing builds on: this repository's, or the remote's as just fetched. */
  tip: string;
  /** This repository's integration branch (equal to tip without a remote), null when it has none. */
  local: string | null;
}

/** What became of this repository's integration branch after a remote landing. */
export type LocalFollow = 'moved' | 'kept' | 'none';

const branchRef = (integration: string) => `refs/heads/${integration}`;
/** The remote's integration tip as last fetched: git-swarm's own ref, so the user's refs/remotes stay theirs. */
export const remoteTipRef = (integration: string) => `refs/swarm-remote/heads/${integration}`;

/** Reads the integration tip (and, with a remote, fetches its branch and refs/swarm/* first). */
export async function openTarget(ws: Workspace): Promise<LandingTarget> {
  const integration = ws.settings.integration;
  const cwd = ws.paths.toplevel;
  const remote = ws.settings.coordination.remote;
  const local = await resolveCommit(branchRef(integration), cwd);
  if (remote === null) {
    if (local === null) throw new SwarmError('revision', m.noIntegration(integration), { ref: branchRef(integration) });
    return { remote, integration, tip: local, local };
  }
  const tip = await fetchLedgerAndBranch(remote, integration, remoteTipRef(integration), cwd).catch((error: unknown) => {
    if (isSwarmError(error) && error.code === 'git') throw new SwarmError('git', m.remoteUnreachable(remote, error.data.stderr ?? ''), { ...error.data, ref: remote });
    throw error;
  });
  if (tip === null) throw new SwarmError('revision', m.noRemoteIntegration(integration, remote), { ref: branchRef(integration) });
  crashPoint('fetched');
  return { remote, integration, tip, local };
}

/**
 * Applies every update or none, each only if its ref still holds the expected value: false when
 * one moved meanwhile. With a remote, the remote's refs are the ones compared and moved; this
 * repository's refs/swarm/* copies follow at once (its branch follows in `followLocally`).
 */
export async function publishTo(ws: Workspace, target: LandingTarget, session: GitSession, updates: readonly RefUpdate[]): Promise<boolean> {
  if (target.remote === null) return (await session.swap(updates)).ok;
  const remote = target.remote;
  const pushed = await pushLedger(remote, updates, ws.paths.toplevel).catch((error: unknown) => {
    if (isSwarmError(error) && error.code === 'git') throw new SwarmError('git', m.remoteRefused(remote, error.data.stderr ?? ''), { ...error.data, ref: remote });
    throw error;
  });
  if (!pushed.ok) return false;
  crashPoint('pushed');
  // The copies here follow; should another process have moved one meanwhile, the next fetch mends it.
  const branch = branchRef(target.integration);
  const tipUpdate = updates.find((u) => u.ref === branch);
  const mirror = updates.filter((u) => u.ref !== branch);
  if (tipUpdate?.next) mirror.push({ ref: remoteTipRef(target.integration), next: tipUpdate.next, expected: target.tip });
  await session.swap(mirror);
  return true;
}

/**
 * After a remote landing moved the remote's branch from `target.tip` to `to`: this repository's
 * branch (and a clean worktree that has it checked out) fast-forwards when it has nothing the
 * remote lacks; otherwise it is kept as it is, for its owner to rebase.
 */
export async function followLocally(ws: Workspace, target: LandingTarget, to: string, checkedOut: string | undefined): Promise<LocalFollow> {
  if (target.remote === null || target.local === null) return 'none';
  const cwd = ws.paths.toplevel;
  if (target.local !== to && (await mergeBase(target.local, to, cwd)) !== target.local) return 'kept';
  if (target.local === to) return 'moved';
  const session = new GitSession(cwd, join(ws.paths.commonDir, 'swarm', 'tmp'));
  try {
    if (!(await session.swap([{ ref: branchRef(target.integration), next: to, expected: target.local }])).ok) return 'kept';
  } finally {
    session.close();
  }
  crashPoint('followed');
  if (checkedOut) await fastForwardWorktree(checkedOut, target.local, to);
  return 'moved';
}
