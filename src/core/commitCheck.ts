import { checkChanges, type OwnershipRules, type Violation } from './ownership.js';
import type { Change } from './model.js';

/** One commit as CI sees it. For a merge, `changes` are the paths that differ from every parent. */
export interface CommitRecord {
  sha: string;
  parents: string[];
  /** Values of the commit's Swarm-Agent trailers, in order. */
  trailerAgents: string[];
  changes: Change[];
}

export interface CommitViolation extends Violation {
  commit: string;
}

/**
 * Attribution and ownership of one commit. `branchAgent` is the agent whose branch is being checked
 * (null when the branch does not match the pattern): every commit there must carry its trailer.
 */
export function checkCommit(rules: OwnershipRules, commit: CommitRecord, branchAgent: string | null): CommitViolation[] {
  const trailer = commit.trailerAgents.length > 0 ? commit.trailerAgents[commit.trailerAgents.length - 1]! : null;
  const out: Violation[] = [];
  if (branchAgent !== null && trailer !== branchAgent) {
    out.push({ code: 'attribution', agent: trailer, path: null, holders: [branchAgent], waitFor: [] });
  }
  out.push(...checkChanges(rules, trailer ?? branchAgent, commit.changes));
  return out.map((v) => ({ ...v, commit: commit.sha }));
}
