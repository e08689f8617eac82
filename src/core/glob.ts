/**
 * Claim globs: git's `:(glob)` pathspec semantics plus `{a,b}` alternatives and trailing-slash
 * directories, compiled to plain strings (segment patterns, see SEGMENT_ANY in globIndex.ts) so the
 * hook can cache them as JSON; globIndex.ts matches them without backtracking.
 *
 * The translation ports git's wildmatch (2.39) instead of wrapping minimatch, which differs from git
 * in many small ways that would each need a patch: it matches characters, not bytes (`caf?` matches
 * "café"); its POSIX classes are Unicode-aware and its `[[:space:]]` includes \v and \f; `[z-a]`
 * matches nothing where git's matches "z"; and it lacks git's literal comparison (see
 * GlobAlternative.literal). Nor is it a RegExp: V8's backtracks, and a crafted claim with many `*`
 * or `**` could take a minute on one path. test/integration/glob-oracle.test.ts checks each rule
 * against git itself.
 */
import { GLOBSTAR, SEGMENT_ANY, SEGMENT_CLASS, SEGMENT_STAR, toMatchForm } from './globIndex.js';

/** A compiled glob: one alternative per brace expansion. Serializable (plain strings) so it can be cached as JSON. */
export interface CompiledGlob {
  pattern: string;
  alternatives: GlobAlternative[];
}

export interface GlobAlternative {
  /**
   * The alternative in match form with its trailing slash expanded, for git's literal comparison:
   * git tries every pathspec as a literal path before globbing it, so `src/[x]` also matches a file
   * named `src/[x]` and everything below such a directory.
   */
  literal: string;
  /**
   * The segment patterns in match form, spelled as globIndex.ts reads them (see SEGMENT_ANY there;
   * `**` is GLOBSTAR); null when the pattern has no glob characters, so the literal comparison is
   * its whole meaning (it claims the path and everything below it). The ASCII-case-folded form that
   * case collisions need is derived from them when they are loaded.
   */
  segments: string[] | null;
  /**
   * Literal leading directories of this alternative in match form, '' or ending in '/' (e.g. 'src/auth/'
   * for 'src/auth/**', '' for '**\/*.md'); every path this alternative matches starts with it. Used for indexing.
   */
  prefix: string;
}

/** Brace expansion is exponential; a claim needing more alternatives than this is a mistake. */
const MAX_ALTERNATIVES = 256;

/**
 * Why a pattern is not a claim glob, as data (src/messages/validation.ts words it). `alternative` names
 * the brace expansion at fault when the pattern has several.
 */
export type GlobProblem = (
  | { code: 'empty' | 'nul' | 'negation' | 'absolute' | 'empty-segment' }
  | { code: 'too-many-alternatives'; limit: number }
  /** `segment` as written, e.g. ".." or "a**". */
  | { code: 'dot-segment' | 'trailing-escape' | 'star-star-in-segment' | 'unclosed-class'; segment: string }
  /** `name` in match form, between "[:" and ":]". */
  | { code: 'unknown-class'; name: string }
) & { alternative?: string };

/** Thrown by compileGlob: an invalid pattern here is a caller's bug, since validation calls globProblem first. */
export class GlobError extends Error {
  constructor(
    readonly pattern: string,
    readonly problem: GlobProblem,
  ) {
    // The code and pattern, for a stack trace; people read globReason(problem) instead.
    super(`${problem.code}: ${JSON.stringify(pattern)}`);
    this.name = 'GlobError';
  }
}

/** null when the pattern is a valid claim glob, else why not. */
export function globProblem(pattern: string): GlobProblem | null {
  const compiled = compile(pattern);
  return 'code' in compiled ? compiled : null;
}

/** Throws GlobError on an invalid pattern. */
export function compileGlob(pattern: string): CompiledGlob {
  const compiled = compile(pattern);
  if ('code' in compiled) throw new GlobError(pattern, compiled);
  return compiled;
}

/** The compiled glob, or the problem that rejects the pattern. */
function compile(pattern: string): CompiledGlob | GlobProblem {
  if (pattern === '') return { code: 'empty' };
  if (pattern.includes('\0')) return { code: 'nul' };
  const expansions = expandBraces(pattern);
  if (!expansions) return { code: 'too-many-alternatives', limit: MAX_ALTERNATIVES };
  const alternatives: GlobAlternative[] = [];
  for (const expansion of expansions) {
    const alternative = compileAlternative(expansion);
    if ('code' in alternative) return expansions.length > 1 ? { ...alternative, alternative: expansion } : alternative;
    alternatives.push(alternative);
  }
  return { pattern, alternatives };
}

function compileAlternative(pattern: string): GlobAlternative | GlobProblem {
  if (pattern === '') return { code: 'empty' };
  if (pattern.startsWith('!')) return { code: 'negation' };
  if (pattern.startsWith('/')) return { code: 'absolute' };
  // A trailing slash claims the directory's contents: "src/*/" is "src/*/**".
  const full = pattern.endsWith('/') ? `${pattern}**` : pattern;
  const segments: string[] = [];
  for (const segment of full.split('/')) {
    const tokens = segmentTokens(segment);
    if (tokens !== null && 'code' in tokens) return tokens;
    segments.push(tokens === null ? GLOBSTAR : segmentCode(tokens));
  }
  const literal = toMatchForm(full);
  return { literal, segments: isLiteral(literal) ? null : segments, prefix: literalPrefix(literal.split('/')) };
}

