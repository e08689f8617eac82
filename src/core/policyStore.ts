/**
 * How a compiled policy is stored so that a commit reads only what it can reach: a small head
 * (every agent's role and order; the settings are the cache key's own) and shards holding the glob index's buckets and the
 * agents' claim lists, each bucket and agent in the shard its name hashes to. A commit reads the
 * head, the shards of its paths' directory prefixes and of the agents it names, and nothing that
 * grows with the rest of the manifest. Also the shape guards that every cache read applies: the
 * cache is local state an agent can write, and the hook bundle must not load zod.
 */
import { foldCase, toMatchForm } from './globIndex.js';
import type { AgentSpec, Manifest, Role, Settings } from './model.js';
import type { CompiledPolicy, GlobTag } from './policy.js';

export interface PolicyHead {
  /** Every agent without its claim lists, which live in the shards. */
  agents: Record<string, Omit<AgentSpec, 'claims' | 'shared'>>;
  shards: number;
  /** Slash count of the deepest bucket prefix: deeper directories of a path reach no bucket. */
  maxDepth: number;
}

/** One glob alternative in its bucket: `entry` orders matches as compilePolicy ordered the globs. */
export interface StoredAlternative {
  entry: number;
  tag: GlobTag;
  literal: string;
  segments: string[] | null;
  /** The literal prefix as written; the bucket's key is its case-folded form (see GlobIndex). */
  prefix: string;
}

export interface PolicyShard {
  buckets: Record<string, StoredAlternative[]>;
  agents: Record<string, { claims: string[]; shared: string[] }>;
}

/** What one decision needs: the paths it judges and the agents its messages name. Null: everything. */
export interface PolicyScope {
  paths: readonly string[];
  agents: readonly (string | null)[];
}

/** A few hundred alternatives per shard: a shard parses in well under a millisecond. */
const PER_SHARD = 512;
const MAX_SHARDS = 1024;

/** FNV-1a: cheap and stable; the spread only affects how many shards a commit reads. */
function shardOf(name: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h >>> 0) % shards;
}

/** Agents share the hash space with prefixes; a NUL, which no path holds, keeps them apart. */
const agentSlot = (name: string) => `\0${name}`;

function depth(prefix: string): number {
  let n = 0;
  for (let i = prefix.indexOf('/'); i !== -1; i = prefix.indexOf('/', i + 1)) n++;
  return n;
}

/** Splits a compiled policy into its head and shards (the order of `shards` is their index). */
export function splitPolicy(policy: CompiledPolicy): { head: PolicyHead; shards: PolicyShard[] } {
  const alternatives = policy.globs.reduce((n, g) => n + g.glob.alternatives.length, 0);
  const count = Math.min(MAX_SHARDS, Math.max(1, Math.ceil(alternatives / PER_SHARD)));
  const shards: PolicyShard[] = Array.from({ length: count }, () => ({ buckets: {}, agents: {} }));
  let maxDepth = 0;
  policy.globs.forEach(({ tag, glob }, entry) => {
    for (const { literal, segments, prefix } of glob.alternatives) {
      const key = foldCase(prefix);
      const buckets = shards[shardOf(key, count)]!.buckets;
      (Object.hasOwn(buckets, key) ? buckets[key]! : (buckets[key] = [])).push({ entry, tag, literal, segments, prefix });
      maxDepth = Math.max(maxDepth, depth(prefix));
    }
  });
  const agents: PolicyHead['agents'] = {};
  for (const [name, { claims, shared, ...rest }] of Object.entries(policy.manifest.agents)) {
    agents[name] = rest;
    shards[shardOf(agentSlot(name), count)]!.agents[name] = { claims, shared };
  }
  return { head: { agents, shards: count, maxDepth }, shards };
}

/** Case-folded directory prefixes of a path in match form, '' first, as deep as any bucket goes (see GlobIndex.match). */
function reachablePrefixes(path: string, maxDepth: number): string[] {
  const subject = foldCase(toMatchForm(path));
  const prefixes = [''];
  let slash = subject.indexOf('/');
  for (let d = 1; slash !== -1 && d <= maxDepth; d++) {
    prefixes.push(subject.slice(0, slash + 1));
    slash = subject.indexOf('/', slash + 1);
  }
  return prefixes;
}

/** The shards a scope needs, by index; every one for the whole policy. */
export function shardsFor(head: PolicyHead, scope: PolicyScope | null): number[] {
  if (!scope) return Array.from({ length: head.shards }, (_, i) => i);
  const needed = new Set<number>();
  for (const path of scope.paths) for (const prefix of reachablePrefixes(path, head.maxDepth)) needed.add(shardOf(prefix, head.shards));
  for (const agent of scope.agents) if (agent !== null) needed.add(shardOf(agentSlot(agent), head.shards));
  return [...needed].sort((a, b) => a - b);
}

