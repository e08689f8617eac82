import type { CommitViolation } from '../core/commitCheck.js';
import type { Signer, ViolationCode } from '../core/ownership.js';
import { violationFix, violationReason, type ViolationContext } from '../messages/violations.js';

/** Output formats; each command says which it offers. */
export type Format = 'text' | 'json' | 'github' | 'markdown';

export interface ReportViolation {
  commit: string;
  agent: string | null;
  path: string | null;
  code: ViolationCode;
  message: string;
  fix: string;
  /** For wrong-signer and bad-signature: the key that signed and whose it is. */
  signer?: Signer;
}

/** The outcome of checking a range of commits (check, pre-push), ready for any renderer. */
export interface RangeReport {
  what: 'check' | 'push';
  checked: number;
  /** Where the manifest came from; null when there was none, so nothing was enforced. */
  manifest: string | null;
  /** Where the manifest was looked for ("1a2b3c4d5e:.swarm/manifest.json"). */
  looked: string;
  violations: ReportViolation[];
  /** --max-violations: renderers list at most this many and count the rest. */
  limit: number | null;
}

export function toReport(violations: readonly CommitViolation[], ctx: ViolationContext): ReportViolation[] {
  return violations.map((v) => ({
    commit: v.commit,
    agent: v.agent,
    path: v.path,
    code: v.code,
    message: violationReason(v, ctx),
    fix: violationFix(v, ctx, v.path ? [v.path] : []).replace(/\n\s*/g, ' '),
    ...(v.signer ? { signer: v.signer } : {}),
  }));
}

/**
 * Most severe first: a forged or unproven identity (every other verdict on the commit trusts
 * it), what takes enforcement away, then identity, then paths.
 */
const SEVERITY: Record<ViolationCode, number> = {
  'wrong-signer': 0,
  'bad-signature': 1,
  unsigned: 2,
  'no-signing-key': 3,
  'unsafe-path': 4,
  'manifest-removed': 4,
  'invalid-file': 5,
  'manifest-conflict': 5,
  'lead-only': 6,
  attribution: 7,
  'unknown-agent': 8,
  unidentified: 9,
  reader: 10,
  'held-by-other': 11,
  'case-collision': 12,
  'lease-expired': 13,
  'outside-claims': 13,
};

/**
 * One violation per path (whole-commit violations: one per commit and rule), the most severe
 * kept, most severe first: what fits in a bounded list of annotations.
 */
export function mostSevere(violations: readonly ReportViolation[]): ReportViolation[] {
  const best = new Map<string, ReportViolation>();
  for (const v of violations) {
    const key = v.path !== null ? `p\0${v.path}` : `c\0${v.commit}\0${v.code}`;
    const seen = best.get(key);
    if (!seen || SEVERITY[v.code] < SEVERITY[seen.code]) best.set(key, v);
  }
  return [...best.values()].sort((a, b) => SEVERITY[a.code] - SEVERITY[b.code]);
}

export function listed<T>(items: readonly T[], limit: number | null): { shown: readonly T[]; omitted: number } {
  if (limit === null || items.length <= limit) return { shown: items, omitted: 0 };
  return { shown: items.slice(0, limit), omitted: items.length - limit };
}
