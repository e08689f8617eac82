import { agentsAfter } from './agentOrder.js';
import { GlobIndex } from './globIndex.js';
import { agentSpec, SETTINGS_FILE, type Change } from './model.js';
import type { CompiledPolicy, GlobTag } from './policy.js';

export type ViolationCode =
  | 'reader'
  | 'outside-claims'
  | 'held-by-other'
  | 'lead-only'
  | 'unknown-agent'
  | 'unidentified'
  | 'attribution'
  | 'no-signing-key'
  | 'unsigned'
  | 'wrong-signer'
  | 'bad-signature'
  // Judged on a range's head rather than on one commit:
  | 'manifest-removed'
  | 'invalid-file';

/** Who signed a commit, as far as the signature shows: the key's fingerprint and the agent it belongs to. */
export interface Signer {
  /** The signing key as git names it (%GK; "SHA256:…" for SSH), null when git names none. */
  key: string | null;
  /** The manifest's agent with that key, null when it is nobody's. */
  agent: string | null;
}

export interface Violation {
  code: ViolationCode;
  /** The agent the change is charged to, null when unidentified. */
  agent: string | null;
  /** The offending path; null for whole-commit violations (reader with no paths, identity, attribution). */
  path: string | null;
  /** For held-by-other: the agents holding the path exclusively. */
  holders: string[];
  /** For held-by-other: holders that come before the agent (via `after`) and have not landed. */
  waitFor: string[];
  /** For invalid-file: what is wrong with it, as the validator worded it. */
  detail?: string | undefined;
  /** For wrong-signer and bad-signature: what the signature shows. */
  signer?: Signer;
}

export interface OwnershipRules {
  policy: CompiledPolicy;
  index: GlobIndex<GlobTag>;
  protectedPaths: ReadonlySet<string>;
  /** Agents whose work has landed: their claims no longer hold others back (filled in by landing). */
  landed: ReadonlySet<string>;
  /** Agents that come (transitively) after each agent; computed once, CI asks for every commit. */
  later: (agent: string) => ReadonlySet<string>;
}

export function makeRules(policy: CompiledPolicy, landed: ReadonlySet<string> = new Set()): OwnershipRules {
  const graph = new Map(Object.entries(policy.manifest.agents).map(([name, a]) => [name, a.after]));
  const memo = new Map<string, Set<string>>();
  return {
    policy,
    index: new GlobIndex(policy.globs),
    protectedPaths: new Set([policy.settings.manifest, SETTINGS_FILE]),
    landed,
    later: (agent) => {
      let set = memo.get(agent);
      if (!set) memo.set(agent, (set = agentsAfter(graph, agent)));
      return set;
    },
  };
}

function violation(code: ViolationCode, agent: string | null, path: string | null, holders: string[] = [], waitFor: string[] = []): Violation {
  return { code, agent, path, holders, waitFor };
}

/** The ownership rule (README.md, "The ownership rule"; ARCHITECTURE.md) over one set of changes by one agent (null: unidentified). */
export function checkChanges(rules: OwnershipRules, agent: string | null, changes: readonly Change[]): Violation[] {
  const { manifest, settings } = rules.policy;
  if (agent === null) {
    return settings.unidentified === 'deny' ? [violation('unidentified', null, null)] : [];
  }
  const spec = agentSpec(manifest, agent);
  if (!spec) return [violation('unknown-agent', agent, null)];
  if (spec.role === 'reader') {
    return changes.length === 0 ? [violation('reader', agent, null)] : changes.map((c) => violation('reader', agent, c.path));
  }
  const later = rules.later(agent);
  const out: Violation[] = [];
  for (const change of changes) {
    // A lead may always repair the manifest and settings, whoever's glob also covers them.
    if (rules.protectedPaths.has(change.path)) {
      if (spec.role !== 'lead') out.push(violation('lead-only', agent, change.path));
      continue;
    }
    const tags = rules.index.match(change.path);
    const holders = [
      ...new Set(
        tags
          .filter((t) => t.kind === 'claim' && t.agent !== null && t.agent !== agent && !rules.landed.has(t.agent) && !later.has(t.agent))
          .map((t) => t.agent as string),
      ),
    ];
    if (holders.length > 0) {
      out.push(violation('held-by-other', agent, change.path, holders, holders.filter((h) => rules.later(h).has(agent))));
      continue;
    }
    const allowed = spec.role === 'lead' || tags.some((t) => t.agent === agent || t.kind === 'always');
    if (!allowed) out.push(violation('outside-claims', agent, change.path));
  }
  return out;
}
