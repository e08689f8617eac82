import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trustedExecutable } from './run.js';

/** An SSH public key line's fingerprint as ssh-keygen and git's %GK print it: "SHA256:" and unpadded base64. */
export function sshFingerprint(keyLine: string): string {
  const blob = Buffer.from(keyLine.split(' ')[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * git's allowed-signers file (ssh-keygen's ALLOWED SIGNERS format): one line per agent, the
 * principal (the agent name; names cannot hold the pattern characters `*?!,`), the option that
 * restricts the key to git's signing namespace, then the key type and data without the comment.
 */
export function allowedSignersText(keys: ReadonlyArray<readonly [agent: string, keyLine: string]>): string {
  return keys.map(([agent, line]) => `${agent} namespaces="git" ${line.split(' ').slice(0, 2).join(' ')}\n`).join('');
}

/** The `-c` options that make git verify SSH signatures against `signersFile` with a trusted ssh-keygen. */
export interface Verification {
  config: string[];
  /** Removes the allowed-signers file. */
  dispose: () => Promise<void>;
}

/**
 * Writes the allowed-signers file into a private temporary folder and returns the configuration
 * for the git command line, never the repository's config. `gpg.ssh.program` is pinned to the
 * ssh-keygen found outside the work tree, so neither a PATH entry a branch controls nor a config
 * value decides which program calls a signature good.
 */
export async function sshVerification(keys: ReadonlyArray<readonly [agent: string, keyLine: string]>, cwd?: string): Promise<Verification> {
  const program = trustedExecutable('ssh-keygen', process.env, cwd);
  const dir = await mkdtemp(join(tmpdir(), 'git-swarm-signers-'));
  const file = join(dir, 'allowed_signers');
  await writeFile(file, allowedSignersText(keys), { mode: 0o600 });
  return {
    config: ['-c', `gpg.ssh.allowedSignersFile=${file}`, '-c', `gpg.ssh.program=${program}`],
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
