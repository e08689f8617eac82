import { checkChanges, type OwnershipRules, type Violation } from './ownership.js';
import type { Change } from './model.js';
import { checkSignature, type CommitSignature, type SignerKeys } from './signature.js';

/** One commit as CI sees it. For a merge, `changes` are the paths that differ from every parent. */
export interface CommitRecord {
  sha: string;
  parents: string[];
  /** Values of the commit's Swarm-Agent trailers, in order. */
  trailerAgents: string[];
  /** Fencing tokens named by its Swarm-Lease trailers: the leases it was made under. */
  leaseTokens: number[];
  changes: Change[];
  /** Present when the range was read with signature verification (identity: signed). */
  signature?: CommitSignature;
}

export interface CommitViolation extends Violation {
  commit: string;
}

/**
 * Attribution and ownership of one commit. `branchAgent` is the agent whose branch is being checked
 * (null when the branch does not match the pattern): every commit there must carry its trailer.
 * Under `identity: signed` the commit must also be signed with the key of the agent its trailer
 * names (`signers`); a commit read without its signature counts as unsigned, so it fails closed.
 */
export function checkCommit(rules: OwnershipRules, commit: CommitRecord, branchAgent: string | null, signers: SignerKeys = new Map()): CommitViolation[] {
  const trailer = commit.trailerAgents.length > 0 ? commit.trailerAgents[commit.trailerAgents.length - 1]! : null;
  const out: Violation[] = [];
  if (rules.policy.settings.identity === 'signed') {
    out.push(...checkSignature(rules.policy.manifest, signers, trailer, commit.signature ?? { status: 'N', key: null }));
  }
  if (branchAgent !== null && trailer !== branchAgent) {
    out.push({ code: 'attribution', agent: trailer, path: null, holders: [branchAgent], waitFor: [] });
  }
  out.push(...checkChanges(rules, trailer ?? branchAgent, commit.changes, { tokens: commit.leaseTokens }));
  return out.map((v) => ({ ...v, commit: commit.sha }));
}
