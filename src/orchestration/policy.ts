import { createHash } from 'node:crypto';
import { SETTINGS_FILE, type Manifest, type Settings } from '../core/model.js';
import { readBlob } from '../git/blob.js';
import type { CompiledPolicy } from '../core/policy.js';
import { isPolicyHead, isPolicyShard, isSettings, policyView, shardsFor, splitPolicy, type PolicyScope, type PolicyShard } from '../core/policyStore.js';
import { cacheKey, type JsonCache } from './cache.js';

const WRITE_BATCH = 32;

/**
 * Validated settings for a `.swarmrc`'s bytes (empty when there is none), keyed by the bytes: two
 * files that only a lenient decoder would read alike must not share a verdict.
 */
export async function settingsFrom(content: Uint8Array, file: string, cache: JsonCache): Promise<Settings> {
  const key = cacheKey('settings', content);
  const hit = await cache.get('settings', key, isSettings);
  if (hit) return hit;
  const { validateSettings } = await import('./heavy.js');
  const settings = validateSettings(content, file);
  await cache.set('settings', key, settings);
  return settings;
}

/** Validated settings for a committed `.swarmrc`, keyed by its blob id: a hit reads no blob. */
export async function settingsFromBlob(ref: ContentRef, cache: JsonCache): Promise<Settings> {
  const key = cacheKey('settings-blob', ref.id);
  const hit = await cache.get('settings', key, isSettings);
  if (hit) return hit;
  const settings = await settingsFrom(await ref.bytes(), ref.file, cache);
  await cache.set('settings', key, settings);
  return settings;
}

/** The settings a commit holds in its `.swarmrc` (defaults when it has none). */
export async function settingsAt(commit: string, cache: JsonCache, cwd?: string): Promise<Settings> {
  const content = (await readBlob(`${commit}:${SETTINGS_FILE}`, cwd)) ?? new Uint8Array();
  return settingsFrom(content, `${commit.slice(0, 10)}:${SETTINGS_FILE}`, cache);
}

/** A file as content (a manifest, settings): its git blob id when it is committed, else a hash of its bytes. */
export interface ContentRef {
  id: string;
  file: string;
  bytes: () => Promise<Uint8Array>;
}

export function manifestFromBytes(bytes: Uint8Array, file: string): ContentRef {
  return { id: createHash('sha256').update(bytes).digest('hex'), file, bytes: async () => bytes };
}

/**
 * Settings plus a manifest, validated and compiled once per distinct pair; a hit reads no blob.
 * With a scope, only as much of the policy as decides those paths and names those agents (see
 * policyView): a commit then reads the stored policy's head and a few shards, however large the
 * manifest. An entry that fails its checks, or a shard missing, counts as a miss and is rebuilt.
 */
export async function policyFrom(settings: Settings, manifest: ContentRef, cache: JsonCache, scope: PolicyScope | null = null): Promise<CompiledPolicy> {
  const key = cacheKey('policy', JSON.stringify(settings), manifest.id);
  const shardCache = cache.child(`policy-${key}`);
  const head = await cache.get('policy', key, isPolicyHead);
  if (head) {
    const wanted = shardsFor(head, scope);
    const shards = await Promise.all(wanted.map((i) => shardCache.get('shard', `${key}.${i}`, isPolicyShard)));
    if (shards.every((s): s is PolicyShard => s !== null)) return policyView(settings, head, new Map(wanted.map((i, n) => [i, shards[n]!])), scope);
  }
  const [{ validateManifest, compilePolicy }, bytes] = await Promise.all([import('./heavy.js'), manifest.bytes()]);
  const validated: Manifest = validateManifest(bytes, manifest.file);
  const policy = compilePolicy(settings, validated);
  const stored = splitPolicy(policy);
  // A few at a time (a thousand files opened at once can run out of descriptors, and a shard
  // that fails to be written makes every later read a miss), the head last: a reader that finds
  // the head finds its shards.
  for (let i = 0; i < stored.shards.length; i += WRITE_BATCH) {
    const batch = stored.shards.slice(i, i + WRITE_BATCH);
    await Promise.all(batch.map((shard, n) => shardCache.set('shard', `${key}.${i + n}`, shard)));
  }
  await cache.set('policy', key, stored.head);
  // Scoped as a hit would be: a huge manifest's index is not built just to judge a few paths.
  return scope ? policyView(settings, stored.head, new Map(stored.shards.map((shard, i) => [i, shard])), scope) : policy;
}
