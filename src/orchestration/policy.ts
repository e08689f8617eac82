import { createHash } from 'node:crypto';
import { SETTINGS_FILE, type Manifest, type Settings } from '../core/model.js';
import { readBlob } from '../git/blob.js';
import type { CompiledPolicy } from '../core/policy.js';
import { cacheKey, type JsonCache } from './cache.js';

/** Validated settings for a `.swarmrc` text ('' when there is none). */
export async function settingsFrom(text: string, file: string, cache: JsonCache): Promise<Settings> {
  const key = cacheKey('settings', text);
  const hit = await cache.get<Settings>('settings', key);
  if (hit) return hit;
  const { validateSettings } = await import('./heavy.js');
  const settings = validateSettings(text, file);
  await cache.set('settings', key, settings);
  return settings;
}

/** Validated settings for a committed `.swarmrc`, keyed by its blob id: a hit reads no blob. */
export async function settingsFromBlob(ref: ContentRef, cache: JsonCache): Promise<Settings> {
  const key = cacheKey('settings-blob', ref.id);
  const hit = await cache.get<Settings>('settings', key);
  if (hit) return hit;
  const settings = await settingsFrom(await ref.text(), ref.file, cache);
  await cache.set('settings', key, settings);
  return settings;
}

/** The settings a commit holds in its `.swarmrc` (defaults when it has none). */
export async function settingsAt(commit: string, cache: JsonCache, cwd?: string): Promise<Settings> {
  const text = (await readBlob(`${commit}:${SETTINGS_FILE}`, cwd)) ?? '';
  return settingsFrom(text, `${commit.slice(0, 10)}:${SETTINGS_FILE}`, cache);
}

/** A file as content (a manifest, settings): its git blob id when it is committed, else a hash of its text. */
export interface ContentRef {
  id: string;
  file: string;
  text: () => Promise<string>;
}

export function manifestFromText(text: string, file: string): ContentRef {
  return { id: createHash('sha256').update(text).digest('hex'), file, text: async () => text };
}

/** Settings plus a manifest, validated and compiled once per distinct pair; a hit reads no blob. */
export async function policyFrom(settings: Settings, manifest: ContentRef, cache: JsonCache): Promise<CompiledPolicy> {
  const key = cacheKey('policy', JSON.stringify(settings), manifest.id);
  const hit = await cache.get<CompiledPolicy>('policy', key);
  if (hit) return hit;
  const [{ validateManifest, compilePolicy }, text] = await Promise.all([import('./heavy.js'), manifest.text()]);
  const validated: Manifest = validateManifest(text, manifest.file);
  const policy = compilePolicy(settings, validated);
  await cache.set('policy', key, policy);
  return policy;
}
