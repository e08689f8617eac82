import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, globProblem, type CompiledGlob } from '../../src/core/glob.js';
import { caseTwin, foldCase, GlobIndex, globMatches, toMatchForm } from '../../src/core/globIndex.js';

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

  it('never throws on a hand-edited compiled form (the cache is local state an agent can write)', () => {
    const code = fc.string({ unit: fc.constantFrom('a', 'A', '/', '\u0000', '\u0005', '\u00ff', '\u0100', '\u0101', '\u0102', '\u0103', '\uffff'), maxLength: 8 });
    fc.assert(
      fc.property(code, fc.array(code, { maxLength: 4 }), fc.string({ maxLength: 8 }), (literal, segments, path) => {
        const glob: CompiledGlob = { pattern: 'x', alternatives: [{ literal, segments, prefix: '' }] };
        expect(typeof globMatches(glob, path)).toBe('boolean');
        expect(new GlobIndex([{ glob, tag: 0 }]).lookup(path).exact.length).toBeLessThanOrEqual(1);
      }),
    );
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

describe('GlobIndex.lookup: matches of a case variant of the path', () => {
  it('reports an entry matched only when ASCII case is ignored as caseOnly, in either direction', () => {
    const idx = index([
      ['src/db/**', 'db'],
      ['src/Auth/**', 'auth'],
      ['**/README.md', 'readme'],
    ]);
    expect(idx.lookup('SRC/db/x.ts')).toEqual({ exact: [], caseOnly: ['db'] });
    expect(idx.lookup('src/DB/x.ts')).toEqual({ exact: [], caseOnly: ['db'] });
    // a lower-case path against an upper-case glob
    expect(idx.lookup('src/auth/x.ts')).toEqual({ exact: [], caseOnly: ['auth'] });
    expect(idx.lookup('src/Auth/x.ts')).toEqual({ exact: ['auth'], caseOnly: [] });
    expect(idx.lookup('docs/readme.md')).toEqual({ exact: [], caseOnly: ['readme'] });
    expect(idx.lookup('src/db/x.ts')).toEqual({ exact: ['db'], caseOnly: [] });
    expect(idx.lookup('src/dbx/x.ts')).toEqual({ exact: [], caseOnly: [] });
  });

  it('keeps a tag out of caseOnly when another of its entries matches exactly', () => {
    const idx = index([
      ['SRC/**', 'bob'],
      ['src/**', 'bob'],
      ['Src/**', 'carol'],
    ]);
    expect(idx.lookup('src/x')).toEqual({ exact: ['bob'], caseOnly: ['carol'] });
  });

  it('folds classes by membership: a letter matches when either of its cases is in the class', () => {
    const idx = index([
      ['x/[!a]', 'not-a'],
      ['x/[A-C]', 'upper-range'],
      ['x/[[:lower:]]', 'lower-class'],
    ]);
    // [!a] holds "A", which "a" is on a case-insensitive file system
    expect(idx.lookup('x/a')).toEqual({ exact: ['lower-class'], caseOnly: ['not-a', 'upper-range'] });
    expect(idx.lookup('x/B')).toEqual({ exact: ['not-a', 'upper-range'], caseOnly: ['lower-class'] });
    expect(idx.lookup('x/d')).toEqual({ exact: ['not-a', 'lower-class'], caseOnly: [] });
  });

  it('folds ASCII only: non-ASCII letters and the UTF-8 bytes of the match form stay apart', () => {
    const idx = index([
      ['docs/über/**', 'umlaut'],
      ['i18n/é*', 'e-acute'],
    ]);
    expect(idx.lookup('docs/Über/x')).toEqual({ exact: [], caseOnly: [] });
    expect(idx.lookup('DOCS/über/x')).toEqual({ exact: [], caseOnly: ['umlaut'] });
    // "é" is C3 A9 and "㩀" is E3 A9 80: RegExp's `i` flag would fold the Latin-1 chars Ã (C3) and ã (E3)
    expect(idx.lookup('i18n/\u3a40')).toEqual({ exact: [], caseOnly: [] });
    expect(idx.lookup('I18N/é')).toEqual({ exact: [], caseOnly: ['e-acute'] });
  });

  /** Every spelling of `path` with its ASCII letters in either case. */
  function caseVariants(path: string): string[] {
    let variants = [''];
    for (const c of path) {
      const spellings = /[A-Za-z]/.test(c) ? [c.toLowerCase(), c.toUpperCase()] : [c];
      variants = variants.flatMap((v) => spellings.map((s) => v + s));
    }
    return variants;
  }

  it('property: caseOnly holds exactly the globs that match some case variant of the path but not the path', () => {
    const token = fc.constantFrom('a', 'B', 'x', 'é', '/', '*', '?', '**', '[aB]', '[!a]', '[A-Z]', '[[:upper:]]', '{a,B}', '\\A', 'X/');
    const pattern = fc.array(token, { minLength: 1, maxLength: 5 }).map((t) => t.join('')).filter((p) => globProblem(p) === null);
    const segment = fc.string({ unit: fc.constantFrom('a', 'A', 'b', 'B', 'x', 'X', 'é', 'É'), minLength: 1, maxLength: 3 });
    const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
    fc.assert(
      fc.property(fc.uniqueArray(pattern, { minLength: 1, maxLength: 4 }), path, (patterns, p) => {
        const globs = patterns.map(compileGlob);
        const idx = new GlobIndex(globs.map((glob, tag) => ({ glob, tag })));
        const variants = caseVariants(p);
        const exact = globs.flatMap((g, tag) => (globMatches(g, p) ? [tag] : []));
        const caseOnly = globs.flatMap((g, tag) => (!globMatches(g, p) && variants.some((v) => globMatches(g, v)) ? [tag] : []));
        expect(idx.lookup(p)).toEqual({ exact, caseOnly });
        expect(idx.match(p)).toEqual(exact);
      }),
      { numRuns: 400 },
    );
  });
});

describe('caseTwin', () => {
  it('names the held path by taking the case of the literal directories', () => {
    expect(caseTwin(compileGlob('src/db/**'), 'SRC/db/x.ts')).toBe('src/db/x.ts');
    expect(caseTwin(compileGlob('{lib,src/db}/**'), 'Src/DB/Ü/x.ts')).toBe('src/db/Ü/x.ts');
  });

  it('is null when the literal directories do not explain the difference', () => {
    expect(caseTwin(compileGlob('src/*.SQL'), 'src/a.sql')).toBeNull();
    expect(caseTwin(compileGlob('**/README.md'), 'docs/readme.md')).toBeNull();
    expect(caseTwin(compileGlob('src/db/**'), 'src/db/x')).toBeNull();
  });
});

describe('foldCase', () => {
  it('lowers ASCII letters and leaves the chars standing for UTF-8 bytes alone', () => {
    expect(foldCase('SRC/Db/x.TS')).toBe('src/db/x.ts');
    // Ü and É are C3 9C and C3 89: String#toLowerCase would turn the Latin-1 Ã (C3) into ã (E3)
    expect(foldCase(toMatchForm('Über/É'))).toBe(toMatchForm('Über/É'));
    expect(foldCase(toMatchForm('Ab/É'))).toBe(`ab/${toMatchForm('É')}`);
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
