/**
 * Landing: ready agents merged onto the integration branch in dependency order, in memory
 * (trivial merges here, the rest by `merge-tree --write-tree`, merge drivers included, no working
 * tree touched), and published with ONE `update-ref --stdin` transaction: the integration branch
 * (expected: the tip read), the landed marks, the cleared ready marks and the landing record. A
 * crash at any instant leaves the old state or the new one; a tip that moved meanwhile makes the
 * run start again.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { CommitViolation } from '../core/commitCheck.js';
import { planLanding, type LandingRefusal, type LandingUnit } from '../core/landing.js';
import { agentSpec, type Manifest } from '../core/model.js';
import { makeRules } from '../core/ownership.js';
import { SwarmError } from '../errors.js';
import { GitSession } from '../git/gitSession.js';
import { TreeMerger } from '../git/treeMerge.js';
import type { RefUpdate } from '../git/refs.js';
import { commitTree, committerIdent, fastForwardWorktree, mergedUnder, untrackedAmong, refsUnder, typedRefsUnder, revertMerges, verifiedLanded, worktreeDirty, worktreeMatches } from '../git/landing.js';
import { resolveCommit } from '../git/repo.js';
import { addDetachedWorktree, listWorktrees, removeWorktree } from '../git/worktrees.js';
import { runShell } from '../git/shell.js';
import { landingMessages as m } from '../messages/landing.js';
import { crashPoint } from './crashPoint.js';
import { historyLeaseRules } from './leaseRules.js';
import { judgeRanges, landingMerge } from './landingRanges.js';
import { integrationPolicy, openWorkspace, type Workspace } from './workspace.js';
import type { LandingRecord } from '../schema/ledger.js';

export const READY_PREFIX = 'refs/swarm/ready/';
export const LANDED_PREFIX = 'refs/swarm/landed/';
export const LANDINGS_REF = 'refs/swarm/landings';
const RECORD_FILE = 'landing.json';
const MAX_ATTEMPTS = 5;

export interface LandedAgent {
  agent: string;
  /** The ready mark: the exact commit that landed. */
  commit: string;
  /** The merge commit that brought it onto the integration branch. */
  merge: string;
}

export interface UnitFailure {
  unit: LandingUnit;
  agent: string;
  reason: 'violations' | 'conflict' | 'waits-for' | 'check' | 'invalid-mark' | 'nothing-new';
  /** Conflicting paths, the agents it waits for, or the last lines of the failing check. */
  detail: string[];
  violations: CommitViolation[];
}

export interface LandingResult {
  id: string;
  integration: string;
  from: string;
  to: string;
  landed: LandedAgent[];
  failed: UnitFailure[];
  refused: LandingRefusal[];
  attempts: number;
  /** How many times the check command ran (0 without one). */
  checkRuns: number;
  published: boolean;
}

export interface LandingOptions {
  /** The check command (--check); null: the settings' land.check. */
  check?: string | null;
  asked: readonly string[] | null;
  group?: string | undefined;
  dryRun: boolean;
  lander: string;
}

/** The exact tip of the integration branch (never a tag of that name). */
async function integrationTip(ws: Workspace): Promise<string> {
  const tip = await resolveCommit(`refs/heads/${ws.settings.integration}`, ws.paths.toplevel);
  if (tip === null) throw new SwarmError('revision', m.noIntegration(ws.settings.integration), { ref: `refs/heads/${ws.settings.integration}` });
  return tip;
}

interface BuildInput {
  units: readonly LandingUnit[];
  on: string;
  landed: ReadonlySet<string>;
  ready: ReadonlyMap<string, string>;
  /** The agents whose mark names a commit (not a tag, tree or blob). */
  commits: ReadonlySet<string>;
  /** The agents whose mark the integration tip already contains. */
  contained: ReadonlySet<string>;
  judged: ReadonlyMap<string, CommitViolation[]>;
  manifest: Manifest;
  id: string;
  lander: string;
  /** Makes a commit of a tree with these parents (written with the others when the build ends). */
  commit: (tree: string, parents: readonly string[], message: string) => Promise<string>;
  /** git's merge of a ready mark onto a commit: its tree, or the paths in conflict. */
  merge: (ours: string, theirs: string) => Promise<{ tree: string; conflicts: string[] }>;
}

/**
 * The result of landing `units` in order on commit `on`, in memory: each agent merged onto what
 * landed before it. A unit lands whole or not at all: a failed group leaves the candidate as it
 * was before it, and what waits for it fails in turn.
 */
