import { planMessages as m } from '../messages/plan.js';
import { cell, code } from './markdown.js';
import { cellText, countStatus, MATRIX_LIMIT, pairGrid, type PlanReport } from './planReport.js';

/** A Markdown matrix of the writers (when it fits), a table of every overlapping glob pair, and the other findings as lists. */
export function renderPlanMarkdown({ source, plan }: PlanReport): string {
  const lines = [m.markdownTitle(source, countStatus(plan, 'conflict'), countStatus(plan, 'serialized'))];
  if (plan.agents.length > 1 && plan.agents.length <= MATRIX_LIMIT) {
    const grid = pairGrid(plan);
    lines.push('', `| | ${plan.agents.map(cell).join(' | ')} |`, `|---|${plan.agents.map(() => '---').join('|')}|`);
    plan.agents.forEach((row, i) => lines.push(`| ${cell(row)} | ${plan.agents.map((_, j) => (i === j ? '-' : cellText(grid(i, j)))).join(' | ')} |`));
    lines.push('', m.legend);
  } else if (plan.agents.length > MATRIX_LIMIT) lines.push('', m.matrixOmitted(plan.agents.length, MATRIX_LIMIT));
  const listed = plan.pairs.filter((p) => p.status !== 'clear');
  if (listed.length > 0) {
    lines.push('', `| ${m.markdownHeader.join(' | ')} |`, `|${m.markdownHeader.map(() => '---').join('|')}|`);
    for (const p of listed) {
      for (const o of p.overlaps) {
        lines.push(`| ${cell(p.a)} | ${cell(p.b)} | ${m.status[p.status]} | ${code(o.a.pattern)} vs ${code(o.b.pattern)} | ${code(o.witness)} |`);
      }
    }
  }
  if (plan.unmatched.length > 0) lines.push('', m.markdownUnmatched, '', ...plan.unmatched.map((u) => `- ${cell(m.unmatched(u.agent, u))}`));
  if (plan.noClaims.length > 0) lines.push('', m.markdownNoClaims, '', ...plan.noClaims.map((a) => `- ${cell(a)}`));
  if (plan.unmergedShared.length > 0) {
    lines.push('', m.markdownUnmerged, '', ...plan.unmergedShared.map((u) => `- ${cell(m.unmerged(u.pattern, u.agents, u.paths, u.representative))}`));
  }
  return lines.join('\n');
}