/**
 * The policy as far as a scope reaches, from the head and the shards shardsFor named (by index).
 * It decides every path and agent of the scope exactly as the whole policy does: its globs are
 * those with an alternative in a bucket one of the paths reaches (GlobIndex consults no other),
 * and every agent keeps its role and order. Claim lists are filled for the scope's agents only,
 * which are the ones a message names. Without a scope, the whole policy.
 */
export function policyView(settings: Settings, head: PolicyHead, shards: ReadonlyMap<number, PolicyShard>, scope: PolicyScope | null): CompiledPolicy {
  const prefixes = scope ? new Set(scope.paths.flatMap((p) => reachablePrefixes(p, head.maxDepth))) : null;
  const globs = new Map<number, { tag: GlobTag; glob: CompiledPolicy['globs'][number]['glob'] }>();
  const agents: Record<string, AgentSpec> = {};
  for (const [name, spec] of Object.entries(head.agents)) agents[name] = { ...spec, claims: [], shared: [] };
  for (const shard of shards.values()) {
    for (const [key, stored] of Object.entries(shard.buckets)) {
      if (prefixes && !prefixes.has(key)) continue;
      for (const { entry, tag, literal, segments, prefix } of stored) {
        let glob = globs.get(entry);
        if (!glob) globs.set(entry, (glob = { tag, glob: { pattern: tag.pattern, alternatives: [] } }));
        glob.glob.alternatives.push({ literal, segments, prefix });
      }
    }
    for (const [name, lists] of Object.entries(shard.agents)) {
      if (Object.hasOwn(agents, name)) agents[name] = { ...agents[name]!, ...lists };
    }
  }
  const manifest: Manifest = { version: 1, agents };
  return { settings, manifest, globs: [...globs.entries()].sort(([a], [b]) => a - b).map(([, g]) => g) };
}

// Shape guards: cheap, exact enough that a wrong shape can neither throw later nor pass as a rule.

type Guard<T> = (value: unknown) => value is T;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isOptionalString = (v: unknown) => v === undefined || isString(v);
const ROLES: readonly Role[] = ['writer', 'reader', 'lead'];
const KINDS: readonly GlobTag['kind'][] = ['claim', 'shared', 'always'];

function isRecordOf<T>(v: unknown, each: Guard<T>): v is Record<string, T> {
  return isObject(v) && Object.values(v).every(each);
}

export function isSettings(v: unknown): v is Settings {
  if (!isObject(v)) return false;
  const { leases, limits, land, coordination } = v;
  return (
    isString(v.integration) &&
    isString(v.manifest) &&
    isString(v.branchPattern) &&
    isString(v.worktrees) &&
    (v.unidentified === 'allow' || v.unidentified === 'deny') &&
    (v.identity === 'asserted' || v.identity === 'signed') &&
    isStrings(v.alwaysAllowed) &&
    isObject(leases) &&
    isString(leases.defaultTtl) &&
    isString(leases.maxTtl) &&
    isObject(limits) &&
    isCount(limits.maxActiveAgents) &&
    isCount(limits.maxClaimsPerAgent) &&
    isCount(limits.maxLandingBatch) &&
    isObject(land) &&
    (land.check === null || isString(land.check)) &&
    isString(land.checkTimeout) &&
    isObject(coordination) &&
    (coordination.remote === null || isString(coordination.remote)) &&
    typeof v.guardIntegration === 'boolean'
  );
}

const isHeadAgent = (v: unknown): v is PolicyHead['agents'][string] =>
  isObject(v) && ROLES.includes(v.role as Role) && isStrings(v.after) && isOptionalString(v.task) && isOptionalString(v.group);

export function isPolicyHead(v: unknown): v is PolicyHead {
  return isObject(v) && isRecordOf(v.agents, isHeadAgent) && isCount(v.shards) && v.shards > 0 && isCount(v.maxDepth);
}

const isTag = (v: unknown): v is GlobTag => isObject(v) && (v.agent === null || isString(v.agent)) && KINDS.includes(v.kind as GlobTag['kind']) && isString(v.pattern);
const isStored = (v: unknown): v is StoredAlternative =>
  isObject(v) && isCount(v.entry) && isTag(v.tag) && isString(v.literal) && (v.segments === null || isStrings(v.segments)) && isString(v.prefix);
const isClaimLists = (v: unknown): v is PolicyShard['agents'][string] => isObject(v) && isStrings(v.claims) && isStrings(v.shared);

export function isPolicyShard(v: unknown): v is PolicyShard {
  return (
    isObject(v) &&
    isRecordOf(v.buckets, (b): b is StoredAlternative[] => Array.isArray(b) && b.every(isStored)) &&
    isRecordOf(v.agents, isClaimLists)
  );
}
