import { agentFromBranch } from './branchPattern.js';

export type IdentitySource = 'env' | 'config' | 'branch';

export interface Identity {
  agent: string | null;
  source: IdentitySource | null;
  /** Human-readable origin: "SWARM_AGENT", "git config swarm.agent", "branch swarm/alice". */
  origin: string | null;
}

export interface IdentityInputs {
  env: string | undefined;
  config: string | undefined;
  branch: string | null;
  branchPattern: string;
}

/** First hit wins: SWARM_AGENT, then the worktree's git config swarm.agent, then the branch pattern. */
export function resolveIdentity(inputs: IdentityInputs): Identity {
  const env = inputs.env?.trim();
  if (env) return { agent: env, source: 'env', origin: 'SWARM_AGENT' };
  const config = inputs.config?.trim();
  if (config) return { agent: config, source: 'config', origin: 'git config swarm.agent' };
  const fromBranch = agentFromBranch(inputs.branchPattern, inputs.branch);
  if (fromBranch) return { agent: fromBranch, source: 'branch', origin: `branch ${inputs.branch}` };
  return { agent: null, source: null, origin: null };
}
