import { SwarmError } from '../errors.js';
import { resolveCommit } from '../git/repo.js';
import { commitsNotOn, deleteBranch, keepRetiredHead, listWorktrees, removeWorktree, uncommittedCount } from '../git/worktrees.js';
import { branchForAgent as branchFor } from '../core/branchPattern.js';
import { spawnMessages as m } from '../messages/spawn.js';
import { identify, openWorkspace } from '../orchestration/workspace.js';
import { openLeases, releaseLeases } from '../orchestration/leases.js';
import { ledgerMessages } from '../messages/ledger.js';
import { parseOptions } from './args.js';
import { agentWorktrees, canonical, worktreeOf } from './spawn.js';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions('retire', args, { force: { type: 'boolean' } }, 1);
  const agent = positionals[0];
  if (agent === undefined) throw new SwarmError('usage', m.needRetiree(), { argument: 'agent' });
  const ws = await openWorkspace();
  const cwd = ws.paths.toplevel;
  const worktrees = await agentWorktrees(ws);
  const own = worktreeOf(worktrees, agent);
  if (!own) throw new SwarmError('usage', m.notSpawned(agent, [...new Set(worktrees.map((w) => w.agent))]), { argument: agent });
  if (own.main) throw new SwarmError('usage', m.mainWorktree(agent, own.path), { argument: agent });
  if ((await canonical(own.path)) === (await canonical(cwd))) {
    throw new SwarmError('usage', m.insideTarget(agent, own.path, (await listWorktrees(cwd))[0]!.path), { argument: agent });
  }
  const integration = ws.settings.integration;
  const tip = await resolveCommit(ws.tip, cwd);
  const uncommitted = own.prunable ? 0 : await uncommittedCount(own.path);
  const unlanded = own.head === null ? 0 : await commitsNotOn([own.head], tip, cwd);
  if (!values.force && (uncommitted > 0 || unlanded > 0)) {
    throw new SwarmError('refused', m.wouldLose(agent, own.path, uncommitted, unlanded, own.branch, integration), { argument: agent });
  }
  // Forced past unlanded commits: they stay reachable, under a ref that says whose they were.
  if (unlanded > 0 && own.head !== null) await keepRetiredHead(agent, own.head, cwd);
  await removeWorktree(own.path, values.force === true, cwd);
  // A branch whose every commit is on the integration branch holds nothing; one with more keeps it.
  // Only the agent's own branch, never the integration branch or another it happened to have checked out.
  const deleted = own.branch !== null && unlanded === 0 && own.branch === branchFor(ws.settings.branchPattern, agent) && own.branch !== integration;
  if (deleted) await deleteBranch(own.branch!, cwd);
  process.stdout.write(`${m.retired(agent, own.path, own.branch, deleted, unlanded, uncommitted, integration)}\n`);
  // Its leases and its place in any queue go with it: nobody will commit there under its name.
  if (ws.ledger.commit !== null) {
    const scope = await openLeases(ws, identify(ws).agent ?? agent);
    try {
      process.stdout.write(`${ledgerMessages.released(agent, await releaseLeases(scope, agent, null))}\n`);
    } finally {
      scope.ledger.close();
    }
  }
  return 0;
}