function isLiteral(segment: string): boolean {
  return !/[*?[\\]/.test(segment);
}

/** The leading literal directories: the last segment may name a file, so it never counts. */
function literalPrefix(segments: string[]): string {
  let prefix = '';
  for (const segment of segments.slice(0, -1)) {
    if (!isLiteral(segment)) break;
    prefix += `${segment}/`;
  }
  return prefix;
}

/**
 * One step of a segment, over match-form bytes: a byte, `?` (any byte), `*` (any run of bytes) or a
 * class (its members, see classBytes). The compiled form and the overlap search (globOverlap.ts)
 * both read a segment through segmentTokens, so they cannot disagree on its parsing.
 */
export type SegmentToken =
  | { kind: 'byte'; byte: number }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'class'; parsed: ParsedClass };

/**
 * The tokens of one path segment (null for `**`), or why it is rejected.
 * Works on the segment's match form so that "?" and classes consume single bytes, as in git.
 */
function segmentTokens(segment: string): SegmentToken[] | null | GlobProblem {
  if (segment === '') return { code: 'empty-segment' };
  if (segment === '.' || segment === '..') return { code: 'dot-segment', segment };
  if (segment === '**') return null;
  const s = toMatchForm(segment);
  const tokens: SegmentToken[] = [];
  for (let i = 0; i < s.length; ) {
    const c = s[i] as string;
    if (c === '\\') {
      const escaped = s[i + 1];
      // A trailing escape never matches in git, and one before "/" would escape the separator.
      if (escaped === undefined) return { code: 'trailing-escape', segment };
      tokens.push({ kind: 'byte', byte: escaped.charCodeAt(0) });
      i += 2;
    } else if (c === '*') {
      // git treats "**" inside a segment inconsistently ("src/q**" crosses "/", "**.c" does not).
      if (s[i + 1] === '*') return { code: 'star-star-in-segment', segment };
      tokens.push({ kind: 'star' });
      i++;
    } else if (c === '?') {
      tokens.push({ kind: 'any' });
      i++;
    } else if (c === '[') {
      const parsed = parseClass(s, i);
      if (!parsed) return { code: 'unclosed-class', segment };
      if ('code' in parsed) return parsed;
      tokens.push({ kind: 'class', parsed });
      i = parsed.end;
    } else {
      tokens.push({ kind: 'byte', byte: c.charCodeAt(0) });
      i++;
    }
  }
  return tokens;
}

/** A segment's tokens as its compiled string (see SEGMENT_ANY in globIndex.ts). */
function segmentCode(tokens: SegmentToken[]): string {
  let code = '';
  for (const token of tokens) {
    if (token.kind === 'byte') code += String.fromCharCode(token.byte);
    else if (token.kind === 'star') code += SEGMENT_STAR;
    else if (token.kind === 'any') code += SEGMENT_ANY;
    else code += SEGMENT_CLASS + classRanges(classBytes(token.parsed));
  }
  return code;
}

/** One brace alternative as structure rather than encoded strings (for globOverlap.ts), in the order of CompiledGlob.alternatives. */
export interface AlternativeStructure {
  /** The match form git also compares literally: it matches this path and everything below it (see GlobAlternative.literal). */
  literal: string;
  /** False when the pattern has no glob characters: then the literal comparison is its whole meaning. */
  globbed: boolean;
  /** The segments with the trailing slash expanded; null is `**`. */
  segments: Array<SegmentToken[] | null>;
}

/** The structure of each alternative of a compiled glob, re-parsed from its pattern (a CompiledGlob holds encoded strings only). */
export function globStructure(glob: CompiledGlob): AlternativeStructure[] {
  const expansions = expandBraces(glob.pattern);
  if (!expansions) throw new GlobError(glob.pattern, { code: 'too-many-alternatives', limit: MAX_ALTERNATIVES });
  return expansions.map((expansion) => {
    const full = expansion.endsWith('/') ? `${expansion}**` : expansion;
    const segments = full.split('/').map((segment) => {
      const tokens = segmentTokens(segment);
      if (tokens !== null && 'code' in tokens) throw new GlobError(glob.pattern, tokens);
      return tokens;
    });
    const literal = toMatchForm(full);
    return { literal, globbed: !isLiteral(literal), segments };
  });
}

