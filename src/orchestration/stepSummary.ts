import { appendFile } from 'node:fs/promises';
import { renderMarkdown } from '../render/markdown.js';
import type { RangeReport } from '../render/report.js';
import { reportMessages } from '../messages/report.js';

/**
 * On GitHub Actions, the job summary gets a table of every violation: annotations are capped
 * at ten per step, the summary is not. --max-violations does not shorten it.
 */
export async function writeStepSummary(report: RangeReport, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    await appendFile(file, `${renderMarkdown({ ...report, limit: null })}\n`);
  } catch (error) {
    process.stderr.write(`${reportMessages.summaryUnwritable(file, (error as Error).message)}\n`);
  }
}
