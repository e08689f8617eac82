/**
 * Matches repo-relative paths against compiled claim globs. This module is on the commit-hook hot
 * path: it must not load glob.ts (the compiler), and it receives CompiledGlob objects from a JSON cache.
 */
import type { CompiledGlob } from './glob.js';

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * git matches bytes, so paths and patterns are compared as their UTF-8 bytes, one char per byte
 * (`?` then matches one byte of "é", as in git). ASCII strings are already in that form.
 */
export function toMatchForm(path: string): string {
  return NON_ASCII.test(path) ? Buffer.from(path, 'utf8').toString('latin1') : path;
}

interface IndexedRegExp {
  re: RegExp;
  entry: number;
}

export class GlobIndex<T> {
  readonly #tags: T[];
  /** Alternatives keyed by their literal directory prefix, so a path only meets the globs that can match it. */
  readonly #buckets = new Map<string, IndexedRegExp[]>();
  /** Slash count of the deepest prefix: deeper directories of a path cannot have a bucket. */
  readonly #maxDepth: number;
  /** Per entry, the last match() call that matched it: its other brace alternatives need no test. */
  readonly #matchedAt: Float64Array;
  #call = 0;

  constructor(entries: ReadonlyArray<{ glob: CompiledGlob; tag: T }>) {
    this.#tags = entries.map((e) => e.tag);
    this.#matchedAt = new Float64Array(entries.length);
    const regexps = new Map<string, RegExp>();
    let maxDepth = 0;
    entries.forEach(({ glob }, entry) => {
      for (const { source, prefix } of glob.alternatives) {
        let re = regexps.get(source);
        if (!re) regexps.set(source, (re = new RegExp(source)));
        const bucket = this.#buckets.get(prefix);
        if (bucket) bucket.push({ re, entry });
        else this.#buckets.set(prefix, [{ re, entry }]);
        maxDepth = Math.max(maxDepth, depth(prefix));
      }
    });
    this.#maxDepth = maxDepth;
  }

  /** Tags of every entry whose glob matches `path` (a repo-relative file path, not match form), each tag once, in entry order. */
  match(path: string): T[] {
    const subject = toMatchForm(path);
    const call = ++this.#call;
    const hits: number[] = [];
    this.#test(this.#buckets.get(''), subject, call, hits);
    let slash = subject.indexOf('/');
    for (let d = 1; slash !== -1 && d <= this.#maxDepth; d++) {
      this.#test(this.#buckets.get(subject.slice(0, slash + 1)), subject, call, hits);
      slash = subject.indexOf('/', slash + 1);
    }
    return this.#tagsOf(hits);
  }

  #test(bucket: IndexedRegExp[] | undefined, subject: string, call: number, hits: number[]): void {
    if (!bucket) return;
    for (const { re, entry } of bucket) {
      if (this.#matchedAt[entry] !== call && re.test(subject)) {
        this.#matchedAt[entry] = call;
        hits.push(entry);
      }
    }
  }

  #tagsOf(hits: number[]): T[] {
    hits.sort((a, b) => a - b);
    const tags: T[] = [];
    for (const entry of hits) {
      const tag = this.#tags[entry] as T;
      if (!tags.includes(tag)) tags.push(tag);
    }
    return tags;
  }
}

function depth(prefix: string): number {
  let n = 0;
  for (let i = prefix.indexOf('/'); i !== -1; i = prefix.indexOf('/', i + 1)) n++;
  return n;
}

const compiledRegExps = new WeakMap<CompiledGlob, RegExp[]>();

/** True when the single glob matches (helper for one-off checks). */
export function globMatches(glob: CompiledGlob, path: string): boolean {
  let regexps = compiledRegExps.get(glob);
  if (!regexps) {
    regexps = glob.alternatives.map((a) => new RegExp(a.source));
    compiledRegExps.set(glob, regexps);
  }
  const subject = toMatchForm(path);
  return regexps.some((re) => re.test(subject));
}