/** git's ASCII-only ctype (sane_ctype): e.g. its space class has no \v or \f, unlike C's isspace. */
const POSIX_CLASSES: Record<string, Array<[number, number]>> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x01, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0a], [0x0d, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

export interface ParsedClass {
  /** Index just past the closing "]". */
  end: number;
  negated: boolean;
  /** Inclusive char-code ranges; a reversed range (git: matches nothing) is kept and skipped later. */
  ranges: Array<[number, number]>;
}

/**
 * A bracket expression starting at `start`, parsed exactly as git's wildmatch does: a "]" right
 * after "[" or "[!" is a member, "-" is literal first, last or right after a range, "\" escapes
 * (also a range end), and "[:" without a closing ":]" is a plain "[". null when it never closes.
 */
function parseClass(s: string, start: number): ParsedClass | GlobProblem | null {
  let i = start + 1;
  const negated = s[i] === '!' || s[i] === '^';
  if (negated) i++;
  const ranges: Array<[number, number]> = [];
  let previous = 0; // 0: no member a "-" could start a range from
  do {
    const c = s[i];
    if (c === undefined) return null;
    if (c === '\\') {
      const escaped = s[++i];
      if (escaped === undefined) return null;
      previous = escaped.charCodeAt(0);
      ranges.push([previous, previous]);
    } else if (c === '-' && previous !== 0 && s[i + 1] !== undefined && s[i + 1] !== ']') {
      let high = s[++i] as string;
      if (high === '\\') {
        const escaped = s[++i];
        if (escaped === undefined) return null;
        high = escaped;
      }
      ranges.push([previous, high.charCodeAt(0)]);
      previous = 0;
    } else if (c === '[' && s[i + 1] === ':') {
      const close = s.indexOf(']', i + 2);
      if (close === -1) return null;
      if (close - (i + 2) < 1 || s[close - 1] !== ':') {
        previous = 0x5b; // not a "[:name:]": a plain "["
        ranges.push([previous, previous]);
      } else {
        const name = s.slice(i + 2, close - 1);
        const members = POSIX_CLASSES[name];
        if (!members) return { code: 'unknown-class', name };
        ranges.push(...members);
        previous = 0;
        i = close;
      }
    } else {
      previous = c.charCodeAt(0);
      ranges.push([previous, previous]);
    }
    i++;
  } while (s[i] !== ']');
  return { end: i + 1, negated, ranges };
}

/** Index just past the bracket expression at `start`, or -1 when it is not one. */
function classEnd(s: string, start: number): number {
  const parsed = parseClass(s, start);
  return parsed && !('code' in parsed) ? parsed.end : -1;
}

/** Which bytes 1..255 (match form) a class matches; like git, never "/" (and no path holds NUL). */
export function classBytes({ negated, ranges }: ParsedClass): boolean[] {
  const listed = new Array<boolean>(256).fill(false);
  for (const [low, high] of ranges) {
    for (let code = low; code <= high && code < 256; code++) listed[code] = true;
  }
  return listed.map((m, code) => m !== negated && code !== 0 && code !== 0x2f);
}

/** A class's members (see classBytes) as their number of ranges, then each range's first and last byte. */
function classRanges(member: boolean[]): string {
  let ranges = '';
  let count = 0;
  for (let code = 1; code < 256; code++) {
    if (!member[code]) continue;
    const low = code;
    while (code + 1 < 256 && member[code + 1]) code++;
    ranges += String.fromCharCode(low, code);
    count++;
  }
  return String.fromCharCode(count) + ranges;
}

/**
 * The union of `{a,b}` alternatives, expanded like a shell: nested groups expand, a group without a
 * top-level comma and an unmatched brace are literal, and "\" or a bracket expression protects
 * braces and commas. null when there are more than MAX_ALTERNATIVES.
 */
function expandBraces(pattern: string): string[] | null {
  const group = findGroup(pattern);
  if (!group) return [pattern];
  const head = pattern.slice(0, group.open);
  const tails = expandBraces(pattern.slice(group.close + 1));
  if (!tails) return null;
  const expansions = new Set<string>();
  for (const option of group.options) {
    const middles = expandBraces(option);
    if (!middles) return null;
    for (const middle of middles) {
      for (const tail of tails) expansions.add(head + middle + tail);
      if (expansions.size > MAX_ALTERNATIVES) return null;
    }
  }
  return [...expansions];
}

interface BraceGroup {
  open: number;
  close: number;
  options: string[];
}

/** The first brace group that expands (has a matching "}" and a top-level comma). */
function findGroup(s: string): BraceGroup | null {
  for (let i = 0; i < s.length; i = nextToken(s, i)) {
    if (s[i] !== '{') continue;
    const group = closeGroup(s, i);
    if (group) return group;
  }
  return null;
}

function closeGroup(s: string, open: number): BraceGroup | null {
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < s.length; i = nextToken(s, i)) {
    if (s[i] === '{') depth++;
    else if (s[i] === ',' && depth === 1) commas.push(i);
    else if (s[i] === '}' && --depth === 0) {
      if (commas.length === 0) return null;
      const bounds = [open, ...commas, i];
      return { open, close: i, options: bounds.slice(1).map((end, k) => s.slice((bounds[k] as number) + 1, end)) };
    }
  }
  return null;
}

/** Skips an escape pair or a whole bracket expression, so their braces and commas stay literal. */
function nextToken(s: string, i: number): number {
  if (s[i] === '\\') return i + 2;
  if (s[i] === '[') {
    const end = classEnd(s, i);
    if (end !== -1) return end;
  }
  return i + 1;
}