async function buildCandidate(input: BuildInput): Promise<{ candidate: string; landed: LandedAgent[]; failed: UnitFailure[] }> {
  const { manifest } = input;
  const landedNow = new Set<string>();
  const landed: LandedAgent[] = [];
  const failed: UnitFailure[] = [];
  let candidate = input.on;
  for (const unit of input.units) {
    let step = candidate;
    const merged: LandedAgent[] = [];
    let failure: UnitFailure | null = null;
    for (const agent of unit.agents) {
      const mark = input.ready.get(agent)!;
      const commit = input.commits.has(agent) ? mark : null;
      const earlier = unit.agents.slice(0, unit.agents.indexOf(agent));
      const waits = agentSpec(manifest, agent)!.after.filter((d) => !input.landed.has(d) && !landedNow.has(d) && !earlier.includes(d));
      const violations = input.judged.get(agent) ?? [];
      // A mark must name a commit itself: a tag or tree there was not written by ready.
      if (commit === null) failure = { unit, agent, reason: 'invalid-mark', detail: [mark], violations: [] };
      else if (input.contained.has(agent)) failure = { unit, agent, reason: 'nothing-new', detail: [mark], violations: [] };
      else if (waits.length > 0) failure = { unit, agent, reason: 'waits-for', detail: waits, violations: [] };
      else if (violations.length > 0) failure = { unit, agent, reason: 'violations', detail: [...new Set(violations.map((v) => v.path ?? v.commit))], violations };
      else {
        // A mark at a commit of another history, or one git cannot merge, is that unit's failure, not the run's.
        const merge = await input.merge(step, commit).catch(() => null);
        if (merge === null) failure = { unit, agent, reason: 'invalid-mark', detail: [mark], violations: [] };
        else if (merge.conflicts.length > 0) failure = { unit, agent, reason: 'conflict', detail: merge.conflicts, violations: [] };
        else {
          step = await input.commit(merge.tree, [step, commit], m.commitMessage(agent, agentSpec(manifest, agent)!.task, input.id, input.lander));
          merged.push({ agent, commit, merge: step });
          crashPoint(`merged:${agent}`);
        }
      }
      if (failure) break;
    }
    if (failure) failed.push(failure);
    else {
      candidate = step;
      landed.push(...merged);
      for (const l of merged) landedNow.add(l.agent);
    }
  }
  return { candidate, landed, failed };
}

type Build = (units: readonly LandingUnit[], on: string, landed: ReadonlySet<string>) => Promise<{ candidate: string; landed: LandedAgent[]; failed: UnitFailure[] }>;

/**
 * Which units pass the check, as merge queues find out (bors): the whole batch first; when it
 * fails, each half in turn on top of what passed before it. One failing unit among N costs about
 * 2·log2(N) runs instead of N.
 */
async function checkedUnits(
  units: readonly LandingUnit[],
  tip: string,
  landedBefore: ReadonlySet<string>,
  build: Build,
  run: (commit: string) => Promise<{ ok: boolean; tail: string[] }>,
): Promise<{ passed: LandingUnit[]; failed: UnitFailure[]; runs: number }> {
  let runs = 0;
  const failed: UnitFailure[] = [];
  const visit = async (batch: readonly LandingUnit[], passedBefore: LandingUnit[]): Promise<LandingUnit[]> => {
    if (batch.length === 0) return [];
    const built = await build([...passedBefore, ...batch], tip, landedBefore);
    if (built.failed.length === 0) {
      runs++;
      const verdict = await run(built.candidate);
      if (verdict.ok) return [...batch];
      if (batch.length === 1) {
        failed.push({ unit: batch[0]!, agent: batch[0]!.agents[0]!, reason: 'check', detail: verdict.tail, violations: [] });
        return [];
      }
    } else if (batch.length === 1) {
      // It waits for a unit the check turned down.
      failed.push(...built.failed.filter((f) => f.unit === batch[0]));
      return [];
    }
    const half = Math.ceil(batch.length / 2);
    const first = await visit(batch.slice(0, half), passedBefore);
    const second = await visit(batch.slice(half), [...passedBefore, ...first]);
    return [...first, ...second];
  };
  const passed = await visit(units, []);
  return { passed, failed, runs };
}

/**
 * The check command on `commit`, in a temporary worktree of its own (removed whatever happens):
 * passes when it exits 0; the tail of its output explains a failure.
 */
