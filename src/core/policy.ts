import type { CompiledGlob } from './glob.js';
import type { Manifest, Settings } from './model.js';

/** Where a glob comes from: an agent's exclusive claim, its shared path, or the always-allowed list. */
export interface GlobTag {
  agent: string | null;
  kind: 'claim' | 'shared' | 'always';
  pattern: string;
}

/** Settings and manifest with every glob compiled: plain data, so it can be cached as JSON. */
export interface CompiledPolicy {
  settings: Settings;
  manifest: Manifest;
  globs: Array<{ tag: GlobTag; glob: CompiledGlob }>;
}
