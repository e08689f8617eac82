import { agentFromBranch } from '../core/branchPattern.js';
import { SETTINGS_FILE } from '../core/model.js';
import { makeRules } from '../core/ownership.js';
import { SwarmError } from '../errors.js';
import { readBlob } from '../git/blob.js';
import { resolveCommit, resolveObject } from '../git/repo.js';
import { checkMessages } from '../messages/check.js';
import { policyFrom, settingsFrom } from '../orchestration/policy.js';
import { checkRangeBase, judgeRange } from '../orchestration/range.js';
import { openWorkspace, type Workspace } from '../orchestration/workspace.js';
import { RENDERERS } from '../render/index.js';
import { toReport, type RangeReport } from '../render/report.js';
import { writeStepSummary } from '../orchestration/stepSummary.js';
import { parseCount, parseFormat, parseOptions } from './args.js';

/** The branch being checked: --branch, the CI system's variable, or the checked-out branch. */
function branchUnderCheck(explicit: string | undefined, ws: Workspace): string | null {
  const env = process.env;
  return explicit ?? (env.GITHUB_HEAD_REF || env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME || ws.branch);
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions('check', args, {
    base: { type: 'string' },
    head: { type: 'string', default: 'HEAD' },
    branch: { type: 'string' },
    format: { type: 'string', default: 'text' },
    'max-violations': { type: 'string' },
  });
  const format = parseFormat('check', values.format, ['text', 'json', 'github', 'markdown']);
  const limit = values['max-violations'] === undefined ? null : parseCount('check', '--max-violations', values['max-violations']);
  const ws = await openWorkspace();
  const cwd = ws.paths.toplevel;
  const head = await resolveCommit(values.head, cwd);
  if (!head) throw new SwarmError('revision', checkMessages.unknownRevision('--head', values.head), { argument: '--head' });
  let given: string | null = null;
  if (values.base !== undefined) {
    given = await resolveCommit(values.base, cwd);
    if (!given) throw new SwarmError('revision', checkMessages.unknownRevision('--base', values.base), { argument: '--base' });
  }
  const base = await checkRangeBase(head, given, ws.settings, ws.settings.coordination.remote ?? 'origin', cwd);
  const short = base.slice(0, 10);
  // CI is the authority: the rules are the base's, not those of the branch under review.
  const settings = await settingsFrom((await readBlob(`${base}:${SETTINGS_FILE}`, cwd)) ?? '', `${short}:${SETTINGS_FILE}`, ws.cache);
  const manifestId = await resolveObject(`${base}:${settings.manifest}`, cwd);
  const looked = `${short}:${settings.manifest}`;
  const policy =
    manifestId === null ? null : await policyFrom(settings, { id: manifestId, file: looked, text: async () => (await readBlob(manifestId, cwd)) ?? '' }, ws.cache);
  const branchAgent = agentFromBranch(settings.branchPattern, branchUnderCheck(values.branch, ws));
  const verdict = await judgeRange({ include: [head], exclude: [base] }, policy ? makeRules(policy) : null, branchAgent, {
    cwd,
    baseLabel: values.base ?? settings.integration,
  });
  const report: RangeReport = {
    what: 'check',
    checked: verdict.checked,
    manifest: policy ? looked : null,
    looked,
    violations: policy ? toReport(verdict.violations, { policy, manifestSource: looked, history: true }) : [],
    limit,
  };
  process.stdout.write(`${RENDERERS[format](report)}\n`);
  await writeStepSummary(report);
  return report.violations.length === 0 ? 0 : 1;
}
