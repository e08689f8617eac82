import { createHash } from 'node:crypto';
import { open, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * pre-commit leaves a stamp saying "this exact index passed for this agent"; prepare-commit-msg,
 * which git runs even with --no-verify, then only re-checks when the index differs.
 */
const MAX_AGE_MS = 5 * 60_000;

export interface Stamp {
  digest: string;
  agent: string | null;
  at: number;
}

function indexFile(gitDir: string, env: NodeJS.ProcessEnv): string {
  return env.GIT_INDEX_FILE ? resolve(env.GIT_INDEX_FILE) : join(gitDir, 'index');
}

/**
 * Identifies the index content cheaply: git ends the index with a checksum of everything before it,
 * so its size plus its last 32 bytes will do; with index.skipHash (a zero checksum) hash it all.
 */
export async function indexDigest(gitDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const file = indexFile(gitDir, env);
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const tail = Buffer.alloc(Math.min(32, size));
      await handle.read(tail, 0, tail.length, size - tail.length);
      const trailer = tail.subarray(Math.max(0, tail.length - 20));
      const body = trailer.every((b) => b === 0) ? await readFile(file) : tail;
      return `${size}:${createHash('sha256').update(body).digest('hex')}`;
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

function stampFile(gitDir: string): string {
  return join(gitDir, 'swarm-verified.json');
}

export async function writeStamp(gitDir: string, stamp: Stamp): Promise<void> {
  await writeFile(stampFile(gitDir), JSON.stringify(stamp)).catch(() => undefined);
}

/** The stamp when it was made for this very index in the last few minutes, else null. */
export async function readStamp(gitDir: string, digest: string | null, now = Date.now()): Promise<Stamp | null> {
  if (digest === null) return null;
  try {
    const stamp = JSON.parse(await readFile(stampFile(gitDir), 'utf8')) as Stamp;
    return stamp.digest === digest && now - stamp.at >= 0 && now - stamp.at < MAX_AGE_MS ? stamp : null;
  } catch {
    return null;
  }
}
