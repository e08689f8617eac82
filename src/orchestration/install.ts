import type { Settings } from '../core/model.js';
import { isSwarmError } from '../errors.js';
import { chainInfo, hooksHome, hooksPathFor, installHooks, uninstallHooks, type ChainInfo, type Removed } from '../git/hooks.js';
import { resolveCommit } from '../git/repo.js';
import { hookMessages } from '../messages/hook.js';
import { cliPath } from '../packagePaths.js';
import { JsonCache } from './cache.js';
import { settingsAt } from './policy.js';

export interface Installed {
  hooksPath: string;
  /** The hooks that keep running through the chain, as of now (the hooks look again each run). */
  chain: ChainInfo;
}

/**
 * Installs the hooks that call this very node and CLI, by absolute path; with `guard`, also the
 * reference-transaction guard on the integration branch.
 */
export async function installGuard(toplevel: string, commonDir: string, integration: string, guard: boolean): Promise<Installed> {
  const node = process.execPath;
  const cli = cliPath();
  await installHooks({
    toplevel,
    commonDir,
    home: hooksHome(commonDir),
    node,
    cli,
    nodeMissing: hookMessages.runtimeMissing('node', node),
    cliMissing: hookMessages.runtimeMissing('git-swarm', cli),
    mergeDriver: { label: 'git-swarm manifest merge', args: 'merge-driver %O %A %B %P' },
    integration,
    guard,
  });
  return { hooksPath: hooksPathFor(commonDir), chain: await chainInfo(toplevel, commonDir) };
}

/**
 * Whether init installs the guard on the integration branch: the working tree's .swarmrc (the one
 * init installs) or the integration tip's (the one the hooks obey) sets guardIntegration. Either
 * is enough, so init run on an agent's branch that predates the setting does not take the guard
 * away from every worktree, and a lead can install it before committing the setting.
 */
export async function guardWanted(settings: Settings, toplevel: string): Promise<boolean> {
  if (settings.guardIntegration) return true;
  const tip = await resolveCommit(`refs/heads/${settings.integration}`, toplevel);
  if (tip === null) return false;
  try {
    return (await settingsAt(tip, new JsonCache(null), toplevel)).guardIntegration;
  } catch (error) {
    // A broken .swarmrc on the tip is doctor's to report; init installs what its own copy says.
    if (isSwarmError(error) && error.code === 'config') return false;
    throw error;
  }
}

export async function uninstallGuard(toplevel: string, commonDir: string): Promise<{ removed: Removed[]; chain: ChainInfo }> {
  const removed = await uninstallHooks(commonDir);
  return { removed, chain: await chainInfo(toplevel, commonDir) };
}
