import { createHash } from 'node:crypto';
import type { Manifest, Settings } from '../core/model.js';
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

/** A manifest as content: its git blob id when it is committed, else a hash of its text. */
export interface ManifestRef {
  id: string;
  file: string;
  text: () => Promise<string>;
}

export function manifestFromText(text: string, file: string): ManifestRef {
  return { id: createHash('sha256').update(text).digest('hex'), file, text: async () => text };
}

/** Settings plus a manifest, validated and compiled once per distinct pair; a hit reads no blob. */
export async function policyFrom(settings: Settings, manifest: ManifestRef, cache: JsonCache): Promise<CompiledPolicy> {
  const key = cacheKey('policy', JSON.stringify(settings), manifest.id);
  const hit = await cache.get<CompiledPolicy>('policy', key);
  if (hit) return hit;
  const [{ validateManifest, compilePolicy }, text] = await Promise.all([import('./heavy.js'), manifest.text()]);
  const validated: Manifest = validateManifest(text, manifest.file);
  const policy = compilePolicy(settings, validated);
  await cache.set('policy', key, policy);
  return policy;
}
