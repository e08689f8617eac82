import { chainInfo, hooksHome, hooksPathFor, installHooks, uninstallHooks, type ChainInfo, type Removed } from '../git/hooks.js';
import { hookMessages } from '../messages/hook.js';
import { cliPath } from '../packagePaths.js';

export interface Installed {
  hooksPath: string;
  /** The hooks that keep running through the chain, as of now (the hooks look again each run). */
  chain: ChainInfo;
}

/** Installs the hooks that call this very node and CLI, by absolute path. */
export async function installGuard(toplevel: string, commonDir: string, integration: string): Promise<Installed> {
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
  });
  return { hooksPath: hooksPathFor(commonDir), chain: await chainInfo(toplevel, commonDir) };
}

export async function uninstallGuard(toplevel: string, commonDir: string): Promise<{ removed: Removed[]; chain: ChainInfo }> {
  const removed = await uninstallHooks(commonDir);
  return { removed, chain: await chainInfo(toplevel, commonDir) };
}
