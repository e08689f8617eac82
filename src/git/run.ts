import { spawn } from 'node:child_process';
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

/**
 * Runs git and collects its output. The environment is inherited on purpose: inside a hook git
 * passes GIT_INDEX_FILE (a temporary index for `commit -a` or `commit <paths>`) and GIT_DIR.
 */
export function runGit(args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
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
