import { compileGlob } from './glob.js';
import type { Manifest, Settings } from './model.js';
import type { CompiledPolicy, GlobTag } from './policy.js';

/** Compiles every glob once. Off the hot path: hooks load the result from a cache. */
export function compilePolicy(settings: Settings, manifest: Manifest): CompiledPolicy {
  const globs: CompiledPolicy['globs'] = [];
  const add = (tag: GlobTag) => globs.push({ tag, glob: compileGlob(tag.pattern) });
  for (const [agent, spec] of Object.entries(manifest.agents)) {
    for (const pattern of spec.claims) add({ agent, kind: 'claim', pattern });
    for (const pattern of spec.shared) add({ agent, kind: 'shared', pattern });
  }
  for (const pattern of settings.alwaysAllowed) add({ agent: null, kind: 'always', pattern });
  return { settings, manifest, globs };
}
