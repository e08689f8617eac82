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

/**
 * ASCII case folding of a match form: "A"-"Z" become "a"-"z", every other char (and so every byte
 * of a non-ASCII character) stays. git folds ASCII only too (core.ignoreCase, `:(icase)` pathspecs).
 */
export function foldCase(matchForm: string): string {
  return NON_ASCII.test(matchForm) ? matchForm.replace(/[A-Z]+/g, (run) => run.toLowerCase()) : matchForm.toLowerCase();
}

interface IndexedRegExp {
  re: RegExp;
  entry: number;
}

/** What a path matches: entries matched exactly, and entries matched only by a case variant of the path. */
export interface Lookup<T> {
  /** Tags of the entries whose glob matches the path, each tag once, in entry order. */
  exact: T[];
  /**
   * Tags of the entries whose glob matches a path that differs from it only in ASCII case (on a
   * case-insensitive file system, the same path) but not the path itself; none of them in `exact`.
   */
  caseOnly: T[];
}

/**
 * One pass over alternatives bucketed by their case-folded literal prefix, testing folded RegExps
 * against the folded path: every exact match is also a folded one, so a second (exact) test is
 * needed only on the few folded hits, and not even there when neither the path nor the glob has
 * anything to fold.
 */
export class GlobIndex<T> {
  readonly #tags: T[];
  readonly #globs: CompiledGlob[];
  /** Alternatives keyed by their folded literal directory prefix, so a path only meets the globs that can match it. */
  readonly #buckets = new Map<string, IndexedRegExp[]>();
  /** Per entry, whether any alternative's folded source differs from its exact one (e.g. "src/Auth/**", "[A-Z]*"). */
  readonly #foldSensitive: boolean[];
  /** Per entry, its exact RegExps, made on the first folded hit that needs them. */
  readonly #exact: Array<RegExp[] | undefined>;
  /** Slash count of the deepest prefix: deeper directories of a path cannot have a bucket. */
  readonly #maxDepth: number;
  /** Per entry, the last lookup that matched it: its other brace alternatives need no test. */
  readonly #matchedAt: Float64Array;
  #call = 0;

  constructor(entries: ReadonlyArray<{ glob: CompiledGlob; tag: T }>) {
    this.#tags = entries.map((e) => e.tag);
    this.#globs = entries.map((e) => e.glob);
    this.#foldSensitive = this.#globs.map((g) => g.alternatives.some((a) => a.foldedSource !== a.source));
    this.#exact = new Array<RegExp[] | undefined>(entries.length);
    this.#matchedAt = new Float64Array(entries.length);
    const regexps = new Map<string, RegExp>();
    let maxDepth = 0;
    entries.forEach(({ glob }, entry) => {
      for (const { foldedSource, prefix } of glob.alternatives) {
        let re = regexps.get(foldedSource);
        if (!re) regexps.set(foldedSource, (re = new RegExp(foldedSource)));
        const key = foldCase(prefix);
        const bucket = this.#buckets.get(key);
        if (bucket) bucket.push({ re, entry });
        else this.#buckets.set(key, [{ re, entry }]);
        maxDepth = Math.max(maxDepth, depth(prefix));
      }
    });
    this.#maxDepth = maxDepth;
  }

  /** Tags of every entry whose glob matches `path` (a repo-relative file path, not match form), each tag once, in entry order. */
  match(path: string): T[] {
    return this.lookup(path).exact;
  }

  /** The entries `path` (a repo-relative file path, not match form) matches exactly, and those only a case variant of it matches. */
  lookup(path: string): Lookup<T> {
    const subject = toMatchForm(path);
    const folded = foldCase(subject);
    const call = ++this.#call;
    const hits: number[] = [];
    this.#test(this.#buckets.get(''), folded, call, hits);
    let slash = folded.indexOf('/');
    for (let d = 1; slash !== -1 && d <= this.#maxDepth; d++) {
      this.#test(this.#buckets.get(folded.slice(0, slash + 1)), folded, call, hits);
      slash = folded.indexOf('/', slash + 1);
    }
    if (hits.length === 0) return { exact: [], caseOnly: [] };
    hits.sort((a, b) => a - b);
    // Without upper case in the path or anything to fold in the glob, the folded match is the exact one.
    const pathFolds = subject !== folded;
    const exact: number[] = [];
    const caseOnly: number[] = [];
    for (const entry of hits) {
      if ((!pathFolds && !this.#foldSensitive[entry]) || this.#exactRegExps(entry).some((re) => re.test(subject))) exact.push(entry);
      else caseOnly.push(entry);
    }
    const exactTags = this.#tagsOf(exact);
    return { exact: exactTags, caseOnly: this.#tagsOf(caseOnly).filter((tag) => !exactTags.includes(tag)) };
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

  #exactRegExps(entry: number): RegExp[] {
    let regexps = this.#exact[entry];
    if (!regexps) this.#exact[entry] = regexps = (this.#globs[entry] as CompiledGlob).alternatives.map((a) => new RegExp(a.source));
    return regexps;
  }

  /** Tags of sorted entries, each tag once. */
  #tagsOf(entries: number[]): T[] {
    const tags: T[] = [];
    for (const entry of entries) {
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

/**
 * A path the glob matches that differs from `path` only in ASCII case, found by taking the case of
 * an alternative's literal directories ("src/db/x.ts" for "SRC/db/x.ts" and "src/db/**"); null when
 * that is not enough (the difference is in the glob's wildcard part, or it has no literal directory).
 */
export function caseTwin(glob: CompiledGlob, path: string): string | null {
  const subject = toMatchForm(path);
  for (const { prefix } of glob.alternatives) {
    const head = subject.slice(0, prefix.length);
    if (prefix === '' || head === prefix || foldCase(head) !== foldCase(prefix)) continue;
    const twin = prefix + subject.slice(prefix.length);
    // Only ASCII letters changed, so the bytes still spell UTF-8.
    if (globMatches(glob, fromMatchForm(twin))) return fromMatchForm(twin);
  }
  return null;
}

/** The path a match form spells (its bytes as UTF-8); the inverse of toMatchForm on valid UTF-8. */
export function fromMatchForm(matchForm: string): string {
  return NON_ASCII.test(matchForm) ? Buffer.from(matchForm, 'latin1').toString('utf8') : matchForm;
}
