import { access, chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { SwarmError } from '../errors.js';
import { getConfig, setConfig, unsetConfig } from './repo.js';

export const SWARM_HOOKS = ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'pre-push'] as const;
/** Shell functions the hooks source (trailer, pre-commit's stamp). */
const HOOK_LIBRARY = 'add-trailer.sh';

/** Where git-swarm's husky directory lives: inside the common git dir, so every worktree shares it. */
export function hooksHome(commonDir: string): string {
  return join(commonDir, 'swarm', 'hooks');
}

/** The value core.hooksPath gets: absolute, because husky's relative `.husky/_` is missing in new worktrees. */
export function hooksPathFor(commonDir: string): string {
  return join(hooksHome(commonDir), '_');
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface HookInstall {
  toplevel: string;
  commonDir: string;
  node: string;
  cli: string;
  templates: string;
  /** Hooks that were in effect before: they keep running after git-swarm's. '' for none. */
  chain: string;
}

/**
 * Installs the hooks with husky, then points git at them by absolute path. On any failure the
 * previous core.hooksPath is put back, so a failed install never leaves git pointing at nothing.
 */
export async function installHooks(install: HookInstall): Promise<void> {
  const home = hooksHome(install.commonDir);
  const previous = await getConfig('core.hooksPath', install.toplevel);
  try {
    await runHusky(home, install.toplevel);
    const run = `${shellQuote(install.node)} ${shellQuote(install.cli)}`;
    for (const hook of SWARM_HOOKS) {
      const template = await readFile(join(install.templates, hook), 'utf8');
      const file = join(home, hook);
      await writeFile(file, template.replaceAll('@RUN@', run).replaceAll('@CHAIN@', shellQuote(install.chain)));
      await chmod(file, 0o755);
    }
    await writeFile(join(home, HOOK_LIBRARY), await readFile(join(install.templates, HOOK_LIBRARY), 'utf8'));
    await passThroughOtherHooks(install, home);
    await setConfig('core.hooksPath', hooksPathFor(install.commonDir), install.toplevel);
  } catch (error) {
    if (previous === undefined) await unsetConfig('core.hooksPath', install.toplevel);
    else await setConfig('core.hooksPath', previous, install.toplevel);
    throw error;
  }
}

/**
 * Hooks installed before git-swarm other than its own four (post-checkout, post-merge, git-lfs's…)
 * keep running: each gets a pass-through. husky already has a stub for the common ones; any other
 * name gets its own script in the directory git runs.
 */
async function passThroughOtherHooks(install: HookInstall, home: string): Promise<void> {
  if (!install.chain) return;
  const names = await readdir(install.chain).catch(() => [] as string[]);
  const template = await readFile(join(install.templates, 'chained'), 'utf8');
  for (const name of names) {
    if (name.endsWith('.sample') || (SWARM_HOOKS as readonly string[]).includes(name) || !/^[a-z0-9-]+$/.test(name)) continue;
    const script = template.replaceAll('@CHAIN@', shellQuote(install.chain)).replaceAll('@NAME@', name);
    const stub = join(home, '_', name);
    const huskyStub = await access(stub).then(() => true, () => false);
    const file = huskyStub ? join(home, name) : stub;
    await writeFile(file, huskyStub ? script : `#!/bin/sh\n${script}`);
    await chmod(file, 0o755);
  }
}

/** husky works from the current directory and skips itself under HUSKY=0; neither may apply here. */
async function runHusky(home: string, toplevel: string): Promise<void> {
  const { default: husky } = await import('husky');
  const previousCwd = process.cwd();
  const previousHusky = process.env.HUSKY;
  delete process.env.HUSKY;
  process.chdir(toplevel);
  let problem: string;
  try {
    problem = husky(home);
  } finally {
    process.chdir(previousCwd);
    if (previousHusky !== undefined) process.env.HUSKY = previousHusky;
  }
  if (problem) throw new SwarmError('git', '', { command: ['husky', home], stderr: problem });
}

/** The hooks directory git uses in this worktree, resolved like git does. */
export function effectiveHooksDir(configured: string | undefined, toplevel: string, commonDir: string): string {
  if (!configured) return join(commonDir, 'hooks');
  return isAbsolute(configured) ? configured : resolve(toplevel, configured);
}

