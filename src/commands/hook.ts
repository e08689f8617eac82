import type { CommitViolation } from '../core/commitCheck.js';
import { agentSpec, SETTINGS_FILE } from '../core/model.js';
import type { Identity } from '../core/identity.js';
import { checkChanges, makeRules } from '../core/ownership.js';
import { identify, integrationPolicy, openWorkspace } from '../orchestration/workspace.js';
import { stampInputs, writeStamp, type StampPolicy } from '../git/stamp.js';
import { tipSpec } from '../core/settingsGuess.js';
import { GUARD_HOOK, SWARM_HOOKS, type SwarmHook } from '../git/hookProtocol.js';
import { SwarmError } from '../errors.js';
import { chargedStagedChanges, stagedChanges, stagedChangesForAmend } from '../git/staged.js';
import { resolveCommit } from '../git/repo.js';
import { errorMessages } from '../messages/errors.js';
import { hookMessages } from '../messages/hook.js';
import { refusal } from '../messages/violations.js';
import { renderText } from '../render/text.js';
import { toReport } from '../render/report.js';
import { judgeResult, judgeRange, parsePushInput, pushSelection } from '../orchestration/range.js';
import type { Lease } from '../core/leases.js';
import { historyLeaseRules, liveLeaseRules } from '../orchestration/leaseRules.js';
import { ledgerMessages } from '../messages/ledger.js';
import { landedAgents } from '../orchestration/landing.js';
import { changesOf, isZeroOid, parseTransaction } from '../core/integrationGuard.js';
import { refState } from '../git/refs.js';

interface StagedVerdict {
  ok: boolean;
  identity: Identity;
  /** git config swarm.agent as read (undefined when SWARM_AGENT made reading it needless). */
  configAgent: string | undefined;
  /** The rules the check applied, when they are the integration branch's (the only ones a stamp binds). */
  rules: StampPolicy | null;
  /** The agent's live leases the commit relies on: their tokens go in the Swarm-Lease trailer. */
  leases: Lease[];
}

/** A lease this close to lapsing gets a warning at each commit that relies on it. */
const EXPIRY_WARNING_MS = 5 * 60_000;

/**
 * The ownership rule over the staged index, as pre-commit and prepare-commit-msg both apply it.
 * Only the part of the policy these paths and this agent reach is loaded; a refusal loads the
 * claim lists of the agents it names.
 */
async function checkStaged(amending: string | null = null): Promise<StagedVerdict> {
  const [ws, staged] = await Promise.all([openWorkspace(), amending ? stagedChangesForAmend(amending) : stagedChanges()]);
  const identity = identify(ws);
  const now = Date.now();
  const changes = await chargedStagedChanges(staged, ws.paths.mergeHeadFile);
  const [loaded, live] = await Promise.all([integrationPolicy(ws, { paths: changes.map((c) => c.path), agents: [identity.agent] }), liveLeaseRules(ws, now)]);
  if (loaded.notice) process.stderr.write(`${loaded.notice}\n`);
  if (live.notice) process.stderr.write(`${live.notice}\n`);
  const { integration, manifest } = ws.settings;
  const rules =
    loaded.notice === null && ws.integrationManifest !== null && ws.settingsBlob !== null
      ? { spec: tipSpec(`refs/heads/${integration}`, manifest), manifest: ws.integrationManifest, settings: ws.settingsBlob, ledger: ws.ledger.commit }
      : null;
  const verdict = { identity, configAgent: ws.configAgent, rules, leases: [] };
  if (!loaded.policy) return { ok: true, ...verdict };
  let used = new Set<Lease>();
  let violations = checkChanges(makeRules(loaded.policy, new Set(), live.rules), identity.agent, changes, { used });
  // Claims hold until their agent lands: only a refusal by another's hold pays for looking.
  if (violations.some((v) => v.holders.length > 0) && ws.tip) {
    const landed = await landedAgents(ws.tip, ws.paths.toplevel);
    if (landed.size > 0) {
      used = new Set<Lease>();
      violations = checkChanges(makeRules(loaded.policy, landed, live.rules), identity.agent, changes, { used });
    }
  }
  // A staged manifest or .swarmrc must still validate (a broken one would refuse every later commit
  // everywhere) and set no two writers in conflict that the commit's parent or the tip did not.
  if (staged.some((c) => c.path === ws.settings.manifest || c.path === SETTINGS_FILE)) {
    const parent = amending ? `${amending}^1` : 'HEAD';
    violations.push(...(await judgeResult(null, ws.settings, { hadManifest: true, judged: [parent, ws.tip] }, ws.cache)));
  }
  if (violations.length > 0) {
    const named = await integrationPolicy(ws, { paths: [], agents: [identity.agent, ...violations.flatMap((v) => v.holders)] });
    const policy = named.policy ?? loaded.policy;
    process.stderr.write(`${refusal('commit', identity, violations, { policy, manifestSource: loaded.source, now })}\n`);
    return { ok: false, ...verdict };
  }
  const leases = [...used].sort((a, b) => a.token - b.token);
  const expiring = leases.filter((l) => l.expires - now < EXPIRY_WARNING_MS);
  if (expiring.length > 0) process.stderr.write(`${hookMessages.leaseExpiring(expiring.map((l) => ledgerMessages.leaseLine(l, now).trim()))}\n`);
  return { ok: true, ...verdict, leases };
}

