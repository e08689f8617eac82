/** The validated shapes the core works on. src/schema turns unknown input into these. */
export type Role = 'writer' | 'reader' | 'lead';

export interface AgentSpec {
  role: Role;
  task?: string | undefined;
  claims: string[];
  shared: string[];
  after: string[];
  group?: string | undefined;
  /** An SSH public key line ("ssh-ed25519 AAAA… comment"); under `identity: signed` it verifies the agent's commits. */
  signingKey?: string | undefined;
}

export interface Manifest {
  version: 1;
  agents: Record<string, AgentSpec>;
}

export type UnidentifiedPolicy = 'allow' | 'deny';
/** asserted: the Swarm-Agent trailer is believed; signed: each commit's SSH signature must be its agent's. */
export type IdentityMode = 'asserted' | 'signed';

export interface Settings {
  integration: string;
  manifest: string;
  branchPattern: string;
  worktrees: string;
  unidentified: UnidentifiedPolicy;
  identity: IdentityMode;
  alwaysAllowed: string[];
  leases: { defaultTtl: string; maxTtl: string };
  limits: { maxActiveAgents: number; maxClaimsPerAgent: number; maxLandingBatch: number };
  land: { check: string | null; checkTimeout: string };
  coordination: { remote: string | null };
  guardIntegration: boolean;
}

/** A path changed by a commit or by the staged index. A rename is its delete plus its add. */
export type ChangeStatus = 'A' | 'M' | 'D' | 'T';
export interface Change {
  path: string;
  status: ChangeStatus;
}

export const SETTINGS_FILE = '.swarmrc';
export const DEFAULT_BRANCH_PATTERN = 'swarm/{agent}';
export const DEFAULT_INTEGRATION = 'main';

/** An agent's spec by name; own properties only, so "constructor" or "__proto__" is no agent. */
export function agentSpec(manifest: Manifest, name: string): AgentSpec | undefined {
  return Object.hasOwn(manifest.agents, name) ? manifest.agents[name] : undefined;
}
