import { access, open, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { readLocalFile, replaceLocalFile } from '../localFile.js';
import { formatStamp, LEDGER_REF, STAMP_FILE, type StampValues } from './hookProtocol.js';
import { resolveCommit } from './repo.js';

/**
 * pre-commit leaves a stamp saying "this exact index passed, for this agent, under these rules".
 * prepare-commit-msg, which git runs even with --no-verify, is a shell script that verifies and
 * uses up the stamp without starting node (verified_agent); without a matching stamp it runs the
 * full check. Both sides follow the field list in hookProtocol.ts.
 */

/**
 * Where the shell will look: beside the index git hands the hooks (inside the git dir whenever
 * git chose it). Null when there is no such place, and then no stamp is worth writing.
 */
async function stampDir(env: NodeJS.ProcessEnv): Promise<string | null> {
  if (!env.GIT_INDEX_FILE) return null;
  const dir = dirname(resolve(env.GIT_INDEX_FILE));
  return (await access(join(dir, 'HEAD')).then(() => true, () => false)) ? dir : null;
}

/**
 * Identifies the index content cheaply, as the shell does: git ends the index with a checksum of
 * everything before it, so its size plus the checksum's last 20 bytes will do. With
 * index.skipHash the checksum is zero and identifies nothing: null.
 */
async function indexKey(file: string): Promise<string | null> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const tail = Buffer.alloc(Math.min(20, size));
      await handle.read(tail, 0, tail.length, size - tail.length);
      // As the shell prints them: od's two hex digits per byte, one space apart.
      return tail.some((b) => b !== 0) ? `${size} ${[...tail].map((b) => b.toString(16).padStart(2, '0')).join(' ')}` : null;
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

/** What the decision read from the git dir, taken before the check: a change meanwhile voids the stamp. */
export interface StampInputs {
  dir: string;
  index: string;
  head: string;
  commit: string;
  merge: string;
}

/**
 * Removes an earlier stamp (a commit that failed after its pre-commit passed leaves one) and reads
 * the inputs the stamp will be bound to. Null when no stamp can be written: no index beside a git
 * dir, index.skipHash, or an unborn branch (no commit to bind; the first commit checks twice).
 */
export async function stampInputs(env: NodeJS.ProcessEnv = process.env): Promise<StampInputs | null> {
  const dir = await stampDir(env);
  if (!dir) return null;
  await rm(join(dir, STAMP_FILE), { force: true }).catch(() => undefined);
  const [index, head, commit, merge] = await Promise.all([
    indexKey(resolve(env.GIT_INDEX_FILE!)),
    readFile(join(dir, 'HEAD'), 'utf8').catch(() => ''),
    resolveCommit('HEAD'),
    readLocalFile(join(dir, 'MERGE_HEAD')),
  ]);
  if (!index || !commit) return null;
  // As swarm_join prints it: the lines joined by spaces, nothing for no file or anything but a file.
  return { dir, index, head: head.split('\n')[0]!, commit, merge: merge === null ? '' : merge.replace(/\n$/, '').split('\n').join(' ') };
}

/** The rules a check applied: where the manifest came from, its blob, the `.swarmrc` blob beside it, and the ledger version (null: none). */
export interface StampPolicy {
  spec: string;
  manifest: string;
  settings: string;
  ledger: string | null;
}

/**
 * Records that the staged index passed for `agent`. `identityInput` is what the shell compares:
 * SWARM_AGENT, else the raw git config swarm.agent.
 */
export async function writeStamp(inputs: StampInputs, policy: StampPolicy, identityInput: string, agent: string | null): Promise<void> {
  const values: StampValues = {
    index: inputs.index,
    identity: identityInput,
    merge: inputs.merge,
    revisions: `${inputs.commit} ${policy.manifest} ${policy.settings} ${policy.ledger ?? LEDGER_REF}`,
    head: inputs.head,
  };
  await replaceLocalFile(join(inputs.dir, STAMP_FILE), formatStamp(policy.spec, values, agent ?? '')).catch(() => undefined);
}
