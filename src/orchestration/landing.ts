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
import { commitTree, committerIdent, fastForwardWorktree, mergedUnder, untrackedAmong, refsUnder, typedRefsUnder, previousValue, revertMerges, changedPaths, objectsAt, chainSubjects, verifiedLanded, worktreeDirty, worktreeMatches } from '../git/landing.js';
import { addDetachedWorktree, listWorktrees, removeWorktree, type WorktreeEntry } from '../git/worktrees.js';
import { runShell, type ShellRun } from '../git/shell.js';
import { durationSeconds } from '../core/duration.js';
import { landingMessages as m } from '../messages/landing.js';
import { crashPoint } from './crashPoint.js';
import { followLocally, openTarget, publishTo, type LandingTarget, type LocalFollow } from './landingTarget.js';
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
  reason: 'violations' | 'conflict' | 'waits-for' | 'check' | 'invalid-mark' | 'nothing-new' | 'undone';
  /** Conflicting paths, the agents it waits for, the last lines of the failing check, or (undone) the undo's commit and the paths it would leave out. */
  detail: string[];
  violations: CommitViolation[];
}

export interface LandingResult {
  id: string;
  integration: string;
  /** coordination.remote when the landing went through it. */
  remote: string | null;
  from: string;
  to: string;
  landed: LandedAgent[];
  failed: UnitFailure[];
  refused: LandingRefusal[];
  attempts: number;
  /** How many times the check command ran (0 without one). */
  checkRuns: number;
  published: boolean;
  /** With a remote: whether this repository's integration branch followed the remote's. */
  local: LocalFollow;
}

/** What a landing is doing, for a progress display: which agent, which step, the check's output as it comes. */
export type LandingEvent =
  | { step: 'planned'; tip: string; units: number; agents: number; attempt: number }
  | { step: 'judged'; agents: number }
  | { step: 'merged'; agent: string }
  | { step: 'failed'; agent: string; reason: UnitFailure['reason'] }
  | { step: 'check'; run: number; agents: readonly string[] }
  | { step: 'check-output'; text: string }
  | { step: 'check-done'; run: number; ok: boolean }
  | { step: 'publishing'; agents: readonly string[]; remote: string | null }
  | { step: 'moved' };

export interface LandingOptions {
  /** The check command (--check); null: the settings' land.check. */
  check?: string | null;
  asked: readonly string[] | null;
  group?: string | undefined;
  dryRun: boolean;
  lander: string;
  progress?: (event: LandingEvent) => void;
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
  /** Per agent, its landings that were undone since. */
  undone: ReadonlyMap<string, readonly UndoneLanding[]>;
  judged: ReadonlyMap<string, CommitViolation[]>;
  manifest: Manifest;
  id: string;
  lander: string;
  /** Makes a commit of a tree with these parents (written with the others when the build ends). */
  commit: (tree: string, parents: readonly string[], message: string) => Promise<string>;
  progress: (event: LandingEvent) => void;
  /** git's merge of a ready mark onto a commit: its tree, or the paths in conflict. */
  merge: (ours: string, theirs: string) => Promise<{ tree: string; conflicts: string[] }>;
  /** Writes the trees and commits made so far, for git to read. */
  flush: () => Promise<void>;
  cwd: string;
}

/**
 * The result of landing `units` in order on commit `on`, in memory: each agent merged onto what
 * landed before it. A unit lands whole or not at all: a failed group leaves the candidate as it
 * was before it, and what waits for it fails in turn.
 */
