import { agentFromBranch } from '../core/branchPattern.js';
import { checkCommit, type CommitViolation } from '../core/commitCheck.js';
import type { Identity } from '../core/identity.js';
import { checkChanges, makeRules } from '../core/ownership.js';
import { identify, integrationPolicy, openWorkspace } from '../config/workspace.js';
import { writeStamp } from '../config/stamp.js';
import { SwarmError } from '../errors.js';
import { streamCommits } from '../git/log.js';
import { resolveCommit } from '../git/repo.js';
import { restrictToMergeResolution, stagedChanges } from '../git/staged.js';
import { messages, refusal } from '../messages.js';
import { renderText } from './report.js';

const HOOKS = ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'pre-push'] as const;

interface StagedVerdict {
  ok: boolean;
  identity: Identity;
  /** git config swarm.agent as read (undefined when SWARM_AGENT made reading it needless). */
  configAgent: string | undefined;
}

/** The ownership rule over the staged index, as pre-commit and prepare-commit-msg both apply it. */
async function checkStaged(): Promise<StagedVerdict> {
  const [ws, staged] = await Promise.all([openWorkspace(), stagedChanges()]);
  const identity = identify(ws);
  const loaded = await integrationPolicy(ws);
  if (loaded.notice) process.stderr.write(`${loaded.notice}\n`);
  if (!loaded.policy) return { ok: true, identity, configAgent: ws.configAgent };
  const changes = await restrictToMergeResolution(staged, ws.paths.mergeHeadFile);
  const violations = checkChanges(makeRules(loaded.policy), identity.agent, changes);
  if (violations.length > 0) {
    process.stderr.write(`${refusal('commit', identity, violations, { policy: loaded.policy, manifestSource: loaded.source })}\n`);
    return { ok: false, identity, configAgent: ws.configAgent };
  }
  return { ok: true, identity, configAgent: ws.configAgent };
}

/** Checks, and on success leaves the stamp that spares prepare-commit-msg a second node start. */
async function preCommit(): Promise<number> {
  const verdict = await checkStaged();
  if (verdict.ok) await writeStamp(process.env.SWARM_AGENT || (verdict.configAgent ?? ''), verdict.identity.agent);
  return verdict.ok ? 0 : 1;
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

/** Every commit being pushed that the remote lacks, as CI would check it. */
async function prePush(remote: string): Promise<number> {
  const [ws, input] = await Promise.all([openWorkspace(), readStdin()]);
  const loaded = await integrationPolicy(ws);
  if (loaded.notice) process.stderr.write(`${loaded.notice}\n`);
  if (!loaded.policy) return 0;
  const rules = makeRules(loaded.policy);
  const violations: CommitViolation[] = [];
  let checked = 0;
  for (const line of input.split('\n')) {
    const [, localSha, remoteRef, remoteSha] = line.trim().split(' ');
    if (!localSha || !remoteRef || /^0+$/.test(localSha)) continue;
    const known = remoteSha && !/^0+$/.test(remoteSha) ? await resolveCommit(remoteSha) : null;
    const branchAgent = agentFromBranch(ws.settings.branchPattern, remoteRef.replace(/^refs\/heads\//, ''));
    const revs = [localSha, '--not', `--remotes=${remote}`, ...(known ? [known] : [])];
    for await (const commit of streamCommits(revs)) {
      checked++;
      violations.push(...checkCommit(rules, commit, branchAgent));
    }
  }
  if (violations.length === 0) return 0;
  process.stderr.write(`${renderText('push', checked, violations, { policy: loaded.policy, manifestSource: loaded.source, history: true })}\n`);
  return 1;
}

export async function run(args: string[]): Promise<number> {
  const [name, first = ''] = args;
  if (!HOOKS.includes(name as (typeof HOOKS)[number])) {
    throw new SwarmError('usage', messages.badOption('hook', `expected one of ${HOOKS.join(', ')}, got ${JSON.stringify(name ?? '')}`));
  }
  if (process.env.SWARM_SKIP === '1') {
    // Skipping the check does not hide who made the commit: CI then reports the real violation.
    if (name === 'prepare-commit-msg' || name === 'commit-msg') return printIdentity();
    process.stderr.write(`${messages.skipped('SWARM_SKIP=1')}\n`);
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
      return prePush(first);
  }
}

