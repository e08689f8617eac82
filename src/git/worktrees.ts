import { spawn } from 'node:child_process';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SwarmError } from '../errors.js';
import { git, runGit, splitZ, trustedExecutable } from './run.js';

/** One entry of `git worktree list`. */
export interface WorktreeEntry {
  path: string;
  /** The checked-out commit; null for a bare repository or an unborn branch. */
  head: string | null;
  /** The checked-out branch's short name; null when HEAD is detached. */
  branch: string | null;
  bare: boolean;
  /** Its folder is gone (git would prune it). */
  prunable: boolean;
}

/** Every worktree of the repository, the main one first. */
/**
 * `git worktree add` creates <common dir>/worktrees/<name> before it writes the files in it: a
 * listing at that instant fails ("failed to read …/commondir"). Another spawn is in the middle of
 * adding one; reading again shortly after sees it whole.
 */
async function worktreeListing(cwd: string | undefined): Promise<Buffer> {
  const args = ['worktree', 'list', '--porcelain', '-z'];
  for (let attempt = 0; ; attempt++) {
    const result = await runGit(args, { cwd });
    if (result.code === 0) return result.stdout;
    if (attempt >= 20 || !/failed to read .*worktrees\/.*: /.test(result.stderr)) {
      throw new SwarmError('git', '', { command: args, exitCode: result.code, stderr: result.stderr });
    }
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
  }
}

export async function listWorktrees(cwd?: string): Promise<WorktreeEntry[]> {
  const entries: WorktreeEntry[] = [];
  let entry: WorktreeEntry | null = null;
  for (const line of splitZ(await worktreeListing(cwd))) {
    if (line.startsWith('worktree ')) {
      entry = { path: line.slice('worktree '.length), head: null, branch: null, bare: false, prunable: false };
      entries.push(entry);
    } else if (entry && line.startsWith('HEAD ')) entry.head = /^0+$/.test(line.slice(5)) ? null : line.slice(5);
    else if (entry && line.startsWith('branch refs/heads/')) entry.branch = line.slice('branch refs/heads/'.length);
    else if (entry && line === 'bare') entry.bare = true;
    else if (entry && line.startsWith('prunable')) entry.prunable = true;
  }
  return entries;
}

/**
 * swarm.agent from a worktree's own config (config.worktree) only, as the hooks read it. Run with
 * `-C` rather than as the process's folder, so a worktree removed meanwhile reads as none.
 */
export async function worktreeAgent(worktree: string): Promise<string | null> {
  const result = await runGit(['-C', worktree, 'config', '--show-scope', '-z', '--get-all', 'swarm.agent']);
  const parts = splitZ(result.stdout);
  let agent: string | null = null;
  // The first value, as the hooks read it (git config --get): two values must not name two agents.
  for (let i = 0; i + 1 < parts.length && agent === null; i += 2) if (parts[i] === 'worktree') agent = parts[i + 1]!;
  return agent;
}

/** Files `git status` lists in a worktree (changed, staged or untracked, one each); 0 when its folder is gone. */
export async function uncommittedCount(worktree: string): Promise<number> {
  const result = await runGit(['-C', worktree, 'status', '--porcelain', '-z', '--no-renames', '--untracked-files=all']);
  return result.code === 0 ? splitZ(result.stdout).length : 0;
}

/** How many commits `heads` reach that `base` does not (all of them when there is no base). */
export async function commitsNotOn(heads: readonly string[], base: string | null, cwd?: string): Promise<number> {
  return Number((await git(['rev-list', '--count', ...heads, ...(base === null ? [] : ['--not', base]), '--'], { cwd })).trim());
}

const LOCKED_CONFIG = /could not lock config file/;

/**
 * Turns on `extensions.worktreeConfig`, the one write to the shared config: a concurrent spawn
 * may hold its lock at this instant, so a failure is retried until the value is there.
 */
export async function enableWorktreeConfig(cwd?: string): Promise<void> {
  const read = ['config', '--local', '--type=bool', '--get', 'extensions.worktreeConfig'];
  const write = ['config', '--local', 'extensions.worktreeConfig', 'true'];
  for (let attempt = 0; ; attempt++) {
    if ((await runGit(read, { cwd })).stdout.toString('utf8').trim() === 'true') return;
    const result = await runGit(write, { cwd });
    if (result.code === 0) return;
    if (!LOCKED_CONFIG.test(result.stderr) || attempt === 50) {
      throw new SwarmError('git', '', { command: write, exitCode: result.code, stderr: result.stderr });
    }
    await new Promise((done) => setTimeout(done, 10 + Math.random() * 40));
  }
}

