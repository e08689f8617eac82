import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VERSION } from '../version.js';

/** Bumped whenever the cached shapes or the rules that produce them change. */
const CACHE_VERSION = `policy-v2-${VERSION}`;
const KEEP = 16;

export function cacheKey(...parts: Array<string | Uint8Array>): string {
  const hash = createHash('sha256').update(CACHE_VERSION);
  for (const p of parts) hash.update('\0').update(p);
  return hash.digest('hex').slice(0, 32);
}

/**
 * Validated settings and compiled policies, keyed by the hash of the exact texts they came from,
 * under the repository's common git dir (shared by worktrees). A miss only costs the validation.
 */
export class JsonCache {
  constructor(private readonly dir: string | null) {}

  async get<T>(kind: string, key: string): Promise<T | null> {
    if (!this.dir) return null;
    try {
      return JSON.parse(await readFile(join(this.dir, `${kind}-${key}.json`), 'utf8')) as T;
    } catch {
      return null;
    }
  }

  /** Writes atomically (temp file + rename): agents in other worktrees may read at the same instant. */
  async set(kind: string, key: string, value: unknown): Promise<void> {
    if (!this.dir) return;
    try {
      await mkdir(this.dir, { recursive: true });
      const file = join(this.dir, `${kind}-${key}.json`);
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(value));
      await rename(temp, file);
      await this.prune(kind);
    } catch {
      // A cache that cannot be written only costs time on the next run.
    }
  }

  private async prune(kind: string): Promise<void> {
    const names = (await readdir(this.dir!)).filter((n) => n.startsWith(`${kind}-`) && n.endsWith('.json'));
    if (names.length <= KEEP) return;
    const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(this.dir!, n))).mtimeMs })));
    dated.sort((a, b) => b.t - a.t);
    await Promise.all(dated.slice(KEEP).map(({ n }) => unlink(join(this.dir!, n)).catch(() => undefined)));
  }
}
