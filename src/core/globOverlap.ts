/**
 * Exact intersection of claim globs: whether any path (tracked or not) is matched by two globs, and
 * one such path as a witness. No path is enumerated: each brace alternative is a sequence of
 * segment patterns, and two sequences are intersected by a memoised search over pairs of
 * positions, where `**` takes zero or more whole segments and two segment patterns meet in a
 * product automaton over bytes (the match form of glob.ts).
 *
 * "Any path" means a path git could track: one or more non-empty segments, none of them "." or
 * "..", no NUL, valid UTF-8. So `cls/[é]` (one byte of a two-byte character) matches no path but
 * its literal one, and the witness is always a real path string that globMatches accepts.
 */
import { classBytes, globStructure, type CompiledGlob, type SegmentToken } from './glob.js';
import { fromMatchForm } from './globIndex.js';

/** One byte out of a set (256 flags), or null: `*`, any run of bytes. */
type Step = Uint8Array | null;

interface Segment {
  steps: Step[];
  /** byteClasses of `steps`, and of the same with every `*` taking at least one byte; made on first use. */
  classes?: Int32Array;
  nonEmpty?: { steps: Step[]; classes: Int32Array };
  /** The segment's bytes when every step is a single byte: then meeting it is one NFA run. */
  literal: string | null;
  /** Interned: equal segments share an id, so pair results are cached across globs. */
  id: number;
}

/** Zero or more whole segments: a `**` that is not last, and what follows a literal path (git's literal rule). */
const REST = 'rest';
type Item = Segment | typeof REST;

const SLASH = 0x2f;
const DOT = 0x2e;

const ANY_BYTE = (() => {
  const set = new Uint8Array(256).fill(1);
  set[0] = 0;
  set[SLASH] = 0;
  return set;
})();

/**
 * UTF-8 validity (RFC 3629) as a DFA: state 0 is "between characters"; states 1-3 await that many
 * continuation bytes; 4-7 await a restricted first continuation (E0, ED, F0, F4). -1 is invalid.
 */
const UTF8 = (() => {
  const next = new Int8Array(8 * 256).fill(-1);
  const set = (state: number, low: number, high: number, to: number) => {
    for (let b = low; b <= high; b++) next[state * 256 + b] = to;
  };
  set(0, 0x01, 0x7f, 0);
  set(0, 0xc2, 0xdf, 1);
  set(0, 0xe0, 0xe0, 4);
  set(0, 0xe1, 0xec, 2);
  set(0, 0xed, 0xed, 5);
  set(0, 0xee, 0xef, 2);
  set(0, 0xf0, 0xf0, 6);
  set(0, 0xf1, 0xf3, 3);
  set(0, 0xf4, 0xf4, 7);
  set(1, 0x80, 0xbf, 0);
  set(2, 0x80, 0xbf, 1);
  set(3, 0x80, 0xbf, 2);
  set(4, 0xa0, 0xbf, 1);
  set(5, 0x80, 0x9f, 1);
  set(6, 0x90, 0xbf, 2);
  set(7, 0x80, 0x8f, 2);
  return next;
})();

/** Bytes the UTF-8 DFA tells apart; part of each byte's signature when bytes are grouped. */
function utf8Class(b: number): number {
  if (b < 0x80) return 0;
  if (b < 0x90) return 1;
  if (b < 0xa0) return 2;
  if (b < 0xc0) return 3;
  if (b < 0xc2 || b > 0xf4) return 4;
  if (b < 0xe0) return 5;
  if (b === 0xe0 || b === 0xed || b === 0xf0 || b === 0xf4) return 6 + b;
  return b < 0xf0 ? 7 : 8;
}

/** Which byte stands for its group in a witness: letters and digits first, so witnesses read well. */
function rank(b: number): number {
  if (b >= 0x61 && b <= 0x7a) return b - 0x61;
  if (b >= 0x30 && b <= 0x39) return 26 + b - 0x30;
  if (b >= 0x41 && b <= 0x5a) return 36 + b - 0x41;
  if (b === 0x5f || b === 0x2d) return 62 + (b === 0x2d ? 1 : 0);
  if (b > 0x20 && b < 0x7f) return 64 + b;
  if (b === 0x20) return 200;
  if (b >= 0x80) return 300 + b;
  return 600 + b;
}