async function runLandingCheck(ws: Workspace, commit: string, command: string, id: string): Promise<{ ok: boolean; tail: string[] }> {
  const dir = join(ws.paths.commonDir, 'swarm', `land-${id}-${commit.slice(0, 10)}`);
  await addDetachedWorktree(dir, commit, ws.paths.toplevel);
  try {
    const result = await runShell(command, dir);
    return { ok: result.code === 0, tail: result.output.split('\n').filter(Boolean).slice(-20) };
  } finally {
    await removeWorktree(dir, true, ws.paths.toplevel);
  }
}

/** Untracked files where the new tip's files would go: refused before anything is published. */
async function refuseUntrackedInTheWay(checkedOut: { path: string } | undefined, integration: string, from: string, to: string): Promise<void> {
  const blocking = checkedOut ? await untrackedAmong(checkedOut.path, from, to) : [];
  if (blocking.length > 0) throw new SwarmError('refused', m.untrackedInTheWay(integration, checkedOut!.path, blocking), { ref: `refs/heads/${integration}` });
}

/**
 * Appends `record` to the landing log and applies `updates` with it, in ONE transaction whose
 * old values are those read: false when any ref moved meanwhile (nothing was applied).
 */
async function publish(ws: Workspace, record: LandingRecord, message: string, updates: readonly RefUpdate[]): Promise<boolean> {
  const session = new GitSession(ws.paths.toplevel, join(ws.paths.commonDir, 'swarm', 'tmp'));
  try {
    const previous = (await session.read(LANDINGS_REF))?.oid ?? null;
    const content = Buffer.from(`${JSON.stringify(record, null, 1)}\n`);
    const recordCommit = await session.commitFile(RECORD_FILE, content, previous, message, { name: record.lander, email: `${record.lander}@git-swarm.invalid` }, Date.parse(record.at));
    crashPoint('recorded');
    return (await session.swap([...updates, { ref: LANDINGS_REF, next: recordCommit, expected: previous }])).ok;
  } finally {
    session.close();
  }
}

/**
 * A landing that published but died before updating the checked-out integration branch leaves
 * its files at the landing's start while the branch is at its end: that is not the user's work,
 * so the update is finished now. True when that was the case.
 */
async function finishInterrupted(ws: Workspace, worktree: string, tip: string): Promise<boolean> {
  const last = (await landingLog(ws, 1))[0];
  if (!last || last.to !== tip || !(await worktreeMatches(worktree, last.from))) return false;
  await fastForwardWorktree(worktree, last.from, last.to);
  return true;
}

