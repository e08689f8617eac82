import { showPath } from '../messages/common.js';
import { reportMessages as m } from '../messages/report.js';
import { listed, type RangeReport } from './report.js';

/** For people: one line per violation, then one fix per kind of violation. */
export function renderText(report: RangeReport): string {
  const { what, checked, manifest, violations } = report;
  if (violations.length === 0) return manifest === null ? m.noManifest(what, checked, report.looked) : m.clean(what, checked, manifest);
  const lines = [m.refused(what, violations.length, checked, manifest ?? report.looked)];
  const { shown, omitted } = listed(violations, report.limit);
  for (const v of shown) {
    lines.push(`  ✗ ${v.commit.slice(0, 10)} ${v.agent ?? m.unidentified}${v.path !== null ? ` ${showPath(v.path)}` : ''}: ${v.message}`);
  }
  if (omitted > 0) lines.push(m.omitted(omitted, '--max-violations'));
  const fixes = new Map<string, string>();
  for (const v of violations) if (!fixes.has(v.code)) fixes.set(v.code, v.fix);
  for (const [code, fix] of fixes) lines.push(`  fix (${code}): ${fix}`);
  return lines.join('\n');
}
