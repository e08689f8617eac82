import { classBytes, globStructure, type CompiledGlob, type ParsedClass } from '../../src/core/glob.js';
import { foldCase, toMatchForm } from '../../src/core/globIndex.js';

/**
 * The RegExp translation claim globs had before the matcher in globIndex.ts replaced it: the
 * reference the matcher must agree with, and the baseline bench/adversarial.ts times. It backtracks,
 * so keep its inputs small. `fold`: the ASCII-case-folded variant GlobIndex.lookup applies to folded
 * paths. Built from globStructure, so it shares the parser and tests everything after it.
 */
export function referenceRegExps(glob: CompiledGlob, fold = false): RegExp[] {
  return globStructure(glob).map(({ literal, globbed, segments }) => {
    const literalSource = `${escapeLiteral(literal, fold)}(?:/[\\s\\S]*)?`;
    if (!globbed) return new RegExp(`^${literalSource}$`);
    const last = segments.length - 1;
    const pieces = segments.map((tokens, i) => {
      if (tokens === null) return i === last ? '[\\s\\S]*' : '(?:[\\s\\S]*?/)?';
      let source = '';
      for (const token of tokens) {
        if (token.kind === 'byte') source += escapeLiteral(String.fromCharCode(token.byte), fold);
        else if (token.kind === 'star') source += '[^/]*?';
        else if (token.kind === 'any') source += '[^/]';
        else source += classSource(token.parsed, fold);
      }
      return i === last ? source : `${source}/`;
    });
    return new RegExp(`^(?:${literalSource}$|${pieces.join('')}$)`);
  });
}

/** Whether the reference matches `path` (a path, not match form). */
export function referenceMatches(glob: CompiledGlob, path: string): boolean {
  const subject = toMatchForm(path);
  return referenceRegExps(glob).some((re) => re.test(subject));
}

function classSource(parsed: ParsedClass, fold: boolean): string {
  const member = classBytes(parsed);
  if (fold) {
    for (let upper = 0x41; upper <= 0x5a; upper++) {
      member[upper + 0x20] ||= member[upper] as boolean;
      member[upper] = false;
    }
  }
  let source = '';
  for (let code = 1; code < 256; code++) if (member[code]) source += hex(code);
  return source === '' ? '(?!)' : `[${source}]`;
}

function escapeLiteral(literal: string, fold: boolean): string {
  const s = fold ? foldCase(literal) : literal;
  let source = '';
  for (const c of s) source += hex(c.charCodeAt(0));
  return source;
}

function hex(code: number): string {
  return `\\x${code.toString(16).padStart(2, '0')}`;
}
