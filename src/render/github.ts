import { reportMessages as m } from '../messages/report.js';
import { listed, mostSevere, type RangeReport } from './report.js';

/**
 * GitHub Actions workflow commands. GitHub shows only the first 10 error annotations of a step,
 * so at most that many are emitted (one per path, most severe first), then a summary line; the
 * full table goes to the job summary (see markdown.ts).
 */
export const GITHUB_ANNOTATION_LIMIT = 10;

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function renderGithub(report: RangeReport): string {
  const limit = Math.min(report.limit ?? GITHUB_ANNOTATION_LIMIT, GITHUB_ANNOTATION_LIMIT);
  const candidates = mostSevere(report.violations);
  const { shown } = listed(candidates, limit);
  const lines = shown.map((v) => {
    const props = [v.path !== null ? `file=${escapeProperty(v.path)}` : null, `title=${escapeProperty(m.annotationTitle(v.code))}`].filter(Boolean);
    return `::error ${props.join(',')}::${escapeData(m.annotation(v.commit.slice(0, 10), v.agent, v.message, v.fix))}`;
  });
  if (shown.length < report.violations.length) lines.push(m.annotationsOmitted(shown.length, report.violations.length));
  lines.push(m.summary(report.violations.length, report.checked, report.manifest, report.looked));
  return lines.join('\n');
}
