import { createHash } from 'node:crypto';
import { access, open, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/**
 * pre-commit leaves a stamp saying "this exact index passed, for this agent"; prepare-commit-msg,
 * which git runs even with --no-verify, skips the check when the stamp matches, and uses it up.
 * The hook script (hooks/add-trailer.sh, verified_agent) reads the same stamp without starting
 * node, so its format is shell-friendly: the index key, the identity input, HEAD's first line,
 * the agent.
 */
const MAX_AGE_MS = 5 * 60_000;
const STAMP = 'swarm-verified';

function indexFile(gitDir: string, env: NodeJS.ProcessEnv): string {
  return env.GIT_INDEX_FILE ? resolve(env.GIT_INDEX_FILE) : join(gitDir, 'index');
}

/**
 * Identifies the index content cheaply: git ends the index with a checksum of everything before
 * it, so its size plus the checksum's last 20 bytes will do. With index.skipHash (a zero
 * checksum) the whole file is hashed; the shell never produces that key, so it defers to node.
 */
export async function indexKey(gitDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const file = indexFile(gitDir, env);
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const tail = Buffer.alloc(Math.min(20, size));
      await handle.read(tail, 0, tail.length, size - tail.length);
      if (tail.some((b) => b !== 0)) return `${size} ${tail.toString('hex')}`;
      return `${size} sha256:${createHash('sha256').update(await readFile(file)).digest('hex')}`;
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

/**
 * Where the stamp lives: beside the index git hands the hooks (inside the git dir whenever git
 * chose it), so the hook script finds it without asking git; else in the git dir.
 */
export async function stampDir(gitDir: () => Promise<string>, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.GIT_INDEX_FILE) {
    const dir = dirname(resolve(env.GIT_INDEX_FILE));
    if (await access(join(dir, 'HEAD')).then(() => true, () => false)) return dir;
  }
  return gitDir();
}

/**
 * What besides the index the verdict depended on: the identity inputs (SWARM_AGENT, else the git
 * config swarm.agent, exactly as the shell reads them) and HEAD, which names the branch.
 */
async function context(dir: string, identityInput: string): Promise<string> {
  const head = await readFile(join(dir, 'HEAD'), 'utf8').catch(() => '');
  return `${identityInput}\n${head.split('\n')[0]}`;
}

export async function writeStamp(dir: string, key: string, identityInput: string, agent: string | null): Promise<void> {
  await writeFile(join(dir, STAMP), `${key}\n${await context(dir, identityInput)}\n${agent ?? ''}\n`).catch(() => undefined);
}

/**
 * The agent the stamp vouches for when it was made minutes ago for this very index, identity
 * inputs and HEAD (the stamp is then used up); undefined otherwise.
 */
export async function takeStamp(dir: string, key: string | null, identityInput: string, now = Date.now()): Promise<string | null | undefined> {
  if (key === null) return undefined;
  const file = join(dir, STAMP);
  try {
    const [text, info, expected] = await Promise.all([readFile(file, 'utf8'), stat(file), context(dir, identityInput)]);
    const lines = text.split('\n');
    const age = now - info.mtimeMs;
    if (lines.slice(0, 3).join('\n') !== `${key}\n${expected}` || age < -1000 || age >= MAX_AGE_MS) return undefined;
    await unlink(file);
    return lines[3] || null;
  } catch {
    return undefined;
  }
}
