/** Errors as people and agents read them: what went wrong, where (file, key, argument), and the fix. */
import type { SwarmError } from '../errors.js';
import { didYouMean } from './common.js';

export const errorMessages = {
  filesystem: (file: string, errno: string | undefined) => {
    const why: Record<string, string> = {
      EISDIR: 'is a directory where git-swarm expects a file: remove or rename it',
      ENOTDIR: 'has a file where git-swarm expects a directory on its path: remove or rename it',
      EACCES: 'is not accessible to this user: fix its permissions',
      EPERM: 'is not accessible to this user: fix its permissions',
      ENOENT: 'does not exist',
      EROFS: 'is on a read-only file system',
      ENOSPC: 'cannot be written: the disk is full',
      MODULE_NOT_FOUND: 'is not installed beside git-swarm: reinstall git-swarm (npm install -g, or npm ci in its checkout)',
    };
    return `${file} ${why[errno ?? ''] ?? `cannot be used (${errno ?? 'unknown error'})`}.`;
  },
  gitTooOld: (found: string, needed: string) =>
    `git-swarm needs git ${needed} or newer; this machine has ${found}. Upgrade git, then run the command again.`,
  gitMissing: () => 'git-swarm needs git on PATH, and none was found.',
  sshKeygenMissing: () =>
    'git-swarm needs ssh-keygen (OpenSSH) on PATH, outside the work tree, to verify signatures (.swarmrc sets identity: signed), and none was found. Install OpenSSH, then run the command again.',
  notARepository: (cwd: string) => `${cwd} is not inside a git work tree. Run git-swarm from a repository (git init first).`,
  unknownCommand: (name: string, hint: string | null, all: readonly string[]) =>
    `unknown command "${name}"${didYouMean(hint)}; commands: ${all.join(', ')}. See: git swarm --help`,
  badOption: (command: string, detail: string) => `${command}: ${detail}. See: git swarm help ${command}`,
  expectedOneOf: (choices: readonly string[], got: string) => `expected one of ${choices.join(', ')}, got ${JSON.stringify(got)}`,
  mergeDriverArguments: () => 'expected %O %A %B [%P]',
  unexpectedArgument: (argument: string) => `unexpected argument ${JSON.stringify(argument)}`,
  needsValue: (option: string) => `${option} needs a value`,
  repeatedOption: (option: string) => `${option} is given more than once`,
  badFormat: (allowed: readonly string[], got: string | undefined) => `--format must be one of ${allowed.join(', ')}, got "${got}"`,
  badCount: (option: string, got: string, max: number) => `${option} needs a whole number from 1 to ${max}, got "${got}"`,
  noManifest: (file: string) => `there is no manifest at ${file} (run git swarm init, or pass the --rev that has one)`,
  internal: (detail: string) => `git-swarm: internal error: ${detail}\nThis is a bug in git-swarm; please report it with the command you ran.`,
  gitFailed: (command: readonly string[], exitCode: number | undefined, stderr: string | undefined) =>
    `git ${command.join(' ')} failed${exitCode === undefined ? '' : ` (exit ${exitCode})`}${stderr ? `: ${stderr.trim()}` : ''}`,
} as const;

/** The text of an error: its own message, or one worded from its code and data (errors from src/git carry no prose). */
export function errorText(error: SwarmError): string {
  if (error.message) return error.message;
  const d = error.data;
  switch (error.code) {
    case 'git-version':
      if (d.found) return errorMessages.gitTooOld(d.found, d.needed ?? '');
      return d.needed === 'ssh-keygen' ? errorMessages.sshKeygenMissing() : errorMessages.gitMissing();
    case 'filesystem':
      return errorMessages.filesystem(d.file ?? '?', d.errno);
    case 'repository':
      return errorMessages.notARepository(d.file ?? '.');
    default:
      if (error.code === 'manifest' && d.errno === 'ENOENT') return errorMessages.noManifest(d.file ?? '?');
      if (d.command) return errorMessages.gitFailed(d.command, d.exitCode, d.stderr);
      return `${error.code} error${d.file ? ` in ${d.file}` : ''}${d.stderr ? `: ${d.stderr.trim()}` : ''}`;
  }
}
