import { agentsAfter } from './agentOrder.js';
import type { CompiledGlob } from './glob.js';
import { caseTwin, foldCase, GlobIndex, toMatchForm } from './globIndex.js';
import type { Lease } from './leases.js';
import { agentSpec, SETTINGS_FILE, type Change } from './model.js';
import type { CompiledPolicy, GlobTag } from './policy.js';

export type ViolationCode =
  | 'reader'
  | 'outside-claims'
  | 'held-by-other'
  // The agent's own lease on the path has lapsed (and nothing else allows it):
  | 'lease-expired'
  | 'case-collision'
  // A path no checkout can hold (longer than PATH_MAX, a name longer than NAME_MAX):
  | 'unsafe-path'
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
  | 'invalid-file'
  // Two writers the manifest leaves unordered hold a path in common: each would refuse the other.
  | 'manifest-conflict';

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
  /** For held-by-other: the agents holding the path exclusively; for case-collision: holding a case variant of it; for manifest-conflict: the pair. */
  holders: string[];
  /** For held-by-other and case-collision: holders that come before the agent (via `after`) and have not landed. */
  waitFor: string[];
  /** For invalid-file: what is wrong with it, as the validator worded it; for manifest-conflict: the overlapping globs and a path both match. */
  detail?: string | undefined;
  /** For wrong-signer and bad-signature: what the signature shows. */
  signer?: Signer;
  /** For case-collision: a held path that differs from `path` only in case, when one can be named (caseTwin). */
  twin?: string | null;
  /** For held-by-other: the leases that hold the path; for lease-expired: the agent's lapsed ones. */
  leases?: Lease[];
}

/**
 * Leases as the ownership rule counts them. live (the hooks): the ledger now; other agents' live
 * exclusive leases hold a path like a claim, the agent's own allow it, and its lapsed ones
 * explain a refusal. history (check in CI): every grant the ledger ever recorded; a commit may
 * use one only by naming its token in a Swarm-Lease trailer, and none holds anyone back (CI
 * cannot know what was live at the instant of a commit; the manifest's claims still bind).
 */
export interface LeaseRules {
  kind: 'live' | 'history';
  leases: readonly Lease[];
  index: GlobIndex<Lease>;
  now: number;
}

export function leaseRules(kind: LeaseRules['kind'], leases: ReadonlyArray<{ lease: Lease; glob: CompiledGlob }>, now: number): LeaseRules {
  return { kind, leases: leases.map((l) => l.lease), index: new GlobIndex(leases.map(({ lease, glob }) => ({ tag: lease, glob }))), now };
}

/** What a commit brings beside its changes: the tokens of its Swarm-Lease trailer (check), and where to note the leases it relied on (hooks). */
export interface LeaseUse {
  tokens?: readonly number[];
  used?: Set<Lease>;
}

export interface OwnershipRules {
  policy: CompiledPolicy;
  index: GlobIndex<GlobTag>;
  /** The manifest and `.swarmrc`, ASCII-lower-cased: `.SWARMRC` is `.swarmrc` on a case-insensitive checkout. */
  protectedPaths: ReadonlySet<string>;
  /** Agents whose work has landed: their claims no longer hold others back (filled in by landing). */
  landed: ReadonlySet<string>;
  /** Agents that come (transitively) after each agent; computed once, CI asks for every commit. */
  later: (agent: string) => ReadonlySet<string>;
  leases: LeaseRules | null;
}

export function makeRules(policy: CompiledPolicy, landed: ReadonlySet<string> = new Set(), leases: LeaseRules | null = null): OwnershipRules {
  const graph = new Map(Object.entries(policy.manifest.agents).map(([name, a]) => [name, a.after]));
  const memo = new Map<string, Set<string>>();
  return {
    policy,
    index: new GlobIndex(policy.globs),
    protectedPaths: new Set([policy.settings.manifest, SETTINGS_FILE].map(foldCase)),
    landed,
    leases,
    later: (agent) => {
      let set = memo.get(agent);
      if (!set) memo.set(agent, (set = agentsAfter(graph, agent)));
      return set;
    },
  };
}

/** Linux's PATH_MAX and NAME_MAX, in bytes: no file system a checkout lands on holds more. */
const MAX_PATH_BYTES = 4096;
const MAX_NAME_BYTES = 255;

function checkablePath(path: string): boolean {
  const form = toMatchForm(path);
  return form.length <= MAX_PATH_BYTES && form.split('/').every((name) => name.length <= MAX_NAME_BYTES);
}

function violation(code: ViolationCode, agent: string | null, path: string | null, holders: string[] = [], waitFor: string[] = []): Violation {
  return { code, agent, path, holders, waitFor };
}

