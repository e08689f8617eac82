/**
 * Matches repo-relative paths against compiled claim globs. This module is on the commit-hook hot
 * path: it must not load glob.ts (the compiler), and it receives CompiledGlob objects from a JSON cache.
 *
 * The matcher does not backtrack: a glob is a sequence of segment patterns and `**`s, and both levels
 * are matched by the classic greedy wildcard algorithm (each piece between two stars has a fixed
 * length, one byte or one segment per step, so placing it leftmost loses no match). Its work on a path
 * is at most proportional to the path's length times the pattern's, however the stars are crafted.
 */
import type { CompiledGlob, GlobAlternative } from './glob.js';

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

/**
 * How GlobAlternative.segments spell one segment pattern (glob.ts writes them, this module runs them):
 * chars below 0x100 are bytes of the match form; SEGMENT_ANY is `?`, SEGMENT_STAR is `*`, and
 * SEGMENT_CLASS opens a bracket expression: a char holding its number of member ranges, then the
 * first and last byte of each. The segment GLOBSTAR is a whole `**`.
 */
export const SEGMENT_ANY = '\u0100';
export const SEGMENT_STAR = '\u0101';
export const SEGMENT_CLASS = '\u0102';
export const GLOBSTAR = '\u0103';
const ANY_CODE = SEGMENT_ANY.charCodeAt(0);
const STAR_CODE = SEGMENT_STAR.charCodeAt(0);
const CLASS_CODE = SEGMENT_CLASS.charCodeAt(0);
const SLASH = 0x2f;

/** Tokens of a loaded piece: a char code (a byte), ANY, or CLASS - k for class k of its segment. */
const ANY = -1;
const CLASS = -2;
/** A piece with `?` or a class needs tokens; one without is compared whole. */
const WILD_PIECE = /[\u0100\u0102]/;

/** The bytes between two stars of a segment pattern, or before the first or after the last: a fixed length. */
interface BytePiece {
  /** Its tokens, or null when it has no `?` or class: then `text` holds its bytes, compared with one startsWith. */
  tokens: number[] | null;
  text: string;
  length: number;
}

interface SegmentMatcher {
  /** The pattern split at its stars: a single piece without any. */
  pieces: BytePiece[];
  /** Per class, which char codes below 256 it matches. */
  classes: Uint8Array[];
  /** How many bytes the pieces need: a shorter name cannot match. */
  fixed: number;
  /** Whether ASCII case folding changed it. */
  folds: boolean;
}

/** One brace alternative, loaded for matching exact or case-folded match forms. */
interface Program {
  literal: string;
  /** False when the pattern has no glob characters: the literal comparison is then its whole meaning. */
  globbed: boolean;
  /**
   * The segment patterns between `**`s (the first anchored at the path's start, the last at its
   * end); a single run when there is no `**`. A trailing `**` takes one or more segments ("src/**"
   * is not the file "src"), so it is loaded as `**` and `*`.
   */
  runs: SegmentMatcher[][];
  /** The number of segments the runs need. */
  fixed: number;
  /** Whether ASCII case folding changed anything (only when loaded folded). */
  folds: boolean;
}

/** Work done by the matcher (see countMatchSteps): bytes compared, places tried, segments cut. */
let steps = 0;

/**
 * Runs `match` and counts the matcher's steps in it, so tests can bound its work by the lengths of
 * the path and the pattern without timing anything.
 */
export function countMatchSteps<T>(match: () => T): { result: T; steps: number } {
  const before = steps;
  const result = match();
  return { result, steps: steps - before };
}

/**
 * Loads alternatives for matching, sharing equal segments (claims repeat a few directory names and
 * `*.ts`). `fold`: for ASCII-case-folded match forms (see foldCase), a program matches foldCase(P)
 * exactly when its alternative matches some path differing from P only in ASCII case: literal bytes
 * are folded, and a lower-case letter is in a class when it or its upper-case form is ("[!a]"
 * matches the "a" of a path whose case variant "A" it matches). Total on any strings, since a cache
 * entry may have been edited by hand.
 */
class Loader {
  readonly #segments = new Map<string, SegmentMatcher>();

  constructor(private readonly fold: boolean) {}

