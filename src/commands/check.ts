import { agentFromBranch } from '../core/branchPattern.js';
import { checkCommit, type CommitViolation } from '../core/commitCheck.js';
import { SETTINGS_FILE } from '../core/model.js';
import { makeRules } from '../core/ownership.js';
import { policyFrom, settingsFrom } from '../config/policy.js';
import { openWorkspace, type Workspace } from '../config/workspace.js';
import { SwarmError } from '../errors.js';
import { readBlob } from '../git/blob.js';
import { streamCommits } from '../git/log.js';
import { isShallow, mergeBase, rangeHitsShallowBoundary, resolveCommit, resolveObject } from '../git/repo.js';
import { checkMessages } from '../messages.js';
import { parseFormat, parseOptions } from './args.js';
import { renderGithub, renderJson, renderText } from './report.js';

/** The branch being checked: --branch, the CI system's variable, or the checked-out branch. */
function branchUnderCheck(explicit: string | undefined, ws: Workspace): string | null {
  const env = process.env;
  return explicit ?? (env.GITHUB_HEAD_REF || env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME || ws.branch);
}

async function resolveRange(ws: Workspace, baseOpt: string | undefined, headOpt: string): Promise<{ base: string; head: string }> {
  const cwd = ws.paths.toplevel;
  const head = await resolveCommit(headOpt, cwd);
  if (!head) throw new SwarmError('revision', checkMessages.unknownRevision('--head', headOpt));
  const shallow = await isShallow(cwd);
  let base: string | null;
  if (baseOpt !== undefined) {
    base = await resolveCommit(baseOpt, cwd);
    if (!base) throw new SwarmError('revision', checkMessages.unknownRevision('--base', baseOpt));
  } else {
    const remote = ws.settings.coordination.remote ?? 'origin';
    const integration = ws.settings.integration;
    const target =
      (await resolveCommit(`refs/heads/${integration}`, cwd)) ?? (await resolveCommit(`refs/remotes/${remote}/${integration}`, cwd));
    if (!target) throw new SwarmError('revision', checkMessages.noIntegration(integration, remote));
    base = await mergeBase(target, head, cwd);
    if (!base) throw new SwarmError('revision', shallow ? checkMessages.shallowMissing(integration) : checkMessages.noMergeBase(integration, headOpt));
  }
  if (shallow && (await rangeHitsShallowBoundary(base, head, cwd))) {
    throw new SwarmError('revision', checkMessages.shallowMissing(baseOpt ?? ws.settings.integration));
  }
  return { base, head };
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions('check', args, {
    base: { type: 'string' },
    head: { type: 'string', default: 'HEAD' },
    branch: { type: 'string' },
    format: { type: 'string', default: 'text' },
  });
  const format = parseFormat('check', values.format, ['text', 'json', 'github']);
  const ws = await openWorkspace();
  const { base, head } = await resolveRange(ws, values.base, values.head);
  const cwd = ws.paths.toplevel;
  const short = base.slice(0, 10);
  // CI is the authority: the rules are the base's, not those of the branch under review.
  const settings = await settingsFrom((await readBlob(`${base}:${SETTINGS_FILE}`, cwd)) ?? '', `${short}:${SETTINGS_FILE}`, ws.cache);
  const manifestId = await resolveObject(`${base}:${settings.manifest}`, cwd);
  const source = `${short}:${settings.manifest}`;
  const branchAgent = agentFromBranch(settings.branchPattern, branchUnderCheck(values.branch, ws));
  const violations: CommitViolation[] = [];
  let checked = 0;
  const policy =
    manifestId === null ? null : await policyFrom(settings, { id: manifestId, file: source, text: async () => (await readBlob(manifestId, cwd)) ?? '' }, ws.cache);
  if (!policy) process.stderr.write(`${checkMessages.noManifestAtBase(source)}\n`);
  const rules = policy ? makeRules(policy) : null;
  for await (const commit of streamCommits([`${base}..${head}`], cwd)) {
    checked++;
    if (rules) violations.push(...checkCommit(rules, commit, branchAgent));
  }
  const ctx = { policy: policy ?? { settings, manifest: { version: 1 as const, agents: {} }, globs: [] }, manifestSource: source, history: true };
  const out = format === 'json' ? renderJson(checked, violations, ctx) : format === 'github' ? renderGithub(checked, violations, ctx) : renderText('check', checked, violations, ctx);
  process.stdout.write(`${out}\n`);
  return violations.length === 0 ? 0 : 1;
}
