import { agentFromBranch } from '../core/branchPattern.js';
import { checkCommit, type CommitViolation } from '../core/commitCheck.js';
import type { Identity } from '../core/identity.js';
import { checkChanges, makeRules } from '../core/ownership.js';
import { identify, integrationPolicy, openWorkspace } from '../config/workspace.js';
import { indexKey, stampDir, takeStamp, writeStamp } from '../config/stamp.js';
import { SwarmError } from '../errors.js';
import { streamCommits } from '../git/log.js';
import { getConfig, repoPaths, resolveCommit } from '../git/repo.js';
import { restrictToMergeResolution, stagedChanges } from '../git/staged.js';
import { messages, refusal } from '../messages.js';
import { renderText } from './report.js';

const HOOKS = ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'pre-push'] as const;

/** The identity input as the hook script reads it: SWARM_AGENT, else git config swarm.agent (raw). */
function identityInput(configAgent: string | undefined): string {
  return process.env.SWARM_AGENT || (configAgent ?? '');
}

interface StagedVerdict {
  ok: boolean;
  identity: Identity;
}

/** The ownership rule over the staged index, as pre-commit and prepare-commit-msg both apply it. */
async function checkStaged(): Promise<StagedVerdict> {
  const [ws, staged] = await Promise.all([openWorkspace(), stagedChanges()]);
  const identity = identify(ws);
  const loaded = await integrationPolicy(ws);
  if (loaded.notice) process.stderr.write(`${loaded.notice}\n`);
  if (!loaded.policy) return { ok: true, identity };
  const changes = await restrictToMergeResolution(staged, ws.paths.mergeHeadFile);
  const violations = checkChanges(makeRules(loaded.policy), identity.agent, changes);
  if (violations.length > 0) {
    process.stderr.write(`${refusal('commit', identity, violations, { policy: loaded.policy, manifestSource: loaded.source })}\n`);
    return { ok: false, identity };
  }
  const key = await indexKey(ws.paths.gitDir);
  if (key) await writeStamp(await stampDir(async () => ws.paths.gitDir), key, identityInput(ws.configAgent), identity.agent);
  return { ok: true, identity };
}

async function preCommit(): Promise<number> {
  return (await checkStaged()).ok ? 0 : 1;
}

/**
 * Runs even with --no-verify: re-checks unless pre-commit just passed this very index, then prints
 * the agent for the hook script to put in the trailer (hooks/add-trailer.sh).
 */
async function prepareCommitMsg(): Promise<number> {
  const dir = await stampDir(async () => (await repoPaths()).gitDir);
  const input = identityInput(process.env.SWARM_AGENT ? undefined : await getConfig('swarm.agent'));
  let agent = await takeStamp(dir, await indexKey(dir), input);
  if (agent === undefined) {
    const verdict = await checkStaged();
    if (!verdict.ok) return 1;
    agent = verdict.identity.agent;
  }
  if (agent) process.stdout.write(`${agent}\n`);
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

