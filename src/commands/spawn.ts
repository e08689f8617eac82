import { readdir, realpath } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { agentFromBranch, branchForAgent } from '../core/branchPattern.js';
import { closest } from '../core/didYouMean.js';
import { agentSpec } from '../core/model.js';
import { SwarmError } from '../errors.js';
import { resolveCommit, resolveNamedRevision } from '../git/repo.js';
import {
  addWorktree,
  deleteBranch,
  dropInheritedConfig,
  enableWorktreeConfig,
  ignoreFolder,
  listWorktrees,
  publicKeyOf,
  removeWorktree,
  setWorktreeConfig,
  sshSigningConfig,
  uncommittedCount,
  worktreeAgent,
  type WorktreeEntry,
} from '../git/worktrees.js';
import { spawnMessages as m, type SpawnedWorktree, type SpawnResult } from '../messages/spawn.js';
import { integrationPolicy, openWorkspace, type Workspace } from '../orchestration/workspace.js';
import type { Format } from '../render/report.js';
import { parseFormat, parseOptions } from './args.js';

/** A worktree that belongs to an agent: on its branch, or with its name in its own swarm.agent. */
export interface AgentWorktree extends WorktreeEntry {
  agent: string;
  /** On a branchPattern branch: what counts as an active agent. */
  onPattern: boolean;
  /** The repository's main worktree, which git cannot remove. */
  main: boolean;
}

/** Every agent's worktree, the agent taken from the worktree's own swarm.agent first, as the hooks do. */
export async function agentWorktrees(ws: Workspace): Promise<AgentWorktree[]> {
  const entries = await listWorktrees(ws.paths.toplevel);
  const configured = await Promise.all(entries.map((e) => (e.prunable || e.bare ? null : worktreeAgent(e.path))));
  return entries.flatMap((e, i) => {
    const fromBranch = e.bare ? null : agentFromBranch(ws.settings.branchPattern, e.branch);
    const agent = configured[i] ?? fromBranch;
    return agent ? [{ ...e, agent, onPattern: fromBranch !== null, main: i === 0 }] : [];
  });
}

/** The agent's worktree; a linked one before the main worktree, which may name the agent too. */
export function worktreeOf(worktrees: readonly AgentWorktree[], agent: string): AgentWorktree | undefined {
  return worktrees.find((w) => w.agent === agent && !w.main) ?? worktrees.find((w) => w.agent === agent);
}

/** Agents with a worktree on a branchPattern branch: the active ones, until landing says more. */
function activeAgents(worktrees: readonly AgentWorktree[]): string[] {
  return [...new Set(worktrees.filter((w) => w.onPattern).map((w) => w.agent))];
}

/** The commit --from names (a tag that shadows a branch is refused), else the integration tip the workspace read. */
async function startCommit(ws: Workspace, rev: string | undefined): Promise<string> {
  const cwd = ws.paths.toplevel;
  if (rev === undefined) {
    const tip = await resolveCommit(ws.tip, cwd);
    if (!tip) throw new SwarmError('revision', m.noIntegrationTip(ws.settings.integration), { ref: ws.settings.integration });
    return tip;
  }
  const { commit, ambiguous } = await resolveNamedRevision(rev, cwd);
  if (!commit) throw new SwarmError('revision', m.unknownFrom(rev), { argument: '--from', ref: rev });
  if (ambiguous) throw new SwarmError('revision', m.ambiguousFrom(rev), { argument: '--from', ref: rev });
  return commit;
}

/** The settings' worktrees folder: `{repo}` is the main worktree's folder name, and a relative folder starts there. */
function worktreesFolder(ws: Workspace, main: WorktreeEntry): string {
  const repo = main.bare ? basename(main.path).replace(/\.git$/, '') : basename(main.path);
  return resolve(main.path, ws.settings.worktrees.replaceAll('{repo}', repo));
}

/** A path with its symbolic links resolved (git lists worktrees that way), or as given when it does not exist. */
export async function canonical(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}

/** `inner` relative to `outer` when it lies inside it (or is it: ''), else null. */
function inside(outer: string, inner: string): string | null {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)) ? rel.split(sep).join('/') : null;
}

/** A folder inside a work tree would show as untracked there: git ignores it through info/exclude. */
async function keepOutOfWorkTrees(ws: Workspace, folder: string, worktree: string): Promise<void> {
  for (const entry of await listWorktrees(ws.paths.toplevel)) {
    if (entry.bare || entry.prunable) continue;
    const root = await canonical(entry.path);
    const rel = inside(root, await canonical(folder)) || inside(root, worktree);
    if (rel) await ignoreFolder(root, rel, ws.paths.commonDir);
  }
}