/** The ownership rule (README.md, "The ownership rule"; ARCHITECTURE.md) over one set of changes by one agent (null: unidentified). */
export function checkChanges(rules: OwnershipRules, agent: string | null, changes: readonly Change[], use: LeaseUse = {}): Violation[] {
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
    if (rules.protectedPaths.has(foldCase(change.path))) {
      if (spec.role !== 'lead') out.push(violation('lead-only', agent, change.path));
      continue;
    }
    // Checked before any glob sees it: matching cost grows with a path's length.
    if (!checkablePath(change.path)) {
      out.push(violation('unsafe-path', agent, change.path));
      continue;
    }
    const { exact: tags, caseOnly } = rules.index.lookup(change.path);
    const leases = leasesOn(rules, change.path);
    const holders = liveHolders(rules, agent, later, tags);
    // Landing ends a manifest claim's hold on the agents after it; a lease ends when released or lapsed.
    const waitFor = holders.filter((h) => rules.later(h).has(agent));
    const holding = leases.filter((l) => rules.leases!.kind === 'live' && l.agent !== agent && !l.shared && l.expires > rules.leases!.now);
    for (const l of holding) if (!holders.includes(l.agent)) holders.push(l.agent);
    if (holders.length > 0) {
      out.push({ ...violation('held-by-other', agent, change.path, holders, waitFor), ...(holding.length ? { leases: holding } : {}) });
      continue;
    }
    // On a case-insensitive checkout (macOS, Windows) a case variant of a held path is that path.
    const colliding = liveHolders(rules, agent, later, caseOnly);
    const caseLeases = rules.leases?.kind === 'live' ? rules.leases.index.lookup(change.path).caseOnly.filter((l) => l.agent !== agent && !l.shared && l.expires > rules.leases!.now) : [];
    for (const l of caseLeases) if (!colliding.includes(l.agent)) colliding.push(l.agent);
    if (colliding.length > 0) {
      const twin = caseOnly.filter((t) => colliding.includes(t.agent as string)).map((t) => twinOf(rules.policy, t, change.path)).find((t) => t !== null) ?? null;
      out.push({ ...violation('case-collision', agent, change.path, colliding, colliding.filter((h) => rules.later(h).has(agent) && caseOnly.some((t) => t.agent === h))), twin, ...(caseLeases.length ? { leases: caseLeases } : {}) });
      continue;
    }
    if (spec.role === 'lead' || tags.some((t) => t.agent === agent || t.kind === 'always')) continue;
    const mine = leases.filter((l) => l.agent === agent && usable(rules.leases!, l, use) && !fencedOut(l, leases));
    if (mine.length > 0) {
      for (const l of mine) use.used?.add(l);
      continue;
    }
    const lapsed = rules.leases?.kind === 'live' ? leases.filter((l) => l.agent === agent && l.expires <= rules.leases!.now) : [];
    if (lapsed.length > 0) out.push({ ...violation('lease-expired', agent, change.path), leases: lapsed });
    // A Swarm-Lease trailer that proves nothing here is worth saying: the ledger may not have been fetched.
    else if (rules.leases?.kind !== 'live' && use.tokens?.length) out.push({ ...violation('outside-claims', agent, change.path), detail: `lease-unproven:${use.tokens.join(', ')}` });
    else out.push(violation('outside-claims', agent, change.path));
  }
  return out;
}

function leasesOn(rules: OwnershipRules, path: string): Lease[] {
  return rules.leases ? rules.leases.index.lookup(path).exact : [];
}

/** Live: in force now. History: granted at some time, and named by the commit's trailer. */
/**
 * Fencing: a later grant (larger token) to another agent over the same path, exclusive on either
 * side, ended this lease's authority there, whenever the commit claims to have been made.
 */
function fencedOut(lease: Lease, onPath: readonly Lease[]): boolean {
  return onPath.some((l) => l.token > lease.token && l.agent !== lease.agent && !(l.shared && lease.shared));
}

function usable(leases: LeaseRules, lease: Lease, use: LeaseUse): boolean {
  return leases.kind === 'live' ? lease.expires > leases.now : (use.tokens ?? []).includes(lease.token);
}

/** Agents other than `agent` whose exclusive claims are among `tags` and still hold it back: not landed, not after it. */
function liveHolders(rules: OwnershipRules, agent: string, later: ReadonlySet<string>, tags: readonly GlobTag[]): string[] {
  const holders = new Set<string>();
  for (const t of tags) {
    if (t.kind === 'claim' && t.agent !== null && t.agent !== agent && !rules.landed.has(t.agent) && !later.has(t.agent)) holders.add(t.agent);
  }
  return [...holders];
}

function twinOf(policy: CompiledPolicy, tag: GlobTag, path: string): string | null {
  const entry = policy.globs.find((g) => g.tag === tag);
  return entry ? caseTwin(entry.glob, path) : null;
}
