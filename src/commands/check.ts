import { agentFromBranch } from '../core/branchPattern.js';
import { DEFAULT_INTEGRATION } from '../core/model.js';
import { makeRules } from '../core/ownership.js';
import { SwarmError } from '../errors.js';
import { readBlob } from '../git/blob.js';
import { remoteDefaultBranch, resolveNamedRevision, resolveObject } from '../git/repo.js';
import { checkMessages } from '../messages/check.js';
import { policyFrom } from '../orchestration/policy.js';
import { checkBase, judgeRange, judgeResult, type IntegrationHint } from '../orchestration/range.js';
import { openRepository } from '../orchestration/workspace.js';
import { historyLeaseRules } from '../orchestration/leaseRules.js';
import { landedAgents } from '../orchestration/landing.js';
import { RENDERERS } from '../render/index.js';
import { toReport, type RangeReport } from '../render/report.js';
import { writeStepSummary } from '../orchestration/stepSummary.js';
import { parseCount, parseFormat, parseOptions } from './args.js';

/** The branch being checked: --branch, the CI system's variable, or the checked-out branch. */
function branchUnderCheck(explicit: string | undefined, checkedOut: string | null, env: NodeJS.ProcessEnv): string | null {
  return explicit ?? (env.GITHUB_HEAD_REF || env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME || checkedOut);
}

/**
 * Where to look for the integration branch first: --integration (binding), else the project's
 * default branch (GitLab's CI_DEFAULT_BRANCH, origin's HEAD), else main; the tip's settings may
 * then name another. Never a pull request's target branch (GITHUB_BASE_REF): its author chooses
 * it, and a branch whose own .swarmrc names itself would certify its own rules.
 */
async function integrationHint(explicit: string | undefined, env: NodeJS.ProcessEnv, cwd: string): Promise<IntegrationHint> {
  if (explicit !== undefined) return { name: explicit, explicit: true };
  return { name: env.CI_DEFAULT_BRANCH || (await remoteDefaultBranch(cwd)) || DEFAULT_INTEGRATION, explicit: false };
}

/** A commit named on the command line; a name that is both a tag and a branch is refused. */
async function namedCommit(option: string, rev: string, cwd: string): Promise<string> {
  const { commit, ambiguous } = await resolveNamedRevision(rev, cwd);
  if (!commit) throw new SwarmError('revision', checkMessages.unknownRevision(option, rev), { argument: option });
  if (ambiguous) throw new SwarmError('revision', checkMessages.ambiguousRevision(option, rev), { argument: option });
  return commit;
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions('check', args, {
    base: { type: 'string' },
    head: { type: 'string', default: 'HEAD' },
    branch: { type: 'string' },
    integration: { type: 'string' },
    format: { type: 'string', default: 'text' },
    'max-violations': { type: 'string' },
  });
  const format = parseFormat('check', values.format, ['text', 'json', 'github', 'markdown']);
  const limit = values['max-violations'] === undefined ? null : parseCount('check', '--max-violations', values['max-violations']);
  const repo = await openRepository();
  const cwd = repo.paths.toplevel;
  const head = await namedCommit('--head', values.head, cwd);
  const given = values.base === undefined ? null : await namedCommit('--base', values.base, cwd);
  // CI is the authority: the rules are the integration tip's (or --base's), never the head's.
  const hint = await integrationHint(values.integration, process.env, cwd);
  const { base, rules, settings } = await checkBase(head, given, hint, repo.cache, cwd);
  const short = rules.slice(0, 10);
  const manifestId = await resolveObject(`${rules}:${settings.manifest}`, cwd);
  const looked = `${short}:${settings.manifest}`;
  const policy =
    manifestId === null ? null : await policyFrom(settings, { id: manifestId, file: looked, bytes: async () => (await readBlob(manifestId, cwd)) ?? new Uint8Array() }, repo.cache);
  const branchAgent = agentFromBranch(settings.branchPattern, branchUnderCheck(values.branch, repo.branch, process.env));
  // Leases: only grants the ledger's history records (CI fetches refs/swarm/*; README: Leases in CI).
  const grants = policy ? await historyLeaseRules(repo, Date.now()) : null;
  const [verdict, left] = await Promise.all([
    judgeRange({ include: [head], exclude: [base] }, policy ? makeRules(policy, await landedAgents(rules, cwd), grants) : null, branchAgent, { cwd, baseLabel: values.base ?? settings.integration }),
    // Deleted by the range: where it started had one (an old fork point may predate the manifest).
    // Conflicts the base or the integration tip already had are not the range's.
    resolveObject(`${base}:${settings.manifest}`, cwd).then((had) => judgeResult(head, settings, { hadManifest: had !== null, judged: [base, rules] }, repo.cache, cwd)),
  ]);
  verdict.violations.push(...left);
  const report: RangeReport = {
    what: 'check',
    checked: verdict.checked,
    manifest: policy ? looked : null,
    looked,
    violations: toReport(verdict.violations, { policy: policy ?? { settings, manifest: { version: 1, agents: {} }, globs: [] }, manifestSource: looked, history: true }),
    limit,
  };
  process.stdout.write(`${RENDERERS[format](report)}\n`);
  await writeStepSummary(report);
  return report.violations.length === 0 ? 0 : 1;
}
