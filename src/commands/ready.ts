import { SwarmError } from '../errors.js';
import { makeRules } from '../core/ownership.js';
import { GitSession } from '../git/gitSession.js';
import { resolveCommit } from '../git/repo.js';
import { landingMessages as m } from '../messages/landing.js';
import { landedAgents, READY_PREFIX } from '../orchestration/landing.js';
import { historyLeaseRules } from '../orchestration/leaseRules.js';
import { judgeRange, judgeResult } from '../orchestration/range.js';
import { openTarget, publishTo } from '../orchestration/landingTarget.js';
import { integrationPolicy, openWorkspace } from '../orchestration/workspace.js';
import { renderText } from '../render/text.js';
import { toReport } from '../render/report.js';
import { join } from 'node:path';
import { parseFormat, parseOptions } from './args.js';
import { actingAgent } from './leaseArgs.js';

/**
 * Judges the agent's work as CI would (every commit since the integration tip, attributed to the
 * agent, under the tip's rules), then records the exact commit to land: refs/swarm/ready/<agent>.
 */
export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions('ready', args, { format: { type: 'string', default: 'text' } });
  const format = parseFormat('ready', values.format, ['text', 'json']);
  const ws = await openWorkspace();
  const agent = actingAgent(ws);
  const cwd = ws.paths.toplevel;
  // With coordination.remote, judged against the remote's tip and published there (where the lander reads).
  const target = ws.settings.coordination.remote === null ? null : await openTarget(ws);
  const [head, tip, loaded] = await Promise.all([resolveCommit('HEAD', cwd), target ? target.tip : resolveCommit(ws.tip, cwd), integrationPolicy(ws)]);
  if (head === null || tip === null || !loaded.policy) throw new SwarmError('revision', m.readyRefused, { ref: 'HEAD' });
  const grants = await historyLeaseRules(ws, Date.now());
  const verdict = await judgeRange({ include: [head], exclude: [tip] }, makeRules(loaded.policy, await landedAgents(tip, cwd), grants), agent, { cwd, baseLabel: ws.settings.integration });
  const left = await judgeResult(head, ws.settings, { hadManifest: true, judged: [tip] }, ws.cache, cwd);
  const violations = [...verdict.violations, ...left];
  if (violations.length > 0) {
    const report = { what: 'check' as const, checked: verdict.checked, manifest: loaded.source, looked: loaded.source, violations: toReport(violations, { policy: loaded.policy, manifestSource: loaded.source, history: true }), limit: null };
    if (format === 'json') process.stdout.write(`${JSON.stringify({ ok: false, agent, commit: head, violations: report.violations })}\n`);
    process.stderr.write(`${renderText(report)}\n${m.readyRefused}\n`);
    return 1;
  }
  const ref = `${READY_PREFIX}${agent}`;
  const session = new GitSession(cwd, join(ws.paths.commonDir, 'swarm', 'tmp'));
  try {
    const previous = (await session.read(ref))?.oid ?? null;
    const update = { ref, next: head, expected: previous };
    const ok = target ? await publishTo(ws, target, session, [update]) : (await session.swap([update])).ok;
    if (!ok) throw new SwarmError('contention', m.readyMoved(agent), { ref });
    if (format === 'json') process.stdout.write(`${JSON.stringify({ ok: true, agent, commit: head, previous, checked: verdict.checked })}\n`);
    else process.stdout.write(`${m.ready(agent, head, previous)}\n`);
    return 0;
  } finally {
    session.close();
  }
}
