import type { PairReport } from '../core/conflicts.js';
import type { Plan } from '../core/plan.js';

/** Output formats of `git swarm plan`. */
export type PlanFormat = 'text' | 'json' | 'markdown';

/** A plan ready for any renderer: where the manifest came from, and the plan. */
export interface PlanReport {
  /** "`.swarm/manifest.json`" (working tree) or "<rev>:.swarm/manifest.json". */
  source: string;
  plan: Plan;
}

/** Above this many writers, the text and Markdown matrices would be unreadable: the pairs are listed instead. */
export const MATRIX_LIMIT = 30;

export function countStatus(plan: Plan, status: PairReport['status']): number {
  return plan.pairs.filter((p) => p.status === status).length;
}

/** The pairs as a lookup by the two agents' positions in plan.agents (row < column). */
export function pairGrid(plan: Plan): (i: number, j: number) => PairReport | undefined {
  const n = plan.agents.length;
  const grid = new Map<number, PairReport>();
  const position = new Map(plan.agents.map((a, i) => [a, i]));
  for (const pair of plan.pairs) grid.set(position.get(pair.a)! * n + position.get(pair.b)!, pair);
  return (i, j) => grid.get(Math.min(i, j) * n + Math.max(i, j));
}

/** A matrix cell: the number of overlapping glob pairs, in parentheses when serialized. */
export function cellText(pair: PairReport | undefined): string {
  if (!pair || pair.status === 'clear') return '·';
  return pair.status === 'conflict' ? String(pair.overlaps.length) : `(${pair.overlaps.length})`;
}
