/** Branch pattern such as `swarm/{agent}`: which agent a branch belongs to, and back. */
function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function agentFromBranch(pattern: string, branch: string | null | undefined): string | null {
  if (!branch) return null;
  const [before, after] = pattern.split('{agent}') as [string, string];
  const m = new RegExp(`^${escape(before)}([^/]+)${escape(after)}$`).exec(branch);
  return m ? m[1]! : null;
}

export function branchForAgent(pattern: string, agent: string): string {
  return pattern.replace('{agent}', agent);
}
