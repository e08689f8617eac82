import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveIdentity, type Identity } from '../core/identity.js';
import { SETTINGS_FILE, type Settings } from '../core/model.js';
import { SwarmError } from '../errors.js';
import type { CompiledPolicy } from '../core/policy.js';
import type { PolicyScope } from '../core/policyStore.js';
import { readBlob } from '../git/blob.js';
import { getConfig, probeRepo, resolveObject, type RepoPaths } from '../git/repo.js';
import { assertGitVersionCached } from '../git/version.js';
import { hookMessages } from '../messages/hook.js';
import { JsonCache } from './cache.js';
import { manifestFromText, policyFrom, settingsFrom } from './policy.js';
import { guessManifestSpec, manifestSpec } from '../core/settingsGuess.js';

export interface Workspace {
  paths: RepoPaths;
  settings: Settings;
  /** The `.swarmrc` text the settings came from, null when there is none (the stamp binds it). */
  settingsText: string | null;
  cache: JsonCache;
  branch: string | null;
  configAgent: string | undefined;
  /** Blob id of the manifest on the integration branch tip, null when it has none. */
  integrationManifest: string | null;
}

/** A user's file, null when it does not exist; a directory or an unreadable file is exit 2 naming it. */
async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT') return null;
    throw new SwarmError('filesystem', '', { file, errno });
  }
}

export interface Repository {
  paths: RepoPaths;
  cache: JsonCache;
  branch: string | null;
}

/**
 * The repository alone, without reading anything from its work tree: what `check` needs, which
 * must take nothing from the head it judges, nor from the cache, which any agent can write.
 */
export async function openRepository(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<Repository> {
  const { paths, branch } = await probeRepo(cwd);
  const cacheDir = join(paths.commonDir, 'swarm', 'cache');
  await assertGitVersionCached(cacheDir, env);
  return { paths, cache: new JsonCache(null), branch };
}

/**
 * Everything a command needs about this worktree. Hooks run at the top of the worktree, so
 * `.swarmrc` is read from the current directory first and the manifest's blob id is asked for in
 * the same rev-parse that finds the repository: one git process instead of five.
 */
export async function openWorkspace(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<Workspace> {
  const guessedText = await readText(join(cwd, SETTINGS_FILE));
  const guess = guessManifestSpec(guessedText);
  const [probe, configAgent] = await Promise.all([
    probeRepo(cwd, guess),
    env.SWARM_AGENT?.trim() ? Promise.resolve(undefined) : getConfig('swarm.agent', cwd),
  ]);
  const { paths } = probe;
  const cacheDir = join(paths.commonDir, 'swarm', 'cache');
  const cache = new JsonCache(cacheDir);
  const settingsText = paths.toplevel === cwd ? guessedText : await readText(join(paths.toplevel, SETTINGS_FILE));
  const [settings] = await Promise.all([settingsFrom(settingsText ?? '', SETTINGS_FILE, cache), assertGitVersionCached(cacheDir, env)]);
  const spec = manifestSpec(settings.integration, settings.manifest);
  const integrationManifest = spec === guess ? probe.blob : await resolveObject(spec, paths.toplevel);
  return { paths, settings, settingsText, cache, branch: probe.branch, configAgent, integrationManifest };
}

export function identify(ws: Workspace, env: NodeJS.ProcessEnv = process.env): Identity {
  return resolveIdentity({ env: env.SWARM_AGENT, config: ws.configAgent, branch: ws.branch, branchPattern: ws.settings.branchPattern });
}

export interface LoadedPolicy {
  policy: CompiledPolicy | null;
  /** Where the manifest came from, for messages: "main:.swarm/manifest.json". */
  source: string;
  notice: string | null;
}

/**
 * The manifest that binds agents locally: the integration branch tip's, never the agent's own copy.
 * Until the integration branch has one, the working tree's, with a notice. With a scope, only
 * what decides those paths and names those agents (see policyFrom).
 */
export async function integrationPolicy(ws: Workspace, scope: PolicyScope | null = null): Promise<LoadedPolicy> {
  const { integration, manifest } = ws.settings;
  const blob = ws.integrationManifest;
  if (blob !== null) {
    const source = `${integration}:${manifest}`;
    const ref = { id: blob, file: source, text: async () => (await readBlob(blob, ws.paths.toplevel)) ?? '' };
    return { policy: await policyFrom(ws.settings, ref, ws.cache, scope), source, notice: null };
  }
  const local = await readText(join(ws.paths.toplevel, manifest));
  if (local === null) return { policy: null, source: manifest, notice: hookMessages.noManifest(manifest) };
  return {
    policy: await policyFrom(ws.settings, manifestFromText(local, manifest), ws.cache, scope),
    source: `working tree ${manifest}`,
    notice: hookMessages.manifestFromWorkingTree(integration, manifest),
  };
}
