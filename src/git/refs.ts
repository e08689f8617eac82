import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RefState } from '../core/integrationGuard.js';
import { SwarmError } from '../errors.js';
import { resolveObject } from './repo.js';
import { runGit } from './run.js';

const ZERO_OID = '0000000000000000000000000000000000000000';

/** One compare-and-swap: set `ref` to `next` (null: delete it) only if it is still `expected` (null: absent). */
export interface RefUpdate {
  ref: string;
  next: string | null;
  expected: string | null;
}

/**
 * The outcome of a compare-and-swap. Losing the race is an expected result the caller handles
 * (re-read, retry), not an error: `moved` when a ref no longer holds the expected value, `locked`
 * when another process is updating it at this instant.
 */
export type CasResult = { ok: true } | { ok: false; reason: 'moved' | 'locked'; ref: string };

const MOVED = /cannot lock ref '([^']+)': (?:is at [0-9a-f]+ but expected|reference already exists|unable to resolve reference)/;
const LOCKED = /cannot lock ref '([^']+)': Unable to create '[^']*\.lock': File exists/;

/** Applies every update or none, in one `git update-ref --stdin` transaction. */
export async function compareAndSwap(updates: readonly RefUpdate[], cwd?: string): Promise<CasResult> {
  const input = updates
    .map((u) => (u.next === null ? `delete ${u.ref}\0${u.expected ?? ''}\0` : `update ${u.ref}\0${u.next}\0${u.expected ?? ZERO_OID}\0`))
    .join('');
  const args = ['update-ref', '--stdin', '-z'];
  const result = await runGit(args, { cwd, input });
  if (result.code === 0) return { ok: true };
  const moved = MOVED.exec(result.stderr);
  if (moved) return { ok: false, reason: 'moved', ref: moved[1]! };
  const locked = LOCKED.exec(result.stderr);
  if (locked) return { ok: false, reason: 'locked', ref: locked[1]! };
  throw new SwarmError('git', '', { command: args, exitCode: result.code, stderr: result.stderr });
}

/**
 * Whether a ref has a file of its own (git 2.39 keeps refs as files under the common dir: a
 * loose ref). Beside a ref that resolves to nothing, it tells a corrupt ref from an absent one
 * without starting a process.
 */
export async function refFileExists(commonDir: string, ref: string): Promise<boolean> {
  return lstat(join(commonDir, ref)).then(
    () => true,
    () => false,
  );
}

/**
 * A ref as a transaction on it is being prepared: the value it resolves to (the transaction's
 * lock does not hide it) and its line in packed-refs, read as git 2.39's files backend keeps it,
 * with whether packed-refs is being rewritten.
 */
export async function refState(ref: string, commonDir: string, cwd?: string): Promise<RefState> {
  const [current, packedText, packedLocked] = await Promise.all([
    resolveObject(ref, cwd),
    readFile(join(commonDir, 'packed-refs'), 'utf8').catch(() => ''),
    lstat(join(commonDir, 'packed-refs.lock')).then(
      () => true,
      () => false,
    ),
  ]);
  const line = packedText.split('\n').find((l) => l.endsWith(` ${ref}`) && !l.startsWith('#') && !l.startsWith('^'));
  return { current, packed: line ? line.slice(0, line.indexOf(' ')) : null, packedLocked };
}