/** Adds a worktree at `path` on a new branch at `start`. False when the branch exists already (a concurrent spawn made it). */
export async function addWorktree(path: string, branch: string, start: string, cwd?: string): Promise<boolean> {
  let args = ['worktree', 'add', '--quiet', '--no-track', '-b', branch, path, start];
  for (let attempt = 0; ; attempt++) {
    const result = await runGit(args, { cwd });
    if (result.code === 0) return true;
    if (attempt === 0 && /a branch named '.*' already exists/.test(result.stderr)) return false;
    // git made the branch, then read the worktrees while a concurrent add was half-way (see
    // worktreeListing) and gave up before making this one: add it again, on the branch it made.
    if (attempt >= 20 || !/failed to read .*worktrees\/.*: /.test(result.stderr)) {
      throw new SwarmError('git', '', { command: args, exitCode: result.code, stderr: result.stderr });
    }
    const made = (await runGit(['rev-parse', '--verify', '-q', `refs/heads/${branch}`], { cwd })).code === 0;
    args = made ? ['worktree', 'add', '--quiet', path, branch] : ['worktree', 'add', '--quiet', '--no-track', '-b', branch, path, start];
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
  }
}

/** A temporary worktree at `commit`, on no branch (a landing check runs there). */
export async function addDetachedWorktree(path: string, commit: string, cwd?: string): Promise<void> {
  await git(['worktree', 'add', '--quiet', '--detach', path, commit], { cwd });
}

export async function removeWorktree(path: string, force: boolean, cwd?: string): Promise<void> {
  await git(['worktree', 'remove', ...(force ? ['--force'] : []), path], { cwd });
}

/** Deletes a branch; git refuses one checked out in some worktree. */
export async function deleteBranch(branch: string, cwd?: string): Promise<void> {
  await git(['branch', '--quiet', '-D', branch], { cwd });
}

/**
 * The keys that decide how a worktree signs: `git worktree add` copies the config.worktree of the
 * worktree it runs in, so a new worktree would otherwise sign with the spawner's key.
 */

/**
 * Empties the config a new worktree inherited from the one `git worktree add` ran in (git 2.39
 * copies config.worktree): the spawner's hooks path, identity or signing key must not follow.
 */
export async function dropInheritedConfig(worktree: string): Promise<void> {
  // git fails to list a config.worktree that does not exist: then nothing was inherited.
  const listed = await runGit(['-C', worktree, 'config', '--worktree', '--name-only', '--list']);
  const names = listed.code === 0 ? [...new Set(listed.stdout.toString('utf8').split('\n').filter(Boolean))] : [];
  for (const key of names) await git(['-C', worktree, 'config', '--worktree', '--unset-all', key]);
}

/** Keeps a retired agent's unlanded commits reachable: refs/swarm/retired/<agent>. */
export async function keepRetiredHead(agent: string, head: string, cwd?: string): Promise<void> {
  await git(['update-ref', `refs/swarm/retired/${agent}`, head], { cwd });
}

/** Sets `values` in a worktree's own config (config.worktree), which no other worktree reads or locks. */
export async function setWorktreeConfig(worktree: string, values: ReadonlyArray<readonly [key: string, value: string]>): Promise<void> {
  for (const [key, value] of values) await git(['-C', worktree, 'config', '--worktree', key, value]);
}

/** The config that makes a worktree sign every commit with an SSH key file. */
export function sshSigningConfig(keyFile: string): Array<[string, string]> {
  return [
    ['gpg.format', 'ssh'],
    ['user.signingKey', keyFile],
    ['commit.gpgSign', 'true'],
  ];
}

/** A relative path as a gitignore pattern for that folder alone, anchored at the root. */
function folderPattern(relative: string): string {
  return `/${relative.replace(/[\\*?[\]!#]/g, '\\$&').replace(/ $/, '\\ ')}/`;
}

/**
 * Makes git ignore `relative` (a folder inside the work tree `root`) through the repository's
 * info/exclude, shared by every worktree and never versioned. True when a line was added.
 */
export async function ignoreFolder(root: string, relative: string, commonDir: string): Promise<boolean> {
  const ignored = await runGit(['check-ignore', '-q', '--', `${relative}/`], { cwd: root });
  if (ignored.code === 0) return false;
  const file = join(commonDir, 'info', 'exclude');
  await mkdir(dirname(file), { recursive: true });
  const text = await readFile(file, 'utf8').catch(() => '');
  await appendFile(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}${folderPattern(relative)}\n`);
  return true;
}

/**
 * The public key line of a private key file, from the ssh-keygen found outside the work tree
 * (`ssh-keygen -y`), or what ssh-keygen said when it could not read one. An empty passphrase is
 * given so that a protected key fails instead of prompting.
 */
export function publicKeyOf(keyFile: string): Promise<{ line: string } | { error: string }> {
  const program = trustedExecutable('ssh-keygen');
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['-y', '-P', '', '-f', keyFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = Buffer.concat(out).toString('utf8').trim();
      resolve(code === 0 && line ? { line } : { error: Buffer.concat(err).toString('utf8').trim() });
    });
  });
}