async function buildCandidate(input: BuildInput): Promise<{ candidate: string; landed: LandedAgent[]; failed: UnitFailure[] }> {
  const { manifest, cwd } = input;
  const landedNow = new Set<string>();
  const landed: LandedAgent[] = [];
  const failed: UnitFailure[] = [];
  let candidate = input.on;
  for (const unit of input.units) {
    let step = candidate;
    const merged: LandedAgent[] = [];
    let failure: UnitFailure | null = null;
    for (const agent of unit.agents) {
      let lost: string[] | null;
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
        else if ((lost = await leftOutByUndo(input.undone.get(agent) ?? [], merge.tree, commit, cwd, input.flush)) !== null) failure = { unit, agent, reason: 'undone', detail: lost, violations: [] };
        else {
          step = await input.commit(merge.tree, [step, commit], m.commitMessage(agent, agentSpec(manifest, agent)!.task, input.id, input.lander));
          merged.push({ agent, commit, merge: step });
          input.progress({ step: 'merged', agent });
          crashPoint(`merged:${agent}`);
        }
      }
      if (failure) break;
    }
    if (failure) {
      failed.push(failure);
      input.progress({ step: 'failed', agent: failure.agent, reason: failure.reason });
    } else {
      candidate = step;
      landed.push(...merged);
      for (const l of merged) landedNow.add(l.agent);
    }
  }
  return { candidate, landed, failed };
}

/** A landing of `agent` that was undone since: its merge, and the undo's commit on the branch. */
export interface UndoneLanding {
  landing: string;
  merge: string;
  undo: string;
}

/** Per agent, its landings that were undone. Reads the log only when it records an undo. */
async function undoneLandings(ws: Workspace): Promise<Map<string, UndoneLanding[]>> {
  const out = new Map<string, UndoneLanding[]>();
  if (!(await chainSubjects(LANDINGS_REF, ws.paths.toplevel)).some(m.isUndoRecord)) return out;
  const log = await landingLog(ws, 10_000);
  const undoOf = new Map(log.flatMap((r) => (r.undoes === undefined ? [] : [[r.undoes, r.to] as const])));
  for (const r of log) {
    const undo = undoOf.get(r.id);
    if (undo !== undefined) for (const l of r.landed) out.set(l.agent, [...(out.get(l.agent) ?? []), { landing: r.id, merge: l.merge, undo }]);
  }
  return out;
}

/**
 * git counts an undone landing's commits as merged: landing the agent again (its old commits, or
 * new ones on top) brings only what is new, and the changes the undo reverted stay out, silently.
 * Those are the paths the undone merge changed that the result still has as before that merge,
 * while the agent's commit has them otherwise. Null when nothing is left out; else the undo's
 * commit (the one to revert on the agent's branch) and the paths.
 */