/**
 * Checks, and on success leaves the stamp that spares prepare-commit-msg a second node start,
 * bound to what the check read. The inputs are read alongside the check: git holds the index lock
 * for the whole commit and moves HEAD only from the commit it started with, so they cannot change
 * under it without failing the commit.
 */
async function preCommit(): Promise<number> {
  const [inputs, verdict] = await Promise.all([stampInputs(), checkStaged()]);
  if (!verdict.ok) return 1;
  // A commit under a lease is judged again by prepare-commit-msg, which names its tokens in the
  // trailer: a stamp cannot carry them, and the lease could lapse between the two hooks.
  if (inputs && verdict.rules && verdict.leases.length === 0) {
    await writeStamp(inputs, verdict.rules, process.env.SWARM_AGENT || (verdict.configAgent ?? ''), verdict.identity.agent);
  }
  return 0;
}

/**
 * Reached when the hook script found no stamp from pre-commit for this very index (--no-verify,
 * or pre-commit's check was skipped): checks, then prints the agent for the trailer.
 */
async function prepareCommitMsg(source: string, commit: string): Promise<number> {
  // `--amend` (source "commit", the commit being HEAD) replaces HEAD: judged against its parent.
  const head = source === 'commit' && commit ? await resolveCommit('HEAD') : null;
  const verdict = await checkStaged(head !== null && (await resolveCommit(commit)) === head ? head : null);
  if (!verdict.ok) return 1;
  // The agent on the first line, the lease tokens the commit relies on on the second (split_answer).
  if (verdict.identity.agent) process.stdout.write(`${verdict.identity.agent}\n${verdict.leases.length ? `${verdict.leases.map((l) => l.token).join(', ')}\n` : ''}`);
  return 0;
}

