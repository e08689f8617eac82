import { agentFromBranch } from './branchPattern.js';

export type IdentitySource = 'env' | 'config' | 'branch';

export interface Identity {
  agent: string | null;
  source: IdentitySource | null;
  /** For source 'branch': the branch that named the agent (the rebased one during a rebase). */
  branch: string | null;
}

export interface IdentityInputs {
  env: string | undefined;
  config: string | undefined;
  branch: string | null;
  branchPattern: string;
}

/** First hit wins: SWARM_AGENT, then the worktree's own git config swarm.agent, then the branch pattern. */
export function resolveIdentity(inputs: IdentityInputs): Identity {
  const env = inputs.env?.trim();
  if (env) return { agent: env, source: 'env', branch: null };
  const config = inputs.config?.trim();
  if (config) return { agent: config, source: 'config', branch: null };
  const fromBranch = agentFromBranch(inputs.branchPattern, inputs.branch);
  if (fromBranch) return { agent: fromBranch, source: 'branch', branch: inputs.branch };
  return { agent: null, source: null, branch: null };
}
