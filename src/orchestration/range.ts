/**
 * The one service that judges a range of commits: `check` in CI, the pre-push hook, and later
 * `ready` and `land`. What counts as "already judged" is decided here once, so the layers agree:
 * everything the integration branch reaches (locally or on any remote), everything the remote
 * already has, and for `check` the base.
 */
import { agentFromBranch } from '../core/branchPattern.js';
import { checkCommit, type CommitViolation } from '../core/commitCheck.js';
import type { PairReport } from '../core/conflicts.js';
import type { CompiledPolicy } from '../core/policy.js';
import type { OwnershipRules } from '../core/ownership.js';
import type { Settings } from '../core/model.js';
import { isSwarmError, SwarmError } from '../errors.js';
import { readBlob } from '../git/blob.js';
import { SETTINGS_FILE } from '../core/model.js';
import { errorText } from '../messages/errors.js';
import { conflictDetail } from '../messages/violations.js';
import { streamCommits, type CommitSelection } from '../git/log.js';
import { sshFingerprint } from '../git/signing.js';
import { branchTip, isShallow, knownBranches, mergeBase, parentsBeforeFirstAdding, resolveCommit, resolveObject, selectionHitsShallowBoundary } from '../git/repo.js';
import { checkMessages } from '../messages/check.js';
import type { JsonCache } from './cache.js';
import { policyFrom, settingsAt, settingsFrom, type ContentRef } from './policy.js';

export interface RangeVerdict {
  checked: number;
  violations: CommitViolation[];
}

/**
 * Every selected commit against the rules; on an agent's branch every commit must also be that
 * agent's. No rules (no manifest): commits are counted, nothing is enforced. Under
 * `identity: signed` the allowed signers are the keys of the manifest the rules come from (the
 * base in CI, the integration tip before a push), never the range's own.
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
  const keys = rules?.policy.settings.identity === 'signed' ? signingKeys(rules) : undefined;
  const fingerprints = new Map(keys?.map(([agent, line]) => [agent, sshFingerprint(line)]));
  for await (const commit of streamCommits(selection, cwd, keys)) {
    verdict.checked++;
    if (rules) verdict.violations.push(...checkCommit(rules, commit, branchAgent, fingerprints));
  }
  return verdict;
}

/** Where a result comes from, for judgeResult. */
export interface ResultStart {
  /** Whether the start had a manifest: a head without one has removed it. */
  hadManifest: boolean;
  /**
   * Revisions already judged (the range's base, what the remote or the integration branch has, the
   * parent of what is staged): a conflict their manifests already had is not charged to the result.
   */
  judged: readonly string[];
}

/**
 * What a result leaves behind, which no single change shows: a manifest deleted where there was
 * one (nothing would be enforced after it), a manifest or `.swarmrc` that does not validate
 * (every later commit everywhere would be refused), or a manifest that sets two writers in
 * conflict (each would refuse the other's commits forever). `head` is a commit, or null for the
 * index (what is staged). Judged with the settings of the base.
 */
export async function judgeResult(head: string | null, settings: Settings, start: ResultStart, cache: JsonCache, cwd?: string): Promise<CommitViolation[]> {
  const found = (code: 'manifest-removed' | 'invalid-file' | 'manifest-conflict', path: string, detail?: string, holders: string[] = []): CommitViolation => ({
    code,
    commit: head ?? 'staged',
    agent: null,
    path,
    holders,
    waitFor: [],
    detail,
  });
  const at = (path: string) => `${head ?? ''}:${path}`;
  const label = (path: string) => (head ? `${head.slice(0, 10)}:${path}` : `staged ${path}`);
  const out: CommitViolation[] = [];
  const manifestId = await resolveObject(at(settings.manifest), cwd);
  if (manifestId === null && start.hadManifest) out.push(found('manifest-removed', settings.manifest));
  if (manifestId !== null) {
    const manifest = await validated(() => policyFrom(settings, blobRef(manifestId, label(settings.manifest), cwd), cache));
    if (!manifest.ok) out.push(found('invalid-file', settings.manifest, manifest.problem));
    else {
      for (const pair of await addedConflicts(manifest.value, manifestId, start.judged, settings, cache, cwd)) {
        out.push(found('manifest-conflict', settings.manifest, conflictDetail(pair), [pair.a, pair.b]));
      }
    }
  }
  const settingsText = await readBlob(at(SETTINGS_FILE), cwd);
  if (settingsText !== null) {
    const loaded = await validated(() => settingsFrom(settingsText, label(SETTINGS_FILE), cache));
    if (!loaded.ok) out.push(found('invalid-file', SETTINGS_FILE, loaded.problem));
  }
  return out;
}

function blobRef(id: string, file: string, cwd?: string): ContentRef {
  return { id, file, bytes: async () => (await readBlob(id, cwd)) ?? new Uint8Array() };
}

