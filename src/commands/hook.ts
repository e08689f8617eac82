import type { CommitViolation } from '../core/commitCheck.js';
import type { Identity } from '../core/identity.js';
import { checkChanges, makeRules } from '../core/ownership.js';
import { identify, integrationPolicy, openWorkspace } from '../orchestration/workspace.js';
import { stampInputs, writeStamp, type StampPolicy } from '../git/stamp.js';
import { manifestSpec } from '../core/settingsGuess.js';
import { SWARM_HOOKS } from '../git/hookProtocol.js';
import { SwarmError } from '../errors.js';
import { chargedStagedChanges, stagedChanges } from '../git/staged.js';
import { errorMessages } from '../messages/errors.js';
import { hookMessages } from '../messages/hook.js';
import { refusal } from '../messages/violations.js';
import { renderText } from '../render/text.js';
import { toReport } from '../render/report.js';
import { judgeRange, parsePushInput, pushSelection } from '../orchestration/range.js';

interface StagedVerdict {
  ok: boolean;
  identity: Identity;
  /** git config swarm.agent as read (undefined when SWARM_AGENT made reading it needless). */
  configAgent: string | undefined;
  /** The rules the check applied, when they are the integration branch's (the only ones a stamp binds). */
  rules: StampPolicy | null;
}

/**
 * The ownership rule over the staged index, as pre-commit and prepare-commit-msg both apply it.
 * Only the part of the policy these paths and this agent reach is loaded; a refusal loads the
 * claim lists of the agents it names.
 */
async function checkStaged(): Promise<StagedVerdict> {
  const [ws, staged] = await Promise.all([openWorkspace(), stagedChanges()]);
  const identity = identify(ws);
  const changes = await chargedStagedChanges(staged, ws.paths.mergeHeadFile);
  const loaded = await integrationPolicy(ws, { paths: changes.map((c) => c.path), agents: [identity.agent] });
  if (loaded.notice) process.stderr.write(`${loaded.notice}\n`);
  const { integration, manifest } = ws.settings;
  const rules = loaded.notice === null && ws.integrationManifest !== null
    ? { spec: manifestSpec(integration, manifest), manifest: ws.integrationManifest, settingsText: ws.settingsText }
    : null;
  const verdict = { identity, configAgent: ws.configAgent, rules };
  if (!loaded.policy) return { ok: true, ...verdict };
  const violations = checkChanges(makeRules(loaded.policy), identity.agent, changes);
  if (violations.length > 0) {
    const named = await integrationPolicy(ws, { paths: [], agents: [identity.agent, ...violations.flatMap((v) => v.holders)] });
    const policy = named.policy ?? loaded.policy;
    process.stderr.write(`${refusal('commit', identity, violations, { policy, manifestSource: loaded.source })}\n`);
    return { ok: false, ...verdict };
  }
  return { ok: true, ...verdict };
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
  if (inputs && verdict.rules) {
    await writeStamp(inputs, verdict.rules, process.env.SWARM_AGENT || (verdict.configAgent ?? ''), verdict.identity.agent);
  }
  return 0;
}

/**
 * Reached when the hook script found no stamp from pre-commit for this very index (--no-verify,
 * or pre-commit's check was skipped): checks, then prints the agent for the trailer.
 */
async function prepareCommitMsg(): Promise<number> {
  const verdict = await checkStaged();
  if (!verdict.ok) return 1;
  if (verdict.identity.agent) process.stdout.write(`${verdict.identity.agent}\n`);
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
  const loaded = await integrationPolicy(ws);
  if (loaded.notice) process.stderr.write(`${loaded.notice}\n`);
  if (!loaded.policy) return 0;
  const rules = makeRules(loaded.policy);
  const remoteName = remote && remote !== url ? remote : null;
  const violations: CommitViolation[] = [];
  let checked = 0;
  for (const update of parsePushInput(input)) {
    const { selection, branchAgent } = await pushSelection(update, remoteName, ws.settings);
    const verdict = await judgeRange(selection, rules, branchAgent, { baseLabel: remote });
    checked += verdict.checked;
    violations.push(...verdict.violations);
  }
  if (violations.length === 0) return 0;
  const ctx = { policy: loaded.policy, manifestSource: loaded.source, history: true };
  const report = { what: 'push' as const, checked, manifest: loaded.source, looked: loaded.source, violations: toReport(violations, ctx), limit: null };
  process.stderr.write(`${renderText(report)}\n`);
  return 1;
}

export async function run(args: string[]): Promise<number> {
  const [name, first = '', second = ''] = args;
  if (!(SWARM_HOOKS as readonly string[]).includes(name ?? '')) {
    throw new SwarmError('usage', errorMessages.badOption('hook', `expected one of ${SWARM_HOOKS.join(', ')}, got ${JSON.stringify(name ?? '')}`));
  }
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
      return prepareCommitMsg();
    case 'commit-msg':
      return printIdentity();
    default:
      return prePush(first, second);
  }
}