  program({ literal, segments }: GlobAlternative): Program {
    const folded = this.fold ? foldCase(literal) : literal;
    const program: Program = { literal: folded, globbed: segments !== null, runs: [[]], fixed: 0, folds: folded !== literal };
    let run = program.runs[0]!;
    for (const code of segments ?? []) {
      if (code === GLOBSTAR) program.runs.push((run = []));
      else run.push(this.#segment(code));
    }
    if (program.runs.length > 1 && run.length === 0) run.push(this.#segment(SEGMENT_STAR));
    for (const r of program.runs) {
      program.fixed += r.length;
      for (const segment of r) program.folds ||= segment.folds;
    }
    return program;
  }

  #segment(code: string): SegmentMatcher {
    let segment = this.#segments.get(code);
    if (!segment) {
      segment = { pieces: [], classes: [], fixed: 0, folds: false };
      const pieceCodes = code.split(SEGMENT_STAR);
      for (const pieceCode of pieceCodes) {
        const piece = this.#piece(pieceCode, segment);
        segment.pieces.push(piece);
        segment.fixed += piece.length;
      }
      this.#segments.set(code, segment);
    }
    return segment;
  }

  #piece(code: string, segment: SegmentMatcher): BytePiece {
    if (!WILD_PIECE.test(code)) {
      const text = this.fold ? foldCase(code) : code;
      segment.folds ||= text !== code;
      return { tokens: null, text, length: text.length };
    }
    const tokens: number[] = [];
    for (let i = 0; i < code.length; i++) {
      const c = code.charCodeAt(i);
      if (c === ANY_CODE) tokens.push(ANY);
      else if (c === CLASS_CODE) {
        tokens.push(CLASS - segment.classes.length);
        segment.classes.push(this.#class(code, i, segment));
        i += 1 + 2 * code.charCodeAt(i + 1);
      } else if (this.fold && c >= 0x41 && c <= 0x5a) {
        tokens.push(c + 0x20);
        segment.folds = true;
      } else tokens.push(c);
    }
    return { tokens, text: '', length: tokens.length };
  }

  /** The members of the class whose opcode is at `at`. */
  #class(code: string, at: number, segment: SegmentMatcher): Uint8Array {
    const member = new Uint8Array(256);
    const ranges = code.charCodeAt(at + 1);
    for (let r = 0; r < ranges; r++) {
      const high = code.charCodeAt(at + 3 + 2 * r);
      for (let b = code.charCodeAt(at + 2 + 2 * r); b <= high && b < 256; b++) member[b] = 1;
    }
    if (this.fold) {
      for (let upper = 0x41; upper <= 0x5a; upper++) {
        if (!member[upper]) continue;
        member[upper] = 0;
        member[upper + 0x20] = 1;
        segment.folds = true;
      }
    }
    return member;
  }
}

/**
 * Where the segments of a match form end: -1, then every "/", then its length, so segment k is
 * cuts[k] + 1 up to cuts[k + 1]. Computed once per path for every glob it meets.
 */
function segmentCuts(subject: string): number[] {
  const cuts = [-1];
  for (let i = subject.indexOf('/'); i !== -1; i = subject.indexOf('/', i + 1)) cuts.push(i);
  cuts.push(subject.length);
  steps += cuts.length;
  return cuts;
}

/**
 * Whether the program matches `subject` (a match form, folded when the program is), as git's
 * wildmatch would, with git's literal comparison first. The runs between `**`s hold a fixed number
 * of segments, so the greedy algorithm is exact: the first run sits at the start, the last at the
 * end, and each other run at its leftmost place after the one before.
 */
function programMatches(program: Program, subject: string, cuts: number[]): boolean {
  const { literal, runs } = program;
  steps += literal.length + 1;
  if (subject.startsWith(literal) && (subject.length === literal.length || subject.charCodeAt(literal.length) === SLASH)) return true;
  if (!program.globbed) return false;
  const n = cuts.length - 1;
  const first = runs[0]!;
  if (runs.length === 1) return n === first.length && runMatches(first, subject, cuts, 0);
  const last = runs[runs.length - 1]!;
  if (n < program.fixed || !runMatches(first, subject, cuts, 0) || !runMatches(last, subject, cuts, n - last.length)) return false;
  const end = n - last.length;
  let at = first.length;
  for (let r = 1; r < runs.length - 1; r++) {
    const run = runs[r]!;
    while (at + run.length <= end && !runMatches(run, subject, cuts, at)) at++;
    if (at + run.length > end) return false;
    at += run.length;
  }
  return true;
}

/** Whether the segment patterns match the path's segments from segment `at` on. */
function runMatches(run: SegmentMatcher[], subject: string, cuts: number[], at: number): boolean {
  for (let k = 0; k < run.length; k++) {
    steps++;
    if (!segmentMatches(run[k]!, subject, (cuts[at + k] as number) + 1, cuts[at + k + 1] as number)) return false;
  }
  return true;
}

/**
 * Whether one segment pattern matches subject[from, to): the same greedy algorithm one level down,
 * over bytes. The piece before the first star sits at the start, the one after the last star at
 * the end, and each other piece at its leftmost place after the one before.
 */
function segmentMatches(segment: SegmentMatcher, subject: string, from: number, to: number): boolean {
  const { pieces, classes } = segment;
  const first = pieces[0]!;
  if (pieces.length === 1) return to - from === first.length && pieceAt(first, classes, subject, from);
  const last = pieces[pieces.length - 1]!;
  const end = to - last.length;
  if (to - from < segment.fixed || !pieceAt(first, classes, subject, from) || !pieceAt(last, classes, subject, end)) return false;
  let at = from + first.length;
  for (let p = 1; p < pieces.length - 1; p++) {
    const piece = pieces[p]!;
    while (at + piece.length <= end && !pieceAt(piece, classes, subject, at)) at++;
    if (at + piece.length > end) return false;
    at += piece.length;
  }
  return true;
}

