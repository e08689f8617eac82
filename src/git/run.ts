import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, sep } from 'node:path';
import { SwarmError } from '../errors.js';

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface GitOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
}

/** The work tree holding `dir` (the nearest folder with a `.git` entry), or null. */
function workTreeOf(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return null;
  }
}

const resolved = new Map<string, string>();

/**
 * An executable (git, ssh-keygen), found on PATH like a shell would, except that no folder inside
 * the work tree being judged counts (nor a relative PATH entry such as husky's
 * `node_modules/.bin`): a branch that commits `node_modules/.bin/git` (or a fake `ssh-keygen`
 * that calls every signature good) must not run its own code in place of the real one.
 */
export function trustedExecutable(name: 'git' | 'ssh-keygen', env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const known = resolved.get(name);
  if (known) return known;
  const tree = workTreeOf(cwd);
  const inside = tree ? realpathSync(tree) + sep : null;
  for (const entry of (env.PATH ?? '').split(delimiter)) {
    if (!entry || !isAbsolute(entry)) continue;
    const candidate = join(entry, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (inside && (realpathSync(entry) + sep).startsWith(inside)) continue;
      resolved.set(name, candidate);
      return candidate;
    } catch {
      // not here: keep looking
    }
  }
  throw new SwarmError('git-version', '', { needed: name });
}

/**
 * The environment git runs with: the caller's, on purpose (inside a hook git passes
 * GIT_INDEX_FILE, a temporary index for `commit -a` or `commit <paths>`, and GIT_DIR), with
 * replace objects off, so `git replace` cannot change what the hooks or `check` see.
 */
function gitEnv(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  return { ...(env ?? process.env), GIT_NO_REPLACE_OBJECTS: '1' };
}

/** Starts git with git-swarm's rules for every git process (see trustedExecutable, gitEnv). */
export function spawnGit(args: readonly string[], options: { cwd?: string | undefined; env?: NodeJS.ProcessEnv | undefined; stdin: 'ignore' | 'pipe' }): ChildProcess {
  return spawn(trustedExecutable('git', options.env), args, { cwd: options.cwd, env: gitEnv(options.env), stdio: [options.stdin, 'pipe', 'pipe'] });
}

/** Runs git and collects its output. */
export function runGit(args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(args, { cwd: options.cwd, env: options.env, stdin: options.input === undefined ? 'ignore' : 'pipe' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new SwarmError('git-version', '', { needed: 'git' }) : e),
    );
    child.on('close', (code) =>
      resolve({ code: code ?? 128, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }),
    );
    if (options.input !== undefined) child.stdin!.end(options.input);
  });
}

/** Runs git and returns stdout as text; a non-zero exit is an error naming the command. */
export async function git(args: readonly string[], options: GitOptions = {}): Promise<string> {
  const result = await runGit(args, options);
  if (result.code !== 0) {
    throw new SwarmError('git', '', { command: args, exitCode: result.code, stderr: result.stderr });
  }
  return result.stdout.toString('utf8');
}

/** Splits NUL-terminated -z output. */
export function splitZ(buffer: Buffer | string): string[] {
  const text = typeof buffer === 'string' ? buffer : buffer.toString('utf8');
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}
