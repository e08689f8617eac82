import { createHash } from 'node:crypto';
import { SETTINGS_FILE, type Manifest, type Settings } from '../core/model.js';
import { readBlob } from '../git/blob.js';
import type { CompiledPolicy } from '../core/policy.js';
import { cacheKey, type JsonCache } from './cache.js';

/**
 * Validated settings for a `.swarmrc`'s bytes (empty when there is none), keyed by the bytes: two
 * files that only a lenient decoder would read alike must not share a verdict.
 */
export async function settingsFrom(content: Uint8Array, file: string, cache: JsonCache): Promise<Settings> {
  const key = cacheKey('settings', content);
  const hit = await cache.get<Settings>('settings', key);
  if (hit) return hit;
  const { validateSettings } = await import('./heavy.js');
  const settings = validateSettings(content, file);
  await cache.set('settings', key, settings);
  return settings;
}

/** Validated settings for a committed `.swarmrc`, keyed by its blob id: a hit reads no blob. */
export async function settingsFromBlob(ref: ContentRef, cache: JsonCache): Promise<Settings> {
  const key = cacheKey('settings-blob', ref.id);
  const hit = await cache.get<Settings>('settings', key);
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

/** Settings plus a manifest, validated and compiled once per distinct pair; a hit reads no blob. */
export async function policyFrom(settings: Settings, manifest: ContentRef, cache: JsonCache): Promise<CompiledPolicy> {
  const key = cacheKey('policy', JSON.stringify(settings), manifest.id);
  const hit = await cache.get<CompiledPolicy>('policy', key);
  if (hit) return hit;
  const [{ validateManifest, compilePolicy }, bytes] = await Promise.all([import('./heavy.js'), manifest.bytes()]);
  const validated: Manifest = validateManifest(bytes, manifest.file);
  const policy = compilePolicy(settings, validated);
  await cache.set('policy', key, policy);
  return policy;
}
