import { reportMessages as m } from '../messages/report.js';
import { listed, type RangeReport } from './report.js';

export function cell(s: string | null): string {
  if (s === null || s === '') return '';
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\r?\n|\r/g, '<br>');
}

export function code(s: string | null): string {
  return s === null ? '' : `\`${s.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n|\r/g, '⏎')}\``;
}

/** A Markdown table of every violation (for GitHub's job summary, or --format markdown). */
export function renderMarkdown(report: RangeReport): string {
  const lines = [m.markdownTitle(report.violations.length, report.checked, report.manifest, report.looked)];
  if (report.violations.length === 0) return lines.join('\n');
  const { shown, omitted } = listed(report.violations, report.limit);
  lines.push('', `| ${m.markdownHeader.join(' | ')} |`, `|${m.markdownHeader.map(() => '---').join('|')}|`);
  for (const v of shown) {
    lines.push(`| ${code(v.commit.slice(0, 10))} | ${cell(v.agent ?? m.unidentified)} | ${code(v.path)} | ${v.code} | ${cell(v.message)} | ${cell(v.fix)} |`);
  }
  if (omitted > 0) lines.push('', m.omitted(omitted, '--max-violations').trim());
  return lines.join('\n');
}