/**
 * The conflicting pairs of `policy` (blob `id`), by the test `git swarm plan` applies
 * (conflicts.ts), that no manifest of a judged revision already had. Such a pair is not the
 * result's doing: one that landed before this check existed, or with the hooks off, would
 * otherwise refuse every later edit of the manifest (even one that resolves another conflict) and
 * every range that carries it; `git swarm plan` keeps reporting it. A manifest equal to a judged
 * one costs a rev-parse per revision; only a changed one loads the overlap search.
 */
async function addedConflicts(policy: CompiledPolicy, id: string, judged: readonly string[], settings: Settings, cache: JsonCache, cwd?: string): Promise<PairReport[]> {
  const before = await Promise.all(judged.map((rev) => resolveObject(`${rev}:${settings.manifest}`, cwd)));
  if (before.includes(id)) return [];
  const { conflicts } = await import('./heavy.js');
  // No landing yet: every writer is live.
  const landed = new Set<string>();
  const added = conflicts(policy, landed, undefined, false).filter((p) => p.status === 'conflict');
  const key = ({ a, b }: PairReport) => [a, b].sort().join('\0');
  const known = new Set<string>();
  for (const old of added.length > 0 ? new Set(before) : []) {
    if (old === null) continue;
    const loaded = await validated(() => policyFrom(settings, blobRef(old, settings.manifest, cwd), cache));
    // An invalid manifest was never enforced: it holds no conflict anyone lived with.
    if (!loaded.ok) continue;
    for (const pair of conflicts(loaded.value, landed, undefined, false)) if (pair.status === 'conflict') known.add(key(pair));
  }
  return added.filter((p) => !known.has(key(p)));
}

/** What `load` returns, or its validation error as text; other failures propagate. */
async function validated<T>(load: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; problem: string }> {
  try {
    return { ok: true, value: await load() };
  } catch (error) {
    if (isSwarmError(error) && (error.code === 'manifest' || error.code === 'config')) return { ok: false, problem: errorText(error).replace(/\n\s*/g, '; ') };
    throw error;
  }
}

function signingKeys(rules: OwnershipRules): Array<[agent: string, keyLine: string]> {
  return Object.entries(rules.policy.manifest.agents).flatMap(([agent, spec]) => (spec.signingKey ? [[agent, spec.signingKey] as [string, string]] : []));
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
  // A branch new to the remote brings its whole history: what came before the manifest existed
  // was made under no rules, and is not judged by today's.
  const beforeRules = known ? [] : await parentsBeforeFirstAdding(update.localSha, settings.manifest, cwd);
  return {
    selection: {
      include: [update.localSha],
      exclude: [known, integration, ...beforeRules].filter((c): c is string => c !== null),
      excludeRemote: remoteName ?? undefined,
      excludeRemoteCopies: pushingIntegration ? undefined : settings.integration,
    },
    branchAgent: agentFromBranch(settings.branchPattern, branch),
  };
}

/** Where the integration branch's name comes from when `check` looks for its base. */
export interface IntegrationHint {
  name: string;
  /** An explicit --integration wins over the base's settings; a CI variable or a default does not. */
  explicit: boolean;
}

export interface CheckBase {
  /** Where the range starts: commits after it are judged. */
  base: string;
  /** The commit whose settings and manifest judge: --base, or the integration branch's tip. */
  rules: string;
  settings: Settings;
}

/**
 * Where the range `check` judges starts, and the rules it judges with, never from the head under
 * review: with --base, that commit for both; otherwise the range starts where head left the
 * integration branch and the rules are that branch's tip. The hint only finds a first branch; the
 * settings at its tip name the real integration branch, and when they name another one it is found
 * again from that, so a head (or a pull request aimed at another agent's branch) cannot choose
 * what judges it.
 */
export async function checkBase(head: string, given: string | null, hint: IntegrationHint, cache: JsonCache, cwd?: string): Promise<CheckBase> {
  if (given !== null) return { base: given, rules: given, settings: await settingsAt(given, cache, cwd) };
  let name = hint.name;
  for (const seen = new Set<string>(); !seen.has(name); ) {
    seen.add(name);
    const tip = await branchTip(name, cwd);
    if (!tip) throw new SwarmError('revision', checkMessages.noIntegration(name, await knownBranches(cwd)), { ref: name });
    const base = await mergeBase(tip, head, cwd);
    if (!base) {
      if (await isShallow(cwd)) throw new SwarmError('revision', checkMessages.shallowMissing(name));
      throw new SwarmError('revision', checkMessages.noMergeBase(name, head));
    }
    // The tip's rules, not the fork point's: the head chooses where it forked, so an old fork
    // point would let it pick a manifest from before a claim was revoked, or from before any.
    const settings = await settingsAt(tip, cache, cwd);
    if (hint.explicit || settings.integration === name) return { base, rules: tip, settings };
    name = settings.integration;
  }
  throw new SwarmError('config', checkMessages.integrationLoop(hint.name, name), { key: 'integration' });
}
