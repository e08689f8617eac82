import { access, appendFile, chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { SwarmError } from '../errors.js';
import { GUARD_HOOK, guardScript, hookScripts, passThroughScript, shellQuote, STAMP_FILE, SWARM_HOOKS, type HookScriptParams } from './hookProtocol.js';
import { git, runGit, splitZ } from './run.js';

/**
 * git-swarm keeps its git config in a file of its own, `<common dir>/swarm/config`, included at
 * the end of the repository's config. The last value git reads wins, so a hook manager that later
 * sets core.hooksPath in the repository's config (husky's prepare, on every npm install) lands
 * above the include and no longer switches git-swarm off. Every worktree shares that config.
 */
export const SWARM_INCLUDE = 'swarm/config';

/** The manifest's merge driver, named in .gitattributes and defined in git-swarm's config file. */
export const MERGE_DRIVER = 'swarm-manifest';

export function swarmDir(commonDir: string): string {
  return join(commonDir, 'swarm');
}

/** Where git-swarm's husky directory lives: inside the common git dir, so every worktree shares it. */
export function hooksHome(commonDir: string): string {
  return join(swarmDir(commonDir), 'hooks');
}

/** The value core.hooksPath gets: absolute, because husky's relative `.husky/_` is missing in new worktrees. */
export function hooksPathFor(commonDir: string): string {
  return join(hooksHome(commonDir), '_');
}

/** Where the guard on the integration branch goes when guardIntegration asks for it. */
export function guardFile(commonDir: string): string {
  return join(hooksPathFor(commonDir), GUARD_HOOK);
}

export function swarmConfigFile(commonDir: string): string {
  return join(commonDir, SWARM_INCLUDE);
}

function repoConfigFile(commonDir: string): string {
  return join(commonDir, 'config');
}

const exists = (file: string) => access(file).then(() => true, () => false);

export interface HookInstall extends HookScriptParams {
  toplevel: string;
  /** The merge driver's description and the CLI arguments it is run with. */
  mergeDriver: { label: string; args: string };
  /** The integration branch, recorded as swarm.integration: where the hooks read settings and manifest. */
  integration: string;
  /** Whether to install the reference-transaction guard on the integration branch (guardIntegration). */
  guard: boolean;
}

/**
 * Installs the hooks with husky into git-swarm's directory, writes its config file, and only then
 * includes that file from the repository's config: a failure on the way changes nothing git reads.
 */
export async function installHooks(install: HookInstall): Promise<void> {
  const { commonDir, home } = install;
  const file = swarmConfigFile(commonDir);
  await mkdir(swarmDir(commonDir), { recursive: true });
  await runHusky(home, install.toplevel, file);
  for (const [name, text] of Object.entries(hookScripts(install))) {
    await writeFile(join(home, name), text);
    await chmod(join(home, name), 0o755);
  }
  await git(['config', '--file', file, 'core.hooksPath', hooksPathFor(commonDir)]);
  await git(['config', '--file', file, 'swarm.integration', install.integration]);
  await git(['config', '--file', file, `merge.${MERGE_DRIVER}.name`, install.mergeDriver.label]);
  await git(['config', '--file', file, `merge.${MERGE_DRIVER}.driver`, `${shellQuote(install.node)} ${shellQuote(install.cli)} ${install.mergeDriver.args}`]);
  await includeLast(commonDir);
  // After the include, so git never reads a config without git-swarm's hooks path in between.
  await removeLegacyConfig(commonDir);
  await writePassThroughs(install);
}

/**
 * Every hook git may run from git-swarm's directory besides its own four runs the chained hook of
 * its name: husky's stub names (replaced by a direct script, one shell start fewer) and any name
 * in the chained directory now (git-lfs's, reference-transaction…). reference-transaction is the
 * guard when guardIntegration asks for it (chaining one found there), and is removed when neither
 * asks for it: git forks a hook twice per ref a fetch updates.
 */
async function writePassThroughs(install: HookInstall): Promise<void> {
  const stubs = join(install.home, '_');
  const chained = await chainedHooksDir(install.toplevel, install.commonDir);
  const chainedNames = await readdir(chained).catch(() => [] as string[]);
  const names = new Set([...(await readdir(stubs)), ...chainedNames, GUARD_HOOK]);
  for (const name of names) {
    if ((SWARM_HOOKS as readonly string[]).includes(name) || !/^[a-z0-9-]+$/.test(name) || name === 'h') continue;
    const chains = chainedNames.includes(name);
    if (name === GUARD_HOOK && !install.guard && !chains) {
      await rm(join(stubs, name), { force: true });
      continue;
    }
    await writeFile(join(stubs, name), name === GUARD_HOOK && install.guard ? guardScript(install, install.integration, chains) : passThroughScript(install, name));
    await chmod(join(stubs, name), 0o755);
  }
}

/**
 * husky works from the current directory, skips itself under HUSKY=0, and sets core.hooksPath with
 * a plain `git config`: GIT_CONFIG sends that write to git-swarm's own file.
 */
async function runHusky(home: string, toplevel: string, configFile: string): Promise<void> {
  const loaded = await import('husky').catch(() => null);
  if (!loaded) throw new SwarmError('filesystem', '', { file: 'husky (git-swarm\'s one runtime dependency)', errno: 'MODULE_NOT_FOUND' });
  const husky = loaded.default;
  const previousCwd = process.cwd();
  const previous = { HUSKY: process.env.HUSKY, GIT_CONFIG: process.env.GIT_CONFIG };
  delete process.env.HUSKY;
  process.env.GIT_CONFIG = configFile;
  process.chdir(toplevel);
  let problem: string;
  try {
    problem = husky(home);
  } finally {
    process.chdir(previousCwd);
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  if (problem) throw new SwarmError('git', '', { command: ['husky', home], stderr: problem });
}

/** core.hooksPath values the repository's config yields, in the order git reads them (the last wins). */
async function repoHooksPaths(commonDir: string): Promise<Array<{ origin: string; value: string }>> {
  const result = await runGit(['config', '--file', repoConfigFile(commonDir), '--includes', '--show-origin', '-z', '--get-all', 'core.hooksPath']);
  const parts = splitZ(result.stdout);
  const values: Array<{ origin: string; value: string }> = [];
  for (let i = 0; i + 1 < parts.length; i += 2) values.push({ origin: resolve(commonDir, '..', parts[i]!.replace(/^file:/, '')), value: parts[i + 1]! });
  return values;
}

async function includeEntries(commonDir: string): Promise<number> {
  const result = await runGit(['config', '--file', repoConfigFile(commonDir), '-z', '--get-all', 'include.path', `^${SWARM_INCLUDE}$`]);
  return splitZ(result.stdout).length;
}

export interface IncludeState {
  present: boolean;
  /** git-swarm's file has the last word on core.hooksPath in the repository's config. */
  last: boolean;
}

export async function includeState(commonDir: string): Promise<IncludeState> {
  const [entries, values] = await Promise.all([includeEntries(commonDir), repoHooksPaths(commonDir)]);
  return { present: entries > 0, last: values.at(-1)?.origin === swarmConfigFile(commonDir) };
}

/**
 * `git config --add` would put the include inside an earlier [include] section, above settings
 * that may follow; only a section appended at the very end is sure to be read last.
 */
async function includeLast(commonDir: string): Promise<void> {
  const state = await includeState(commonDir);
  if (state.present && state.last) return;
  await removeInclude(commonDir);
  const file = repoConfigFile(commonDir);
  const text = await readFile(file, 'utf8');
  await appendFile(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}[include]\n\tpath = ${SWARM_INCLUDE}\n`);
}

/** True when there was an include to remove. */
async function removeInclude(commonDir: string): Promise<boolean> {
  const result = await runGit(['config', '--file', repoConfigFile(commonDir), '--unset-all', 'include.path', `^${SWARM_INCLUDE}$`]);
  return result.code === 0;
}

/**
 * The hooks git would run without git-swarm: core.hooksPath from the repository's own config file
 * (relative to the worktree top), else <common dir>/hooks; never git-swarm's own. The hook scripts
 * resolve it the same way at run time (swarm_chain in hookProtocol.ts).
 */
export async function chainedHooksDir(toplevel: string, commonDir: string): Promise<string> {
  const result = await runGit(['config', '--file', repoConfigFile(commonDir), '--type=path', '--get', 'core.hooksPath']);
  const configured = result.code === 0 ? result.stdout.toString('utf8').replace(/\n$/, '') : '';
  const dir = configured ? (isAbsolute(configured) ? configured : resolve(toplevel, configured)) : '';
  const fallback = join(commonDir, 'hooks');
  if (!dir) return fallback;
  const ours = [hooksHome(commonDir), hooksPathFor(commonDir)];
  return ours.includes(resolve(dir)) ? fallback : dir;
}

export interface ChainInfo {
  dir: string;
  /** Missing, for example, where husky's relative `.husky/_` was never installed in this worktree. */
  present: boolean;
  /** husky's stub directory (`_`, with its `h`), whose hooks live one folder up. */
  husky: boolean;
}

export async function chainInfo(toplevel: string, commonDir: string): Promise<ChainInfo> {
  const dir = await chainedHooksDir(toplevel, commonDir);
  const [present, stub] = await Promise.all([exists(dir), exists(join(dir, 'h'))]);
  return { dir, present, husky: stub || basename(dir) === '_' };
}

export interface EffectiveHooksPath {
  value: string;
  /** git's scope names: local, worktree, global, system, command. */
  scope: string;
  /** The file it comes from, absolute; '' for the command line. */
  origin: string;
}

/** The core.hooksPath git uses in this worktree and where it comes from, or null when none is set. */
export async function effectiveHooksPath(cwd: string): Promise<EffectiveHooksPath | null> {
  const result = await runGit(['config', '--show-scope', '--show-origin', '-z', '--get', 'core.hooksPath'], { cwd });
  const [scope, origin, value] = splitZ(result.stdout);
  if (result.code !== 0 || scope === undefined || origin === undefined || value === undefined) return null;
  return { value, scope, origin: origin.startsWith('file:') ? resolve(cwd, origin.slice(5)) : '' };
}

/**
 * The installs before git-swarm had its own config file wrote core.hooksPath (remembering a foreign
 * one in swarm.chainHooks) and the merge driver into the repository's config. This puts a foreign
 * hooks path back, where the chain finds it, and removes the rest. True when anything was there.
 */
async function removeLegacyConfig(commonDir: string): Promise<boolean> {
  const file = repoConfigFile(commonDir);
  const get = async (key: string) => {
    const r = await runGit(['config', '--file', file, '--get', key]);
    return r.code === 0 ? r.stdout.toString('utf8').replace(/\n$/, '') : undefined;
  };
  const [hooksPath, chainHooks] = await Promise.all([get('core.hooksPath'), get('swarm.chainHooks')]);
  let changed = false;
  if (hooksPath === hooksPathFor(commonDir)) {
    const foreign = chainHooks && chainHooks !== join(commonDir, 'hooks') && chainHooks !== hooksPathFor(commonDir);
    if (foreign) await git(['config', '--file', file, 'core.hooksPath', chainHooks]);
    else await git(['config', '--file', file, '--unset', 'core.hooksPath']);
    changed = true;
  }
  if (chainHooks !== undefined) {
    await git(['config', '--file', file, '--unset', 'swarm.chainHooks']);
    changed = true;
  }
  const section = await runGit(['config', '--file', file, '--remove-section', `merge.${MERGE_DRIVER}`]);
  return changed || section.code === 0;
}

export type Removed = 'include' | 'directory' | 'legacy-config' | 'stamps';

/**
 * Removes everything git-swarm put in the git dir: the include (git then reads whatever hooks path
 * the repository had, or none), its directory with hooks, config, caches, and the stamps beside
 * each worktree's index. Returns what was there.
 */
export async function uninstallHooks(commonDir: string): Promise<Removed[]> {
  const removed: Removed[] = [];
  if (await removeInclude(commonDir)) removed.push('include');
  if (await removeLegacyConfig(commonDir)) removed.push('legacy-config');
  if (await exists(swarmDir(commonDir))) {
    await rm(swarmDir(commonDir), { recursive: true, force: true });
    removed.push('directory');
  }
  const worktrees = await readdir(join(commonDir, 'worktrees')).catch(() => [] as string[]);
  const stamps = [join(commonDir, STAMP_FILE), ...worktrees.map((w) => join(commonDir, 'worktrees', w, STAMP_FILE))];
  let stampFound = false;
  for (const stamp of stamps) {
    if (!(await exists(stamp))) continue;
    await rm(stamp, { force: true });
    stampFound = true;
  }
  if (stampFound) removed.push('stamps');
  return removed;
}
