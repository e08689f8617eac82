import { planMessages as m } from '../messages/plan.js';
import { cellText, countStatus, MATRIX_LIMIT, pairGrid, type PlanReport } from './planReport.js';

/** For people: a writers × writers matrix, then one line per overlapping glob pair and per other finding. */
export function renderPlanText({ source, plan }: PlanReport): string {
  const lines = [m.title(source, plan.agents.length, countStatus(plan, 'conflict'), countStatus(plan, 'serialized'))];
  if (plan.agents.length > MATRIX_LIMIT) lines.push(m.matrixOmitted(plan.agents.length, MATRIX_LIMIT));
  else if (plan.agents.length > 1) {
    const cell = pairGrid(plan);
    const width = Math.max(...plan.agents.map((a) => a.length), 4);
    const pad = (s: string) => s.padStart(width);
    lines.push('', `${' '.repeat(width)}  ${plan.agents.map(pad).join(' ')}`);
    plan.agents.forEach((row, i) => {
      lines.push(`${row.padEnd(width)}  ${plan.agents.map((_, j) => pad(i === j ? '-' : cellText(cell(i, j)))).join(' ')}`);
    });
    lines.push(m.legend);
  }
  const conflicts = plan.pairs.filter((p) => p.status === 'conflict');
  if (conflicts.length > 0) {
    lines.push('', m.conflictsTitle);
    for (const p of conflicts) for (const o of p.overlaps) lines.push(`  ✗ ${m.conflict(p.a, p.b, o.a, o.b, o.witness)}`);
  }
  const serialized = plan.pairs.filter((p) => p.status === 'serialized');
  if (serialized.length > 0) {
    lines.push('', m.serializedTitle);
    for (const p of serialized) {
      const then = p.first === p.a ? p.b : p.a;
      for (const o of p.overlaps) {
        const [gFirst, gThen] = p.first === p.a ? [o.a, o.b] : [o.b, o.a];
        lines.push(`  → ${m.serialized(p.first!, then, gFirst, gThen, o.witness)}`);
      }
    }
  }
  if (plan.unmatched.length > 0) {
    lines.push('', m.unmatchedTitle);
    for (const u of plan.unmatched) lines.push(`  ${m.unmatched(u.agent, u)}`);
  }
  if (plan.noClaims.length > 0) lines.push('', m.noClaims(plan.noClaims));
  if (plan.unmergedShared.length > 0) {
    lines.push('', m.unmergedTitle);
    for (const u of plan.unmergedShared) lines.push(`  ${m.unmerged(u.pattern, u.agents, u.paths, u.representative)}`);
  }
  if (conflicts.length === 0) lines.push('', m.clean);
  return lines.join('\n');
}