/** "." and ".." are no segment of a tracked path: 0 empty so far, 1 ".", 2 "..", 3 anything else. */
function dotNext(state: number, b: number): number {
  return b === DOT && state < 2 ? state + 1 : 3;
}

function validLiteral(bytes: string): boolean {
  if (bytes === '' || bytes === '.' || bytes === '..') return false;
  let u = 0;
  for (let i = 0; i < bytes.length && u >= 0; i++) u = UTF8[u * 256 + bytes.charCodeAt(i)]!;
  return u === 0;
}

/** Whether the steps match the whole of `bytes` (a segment in match form): an NFA run over positions. */
function stepsMatch(steps: readonly Step[], bytes: string): boolean {
  const n = steps.length;
  let current = new Uint8Array(n + 1);
  const close = (set: Uint8Array) => {
    for (let p = 0; p < n; p++) if (set[p] && steps[p] === null) set[p + 1] = 1;
  };
  current[0] = 1;
  close(current);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes.charCodeAt(i);
    const next = new Uint8Array(n + 1);
    let any = false;
    for (let p = 0; p < n; p++) {
      if (!current[p]) continue;
      const step = steps[p]!;
      if (step === null) next[p] = 1;
      else if (step[b]) next[p + 1] = 1;
      else continue;
      any = true;
    }
    if (!any) return false;
    close(next);
    current = next;
  }
  return current[n] === 1;
}

/**
 * Each byte's class for one step list: bytes in the same sets, of the same UTF-8 class and equally
 * "." or not are interchangeable in any search over these steps. Computed once per segment.
 */
function byteClasses(steps: readonly Step[]): Int32Array {
  const sets = [...new Set(steps.filter((s): s is Uint8Array => s !== null))];
  const ids = new Map<string, number>();
  const classes = new Int32Array(256).fill(-1);
  for (let b = 1; b < 256; b++) {
    if (b === SLASH) continue;
    let signature = `${utf8Class(b)}${b === DOT ? '.' : ''}:`;
    for (const set of sets) signature += set[b];
    let id = ids.get(signature);
    if (id === undefined) ids.set(signature, (id = ids.size));
    classes[b] = id;
  }
  return classes;
}

/** True when some byte is in both steps (a null step, `*`, has them all). */
function stepsMeet(x: Step, y: Step): boolean {
  if (x === null || y === null) return true;
  for (let b = 1; b < 256; b++) if (x[b] && y[b]) return true;
  return false;
}

/**
 * A segment both step lists match, as match-form bytes, or null. A breadth-first search over the
 * product of the two NFAs, the UTF-8 DFA and the dot-segment check; bytes neither segment's classes
 * tell apart are one edge, so each state has a few edges, not 254.
 */
function meetSteps(x: readonly Step[], y: readonly Step[], cx: Int32Array, cy: Int32Array): string | null {
  // Most segments that cannot meet already differ in a fixed first or last byte ("k1-*" and "[ab]2?").
  if (x[0] !== null && y[0] !== null && !stepsMeet(x[0]!, y[0]!)) return null;
  const [lx, ly] = [x[x.length - 1]!, y[y.length - 1]!];
  if (lx !== null && ly !== null && !stepsMeet(lx, ly)) return null;
  const groups = new Map<number, number>();
  for (let b = 1; b < 256; b++) {
    if (b === SLASH) continue;
    const key = cx[b]! * 256 + cy[b]!;
    const seen = groups.get(key);
    if (seen === undefined || rank(b) < rank(seen)) groups.set(key, b);
  }
  const bytes = [...groups.values()].sort((a, b) => rank(a) - rank(b));
  const n1 = x.length;
  const n2 = y.length;
  const encode = (p: number, q: number, u: number, d: number) => ((p * (n2 + 1) + q) * 8 + u) * 4 + d;
  const size = (n1 + 1) * (n2 + 1) * 32;
  const parent = new Int32Array(size).fill(-1);
  const via = new Int16Array(size).fill(-1);
  const start = encode(0, 0, 0, 0);
  parent[start] = start;
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    const d = state & 3;
    const u = (state >> 2) & 7;
    const pq = state >> 5;
    const q = pq % (n2 + 1);
    const p = (pq - q) / (n2 + 1);
    if (p === n1 && q === n2 && u === 0 && d === 3) return spell(state, parent, via);
    const visit = (to: number, byte: number) => {
      if (parent[to] !== -1) return;
      parent[to] = state;
      via[to] = byte;
      queue.push(to);
    };
    // `*` may also match nothing: move past it without a byte.
    if (p < n1 && x[p] === null) visit(encode(p + 1, q, u, d), -1);
    if (q < n2 && y[q] === null) visit(encode(p, q + 1, u, d), -1);
    if (p === n1 || q === n2) continue;
    const sx = x[p]!;
    const sy = y[q]!;
    for (const b of bytes) {
      if ((sx !== null && !sx[b]) || (sy !== null && !sy[b])) continue;
      const nu = UTF8[u * 256 + b]!;
      if (nu < 0) continue;
      visit(encode(sx === null ? p : p + 1, sy === null ? q : q + 1, nu, dotNext(d, b)), b);
    }
  }
  return null;
}

