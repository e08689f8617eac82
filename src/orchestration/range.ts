/**
 * The one service that judges a range of commits: `check` in CI, the pre-push hook, and later
 * `ready` and `land`. What counts as "already judged" is decided here once, so the layers agree:
 * everything the integration branch reaches (locally or on any remote), everything the remote
 * already has, and for `check` the base.
 */
import { agentFromBranch } from '../core/branchPattern.js';
import { checkCommit, type CommitViolation } from '../core/commitCheck.js';
import type { OwnershipRules } from '../core/ownership.js';
import type { Settings } from '../core/model.js';
import { SwarmError } from '../errors.js';
import { streamCommits, type CommitSelection } from '../git/log.js';
import { isShallow, mergeBase, resolveCommit, selectionHitsShallowBoundary } from '../git/repo.js';
import { checkMessages } from '../messages/check.js';

export interface RangeVerdict {
  checked: number;
  violations: CommitViolation[];
}

/**
 * Every selected commit against the rules; on an agent's branch every commit must also be that
 * agent's. No rules (no manifest): commits are counted, nothing is enforced.
 */
export async function judgeRange(
  selection: CommitSelection,
  rules: OwnershipRules | null,
  branchAgent: string | null,
  options: { cwd?: string | undefined; baseLabel: string },
): Promise<RangeVerdict> {
  const { cwd } = options;
  const verdict: RangeVerdict = { checked: 0, violations: [] };
  if ((await isShallow(cwd)) && (await selectionHitsShallowBoundary(selection, cwd))) {
    throw new SwarmError('revision', checkMessages.shallowMissing(options.baseLabel));
  }
  for await (const commit of streamCommits(selection, cwd)) {
    verdict.checked++;
    if (rules) verdict.violations.push(...checkCommit(rules, commit, branchAgent));
  }
  return verdict;
}

/** One line of pre-push's standard input: what is pushed where, and what the remote had. */
export interface PushUpdate {
  localSha: string;
  remoteRef: string;
  remoteSha: string;
}

const ZERO = /^0+$/;

export function parsePushInput(input: string): PushUpdate[] {
  const updates: PushUpdate[] = [];
  for (const line of input.split('\n')) {
    const [, localSha, remoteRef, remoteSha] = line.trim().split(' ');
    // A deletion pushes no commits.
    if (!localSha || !remoteRef || ZERO.test(localSha)) continue;
    updates.push({ localSha, remoteRef, remoteSha: remoteSha ?? '' });
  }
  return updates;
}

/**
 * The commits one pushed ref adds, as CI will judge them: not what the remote already has (its
 * old tip, and its remote-tracking refs when it is pushed to by name), and, unless the integration
 * branch itself is pushed, nothing the integration branch reaches: those commits are judged where
 * they land, so a lead's unpushed commits on the local integration branch are never charged to the
 * agent whose branch contains them.
 */
export async function pushSelection(update: PushUpdate, remoteName: string | null, settings: Settings, cwd?: string): Promise<{ selection: CommitSelection; branchAgent: string | null }> {
  const branch = update.remoteRef.startsWith('refs/heads/') ? update.remoteRef.slice('refs/heads/'.length) : null;
  const known = update.remoteSha && !ZERO.test(update.remoteSha) ? await resolveCommit(update.remoteSha, cwd) : null;
  const pushingIntegration = branch === settings.integration;
  const integration = pushingIntegration ? null : await resolveCommit(`refs/heads/${settings.integration}`, cwd);
  return {
    selection: {
      include: [update.localSha],
      exclude: [known, integration].filter((c): c is string => c !== null),
      excludeRemote: remoteName ?? undefined,
      excludeRemoteCopies: pushingIntegration ? undefined : settings.integration,
    },
    branchAgent: agentFromBranch(settings.branchPattern, branch),
  };
}

/**
 * The range `check` judges: base..head, the base given or else where head left the integration
 * branch (its local copy first, else the remote's).
 */
export async function checkRangeBase(head: string, base: string | null, settings: Settings, remote: string, cwd?: string): Promise<string> {
  if (base !== null) return base;
  const integration = settings.integration;
  const target = (await resolveCommit(`refs/heads/${integration}`, cwd)) ?? (await resolveCommit(`refs/remotes/${remote}/${integration}`, cwd));
  if (!target) throw new SwarmError('revision', checkMessages.noIntegration(integration, remote), { ref: integration });
  const found = await mergeBase(target, head, cwd);
  if (found) return found;
  if (await isShallow(cwd)) throw new SwarmError('revision', checkMessages.shallowMissing(integration));
  throw new SwarmError('revision', checkMessages.noMergeBase(integration, head));
}
