import type { CommitViolation } from '../core/commitCheck.js';
import { showPath, violationFix, violationReason, type ViolationContext } from '../messages.js';

export type Format = 'text' | 'json' | 'github';

export interface ReportViolation {
  commit: string;
  agent: string | null;
  path: string | null;
  code: string;
  message: string;
  fix: string;
}

export function toReport(violations: readonly CommitViolation[], ctx: ViolationContext): ReportViolation[] {
  return violations.map((v) => ({
    commit: v.commit,
    agent: v.agent,
    path: v.path,
    code: v.code,
    message: violationReason(v, ctx),
    fix: violationFix(v, ctx, v.path ? [v.path] : []).replace(/\n\s*/g, ' '),
  }));
}

/** For people: one line per violation, then one fix per kind. */
export function renderText(what: string, checked: number, violations: readonly CommitViolation[], ctx: ViolationContext): string {
  const report = toReport(violations, ctx);
  if (report.length === 0) return `git-swarm: ${what}: ${checked} commit${checked === 1 ? '' : 's'} checked against ${ctx.manifestSource}, no violations.`;
  const lines = [`git-swarm: ${what} refused: ${report.length} violation${report.length === 1 ? '' : 's'} in ${checked} commit${checked === 1 ? '' : 's'}, against ${ctx.manifestSource}:`];
  for (const v of report) {
    lines.push(`  ✗ ${v.commit.slice(0, 10)} ${v.agent ?? '(unidentified)'}${v.path !== null ? ` ${showPath(v.path)}` : ''}: ${v.message}`);
  }
  const fixes = new Map<string, string>();
  for (const v of report) if (!fixes.has(v.code)) fixes.set(v.code, v.fix);
  for (const [code, fix] of fixes) lines.push(`  fix (${code}): ${fix}`);
  return lines.join('\n');
}

export function renderJson(checked: number, violations: readonly CommitViolation[], ctx: ViolationContext): string {
  const report = toReport(violations, ctx);
  return JSON.stringify({ ok: report.length === 0, checked, manifest: ctx.manifestSource, violations: report });
}

/** Workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function renderGithub(checked: number, violations: readonly CommitViolation[], ctx: ViolationContext): string {
  const report = toReport(violations, ctx);
  const lines = report.map((v) => {
    const props = [v.path !== null ? `file=${escapeProperty(v.path)}` : null, `title=${escapeProperty(`git-swarm ${v.code}`)}`].filter(Boolean);
    return `::error ${props.join(',')}::${escapeData(`${v.commit.slice(0, 10)} ${v.agent ?? '(unidentified)'}: ${v.message}. Fix: ${v.fix}`)}`;
  });
  lines.push(`git-swarm check: ${report.length} violation${report.length === 1 ? '' : 's'} in ${checked} commit${checked === 1 ? '' : 's'}, against ${ctx.manifestSource}`);
  return lines.join('\n');
}

