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

/** Settings plus the manifest text, validated and compiled once per distinct input. */
export async function policyFrom(settings: Settings, manifestText: string, manifestFile: string, cache: JsonCache): Promise<CompiledPolicy> {
  const key = cacheKey('policy', JSON.stringify(settings), manifestText);
  const hit = await cache.get<CompiledPolicy>('policy', key);
  if (hit) return hit;
  const { validateManifest, compilePolicy } = await import('./heavy.js');
  const manifest: Manifest = validateManifest(manifestText, manifestFile);
  const policy = compilePolicy(settings, manifest);
  await cache.set('policy', key, policy);
  return policy;
}