/** One attempt: read, plan, merge; publish unless dry. Null when the tip moved before publishing. */
async function attempt(options: LandingOptions, id: string, attemptNo: number): Promise<LandingResult | null> {
  const ws = await openWorkspace();
  const cwd = ws.paths.toplevel;
  const integration = ws.settings.integration;
  const [tip, readyTyped, landedMarks, loaded, worktrees] = await Promise.all([
    integrationTip(ws),
    typedRefsUnder(READY_PREFIX, cwd),
    refsUnder(LANDED_PREFIX, cwd),
    integrationPolicy(ws),
    listWorktrees(cwd),
  ]);
  if (!loaded.policy) throw new SwarmError('manifest', m.noManifest(ws.settings.manifest), { file: ws.settings.manifest });
  const manifest = loaded.policy.manifest;
  // Before anything: a checked-out integration branch with changes would be overwritten.
  const checkedOut = worktrees.find((w) => w.branch === integration && !w.bare);
  if (checkedOut && !options.dryRun && (await worktreeDirty(checkedOut.path)) && !(await finishInterrupted(ws, checkedOut.path, tip))) {
    throw new SwarmError('refused', m.dirtyIntegration(integration, checkedOut.path), { ref: `refs/heads/${integration}` });
  }
  const landedBefore = await verifiedLanded(LANDED_PREFIX, tip, cwd);
  const ready = new Map([...readyTyped].map(([a, { oid }]) => [a, oid]));
  const commits = new Set([...readyTyped].filter(([, { type }]) => type === 'commit').map(([a]) => a));
  // A mark the tip already contains has nothing to land: an empty merge would only say it did.
  const contained = await mergedUnder(READY_PREFIX, tip, cwd);
  const plan = planLanding({ manifest, ready: new Set(ready.keys()), landed: landedBefore, asked: options.asked, group: options.group, maxBatch: ws.settings.limits.maxLandingBatch });
  crashPoint('planned');
  // Commits made under leases are proven from the ledger's history, as check proves them.
  const rules = makeRules(loaded.policy, landedBefore, await historyLeaseRules(ws, Date.now()));
  const result: LandingResult = { id, integration, from: tip, to: tip, landed: [], failed: [], refused: plan.refused, attempts: attemptNo, checkRuns: 0, published: false };
  // Judged once per agent against the rules at the tip: the manifest may have changed since `ready`.
  const [{ judged, bases }, ident] = await Promise.all([judgeRanges(plan.units.flatMap((u) => u.agents), ready, commits, tip, rules, { cwd, baseLabel: integration }), committerIdent(cwd)]);
  const writer = new GitSession(cwd, join(ws.paths.commonDir, 'swarm', 'tmp'));
  const merger = new TreeMerger(writer);
  const commit = async (tree: string, parents: readonly string[], message: string) => merger.commit(tree, parents, message, ident);
  const merge = landingMerge(merger, bases, cwd);
  const build = async (units: readonly LandingUnit[], on: string, landedAlready: ReadonlySet<string>) => {
    const built = await buildCandidate({ units, on, landed: landedAlready, ready, commits, contained, judged, manifest, id, lander: options.lander, commit, merge });
    // Its trees and commits, made in memory, are written before anything reads them (the check, the transaction).
    await writer.flush();
    return built;
  };
  let built: Awaited<ReturnType<typeof build>>;
  try {
    built = await build(plan.units, tip, landedBefore);
    result.failed.push(...built.failed);
    const check = options.check ?? ws.settings.land.check;
    if (check !== null && built.landed.length > 0) {
      const passed = plan.units.filter((u) => !built.failed.some((f) => f.unit === u));
      const verdict = await checkedUnits(passed, tip, landedBefore, build, (commit) => runLandingCheck(ws, commit, check, id));
      result.checkRuns = verdict.runs;
      result.failed.push(...verdict.failed);
      built = await build(verdict.passed, tip, landedBefore);
    }
  } finally {
    writer.close();
  }
  const candidate = built.candidate;
  result.landed.push(...built.landed);
  result.to = candidate;
  if (options.dryRun || result.landed.length === 0) return result;
  await refuseUntrackedInTheWay(checkedOut, integration, tip, candidate);
  const record = { id, at: new Date().toISOString(), lander: options.lander, integration, from: tip, to: candidate, landed: result.landed, failed: result.failed.map((f) => ({ unit: f.unit.name, agent: f.agent, reason: f.reason, detail: f.detail })) };
  const published = await publish(ws, record, m.recordMessage(id, result.landed.map((l) => l.agent)), [
    { ref: `refs/heads/${integration}`, next: candidate, expected: tip },
    ...result.landed.flatMap((l) => [
      { ref: `${LANDED_PREFIX}${l.agent}`, next: l.commit, expected: landedMarks.get(l.agent) ?? null },
      { ref: `${READY_PREFIX}${l.agent}`, next: null, expected: l.commit },
    ]),
  ]);
  if (!published) return null;
  result.published = true;
  crashPoint('published');
  // Its files follow the branch, as a fast-forward would; it was clean (checked above).
  if (checkedOut) await fastForwardWorktree(checkedOut.path, tip, candidate);
  return result;
}

/** Agents whose work has landed on the integration tip: their claims hold nobody back any more. */
export async function landedAgents(tip: string, cwd: string): Promise<Set<string>> {
  return verifiedLanded(LANDED_PREFIX, tip, cwd);
}

/** Lands what `options` asks for; rebuilt from the start when the integration branch moved under it. */
export async function land(options: LandingOptions): Promise<LandingResult> {
  const id = randomBytes(6).toString('hex');
  for (let n = 1; n <= MAX_ATTEMPTS; n++) {
    const result = await attempt(options, id, n);
    if (result) return result;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * n));
  }
  throw new SwarmError('contention', m.keptMoving(MAX_ATTEMPTS), {});
}

/** The landing log, newest first: every record on refs/swarm/landings, validated. */
export async function landingLog(ws: Workspace, limit: number): Promise<LandingRecord[]> {
  const { validateLandingRecord } = await import('./heavy.js');
  const session = new GitSession(ws.paths.toplevel, join(ws.paths.commonDir, 'swarm', 'tmp'));
  try {
    const out: LandingRecord[] = [];
    let next = (await session.read(LANDINGS_REF))?.oid ?? null;
    while (next !== null && out.length < limit) {
      const commit = await session.read(next);
      const where = `${LANDINGS_REF} (${next.slice(0, 10)}):${RECORD_FILE}`;
      const blob = await session.read(`${next}:${RECORD_FILE}`);
      if (commit === null || commit.type !== 'commit' || blob === null) throw new SwarmError('ledger', m.corruptLog(where), { ref: LANDINGS_REF, file: where });
      out.push(validateLandingRecord(blob.content, where));
      next = /^parent ([0-9a-f]+)$/m.exec(commit.content.toString('utf8'))?.[1] ?? null;
    }
    return out;
  } finally {
    session.close();
  }
}

