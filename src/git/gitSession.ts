/**
 * Long-lived git processes for the ledger: one `cat-file --batch` reads objects, one
 * `hash-object -w --stdin-paths` per object type writes them, and one `update-ref --stdin`
 * applies transactions (start/prepare/commit). A ledger write then costs round trips on pipes,
 * not a process start per object: what lets sixteen agents race on one ref at speed. Landing
 * makes its trees and commits in memory and writes them all at once, as one pack (flush).
 */
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TreeEntry } from '../core/treeMerge.js';
import { SwarmError } from '../errors.js';
import type { CasResult, RefUpdate } from './refs.js';
import { runGit, spawnGit } from './run.js';

const ZERO_OID = '0000000000000000000000000000000000000000';
const MOVED = /cannot lock ref '([^']+)': (?:is at [0-9a-f]+ but expected|reference already exists|unable to resolve reference|reference is missing)/;
const LOCKED = /cannot lock ref '([^']+)': Unable to create '[^']*\.lock': File exists/;

/** A child's stdout read as lines and counted bytes, in the order requests were written. */
class Reader {
  #buffer: Buffer = Buffer.alloc(0);
  #waiting: (() => void) | null = null;
  #closed = false;

  constructor(stream: NodeJS.ReadableStream) {
    stream.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#wake();
    });
    stream.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.();
  }

  async #until(ready: () => boolean): Promise<boolean> {
    while (!ready()) {
      if (this.#closed) return false;
      await new Promise<void>((resolve) => (this.#waiting = resolve));
    }
    return true;
  }

  /** The next line without its newline; null when the process ended first. */
  async line(): Promise<string | null> {
    if (!(await this.#until(() => this.#buffer.includes(0x0a)))) return null;
    const end = this.#buffer.indexOf(0x0a);
    const text = this.#buffer.subarray(0, end).toString('utf8');
    this.#buffer = this.#buffer.subarray(end + 1);
    return text;
  }

  /** The next `n` bytes; null when the process ended first. */
  async bytes(n: number): Promise<Buffer | null> {
    if (!(await this.#until(() => this.#buffer.length >= n))) return null;
    const out = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return out;
  }
}

/** A tree object's entries; null when it does not parse (a corrupt object). */
function parseTree(content: Buffer, idBytes: number): TreeEntry[] | null {
  const entries: TreeEntry[] = [];
  for (let at = 0; at < content.length; ) {
    const space = content.indexOf(0x20, at);
    const nul = space === -1 ? -1 : content.indexOf(0, space + 1);
    if (nul === -1 || nul + 1 + idBytes > content.length) return null;
    entries.push({ mode: content.toString('latin1', at, space), name: content.toString('latin1', space + 1, nul), oid: content.toString('hex', nul + 1, nul + 1 + idBytes) });
    at = nul + 1 + idBytes;
  }
  return entries;
}

/** A commit object's content. */
function commitText(tree: string, parents: readonly string[], message: string, ident: { author: string; committer: string }): Buffer {
  const text = [`tree ${tree}`, ...parents.map((p) => `parent ${p}`), `author ${ident.author}`, `committer ${ident.committer}`, '', message.endsWith('\n') ? message : `${message}\n`];
  return Buffer.from(text.join('\n'));
}

/** SHA-1, or SHA-256 in a repository whose object ids have 64 digits. */
const hashFor = (hexLength: number) => createHash(hexLength === 64 ? 'sha256' : 'sha1');

interface MadeObject {
  type: 'tree' | 'commit';
  oid: string;
  content: Buffer;
}

/**
 * `data` as a zlib stream of stored (uncompressed) blocks, which any inflater reads: setting up a
 * compressor per object costs more than these small objects would save (git packs them again in gc).
 */
function storedZlib(data: Buffer): Buffer {
  const blocks = Math.max(1, Math.ceil(data.length / 0xffff));
  const out = Buffer.alloc(2 + blocks * 5 + data.length + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let to = 2;
  for (let at = 0, n = 0; n < blocks; n++) {
    const size = Math.min(0xffff, data.length - at);
    out[to] = n === blocks - 1 ? 1 : 0;
    out.writeUInt16LE(size, to + 1);
    out.writeUInt16LE(size ^ 0xffff, to + 3);
    data.copy(out, to + 5, at, at + size);
    to += 5 + size;
    at += size;
  }
  // Adler-32, reduced once per 5552 bytes (zlib's NMAX: the sums cannot overflow before).
  let a = 1;
  let b = 0;
  for (let start = 0; start < data.length; start += 5552) {
    const end = Math.min(start + 5552, data.length);
    for (let i = start; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  out.writeUInt32BE(b * 65536 + a, to);
  return out;
}

/**
 * A pack (version 2, every object whole) of these objects: what `index-pack` stores in ONE pack
 * file, where as many loose objects would each cost a file and a folder entry.
 */
function packOf(objects: readonly MadeObject[], hexLength: number): Buffer {
  const header = Buffer.alloc(12);
  header.write('PACK', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(objects.length, 8);
  const parts: Buffer[] = [header];
  for (const { type, content } of objects) {
    // Type and size: the size's low four bits with the type, then seven bits a byte, low first.
    const bytes: number[] = [];
    let size = content.length;
    let byte = ((type === 'commit' ? 1 : 2) << 4) | (size & 0x0f);
    size = Math.floor(size / 16);
    while (size > 0) {
      bytes.push(byte | 0x80);
      byte = size & 0x7f;
      size = Math.floor(size / 128);
    }
    bytes.push(byte);
    parts.push(Buffer.from(bytes), storedZlib(content));
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, hashFor(hexLength).update(body).digest()]);
}

interface Worker {
  child: ChildProcess;
  reader: Reader;
  stderr: () => string;
  /** Requests run one at a time: answers come back in order on one pipe. */
  queue: Promise<unknown>;
}

type ObjectType = 'blob' | 'tree' | 'commit';

export interface ObjectRead {
  oid: string;
  type: string;
  content: Buffer;
}

/** Who a ledger commit names as its author and committer. */
export interface LedgerAuthor {
  name: string;
  email: string;
}

export class GitSession {
  readonly #workers = new Map<string, Worker>();
  #files = 0;
  /** Objects made by treeLater and commitLater, not written yet (see flush). */
  #made: MadeObject[] = [];

  /** `tmpDir`: a private folder in the git dir for the bytes hash-object reads by path. */
  constructor(
    readonly cwd: string,
    readonly tmpDir: string,
  ) {}

  #worker(key: string, args: readonly string[]): Worker {
    const known = this.#workers.get(key);
    if (known && known.child.exitCode === null && !known.child.killed) return known;
    const child = spawnGit(args, { cwd: this.cwd, stdin: 'pipe' });
    const errors: Buffer[] = [];
    child.stderr!.on('data', (d: Buffer) => errors.push(d));
    // A pipe closed by a process that died is reported where its answer is awaited.
    child.stdin!.on('error', () => undefined);
    const worker: Worker = { child, reader: new Reader(child.stdout!), stderr: () => Buffer.concat(errors).toString('utf8'), queue: Promise.resolve() };
    this.#workers.set(key, worker);
    return worker;
  }

  /** Runs `task` on the worker once every earlier request on it has been answered. */
  #serial<T>(worker: Worker, task: () => Promise<T>): Promise<T> {
    const result = worker.queue.then(task, task);
    worker.queue = result.catch(() => undefined);
    return result;
  }

  #died(worker: Worker, args: readonly string[]): SwarmError {
    return new SwarmError('git', '', { command: args, exitCode: worker.child.exitCode ?? 128, stderr: worker.stderr() });
  }

  /** An object by name (`<ref>`, `<commit>:<path>`, an id); null when there is none. */
  read(name: string): Promise<ObjectRead | null> {
    const args = ['cat-file', '--batch'];
    const worker = this.#worker('cat-file', args);
    return this.#serial(worker, async () => {
      worker.child.stdin!.write(`${name}\n`);
      return this.#answer(worker, args);
    });
  }

  /** cat-file's answer to the next request written. */
  async #answer(worker: Worker, args: readonly string[]): Promise<ObjectRead | null> {
    const header = await worker.reader.line();
    if (header === null) throw this.#died(worker, args);
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) return null;
    const [oid, type, size] = header.split(' ');
    const content = await worker.reader.bytes(Number(size) + 1);
    if (content === null || !oid || !type) throw this.#died(worker, args);
    return { oid, type, content: content.subarray(0, content.length - 1) };
  }

  /** Objects by name, asked for together: one round trip on the pipe, however many. */
  #readMany(names: readonly string[]): Promise<Array<ObjectRead | null>> {
    const args = ['cat-file', '--batch'];
    const worker = this.#worker('cat-file', args);
    return this.#serial(worker, async () => {
      worker.child.stdin!.write(names.map((n) => `${n}\n`).join(''));
      const out: Array<ObjectRead | null> = [];
      while (out.length < names.length) out.push(await this.#answer(worker, args));
      return out;
    });
  }

  /**
   * Trees by name (ids, `<commit>^{tree}`), in one round trip, each with its entries or null (none,
   * not a tree, or it does not parse).
   */
  async readTrees(names: readonly string[]): Promise<Array<{ oid: string; entries: TreeEntry[] } | null>> {
    return (await this.#readMany(names)).map((object) => {
      const entries = object?.type === 'tree' ? parseTree(object.content, object.oid.length / 2) : null;
      return entries ? { oid: object!.oid, entries } : null;
    });
  }

  /**
   * A tree of these entries (in git's order, see compareEntries), written by flush: its id is
   * computed here, so what holds it can be made before git has it.
   */
  treeLater(entries: readonly TreeEntry[]): string {
    const content = Buffer.concat(entries.flatMap((e) => [Buffer.from(`${e.mode} ${e.name}\0`, 'latin1'), Buffer.from(e.oid, 'hex')]));
    return this.#later('tree', content, entries[0]?.oid.length ?? 40);
  }

  /** A commit as writeCommit makes it, written by flush; its id is computed here. */
  commitLater(tree: string, parents: readonly string[], message: string, ident: { author: string; committer: string }): string {
    return this.#later('commit', commitText(tree, parents, message, ident), tree.length);
  }

  #later(type: MadeObject['type'], content: Buffer, hexLength: number): string {
    const oid = hashFor(hexLength).update(`${type} ${content.length}\0`).update(content).digest('hex');
    this.#made.push({ type, oid, content });
    return oid;
  }

  /**
   * Writes what treeLater and commitLater made, as one pack (`index-pack --stdin`), and checks
   * that git has every object under the id it was given. Until then no other git process can
   * read them. What a failed flush did not write stays to be written: a later commit may hold it.
   */
  async flush(): Promise<void> {
    const made = [...this.#made];
    if (made.length === 0) return;
    const args = ['index-pack', '--stdin'];
    const result = await runGit(args, { cwd: this.cwd, input: packOf(made, made[0]!.oid.length) });
    if (result.code !== 0) throw new SwarmError('git', '', { command: args, exitCode: result.code, stderr: result.stderr });
    const stored = await this.#readMany(made.map((o) => o.oid));
    const missing = made.find((o, i) => stored[i]?.type !== o.type);
    if (missing) throw new SwarmError('git', '', { command: args, stderr: `${missing.type} ${missing.oid} is not in the repository after writing it` });
    this.#made.splice(0, made.length);
  }

  /** Writes an object into the repository and returns its id. */
  async write(type: ObjectType, content: Buffer): Promise<string> {
    const file = join(this.tmpDir, `${process.pid}-${++this.#files}-${randomBytes(6).toString('hex')}`);
    try {
      await mkdir(this.tmpDir, { recursive: true });
      // 'wx': a name planted in advance (a symlink to elsewhere) fails instead of being followed.
      await writeFile(file, content, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      // Something that is not a folder where the folder belongs: the user's to remove, named.
      const errno = (error as NodeJS.ErrnoException).code;
      if (errno === 'EEXIST' || errno === 'ENOTDIR') throw new SwarmError('filesystem', '', { file: this.tmpDir, errno: 'ENOTDIR' });
      throw error;
    }
    const args = ['hash-object', '-w', '--no-filters', '-t', type, '--stdin-paths'];
    const worker = this.#worker(`hash-${type}`, args);
    try {
      return await this.#serial(worker, async () => {
        worker.child.stdin!.write(`${file}\n`);
        const oid = await worker.reader.line();
        if (oid === null || !/^[0-9a-f]{40,64}$/.test(oid)) throw this.#died(worker, args);
        return oid;
      });
    } finally {
      await rm(file, { force: true });
    }
  }

  /** A commit of one file at the top of its tree, with `parent` (null: a root commit). */
  async commitFile(file: string, content: Buffer, parent: string | null, message: string, author: LedgerAuthor, when: number): Promise<string> {
    const blob = await this.write('blob', content);
    const tree = await this.write('tree', Buffer.concat([Buffer.from(`100644 ${file}\0`), Buffer.from(blob, 'hex')]));
    const clean = (s: string) => s.replace(/[<>\n\r\0]/g, '');
    const stamp = `${clean(author.name)} <${clean(author.email)}> ${Math.floor(when / 1000)} +0000`;
    const text = [`tree ${tree}`, ...(parent ? [`parent ${parent}`] : []), `author ${stamp}`, `committer ${stamp}`, '', message.endsWith('\n') ? message : `${message}\n`];
    return this.write('commit', Buffer.from(text.join('\n')));
  }

  /** A commit of `tree` with these parents, authored as `ident` says (see committerIdent). */
  writeCommit(tree: string, parents: readonly string[], message: string, ident: { author: string; committer: string }): Promise<string> {
    return this.write('commit', commitText(tree, parents, message, ident));
  }

  /**
   * Applies every update or none, as one transaction of the long-lived `update-ref --stdin`.
   * Losing the race is a result, not an error; git ends the process then, and the next
   * transaction starts a new one.
   */
  async swap(updates: readonly RefUpdate[]): Promise<CasResult> {
    // A ref that has already moved loses here, on the open cat-file: a lost transaction ends
    // update-ref, and starting another costs more than a whole write (most of the work under contention).
    for (const u of updates) {
      if (((await this.read(u.ref))?.oid ?? null) !== u.expected) return { ok: false, reason: 'moved', ref: u.ref };
    }
    // --create-reflog: the ledger's own refs keep a reflog, so a lead can find a good version to restore.
    const args = ['update-ref', '--create-reflog', '--stdin', '-z'];
    const worker = this.#worker('update-ref', args);
    return this.#serial(worker, async () => {
      // no-deref: a ledger ref turned into a symbolic ref must not carry the write onto a branch.
      const body = updates
        .map((u) => `option no-deref\0${u.next === null ? `delete ${u.ref}\0${u.expected ?? ''}\0` : `update ${u.ref}\0${u.next}\0${u.expected ?? ZERO_OID}\0`}`)
        .join('');
      worker.child.stdin!.write(`start\0${body}prepare\0`);
      const started = await worker.reader.line();
      const prepared = started === 'start: ok' ? await worker.reader.line() : null;
      if (prepared !== 'prepare: ok') {
        await new Promise<void>((resolve) => (worker.child.exitCode !== null ? resolve() : worker.child.once('close', () => resolve())));
        const stderr = worker.stderr();
        const moved = MOVED.exec(stderr);
        if (moved) return { ok: false, reason: 'moved', ref: moved[1]! };
        const locked = LOCKED.exec(stderr);
        if (locked) return { ok: false, reason: 'locked', ref: locked[1]! };
        throw this.#died(worker, args);
      }
      worker.child.stdin!.write('commit\0');
      if ((await worker.reader.line()) !== 'commit: ok') throw this.#died(worker, args);
      return { ok: true };
    });
  }

  /** Ends every process (their stdin closes; each exits on its own). */
  close(): void {
    for (const worker of this.#workers.values()) worker.child.stdin!.end();
    this.#workers.clear();
  }
}
