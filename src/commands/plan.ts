import { SwarmError } from '../errors.js';
import { attributeOfPaths } from '../git/attributes.js';
import { trackedFiles } from '../git/files.js';
import { resolveCommit } from '../git/repo.js';
import { planMessages } from '../messages/plan.js';
import { openRepository, plannedPolicy } from '../orchestration/workspace.js';
import { PLAN_RENDERERS } from '../render/index.js';
import type { PlanFormat } from '../render/planReport.js';
import { parseFormat, parseOptions } from './args.js';
import { liveLeases } from '../orchestration/leaseRules.js';
import { withLeases } from '../core/leases.js';

export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions('plan', args, { rev: { type: 'string' }, format: { type: 'string', default: 'text' } });
  const format = parseFormat('plan', values.format, ['text', 'json', 'markdown']) as PlanFormat;
  const repo = await openRepository();
  const cwd = repo.paths.toplevel;
  let rev: { commit: string; label: string } | null = null;
  if (values.rev !== undefined) {
    const commit = await resolveCommit(values.rev, cwd);
    if (!commit) throw new SwarmError('revision', planMessages.unknownRevision(values.rev), { argument: '--rev' });
    rev = { commit, label: values.rev };
  }
  const planned = await plannedPolicy(repo, rev);
  // The compiler and the overlap search live in the heavy bundle, beside validation.
  const [{ makePlan, matchTracked, sharedProbes, GlobOverlap, compilePolicy }, tracked, leases] = await Promise.all([
    import('../orchestration/heavy.js'),
    trackedFiles(rev?.commit ?? null, cwd),
    liveLeases(repo.paths, Date.now()),
  ]);
  // Live leases hold paths as claims do: a manifest edit that gives a leased path to another writer is a conflict too.
  const policy = leases.length === 0 ? planned.policy : compilePolicy(planned.policy.settings, withLeases(planned.policy.manifest, leases));
  const source = leases.length === 0 ? planned.source : planMessages.withLeases(planned.source, leases.length);
  // No landing yet: every writer is live.
  const landed = new Set<string>();
  const overlap = new GlobOverlap();
  const matches = matchTracked(policy, landed, tracked);
  const probes = sharedProbes(matches, overlap);
  const attributes = await attributeOfPaths('merge', [...new Set([...probes.values()].flatMap((p) => p.paths))], cwd);
  const plan = makePlan(policy, landed, matches, probes, attributes, overlap);
  process.stdout.write(`${PLAN_RENDERERS[format]({ source, plan })}\n`);
  return plan.pairs.some((p) => p.status === 'conflict') ? 1 : 0;
}
