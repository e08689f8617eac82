import { access, open, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { formatStamp, STAMP_FILE } from './hookProtocol.js';

/**
 * pre-commit leaves a stamp saying "this exact index passed, for this agent". prepare-commit-msg,
 * which git runs even with --no-verify, is a shell script that verifies and uses up the stamp
 * without starting node (verified_agent); without a matching stamp it runs the full check. Both
 * sides follow the field list in hookProtocol.ts.
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
      return tail.some((b) => b !== 0) ? `${size} ${tail.toString('hex')}` : null;
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

/**
 * Records that the staged index passed for `agent`. `identityInput` is what the shell compares:
 * SWARM_AGENT, else the raw git config swarm.agent.
 */
export async function writeStamp(identityInput: string, agent: string | null, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const dir = await stampDir(env);
  const key = dir ? await indexKey(resolve(env.GIT_INDEX_FILE!)) : null;
  if (!dir || !key) return;
  const head = await readFile(join(dir, 'HEAD'), 'utf8').catch(() => '');
  const stamp = formatStamp({ index: key, identity: identityInput, head: head.split('\n')[0]! }, agent ?? '');
  await writeFile(join(dir, STAMP_FILE), stamp).catch(() => undefined);
}