/** The segment with every `*` taking at least one byte, with its byte classes. */
function nonEmpty(segment: Segment): { steps: Step[]; classes: Int32Array } {
  if (!segment.nonEmpty) {
    const steps = segment.steps.flatMap((step) => (step === null ? [ANY_BYTE, null] : [step]));
    segment.nonEmpty = { steps, classes: byteClasses(steps) };
  }
  return segment.nonEmpty;
}

function spell(state: number, parent: Int32Array, via: Int16Array): string {
  const out: number[] = [];
  for (let s = state; parent[s] !== s; s = parent[s]!) if (via[s]! >= 0) out.push(via[s]!);
  return String.fromCharCode(...out.reverse());
}

function tokenStep(token: SegmentToken): Step {
  switch (token.kind) {
    case 'byte': {
      const set = new Uint8Array(256);
      set[token.byte] = 1;
      return set;
    }
    case 'any':
      return ANY_BYTE;
    case 'star':
      return null;
    case 'class':
      return Uint8Array.from(classBytes(token.parsed), Number);
  }
}

function tokenKey(token: SegmentToken): string {
  switch (token.kind) {
    case 'byte':
      return String.fromCharCode(token.byte);
    case 'any':
      return '\u0100?';
    case 'star':
      return '\u0100*';
    case 'class':
      return `\u0100[${classBytes(token.parsed).map(Number).join('')}]`;
  }
}

/**
 * Finds overlaps between globs, caching what repeats across many pairs: each glob's alternatives
 * as item sequences, and the meeting of each pair of distinct segments. One instance per manifest.
 */
export class GlobOverlap {
  readonly #segments = new Map<string, Segment>();
  readonly #shapes = new Map<string, Item[][]>();
  readonly #meetings = new Map<number, string | null>();
  readonly #any: Segment = this.#intern('\u0100*', [null], null);

  /** A path both globs match, or null when there is none. */
  witness(a: CompiledGlob, b: CompiledGlob): string | null {
    for (const s of this.#shapesOf(a)) {
      for (const t of this.#shapesOf(b)) {
        const found = this.#meetShapes(s, t);
        if (found) return fromMatchForm(found.join('/'));
      }
    }
    return null;
  }

  /** A path the glob matches, or null when it matches none (git could track no such path). */
  example(glob: CompiledGlob): string | null {
    const everything: Item[] = [this.#any, REST];
    for (const s of this.#shapesOf(glob)) {
      const found = this.#meetShapes(s, everything);
      if (found) return fromMatchForm(found.join('/'));
    }
    return null;
  }

  #intern(key: string, steps: Step[], literal: string | null): Segment {
    let segment = this.#segments.get(key);
    if (!segment) this.#segments.set(key, (segment = { steps, literal, id: this.#segments.size }));
    return segment;
  }

