import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveIdentity, type Identity } from '../core/identity.js';
import { SETTINGS_FILE, type Settings } from '../core/model.js';
import type { CompiledPolicy } from '../core/policy.js';
import { readBlobAt } from '../git/blob.js';
import { currentBranch, getConfig, repoPaths, type RepoPaths } from '../git/repo.js';
import { assertGitVersion } from '../git/version.js';
import { messages } from '../messages.js';
import { JsonCache } from './cache.js';
import { policyFrom, settingsFrom } from './policy.js';

export interface Workspace {
  paths: RepoPaths;
  settings: Settings;
  cache: JsonCache;
  branch: string | null;
  configAgent: string | undefined;
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Everything a command needs about this worktree, gathered with git calls that run in parallel:
 * the hook path pays for one round of process start-ups, not five.
 */
export async function openWorkspace(cwd = process.cwd()): Promise<Workspace> {
  const [paths, branch, configAgent] = await Promise.all([
    repoPaths(cwd),
    currentBranch(cwd),
    getConfig('swarm.agent', cwd),
    assertGitVersion(),
  ]);
  const cache = new JsonCache(join(paths.commonDir, 'swarm', 'cache'));
  const settingsText = (await readText(join(paths.toplevel, SETTINGS_FILE))) ?? '';
  const settings = await settingsFrom(settingsText, SETTINGS_FILE, cache);
  return { paths, settings, cache, branch, configAgent };
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
 * Until the integration branch has one, the working tree's, with a notice.
 */
export async function integrationPolicy(ws: Workspace): Promise<LoadedPolicy> {
  const { integration, manifest } = ws.settings;
  const committed = await readBlobAt(`refs/heads/${integration}`, manifest, ws.paths.toplevel);
  if (committed !== null) {
    const source = `${integration}:${manifest}`;
    return { policy: await policyFrom(ws.settings, committed, source, ws.cache), source, notice: null };
  }
  const local = await readText(join(ws.paths.toplevel, manifest));
  if (local === null) return { policy: null, source: manifest, notice: messages.noManifest(manifest) };
  return {
    policy: await policyFrom(ws.settings, local, manifest, ws.cache),
    source: `working tree ${manifest}`,
    notice: messages.manifestFromWorkingTree(integration, manifest),
  };
}