async function leftOutByUndo(undone: readonly UndoneLanding[], result: string, mark: string, cwd: string, flush: () => Promise<void>): Promise<string[] | null> {
  // The result's tree may still be in memory only: git reads it below.
  if (undone.length > 0) await flush();
  for (const u of undone) {
    const paths = await changedPaths(`${u.merge}^1`, u.merge, cwd);
    const [before, now, mine] = await Promise.all([objectsAt(`${u.merge}^1`, paths, cwd), objectsAt(result, paths, cwd), objectsAt(mark, paths, cwd)]);
    const lost = paths.filter((p) => now.get(p) === before.get(p) && mine.get(p) !== before.get(p));
    if (lost.length > 0) return [u.undo, ...lost];
  }
  return null;
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
  run: (commit: string, agents: readonly string[], runNo: number) => Promise<{ ok: boolean; tail: string[] }>,
): Promise<{ passed: LandingUnit[]; failed: UnitFailure[]; runs: number }> {
  let runs = 0;
  const failed: UnitFailure[] = [];
  const visit = async (batch: readonly LandingUnit[], passedBefore: LandingUnit[]): Promise<LandingUnit[]> => {
    if (batch.length === 0) return [];
    const built = await build([...passedBefore, ...batch], tip, landedBefore);
    if (built.failed.length === 0) {
      runs++;
      const verdict = await run(built.candidate, built.landed.map((l) => l.agent), runs);
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
async function runLandingCheck(ws: Workspace, commit: string, command: string, id: string, progress: (event: LandingEvent) => void): Promise<{ ok: boolean; tail: string[] }> {
  const dir = temporaryWorktree(ws, 'land', `${id}-${commit.slice(0, 10)}`);
  const timeout = ws.settings.land.checkTimeout;
  await addDetachedWorktree(dir, commit, ws.paths.toplevel);
  let result: ShellRun;
  try {
    crashPoint('checking');
    result = await runShell(command, dir, { onOutput: (text) => progress({ step: 'check-output', text }), timeoutMs: durationSeconds(timeout) * 1000 });
    crashPoint('checked');
  } finally {
    await removeWorktree(dir, true, ws.paths.toplevel);
  }
  // Stopped by Ctrl-C: nothing is published, and the temporary worktree is gone.
  if (result.interrupted) throw new SwarmError('interrupted', m.checkInterrupted, {});
  const tail = result.output.split('\n').filter(Boolean).slice(-20);
  return { ok: result.code === 0 && !result.timedOut, tail: result.timedOut ? [...tail, m.checkTimedOut(timeout)] : tail };
}

/**
 * A temporary worktree's folder, named after this process so that a later run can tell one left
 * by a lander that died (SIGKILL, a power cut) from one still in use.
 */
function temporaryWorktree(ws: Workspace, kind: 'land' | 'undo', name: string): string {
  return join(ws.paths.commonDir, 'swarm', `${kind}-${process.pid}-${name}`);
}

const TEMPORARY = /\/swarm\/(?:land|undo)-(\d+)-[^/]+$/;

/** Removes the temporary worktrees of landers and undos that died before removing them. */
async function removeAbandoned(ws: Workspace, worktrees: readonly WorktreeEntry[]): Promise<void> {
  const prefix = join(ws.paths.commonDir, 'swarm');
  for (const w of worktrees) {
    const pid = TEMPORARY.exec(w.path)?.[1];
    if (pid === undefined || !w.path.startsWith(prefix) || alive(Number(pid))) continue;
    await removeWorktree(w.path, true, ws.paths.toplevel).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: a process of someone else's has that number, alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
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
async function publish(ws: Workspace, target: LandingTarget, record: LandingRecord, message: string, updates: readonly RefUpdate[]): Promise<boolean> {
  const session = new GitSession(ws.paths.toplevel, join(ws.paths.commonDir, 'swarm', 'tmp'));
  try {
    const previous = (await session.read(LANDINGS_REF))?.oid ?? null;
    const content = Buffer.from(`${JSON.stringify(record, null, 1)}\n`);
    const recordCommit = await session.commitFile(RECORD_FILE, content, previous, message, { name: record.lander, email: `${record.lander}@git-swarm.invalid` }, Date.parse(record.at));
    crashPoint('recorded');
    return await publishTo(ws, target, session, [...updates, { ref: LANDINGS_REF, next: recordCommit, expected: previous }]);
  } finally {
    session.close();
  }
}

/**
 * A landing that published but died before updating the checked-out integration branch leaves
 * its files where the branch was (the landing's start, or with a remote the branch's previous
 * value) while the branch is at the landing's end: that is not the user's work, so the update is
 * finished now. True when that was the case.
 */
async function finishInterrupted(ws: Workspace, worktree: string, local: string | null): Promise<boolean> {
  const last = (await landingLog(ws, 1))[0];
  if (!last || local === null || last.to !== local) return false;
  const before = await previousValue(`refs/heads/${ws.settings.integration}`, ws.paths.toplevel);
  for (const from of new Set([last.from, ...(before ? [before] : [])])) {
    if (await worktreeMatches(worktree, from)) {
      await fastForwardWorktree(worktree, from, last.to);
      return true;
    }
  }
  return false;
}

/** One attempt: read, plan, merge; publish unless dry. Null when the tip moved before publishing. */
async function attempt(options: LandingOptions, id: string, attemptNo: number): Promise<LandingResult | null> {
  const ws = await openWorkspace();
  const cwd = ws.paths.toplevel;
  const integration = ws.settings.integration;
  // With a remote, its branch and marks are fetched before any of them is read.
  const target = await openTarget(ws);
  const tip = target.tip;
  const [readyTyped, landedMarks, loaded, worktrees] = await Promise.all([
    typedRefsUnder(READY_PREFIX, cwd),
    refsUnder(LANDED_PREFIX, cwd),
    integrationPolicy(ws),
    listWorktrees(cwd),
  ]);
  if (!loaded.policy) throw new SwarmError('manifest', m.noManifest(ws.settings.manifest), { file: ws.settings.manifest });
  const manifest = loaded.policy.manifest;
  await removeAbandoned(ws, worktrees);
  // Before anything: a checked-out integration branch with changes would be overwritten.
  const checkedOut = worktrees.find((w) => w.branch === integration && !w.bare);
  if (checkedOut && !options.dryRun && (await worktreeDirty(checkedOut.path)) && !(await finishInterrupted(ws, checkedOut.path, target.local))) {
    throw new SwarmError('refused', m.dirtyIntegration(integration, checkedOut.path), { ref: `refs/heads/${integration}` });
  }
  const landedBefore = await verifiedLanded(LANDED_PREFIX, tip, cwd);
  const ready = new Map([...readyTyped].map(([a, { oid }]) => [a, oid]));
  const commits = new Set([...readyTyped].filter(([, { type }]) => type === 'commit').map(([a]) => a));
  // A mark the tip already contains has nothing to land: an empty merge would only say it did.
  const [contained, undone] = await Promise.all([mergedUnder(READY_PREFIX, tip, cwd), undoneLandings(ws)]);
  const plan = planLanding({ manifest, ready: new Set(ready.keys()), landed: landedBefore, asked: options.asked, group: options.group, maxBatch: ws.settings.limits.maxLandingBatch });
  const say = options.progress ?? (() => undefined);
  say({ step: 'planned', tip, units: plan.units.length, agents: plan.units.reduce((n, u) => n + u.agents.length, 0), attempt: attemptNo });
  crashPoint('planned');
  // Commits made under leases are proven from the ledger's history, as check proves them.
  const rules = makeRules(loaded.policy, landedBefore, await historyLeaseRules(ws, Date.now()));
  const result: LandingResult = { id, integration, remote: target.remote, from: tip, to: tip, landed: [], failed: [], refused: plan.refused, attempts: attemptNo, checkRuns: 0, published: false, local: 'none' };
  // Judged once per agent against the rules at the tip: the manifest may have changed since `ready`.
  const toJudge = plan.units.flatMap((u) => u.agents);
  const [{ judged, bases }, ident] = await Promise.all([judgeRanges(toJudge, ready, commits, tip, rules, { cwd, baseLabel: integration }), committerIdent(cwd)]);
  say({ step: 'judged', agents: toJudge.length });
  crashPoint('judged');
  const writer = new GitSession(cwd, join(ws.paths.commonDir, 'swarm', 'tmp'));
  const merger = new TreeMerger(writer);
  const commit = async (tree: string, parents: readonly string[], message: string) => merger.commit(tree, parents, message, ident);
  const merge = landingMerge(merger, bases, cwd);
  const flush = () => writer.flush();
  const build = async (units: readonly LandingUnit[], on: string, landedAlready: ReadonlySet<string>) => {
    const built = await buildCandidate({ units, on, landed: landedAlready, ready, commits, contained, undone, judged, manifest, id, lander: options.lander, commit, merge, flush, cwd, progress: say });
    // Its trees and commits, made in memory, are written before anything reads them (the check, the transaction).
    await flush();
    return built;
  };
  let built: Awaited<ReturnType<typeof build>>;
  try {
    built = await build(plan.units, tip, landedBefore);
    crashPoint('built');
    result.failed.push(...built.failed);
    const check = options.check ?? ws.settings.land.check;
    if (check !== null && built.landed.length > 0) {
      const passed = plan.units.filter((u) => !built.failed.some((f) => f.unit === u));
      const verdict = await checkedUnits(passed, tip, landedBefore, build, async (commit, agents, run) => {
        say({ step: 'check', run, agents });
        const outcome = await runLandingCheck(ws, commit, check, id, say);
        say({ step: 'check-done', run, ok: outcome.ok });
        return outcome;
      });
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
  await refuseUntrackedInTheWay(checkedOut, integration, target.local ?? tip, candidate);
  const record = { id, at: new Date().toISOString(), lander: options.lander, integration, from: tip, to: candidate, landed: result.landed, failed: result.failed.map((f) => ({ unit: f.unit.name, agent: f.agent, reason: f.reason, detail: f.detail })) };
  say({ step: 'publishing', agents: result.landed.map((l) => l.agent), remote: target.remote });
  const published = await publish(ws, target, record, m.recordMessage(id, result.landed.map((l) => l.agent)), [
    { ref: `refs/heads/${integration}`, next: candidate, expected: tip },
    ...result.landed.flatMap((l) => [
      { ref: `${LANDED_PREFIX}${l.agent}`, next: l.commit, expected: landedMarks.get(l.agent) ?? null },
      { ref: `${READY_PREFIX}${l.agent}`, next: null, expected: l.commit },
    ]),
  ]);
  if (!published) {
    say({ step: 'moved' });
    return null;
  }
  result.published = true;
  crashPoint('published');
  // Its files follow the branch, as a fast-forward would; it was clean (checked above).
  if (target.remote === null) {
    if (checkedOut) await fastForwardWorktree(checkedOut.path, tip, candidate);
  } else result.local = await followLocally(ws, target, candidate, checkedOut?.path);
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
  remote: string | null;
  local: LocalFollow;
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
  const target = await openTarget(ws);
  const tip = target.tip;
  const [log, loaded, landedMarks, worktrees] = await Promise.all([landingLog(ws, 10_000), integrationPolicy(ws), refsUnder(LANDED_PREFIX, cwd), listWorktrees(cwd)]);
  // First, as land does: a landing or undo that died before updating the checked-out branch is finished.
  const checkedOut = worktrees.find((w) => w.branch === integration && !w.bare);
  if (checkedOut && (await worktreeDirty(checkedOut.path)) && !(await finishInterrupted(ws, checkedOut.path, target.local))) {
    throw new SwarmError('refused', m.dirtyIntegration(integration, checkedOut.path), { ref: `refs/heads/${integration}` });
  }
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
  const id = randomBytes(6).toString('hex');
  await removeAbandoned(ws, worktrees);
  const dir = temporaryWorktree(ws, 'undo', id);
  await addDetachedWorktree(dir, tip, cwd);
  let reverted: { tree: string; conflicts: string[] };
  try {
    crashPoint('reverting');
    reverted = await revertMerges(dir, record.landed.map((l) => l.merge).reverse());
  } finally {
    await removeWorktree(dir, true, cwd);
  }
  if (reverted.conflicts.length > 0) throw new SwarmError('refused', m.undoConflicts(landingId, reverted.conflicts), { argument: landingId });
  const to = await commitTree(reverted.tree, [tip], m.undoMessage(landingId, agents, id, lander), cwd);
  await refuseUntrackedInTheWay(checkedOut, integration, target.local ?? tip, to);
  const reopened = record.landed.filter((l) => landedMarks.get(l.agent) === l.commit);
  const undoRecord = { id, at: new Date().toISOString(), lander, integration, from: tip, to, landed: [], failed: [], undoes: landingId };
  const published = await publish(ws, target, undoRecord, m.undoRecordMessage(id, landingId), [
    { ref: `refs/heads/${integration}`, next: to, expected: tip },
    ...reopened.map((l) => ({ ref: `${LANDED_PREFIX}${l.agent}`, next: null, expected: l.commit })),
  ]);
  if (!published) throw new SwarmError('contention', m.undoMoved(landingId, integration), { ref: `refs/heads/${integration}` });
  crashPoint('published');
  let local: LocalFollow = 'none';
  if (target.remote === null) {
    if (checkedOut) await fastForwardWorktree(checkedOut.path, tip, to);
  } else local = await followLocally(ws, target, to, checkedOut?.path);
  return { id, undoes: landingId, integration, remote: target.remote, from: tip, to, reopened: reopened.map((l) => l.agent), local };
}