/** Prints the agent for the hook script's trailer (commit-msg, and prepare-commit-msg under SWARM_SKIP). */
async function printIdentity(): Promise<number> {
  const identity = identify(await openWorkspace());
  if (identity.agent) process.stdout.write(`${identity.agent}\n`);
  return 0;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Every commit being pushed that the remote lacks, judged by the same range service as CI.
 * git passes the remote's name and its URL; pushing to a URL, both are the URL.
 */
async function prePush(remote: string, url: string): Promise<number> {
  const [ws, input] = await Promise.all([openWorkspace(), readStdin()]);
  const [loaded, grants] = await Promise.all([integrationPolicy(ws), historyLeaseRules(ws, Date.now())]);
  if (loaded.notice) process.stderr.write(`${loaded.notice}\n`);
  if (!loaded.policy) return 0;
  const rules = makeRules(loaded.policy, await landedAgents(ws.tip, ws.paths.toplevel), grants);
  const remoteName = remote && remote !== url ? remote : null;
  const violations: CommitViolation[] = [];
  let checked = 0;
  for (const update of parsePushInput(input)) {
    // Ledger documents (git push origin 'refs/swarm/*'), not work: check never judges them either.
    if (update.remoteRef.startsWith('refs/swarm/')) continue;
    const { selection, branchAgent } = await pushSelection(update, remoteName, ws.settings);
    const verdict = await judgeRange(selection, rules, branchAgent, { baseLabel: remote });
    checked += verdict.checked;
    const start = { hadManifest: true, judged: [...selection.exclude, ws.tip] };
    violations.push(...verdict.violations, ...(await judgeResult(update.localSha, ws.settings, start, ws.cache)));
  }
  if (violations.length === 0) return 0;
  const ctx = { policy: loaded.policy, manifestSource: loaded.source, history: true };
  const report = { what: 'push' as const, checked, manifest: loaded.source, looked: loaded.source, violations: toReport(violations, ctx), limit: null };
  process.stderr.write(`${renderText(report)}\n`);
  return 1;
}

/**
 * The guard on the integration branch (guardIntegration), for a prepared transaction the shell
 * found moving it: a lead passes (land and undo are lead-only, so every landing does); git's own
 * bookkeeping (pack-refs) passes; anyone else is refused, and git aborts the whole transaction.
 * Settings and manifest come from the integration tip as for every hook, so an uncommitted
 * .swarmrc neither arms nor disarms it, and a renamed integration branch fails closed (the
 * workspace refuses a swarm.integration the tip's .swarmrc contradicts).
 */
async function referenceTransaction(state: string): Promise<number> {
  if (state !== 'prepared') return 0;
  const [ws, input] = await Promise.all([openWorkspace(), readStdin()]);
  const { integration, guardIntegration, branchPattern } = ws.settings;
  if (!guardIntegration || ws.settingsOrigin === 'working-tree') return 0;
  const ref = `refs/heads/${integration}`;
  // In any letter case, as the shell matched: on a case-insensitive file system it is the same ref.
  const updates = parseTransaction(input).filter((u) => u.ref.toLowerCase() === ref.toLowerCase());
  if (updates.length === 0) return 0;
  const identity = identify(ws);
  const loaded = await integrationPolicy(ws, { paths: [], agents: identity.agent ? [identity.agent] : [] });
  if (loaded.notice) process.stderr.write(`${loaded.notice}\n`);
  if (!loaded.policy) return 0;
  const manifest = loaded.policy.manifest;
  if (identity.agent && agentSpec(manifest, identity.agent)?.role === 'lead') return 0;
  const current = await refState(ref, ws.paths.commonDir, ws.paths.toplevel);
  const changes = changesOf(updates, current);
  if (changes.length === 0) return 0;
  const leads = Object.entries(manifest.agents).flatMap(([name, a]) => (a.role === 'lead' ? [name] : []));
  const moves = changes.map((u) => ({ ref: u.ref, from: isZeroOid(u.old) ? (current.current ?? u.old) : u.old, to: u.next }));
  const agentBranch = identity.agent ? branchPattern.replace('{agent}', identity.agent) : null;
  process.stderr.write(`${hookMessages.guardRefused({ integration, moves, identity, leads, agentBranch })}\n`);
  return 1;
}

function isSwarmHook(name: string | undefined): name is SwarmHook {
  return (SWARM_HOOKS as readonly (string | undefined)[]).includes(name);
}

export async function run(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  // Not skipped by SWARM_SKIP: the guard's way through is being a lead; switching hooks off
  // altogether gets past it, as the README's trust model says.
  if (name === GUARD_HOOK) return referenceTransaction(rest[0] ?? '');
  if (!isSwarmHook(name)) {
    throw new SwarmError('usage', errorMessages.badOption('hook', errorMessages.expectedOneOf([...SWARM_HOOKS, GUARD_HOOK], name ?? '')), { argument: name ?? '' });
  }
  // Arguments past those git passes today are ignored: a newer git must not refuse every commit.
  const [first = '', second = '', third = ''] = rest;
  if (process.env.SWARM_SKIP === '1') {
    // Skipping the check does not hide who made the commit: CI then reports the real violation.
    if (name === 'prepare-commit-msg' || name === 'commit-msg') return printIdentity();
    process.stderr.write(`${hookMessages.skipped('SWARM_SKIP=1')}\n`);
    return 0;
  }
  switch (name) {
    case 'pre-commit':
      return preCommit();
    case 'prepare-commit-msg':
      return prepareCommitMsg(second, third);
    case 'commit-msg':
      return printIdentity();
    default:
      return prePush(first, second);
  }
}

