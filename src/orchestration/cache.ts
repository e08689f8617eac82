import { createHash } from 'node:crypto';
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureLocalDir, readLocalFile, replaceLocalFile } from '../localFile.js';
import { VERSION } from '../version.js';

/** Bumped whenever the cached shapes or the rules that produce them change. */
const CACHE_VERSION = `policy-v4-${VERSION}`;
const KEEP = 16;

export function cacheKey(...parts: Array<string | Uint8Array>): string {
  const hash = createHash('sha256').update(CACHE_VERSION);
  for (const p of parts) hash.update('\0').update(p);
  return hash.digest('hex').slice(0, 32);
}

/** What an entry's first line says about the body after it; `sha256` covers all of them and the body. */
interface Header {
  version: string;
  kind: string;
  key: string;
  sha256: string;
}

function digest(kind: string, key: string, body: string): string {
  return createHash('sha256').update(`${CACHE_VERSION}\0${kind}\0${key}\0`).update(body).digest('hex');
}

/** A value's shape, checked without zod (the hook bundle does not load it). */
export type Shape<T> = (value: unknown) => value is T;

/**
 * Validated settings and compiled policies, keyed by the hash of the exact texts they came from,
 * under the repository's common git dir (shared by worktrees). A miss only costs the validation.
 *
 * Every agent can write this directory, so a read trusts nothing: the entry must be a regular
 * file whose header names this version, kind and key, whose body hashes to the header's digest,
 * and whose value has the expected shape; anything else is a miss, which rebuilds the entry. The
 * digest stops corruption (a flipped byte, a truncated write), not forgery: whoever can write
 * here can recompute it, as they can switch the hooks off. `git swarm check` reads no cache.
 */
export class JsonCache {
  constructor(
    private readonly dir: string | null,
    /** False in a child: its entries go when the entry it belongs to is pruned. */
    private readonly pruned = true,
  ) {}

  /** The cache in a subdirectory (a policy's shards), pruned with the entry it belongs to. */
  child(name: string): JsonCache {
    return new JsonCache(this.dir && join(this.dir, name), false);
  }

  async get<T>(kind: string, key: string, shape: Shape<T>): Promise<T | null> {
    if (!this.dir) return null;
    const text = await readLocalFile(this.file(kind, key));
    const eol = text?.indexOf('\n') ?? -1;
    if (text == null || eol < 0) return null;
    try {
      const header = JSON.parse(text.slice(0, eol)) as Partial<Header> | null;
      const body = text.slice(eol + 1);
      if (header?.version !== CACHE_VERSION || header.kind !== kind || header.key !== key || header.sha256 !== digest(kind, key, body)) return null;
      const value: unknown = JSON.parse(body);
      return shape(value) ? value : null;
    } catch {
      return null;
    }
  }

  /** Replaces the entry atomically: agents in other worktrees may read at the same instant. */
  async set(kind: string, key: string, value: unknown): Promise<void> {
    if (!this.dir) return;
    try {
      const body = JSON.stringify(value);
      const header: Header = { version: CACHE_VERSION, kind, key, sha256: digest(kind, key, body) };
      await ensureLocalDir(this.dir);
      await replaceLocalFile(this.file(kind, key), `${JSON.stringify(header)}\n${body}`);
      if (this.pruned) await this.prune(kind);
    } catch {
      // A cache that cannot be written only costs time on the next run.
    }
  }

  private file(kind: string, key: string): string {
    return join(this.dir!, `${kind}-${key}.json`);
  }

  /** Keeps the KEEP newest entries of a kind; an entry's subdirectory (see child) goes with it. */
  private async prune(kind: string): Promise<void> {
    const names = (await readdir(this.dir!)).filter((n) => n.startsWith(`${kind}-`) && n.endsWith('.json'));
    if (names.length <= KEEP) return;
    const dated = await Promise.all(names.map(async (n) => ({ n, t: (await lstat(join(this.dir!, n)).catch(() => null))?.mtimeMs ?? 0 })));
    dated.sort((a, b) => b.t - a.t);
    await Promise.all(
      dated.slice(KEEP).flatMap(({ n }) => [n, n.slice(0, -'.json'.length)].map((f) => rm(join(this.dir!, f), { recursive: true, force: true }))),
    );
  }
}