  #segment(tokens: readonly SegmentToken[]): Segment {
    if (tokens.every((t) => t.kind === 'byte')) {
      const literal = String.fromCharCode(...tokens.map((t) => (t as { byte: number }).byte));
      return this.#intern(literal, literal.split('').map((c) => tokenStep({ kind: 'byte', byte: c.charCodeAt(0) })), literal);
    }
    return this.#intern(tokens.map(tokenKey).join(''), tokens.map(tokenStep), null);
  }

  #literalSegment(bytes: string): Segment {
    return this.#segment(bytes.split('').map((c) => ({ kind: 'byte', byte: c.charCodeAt(0) })));
  }

  /**
   * Each alternative as one or two item sequences: its glob (unless it has no glob characters)
   * and git's literal comparison, the literal path followed by any number of segments. A last
   * `**` matches at least one segment (`src/**` is not the file `src`), so it is "any segment"
   * followed by REST.
   */
  #shapesOf(glob: CompiledGlob): Item[][] {
    let shapes = this.#shapes.get(glob.pattern);
    if (shapes) return shapes;
    shapes = [];
    for (const alternative of globStructure(glob)) {
      const last = alternative.segments.length - 1;
      // The glob first: its witnesses read better ("src/db/a" rather than the literal "src/db/**").
      if (alternative.globbed) {
        shapes.push(
          alternative.segments.flatMap((tokens, i): Item[] => {
            if (tokens !== null) return [this.#segment(tokens)];
            return i === last ? [this.#any, REST] : [REST];
          }),
        );
      }
      shapes.push([...alternative.literal.split('/').map((s) => this.#literalSegment(s)), REST]);
    }
    this.#shapes.set(glob.pattern, shapes);
    return shapes;
  }

  /** A segment both match (match form), or null. */
  #meet(x: Segment, y: Segment): string | null {
    if (x.literal !== null && y.literal !== null) return x.literal === y.literal && validLiteral(x.literal) ? x.literal : null;
    const key = x.id < y.id ? x.id * 0x100000 + y.id : y.id * 0x100000 + x.id;
    const cached = this.#meetings.get(key);
    if (cached !== undefined) return cached;
    let met: string | null;
    if (x.literal !== null) met = validLiteral(x.literal) && stepsMatch(y.steps, x.literal) ? x.literal : null;
    else if (y.literal !== null) met = validLiteral(y.literal) && stepsMatch(x.steps, y.literal) ? y.literal : null;
    else {
      // A `*` that takes at least one byte reads better ("src/a.ts", not "src/.ts"); if none exists, any.
      const [nx, ny] = [nonEmpty(x), nonEmpty(y)];
      met = meetSteps(nx.steps, ny.steps, nx.classes, ny.classes) ?? meetSteps(x.steps, y.steps, (x.classes ??= byteClasses(x.steps)), (y.classes ??= byteClasses(y.steps)));
    }
    this.#meetings.set(key, met);
    return met;
  }

  /**
   * The segments of a path both sequences match, or null. State (i, j): the path's remaining
   * segments must match s[i..] and t[j..]; every move advances i or j, so the search is a DAG.
   * REST against REST only needs one of them to stop: whatever both consume, the longer can take.
   */
  #meetShapes(s: readonly Item[], t: readonly Item[]): string[] | null {
    const memo = new Map<number, string[] | null>();
    const width = t.length + 1;
    const go = (i: number, j: number): string[] | null => {
      const key = i * width + j;
      if (memo.has(key)) return memo.get(key)!;
      let found: string[] | null = null;
      const si = s[i];
      const tj = t[j];
      if (si === undefined && tj === undefined) found = [];
      else if (si === REST) {
        found = go(i + 1, j);
        if (!found && tj !== undefined) found = tj === REST ? go(i, j + 1) : this.#step(this.#any, tj, () => go(i, j + 1));
      } else if (tj === REST) {
        found = go(i, j + 1);
        if (!found && si !== undefined) found = this.#step(si, this.#any, () => go(i + 1, j));
      } else if (si !== undefined && tj !== undefined) {
        found = this.#step(si, tj, () => go(i + 1, j + 1));
      }
      memo.set(key, found);
      return found;
    };
    return go(0, 0);
  }

  #step(x: Segment, y: Segment, rest: () => string[] | null): string[] | null {
    const segment = this.#meet(x, y);
    if (segment === null) return null;
    const tail = rest();
    return tail ? [segment, ...tail] : null;
  }
}

/** A path both globs match, or null (one-off; GlobOverlap caches across many pairs). */
export function globOverlap(a: CompiledGlob, b: CompiledGlob): string | null {
  return new GlobOverlap().witness(a, b);
}