export interface UndoResult {
  id: string;
  undoes: string;
  integration: string;
  from: string;
  to: string;
  reopened: string[];
}

/**
 * Reverts a landing with one new commit on the integration branch (its merges reverted newest
 * first), published the same way as a landing: one transaction moving the branch, removing the
 * agents' landed marks (their claims hold again) and recording the undo. Refused when a later
 * landing depends on it: an agent landed since comes after one of its agents, or the revert
 * conflicts with what landed since.
 */
export async function undoLanding(landingId: string, lander: string): Promise<UndoResult> {
  const ws = await openWorkspace();
  const cwd = ws.paths.toplevel;
  const integration = ws.settings.integration;
  const [tip, log, loaded, landedMarks, worktrees] = await Promise.all([integrationTip(ws), landingLog(ws, 10_000), integrationPolicy(ws), refsUnder(LANDED_PREFIX, cwd), listWorktrees(cwd)]);
  const at = log.findIndex((r) => r.id === landingId);
  const record = log[at];
  if (!record || record.undoes !== undefined) throw new SwarmError('usage', m.unknownLanding(landingId, log.filter((r) => r.undoes === undefined).slice(0, 5).map((r) => r.id)), { argument: landingId });
  if (log.slice(0, at).some((r) => r.undoes === landingId)) throw new SwarmError('refused', m.alreadyUndone(landingId), { argument: landingId });
  const agents = record.landed.map((l) => l.agent);
  const manifest = loaded.policy?.manifest;
  const undone = new Set(log.flatMap((r) => (r.undoes === undefined ? [] : [r.undoes])));
  const dependents = log
    .slice(0, at)
    .filter((r) => !undone.has(r.id))
    .flatMap((r) => r.landed.map((l) => l.agent))
    .filter((a) => manifest && agentSpec(manifest, a)?.after.some((d) => agents.includes(d)));
  if (dependents.length > 0) throw new SwarmError('refused', m.undoDependents(landingId, [...new Set(dependents)]), { argument: landingId });
  const checkedOut = worktrees.find((w) => w.branch === integration && !w.bare);
  if (checkedOut && (await worktreeDirty(checkedOut.path))) throw new SwarmError('refused', m.dirtyIntegration(integration, checkedOut.path), { ref: `refs/heads/${integration}` });
  const id = randomBytes(6).toString('hex');
  const dir = join(ws.paths.commonDir, 'swarm', `undo-${id}`);
  await addDetachedWorktree(dir, tip, cwd);
  let reverted: { tree: string; conflicts: string[] };
  try {
    reverted = await revertMerges(dir, record.landed.map((l) => l.merge).reverse());
  } finally {
    await removeWorktree(dir, true, cwd);
  }
  if (reverted.conflicts.length > 0) throw new SwarmError('refused', m.undoConflicts(landingId, reverted.conflicts), { argument: landingId });
  const to = await commitTree(reverted.tree, [tip], m.undoMessage(landingId, agents, id, lander), cwd);
  await refuseUntrackedInTheWay(checkedOut, integration, tip, to);
  const reopened = record.landed.filter((l) => landedMarks.get(l.agent) === l.commit);
  const undoRecord = { id, at: new Date().toISOString(), lander, integration, from: tip, to, landed: [], failed: [], undoes: landingId };
  const published = await publish(ws, undoRecord, m.undoRecordMessage(id, landingId), [
    { ref: `refs/heads/${integration}`, next: to, expected: tip },
    ...reopened.map((l) => ({ ref: `${LANDED_PREFIX}${l.agent}`, next: null, expected: l.commit })),
  ]);
  if (!published) throw new SwarmError('contention', m.undoMoved(landingId, integration), { ref: `refs/heads/${integration}` });
  if (checkedOut) await fastForwardWorktree(checkedOut.path, tip, to);
  return { id, undoes: landingId, integration, from: tip, to, reopened: reopened.map((l) => l.agent) };
}