/** Whether the piece matches the bytes at `at` (the caller keeps them inside one segment). */
function pieceAt(piece: BytePiece, classes: Uint8Array[], subject: string, at: number): boolean {
  steps += piece.length + 1;
  const { tokens } = piece;
  if (tokens === null) return subject.startsWith(piece.text, at);
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k] as number;
    const c = subject.charCodeAt(at + k);
    if (token >= 0 ? c !== token : token !== ANY && classes[CLASS - token]![c] !== 1) return false;
  }
  return true;
}

interface IndexedProgram {
  program: Program;
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
 * One pass over alternatives bucketed by their case-folded literal prefix, matching folded programs
 * against the folded path: every exact match is also a folded one, so a second (exact) match is
 * needed only on the few folded hits, and not even there when neither the path nor the glob has
 * anything to fold.
 */
export class GlobIndex<T> {
  readonly #tags: T[];
  readonly #globs: CompiledGlob[];
  /** Alternatives keyed by their folded literal directory prefix, so a path only meets the globs that can match it. */
  readonly #buckets = new Map<string, IndexedProgram[]>();
  /** Per entry, whether case folding changes any of its alternatives (e.g. "src/Auth/**", "[A-Z]*", "[!a]"). */
  readonly #foldSensitive: boolean[];
  /** Slash count of the deepest prefix: deeper directories of a path cannot have a bucket. */
  readonly #maxDepth: number;
  /** Per entry, the last lookup that matched it: its other brace alternatives need no test. */
  readonly #matchedAt: Float64Array;
  #call = 0;

  constructor(entries: ReadonlyArray<{ glob: CompiledGlob; tag: T }>) {
    this.#tags = entries.map((e) => e.tag);
    this.#globs = entries.map((e) => e.glob);
    this.#foldSensitive = new Array<boolean>(entries.length).fill(false);
    this.#matchedAt = new Float64Array(entries.length);
    const loader = new Loader(true);
    let maxDepth = 0;
    entries.forEach(({ glob }, entry) => {
      for (const alternative of glob.alternatives) {
        const program = loader.program(alternative);
        if (program.folds) this.#foldSensitive[entry] = true;
        const key = foldCase(alternative.prefix);
        const bucket = this.#buckets.get(key);
        if (bucket) bucket.push({ program, entry });
        else this.#buckets.set(key, [{ program, entry }]);
        maxDepth = Math.max(maxDepth, depth(alternative.prefix));
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
    // Folding keeps every "/" in place, so both forms share their segments.
    const cuts = segmentCuts(folded);
    const call = ++this.#call;
    const hits: number[] = [];
    this.#test(this.#buckets.get(''), folded, cuts, call, hits);
    let slash = folded.indexOf('/');
    for (let d = 1; slash !== -1 && d <= this.#maxDepth; d++) {
      this.#test(this.#buckets.get(folded.slice(0, slash + 1)), folded, cuts, call, hits);
      slash = folded.indexOf('/', slash + 1);
    }
    if (hits.length === 0) return { exact: [], caseOnly: [] };
    hits.sort((a, b) => a - b);
    // Without upper case in the path or anything to fold in the glob, the folded match is the exact one.
    const pathFolds = subject !== folded;
    const exact: number[] = [];
    const caseOnly: number[] = [];
    for (const entry of hits) {
      if ((!pathFolds && !this.#foldSensitive[entry]) || exactPrograms(this.#globs[entry] as CompiledGlob).some((p) => programMatches(p, subject, cuts))) exact.push(entry);
      else caseOnly.push(entry);
    }
    const exactTags = this.#tagsOf(exact);
    return { exact: exactTags, caseOnly: this.#tagsOf(caseOnly).filter((tag) => !exactTags.includes(tag)) };
  }

  #test(bucket: IndexedProgram[] | undefined, subject: string, cuts: number[], call: number, hits: number[]): void {
    if (!bucket) return;
    for (const { program, entry } of bucket) {
      if (this.#matchedAt[entry] !== call && programMatches(program, subject, cuts)) {
        this.#matchedAt[entry] = call;
        hits.push(entry);
      }
    }
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

const loaded = new WeakMap<CompiledGlob, Program[]>();

/** A glob's programs for exact match forms, loaded on first use (a GlobIndex needs them only on a folded hit). */
function exactPrograms(glob: CompiledGlob): Program[] {
  let programs = loaded.get(glob);
  if (!programs) {
    const loader = new Loader(false);
    loaded.set(glob, (programs = glob.alternatives.map((a) => loader.program(a))));
  }
  return programs;
}

/** True when the single glob matches (helper for one-off checks). */
export function globMatches(glob: CompiledGlob, path: string): boolean {
  const programs = exactPrograms(glob);
  const subject = toMatchForm(path);
  const cuts = segmentCuts(subject);
  return programs.some((p) => programMatches(p, subject, cuts));
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