/**
 * A worktree inside the git dir corrupts the repository (its files read as refs), and one inside
 * another worktree (but for the configured worktrees folder) is hidden from it and goes when it is
 * retired: both refused.
 */
async function refuseNestedPath(ws: Workspace, path: string, folder: string): Promise<void> {
  const target = await canonical(path);
  const gitDirs = await Promise.all([ws.paths.commonDir, ws.paths.gitDir].map(canonical));
  const roots = await Promise.all((await listWorktrees(ws.paths.toplevel)).filter((e) => !e.bare).map((e) => canonical(e.path)));
  const allowed = await canonical(folder);
  const clash = gitDirs.find((d) => inside(d, target) !== null) ?? roots.find((r) => inside(r, target) !== null && inside(allowed, target) === null);
  if (clash) throw new SwarmError('usage', m.nestedPath(path, clash), { argument: '--path', file: path });
}

async function emptyOrAbsent(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length === 0;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** The worktree config a key file adds, after checking its public half is the agent's key in the manifest. */
async function signingFor(agent: string, keyFile: string, expected: string | undefined, source: string): Promise<Array<[string, string]>> {
  if (!expected) throw new SwarmError('usage', m.keyNotInManifest(agent, source), { argument: '--signing-key', key: `agents.${agent}.signingKey` });
  const file = resolve(keyFile);
  const key = await publicKeyOf(file);
  if ('error' in key) throw new SwarmError('usage', m.keyUnreadable(file, key.error), { argument: '--signing-key', file });
  const [found, wanted] = [key.line, expected].map((l) => l.split(' ').slice(0, 2).join(' '));
  if (found !== wanted) throw new SwarmError('usage', m.keyMismatch(agent, file, found!, wanted!, source), { argument: '--signing-key', file, key: `agents.${agent}.signingKey` });
  return sshSigningConfig(file);
}

async function list(format: Format): Promise<number> {
  const ws = await openWorkspace();
  const worktrees: SpawnedWorktree[] = await Promise.all(
    (await agentWorktrees(ws)).map(async (w) => ({
      agent: w.agent,
      path: w.path,
      branch: w.branch,
      head: w.head,
      dirty: w.prunable ? null : (await uncommittedCount(w.path)) > 0,
    })),
  );
  worktrees.sort((a, b) => (a.agent === b.agent ? (a.path < b.path ? -1 : 1) : a.agent < b.agent ? -1 : 1));
  process.stdout.write(`${format === 'json' ? JSON.stringify({ worktrees }) : m.list(worktrees)}\n`);
  return 0;
}

interface SpawnOptions {
  path: string | undefined;
  from: string | undefined;
  keyFile: string | undefined;
}

/** The agent as the integration tip's manifest has it, refused when it may not have a worktree; and its signing config. */
async function spawnable(ws: Workspace, agent: string, keyFile: string | undefined): Promise<{ role: string; signing: Array<[string, string]> }> {
  const loaded = await integrationPolicy(ws);
  if (loaded.notice) process.stderr.write(`${loaded.notice}\n`);
  if (!loaded.policy) throw new SwarmError('manifest', m.noManifest(ws.settings.manifest, ws.settings.integration), { file: ws.settings.manifest });
  const spec = agentSpec(loaded.policy.manifest, agent);
  const known = Object.keys(loaded.policy.manifest.agents);
  if (!spec) throw new SwarmError('usage', m.unknownAgent(agent, closest(agent, known), known, loaded.source), { argument: agent, file: loaded.source });
  if (spec.role === 'reader') throw new SwarmError('refused', m.reader(agent), { argument: agent });
  if (ws.settings.identity === 'signed' && keyFile === undefined) throw new SwarmError('usage', m.keyRequired(agent), { argument: '--signing-key', key: 'identity' });
  return { role: spec.role, signing: keyFile === undefined ? [] : await signingFor(agent, keyFile, spec.signingKey, loaded.source) };
}

/** The agent's existing worktree, answered again (its identity and key set there), when the options do not ask for another. */
async function respawn(own: AgentWorktree, agent: string, options: SpawnOptions, signing: Array<[string, string]>): Promise<void> {
  if (own.prunable) throw new SwarmError('usage', m.worktreeGone(agent, own.path), { argument: agent });
  if (options.path !== undefined && (await canonical(resolve(options.path))) !== (await canonical(own.path))) {
    throw new SwarmError('usage', m.existingElsewhere(agent, own.path), { argument: '--path' });
  }
  if (options.from !== undefined) throw new SwarmError('usage', m.existingFrom(agent, own.path), { argument: '--from' });
  await setWorktreeConfig(own.path, [['swarm.agent', agent], ...signing]);
}

/** Creates the worktree on a new branch, or refuses (the branch is taken, the path too, the active limit reached). */
async function create(ws: Workspace, worktrees: readonly AgentWorktree[], agent: string, branch: string, options: SpawnOptions, signing: Array<[string, string]>) {
  const cwd = ws.paths.toplevel;
  const max = ws.settings.limits.maxActiveAgents;
  const holder = worktrees.find((w) => w.branch === branch);
  if (holder) throw new SwarmError('usage', m.branchCheckedOut(agent, branch, holder.path, holder.agent), { argument: agent, ref: branch });
  const existing = await resolveCommit(`refs/heads/${branch}`, cwd);
  if (existing) throw new SwarmError('usage', m.branchExists(agent, branch, existing), { argument: agent, ref: branch });
  const active = activeAgents(worktrees);
  if (active.length >= max) throw new SwarmError('contention', m.tooManyActive(max, active), { key: 'limits.maxActiveAgents' });

  const from = await startCommit(ws, options.from);
  const folder = worktreesFolder(ws, (await listWorktrees(cwd))[0]!);
  const path = options.path === undefined ? resolve(folder, agent) : resolve(options.path);
  if (!(await emptyOrAbsent(path))) throw new SwarmError('usage', m.pathTaken(path), { argument: options.path === undefined ? agent : '--path', file: path });
  await refuseNestedPath(ws, path, folder);

  await enableWorktreeConfig(cwd);
  await keepOutOfWorkTrees(ws, options.path === undefined ? folder : path, path);
  if (!(await addWorktree(path, branch, from, cwd))) {
    throw new SwarmError('usage', m.branchExists(agent, branch, (await resolveCommit(`refs/heads/${branch}`, cwd)) ?? from), { argument: agent, ref: branch });
  }
  try {
    // Counted again with this worktree in: spawns racing for the last slots see each other, so the
    // limit holds; each that finds it exceeded backs out (all of them may, and are told to retry).
    const racing = activeAgents(await agentWorktrees(ws));
    if (racing.length > max) throw new SwarmError('contention', m.raceLost(max, racing.filter((a) => a !== agent)), { key: 'limits.maxActiveAgents' });
    await dropInheritedConfig(path);
    await setWorktreeConfig(path, [['swarm.agent', agent], ...signing]);
  } catch (error) {
    await removeWorktree(path, true, cwd);
    await deleteBranch(branch, cwd);
    throw error;
  }
  return { path, from };
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    'spawn',
    args,
    {
      list: { type: 'boolean' },
      path: { type: 'string' },
      from: { type: 'string' },
      'signing-key': { type: 'string' },
      format: { type: 'string', default: 'text' },
    },
    1,
  );
  const format = parseFormat('spawn', values.format, ['text', 'json']);
  const agent = positionals[0];
  if (values.list) {
    const extra = agent ?? (['path', 'from', 'signing-key'] as const).map((o) => (values[o] === undefined ? undefined : `--${o}`)).find(Boolean);
    if (extra !== undefined) throw new SwarmError('usage', m.listAlone(extra), { argument: extra });
    return list(format);
  }
  if (agent === undefined) throw new SwarmError('usage', m.needAgent(), { argument: 'agent' });
  const options: SpawnOptions = { path: values.path, from: values.from, keyFile: values['signing-key'] };

  const ws = await openWorkspace();
  const { role, signing } = await spawnable(ws, agent, options.keyFile);
  const worktrees = await agentWorktrees(ws);
  const own = worktreeOf(worktrees, agent);
  const branch = own?.branch ?? branchForAgent(ws.settings.branchPattern, agent);
  if (own) await respawn(own, agent, options, signing);
  const { path, from } = own ? { path: own.path, from: null } : await create(ws, worktrees, agent, branch, options, signing);
  const r: SpawnResult = { agent, role, path, branch, from, fromLabel: options.from ?? ws.settings.integration, signingKey: options.keyFile === undefined ? null : resolve(options.keyFile) };
  if (format === 'json') process.stdout.write(`${JSON.stringify({ agent, path, branch, from, ...(from === null ? { existing: true } : {}) })}\n`);
  else process.stdout.write(`${from === null ? m.existing(r) : m.spawned(r)}\n`);
  return 0;
}
