/**
 * Landing: ready agents merged onto the integration branch in dependency order, in memory
 * (`merge-tree --write-tree`, merge drivers included, no working tree touched), and published
 * with ONE `update-ref --stdin` transaction: the integration branch (expected: the tip read), the
 * landed marks, the cleared ready marks and the landing record. A crash at any instant leaves the
 * old state or the new one; a tip that moved meanwhile makes the run start again.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { CommitViolation } from '../core/commitCheck.js';
import { planLanding, type LandingRefusal, type LandingUnit } from '../core/landing.js';
import { agentSpec } from '../core/model.js';
import { makeRules } from '../core/ownership.js';
import { SwarmError } from '../errors.js';
import { GitSession } from '../git/gitSession.js';
import { commitTree, fastForwardWorktree, mergeInMemory, refsUnder, verifiedLanded, worktreeDirty, worktreeMatches } from '../git/landing.js';
import { resolveCommit } from '../git/repo.js';
import { listWorktrees } from '../git/worktrees.js';
import { landingMessages as m } from '../messages/landing.js';
import { crashPoint } from './crashPoint.js';
import { judgeRange } from './range.js';
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
  reason: 'violations' | 'conflict' | 'waits-for';
  /** Conflicting paths, or the agents it waits for. */
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
  published: boolean;
}

export interface LandingOptions {
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
  const [tip, ready, landedMarks, loaded, worktrees] = await Promise.all([
    integrationTip(ws),
    refsUnder(READY_PREFIX, cwd),
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
  const plan = planLanding({ manifest, ready: new Set(ready.keys()), landed: landedBefore, asked: options.asked, group: options.group });
  crashPoint('planned');
  const rules = makeRules(loaded.policy, landedBefore);
  const result: LandingResult = { id, integration, from: tip, to: tip, landed: [], failed: [], refused: plan.refused, attempts: attemptNo, published: false };
  const landedNow = new Set<string>();
  let candidate = tip;
  for (const unit of plan.units) {
    let step = candidate;
    const merged: LandedAgent[] = [];
    let failure: UnitFailure | null = null;
    for (const agent of unit.agents) {
      const commit = ready.get(agent)!;
      const waits = agentSpec(manifest, agent)!.after.filter((d) => !landedBefore.has(d) && !landedNow.has(d) && !unit.agents.slice(0, unit.agents.indexOf(agent)).includes(d));
      if (waits.length > 0) {
        failure = { unit, agent, reason: 'waits-for', detail: waits, violations: [] };
        break;
      }
      // Judged again against the rules at the tip: the manifest may have changed since `ready`.
      const verdict = await judgeRange({ include: [commit], exclude: [tip] }, rules, agent, { cwd, baseLabel: integration });
      if (verdict.violations.length > 0) {
        failure = { unit, agent, reason: 'violations', detail: [...new Set(verdict.violations.map((v) => v.path ?? v.commit))], violations: verdict.violations };
        break;
      }
      const merge = await mergeInMemory(step, commit, cwd);
      if (merge.conflicts.length > 0) {
        failure = { unit, agent, reason: 'conflict', detail: merge.conflicts, violations: [] };
        break;
      }
      step = await commitTree(merge.tree, [step, commit], m.commitMessage(agent, agentSpec(manifest, agent)!.task, id, options.lander), cwd);
      merged.push({ agent, commit, merge: step });
      crashPoint(`merged:${agent}`);
    }
    // A unit lands whole or not at all: a failed group leaves the candidate as it was before it.
    if (failure) result.failed.push(failure);
    else {
      candidate = step;
      result.landed.push(...merged);
      for (const l of merged) landedNow.add(l.agent);
    }
  }
  result.to = candidate;
  if (options.dryRun || result.landed.length === 0) return result;
  const session = new GitSession(cwd, join(ws.paths.commonDir, 'swarm', 'tmp'));
  try {
    const previous = (await session.read(LANDINGS_REF))?.oid ?? null;
    const now = Date.now();
    const record = { id, at: new Date(now).toISOString(), lander: options.lander, integration, from: tip, to: candidate, landed: result.landed, failed: result.failed.map((f) => ({ unit: f.unit.name, agent: f.agent, reason: f.reason, detail: f.detail })) };
    const recordCommit = await session.commitFile(RECORD_FILE, Buffer.from(`${JSON.stringify(record, null, 1)}\n`), previous, m.recordMessage(id, result.landed.map((l) => l.agent)), { name: options.lander, email: `${options.lander}@git-swarm.invalid` }, now);
    crashPoint('recorded');
    const outcome = await session.swap([
      { ref: `refs/heads/${integration}`, next: candidate, expected: tip },
      ...result.landed.flatMap((l) => [
        { ref: `${LANDED_PREFIX}${l.agent}`, next: l.commit, expected: landedMarks.get(l.agent) ?? null },
        { ref: `${READY_PREFIX}${l.agent}`, next: null, expected: l.commit },
      ]),
      { ref: LANDINGS_REF, next: recordCommit, expected: previous },
    ]);
    if (!outcome.ok) return null;
  } finally {
    session.close();
  }
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
