import { describe, expect, it } from 'vitest';
import { compileGlob, type CompiledGlob } from '../../src/core/glob.js';
import { GlobIndex, globMatches, toMatchForm } from '../../src/core/globIndex.js';

function index<T>(entries: Array<[string, T]>): GlobIndex<T> {
  return new GlobIndex(entries.map(([pattern, tag]) => ({ glob: compileGlob(pattern), tag })));
}

describe('GlobIndex', () => {
  it('matches nothing when empty', () => {
    expect(new GlobIndex<string>([]).match('src/a.ts')).toEqual([]);
  });

  it('finds globs in the root bucket and in every directory bucket of the path', () => {
    const idx = index([
      ['**/*.ts', 'any-ts'],
      ['src/**', 'src'],
      ['src/auth/**', 'auth'],
      ['src/auth/deep/x/*.ts', 'deep'],
      ['lib/**', 'lib'],
    ]);
    expect(idx.match('src/auth/deep/x/a.ts')).toEqual(['any-ts', 'src', 'auth', 'deep']);
    expect(idx.match('src/auth/a.js')).toEqual(['src', 'auth']);
    expect(idx.match('a.ts')).toEqual(['any-ts']);
    expect(idx.match('README.md')).toEqual([]);
  });

  it('respects directory boundaries between buckets', () => {
    const idx = index([
      ['src/auth/**', 'auth'],
      ['src/auth', 'literal'],
    ]);
    expect(idx.match('src/authz/x.ts')).toEqual([]);
    expect(idx.match('src/authz')).toEqual([]);
    expect(idx.match('src/auth')).toEqual(['literal']);
    expect(idx.match('src/auth/x')).toEqual(['auth', 'literal']);
  });

  it('still matches root-bucket globs on paths deeper than any prefix', () => {
    const idx = index([
      ['a/**', 'a'],
      ['**/z', 'z'],
    ]);
    expect(idx.match('a/b/c/d/e/f/g/z')).toEqual(['a', 'z']);
    expect(idx.match('b/c/d/e/f/g/z')).toEqual(['z']);
  });

  it('returns tags in entry order, not bucket order', () => {
    const idx = index([
      ['src/auth/deep/**', 'first'],
      ['src/**', 'second'],
      ['**', 'third'],
    ]);
    expect(idx.match('src/auth/deep/x')).toEqual(['first', 'second', 'third']);
  });

  it('returns each tag once, at its first matching entry', () => {
    const idx = index([
      ['docs/**', 'writer'],
      ['src/**', 'reader'],
      ['src/auth/**', 'writer'],
      ['**/*.ts', 'reader'],
    ]);
    expect(idx.match('src/auth/a.ts')).toEqual(['reader', 'writer']);
    expect(idx.match('docs/a.ts')).toEqual(['writer', 'reader']);
  });

  it('keeps duplicate globs with different tags', () => {
    const idx = index([
      ['src/**', 'a'],
      ['src/**', 'b'],
    ]);
    expect(idx.match('src/x')).toEqual(['a', 'b']);
  });

  it('reports an entry once when several of its brace alternatives match', () => {
    const idx = index([['{src,src/a}/**', 'both']]);
    expect(idx.match('src/a/x')).toEqual(['both']);
  });

  it('compares object tags by identity', () => {
    const alice = { name: 'alice' };
    const bob = { name: 'alice' };
    const idx = index([
      ['src/**', alice],
      ['src/**', bob],
      ['**', alice],
    ]);
    const tags = idx.match('src/x');
    expect(tags).toHaveLength(2);
    expect(tags[0]).toBe(alice);
    expect(tags[1]).toBe(bob);
  });

  it('gives independent answers on repeated calls', () => {
    const idx = index([
      ['src/**', 'src'],
      ['*.md', 'md'],
    ]);
    for (let i = 0; i < 3; i++) {
      expect(idx.match('src/a')).toEqual(['src']);
      expect(idx.match('a.md')).toEqual(['md']);
      expect(idx.match('b')).toEqual([]);
    }
  });

  it('matches unicode paths by their UTF-8 bytes', () => {
    const idx = index([
      ['i18n/日本/**', 'jp'],
      ['i18n/caf??.txt', 'two-bytes'],
      ['i18n/caf?.txt', 'one-byte'],
      ['i18n/é', 'literal'],
    ]);
    expect(idx.match('i18n/日本/語.txt')).toEqual(['jp']);
    expect(idx.match('i18n/café.txt')).toEqual(['two-bytes']);
    expect(idx.match('i18n/cafe.txt')).toEqual(['one-byte']);
    expect(idx.match('i18n/é/ü')).toEqual(['literal']);
  });

  it('works from globs read back from a JSON cache', () => {
    const cached = JSON.parse(JSON.stringify(['src/**/*.ts', 'docs/', 'i18n/é*'].map(compileGlob))) as CompiledGlob[];
    const idx = new GlobIndex(cached.map((glob, tag) => ({ glob, tag })));
    expect(idx.match('src/a/b.ts')).toEqual([0]);
    expect(idx.match('docs/x')).toEqual([1]);
    expect(idx.match('i18n/éa')).toEqual([2]);
  });

  it('handles paths with spaces and newlines', () => {
    const idx = index([
      ['docs/with space/**', 'space'],
      ['odd/*', 'odd'],
    ]);
    expect(idx.match('docs/with space/a b.md')).toEqual(['space']);
    expect(idx.match('odd/new\nline')).toEqual(['odd']);
    expect(idx.match('odd/new\n/line')).toEqual([]);
  });
});

describe('globMatches', () => {
  it('answers for a single glob, repeatedly', () => {
    const glob = compileGlob('src/*.ts');
    expect(globMatches(glob, 'src/a.ts')).toBe(true);
    expect(globMatches(glob, 'src/a/b.ts')).toBe(false);
    expect(globMatches(glob, 'src/b.ts')).toBe(true);
  });

  it('matches when any brace alternative matches', () => {
    const glob = compileGlob('{a,b}/x');
    expect(globMatches(glob, 'a/x')).toBe(true);
    expect(globMatches(glob, 'b/x')).toBe(true);
    expect(globMatches(glob, 'c/x')).toBe(false);
  });
});

describe('toMatchForm', () => {
  it('returns ASCII unchanged', () => {
    expect(toMatchForm('src/a b\n.ts')).toBe('src/a b\n.ts');
  });

  it('spells non-ASCII as one char per UTF-8 byte', () => {
    expect(toMatchForm('é')).toBe('\u00c3\u00a9');
    expect(toMatchForm('a/日')).toBe('a/\u00e6\u0097\u00a5');
    expect(toMatchForm('🚀')).toBe('\u00f0\u009f\u009a\u0080');
  });
});
