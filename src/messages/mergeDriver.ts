/** What the manifest's merge driver says on stderr: a conflict it left for a lead, or why it fell back to git's line merge. */
import type { MergeConflict } from '../core/manifestMerge.js';
import { formatJsonPath, manifestProblemText } from './validation.js';
import { conflictDetail } from './violations.js';

const value = (v: string | undefined) => (v === undefined ? '(not set)' : JSON.stringify(v));

function conflictLine(c: MergeConflict): string {
  switch (c.kind) {
    case 'field': {
      const at = c.agent === null ? c.field : formatJsonPath(['agents', c.agent, c.field]);
      const both = `ours ${value(c.ours)}, theirs ${value(c.theirs)}`;
      return c.added ? `${at}: added on both sides with different values: ${both}` : `${at}: changed on both sides: ${both} (base ${value(c.base)})`;
    }
    case 'deleted':
      return `${formatJsonPath(['agents', c.agent])}: deleted by ${c.deletedBy}, changed by ${c.deletedBy === 'ours' ? 'theirs' : 'ours'}`;
    case 'revoked':
      return `${formatJsonPath(['agents', c.agent, c.field])}: ${c.removedBy} removed ${JSON.stringify(c.removed)}, the other side added ${JSON.stringify(c.added)}, which covers some of the same paths (e.g. ${c.witness}): keep the revocation or the new glob, not both by accident`;
    case 'writers': {
      const { a, b } = c.pair;
      return `${a} and ${b} would hold overlapping claims and neither comes after the other: ${conflictDetail(c.pair)}; order them (add "${a}" to agents.${b}.after) or narrow a claim`;
    }
    case 'rule':
      return `${formatJsonPath(c.problem.path)}: ${manifestProblemText(c.problem)}`;
  }
}

export const mergeDriverMessages = {
  conflicts: (path: string, conflicts: readonly MergeConflict[]) =>
    [
      `git-swarm: the changes to ${path} conflict:`,
      ...conflicts.map((c) => `  ${conflictLine(c)}`),
      `${path} shows each agent in conflict twice, ours then theirs, between <<<<<<< and >>>>>>> lines. Keep one version of each, edit it so both changes hold, delete the marker lines, then, as a lead: git add ${path} and git commit (or git rebase --continue).`,
    ].join('\n'),
  fallback: (path: string, side: 'base' | 'ours' | 'theirs', problem: string) =>
    [
      `git-swarm: the ${side} version of ${path} is not a valid manifest, so git's line merge merged it instead:`,
      `  ${problem.replace(/\n/g, '\n  ')}`,
      `Nothing vouches for a line merge of the manifest, so git reports it as a conflict: check ${path} (git swarm plan shows overlapping writers), then git add ${path} and commit; the commit hooks refuse a manifest that does not validate.`,
    ].join('\n'),
} as const;
