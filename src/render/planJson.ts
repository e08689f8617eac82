import { countStatus, type PlanReport } from './planReport.js';

/**
 * For programs: one line of JSON. Every pair of writers is listed, with the first overlapping
 * glob pair as `patterns` and `witness` (null when clear) and all of them in `overlaps`.
 */
export function renderPlanJson({ source, plan }: PlanReport): string {
  return JSON.stringify({
    ok: countStatus(plan, 'conflict') === 0,
    manifest: source,
    agents: plan.agents,
    pairs: plan.pairs.map((p) => ({
      a: p.a,
      b: p.b,
      status: p.status,
      witness: p.overlaps[0]?.witness ?? null,
      patterns: p.overlaps[0] ? [p.overlaps[0].a.pattern, p.overlaps[0].b.pattern] : null,
      first: p.first,
      overlaps: p.overlaps,
    })),
    unmatched: plan.unmatched,
    noClaims: plan.noClaims,
    unmergedShared: plan.unmergedShared,
  });
}
