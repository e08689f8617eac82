/** The sentences of range reports (check, pre-push) in every format. */
import { plural } from './common.js';

export const reportMessages = {
  clean: (what: string, checked: number, manifest: string) => `git-swarm: ${what}: ${plural(checked, 'commit')} checked against ${manifest}, no violations.`,
  noManifest: (what: string, checked: number, looked: string) =>
    `git-swarm: ${what}: ${plural(checked, 'commit')} seen; no manifest at ${looked}, so nothing is enforced for this range.`,
  refused: (what: string, total: number, checked: number, manifest: string) =>
    `git-swarm: ${what} refused: ${plural(total, 'violation')} in ${plural(checked, 'commit')}, against ${manifest}:`,
  omitted: (count: number, option: string) => `  … and ${count} more (${option})`,
  summary: (total: number, checked: number, manifest: string | null, looked: string) =>
    manifest === null && total === 0
      ? `git-swarm check: ${plural(checked, 'commit')} seen; no manifest at ${looked}, nothing enforced`
      : `git-swarm check: ${plural(total, 'violation')} in ${plural(checked, 'commit')}, against ${manifest ?? looked}`,
  annotationsOmitted: (shown: number, total: number) =>
    `git-swarm check: ${shown} of ${total} violations annotated (one per path, most severe first); the job summary and git swarm check list them all`,
  annotation: (commit: string, agent: string | null, message: string, fix: string) => `${commit} ${agent ?? '(unidentified)'}: ${message}. Fix: ${fix}`,
  annotationTitle: (code: string) => `git-swarm ${code}`,
  unidentified: '(unidentified)',
  markdownTitle: (total: number, checked: number, manifest: string | null, looked: string) =>
    manifest === null && total === 0
      ? `### git-swarm check: no manifest at \`${looked}\`, nothing enforced (${plural(checked, 'commit')})`
      : total === 0
        ? `### git-swarm check: ${plural(checked, 'commit')}, no violations (against \`${manifest}\`)`
        : `### git-swarm check: ${plural(total, 'violation')} in ${plural(checked, 'commit')} (against \`${manifest ?? looked}\`)`,
  summaryUnwritable: (file: string, reason: string) => `git-swarm: warning: could not write the job summary to ${file} (${reason})`,
  markdownHeader: ['commit', 'agent', 'path', 'rule', 'why', 'fix'] as const,
} as const;
