import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, globProblem } from '../../src/core/glob.js';
import { globPatterns } from '../helpers/globs.js';
import { globMatches, toMatchForm } from '../../src/core/globIndex.js';
import { globOverlap, GlobOverlap } from '../../src/core/globOverlap.js';

const overlap = (a: string, b: string) => globOverlap(compileGlob(a), compileGlob(b));

/** A path git could track: non-empty segments, no "." or "..", no NUL, and it survives UTF-8 both ways. */
function trackable(path: string): boolean {
  return !path.includes('\0') && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..') && !path.includes('\uFFFD');
}

describe('globOverlap: examples', () => {
  const overlapping: Array<[string, string, string?]> = [
    ['src/**', 'src/db/**'],
    ['src/**', 'src/db/x.ts'],
    ['**/*.md', 'docs/'],
    ['src/*/', 'src/auth/**'],
    ['{a,b}/x', 'b/*'],
    ['src/[x]', 'src/\\[x]/y'], // git's literal rule: "src/[x]" is also the directory named so
    ['src/*.ts', 'src/[!z]*'],
    ['**', 'anything/at/all'],
    ['i18n/??', 'i18n/é'], // "?" is a byte: two of them make "é"
    ['a/**/b', 'a/b'], // a middle "**" may take no segment
    ['docs', 'docs/x/y.md'], // a literal claims everything below it
    ['cls/[é]', 'cls/[é]'], // no path has one byte of "é", but the literal name matches both
    ['[[:upper:]]*', 'R*'],
    // git's literal rule makes these overlap: each glob also matches its own spelling and what is below it
    ['src/**', 'src', '"src" claims everything below it'],
    ['[a-c]*', '[!a-c]*', 'the literal name "[a-c]*" starts with "["'],
    ['**/x', '**/y', 'the directory literally named "**/y" may hold x'],
    ['a/**/b/**/c', '**/c/b/d', 'likewise "a/**/b/**/c/b/d"'],
  ];
  it.each(overlapping)('%j and %j overlap, with a witness both match', (a, b) => {
    const witness = overlap(a, b);
    expect(witness).not.toBeNull();
    expect(globMatches(compileGlob(a), witness!)).toBe(true);
    expect(globMatches(compileGlob(b), witness!)).toBe(true);
    expect(overlap(b, a)).not.toBeNull();
  });

  const disjoint: Array<[string, string, string]> = [
    ['src/*.ts', 'src/db/**', '"*" never crosses "/"'],
    ['src/**', '[s]rc', 'a last "**" needs at least one segment: not the file "src"'],
    ['docs', 'docsx', 'a literal is not a string prefix'],
    ['cls/[é]', 'cls/?', 'one byte of a two-byte character is no path'],
    ['a/[.]/b', 'a/?/b', 'a "." segment is no path'],
    ['*.ts', '*.md', 'different suffixes'],
    ['[a-c]?', '[d-f]?', 'disjoint classes'],
    ['src/*/a', 'src/*/b', 'different last segments'],
    ['[[:digit:]]', '[[:alpha:]]', 'disjoint POSIX classes'],
    ['src/{a,b}/**', 'src/c/**', 'no brace alternative meets'],
    ['a/*/c', 'b/*/c', 'different first segments'],
  ];
  it.each(disjoint)('%j and %j do not overlap (%s)', (a, b) => {
    expect(overlap(a, b)).toBeNull();
    expect(overlap(b, a)).toBeNull();
  });

  it('prefers readable witnesses: a "*" takes a letter', () => {
    expect(overlap('src/**', 'src/db/**')).toBe('src/db/a');
    expect(overlap('**/*.md', 'docs/')).toBe('docs/a.md');
  });

  it('finds a witness made of non-ASCII bytes that spell UTF-8', () => {
    const witness = overlap('i18n/[é]?', 'i18n/**');
    expect(witness).not.toBeNull();
    expect(toMatchForm(witness!)).toHaveLength('i18n/'.length + 2);
    expect(globMatches(compileGlob('i18n/[é]?'), witness!)).toBe(true);
  });

  it('example: a path each glob matches', () => {
    const o = new GlobOverlap();
    expect(o.example(compileGlob('src/**/*.ts'))).toBe('src/a.ts');
    expect(o.example(compileGlob('[é]'))).toBe('[é]'); // only its literal name
    // "\." is the segment ".", no path; the pattern still matches its literal spelling.
    expect(o.example(compileGlob('\\./b'))).toBe('\\./b');
  });
});

const pattern = globPatterns(['a', 'b', '.', 'é', '*', '?', '[ab]', '[!a]', '[a-z]', '[[:alpha:]]', '[é]', '{a,b}', '{,b}', '\\*', '\\a']);
const nearPath = fc
  .array(fc.array(fc.constantFrom('a', 'b', 'z', '.', 'é', '*', '?', '[ab]', '\\'), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 })
  .map((segments) => segments.map((s) => s.join('')).filter((s) => s !== '.' && s !== '..'))
  .filter((segments) => segments.length > 0)
  .map((segments) => segments.join('/'));

/** Paths derived from a glob: its example, its literal spelling, and those with a segment below. */
function derived(o: GlobOverlap, p: string, other: string): string[] {
  const example = o.example(compileGlob(p));
  const bases = [p.replace(/\/$/, ''), other.replace(/\/$/, ''), ...(example ? [example] : [])];
  return bases.flatMap((b) => [b, `${b}/a`, `${b}/a/b.md`]).filter(trackable);
}

describe('globOverlap: properties against the matcher', () => {
  it('every witness is a trackable path both globs match; the answer is symmetric', () => {
    fc.assert(
      fc.property(pattern, pattern, (a, b) => {
        const o = new GlobOverlap();
        const [ga, gb] = [compileGlob(a), compileGlob(b)];
        const witness = o.witness(ga, gb);
        expect(witness === null).toBe(o.witness(gb, ga) === null);
        if (witness !== null) {
          expect(trackable(witness), witness).toBe(true);
          expect(globMatches(ga, witness), witness).toBe(true);
          expect(globMatches(gb, witness), witness).toBe(true);
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('a path both globs match means "overlap"; "no overlap" means no derived path matches both', () => {
    let both = 0;
    fc.assert(
      fc.property(pattern, pattern, fc.array(nearPath, { maxLength: 10 }), (a, b, paths) => {
        const o = new GlobOverlap();
        const [ga, gb] = [compileGlob(a), compileGlob(b)];
        const witness = o.witness(ga, gb);
        for (const path of [...paths, ...derived(o, a, b), ...derived(o, b, a)]) {
          if (globMatches(ga, path) && globMatches(gb, path)) {
            both++;
            expect(witness, `${a} ∩ ${b} holds ${JSON.stringify(path)}`).not.toBeNull();
          }
        }
      }),
      { numRuns: 2000, seed: 11 },
    );
    // The generators must reach the interesting case often, or the property says little.
    expect(both).toBeGreaterThan(500);
  });

  it('is exact on a small universe: every path of up to 3 segments over {a, b, ., é} decides it', () => {
    const segments = ['a', 'b', 'é', 'aa', 'ab', 'ba', 'bb', '.a', 'a.', 'aé', 'éa', '..a'];
    const universe: string[] = [];
    for (const x of segments) {
      universe.push(x);
      for (const y of segments) {
        universe.push(`${x}/${y}`);
        for (const z of ['a', 'b', 'é']) universe.push(`${x}/${y}/${z}`);
      }
    }
    const small = fc
      .array(fc.oneof(fc.constant('**'), fc.array(fc.constantFrom('a', 'b', '.', 'é', '*', '?', '[ab]', '[!a]', '[é]'), { minLength: 1, maxLength: 2 }).map((t) => t.join(''))), {
        minLength: 1,
        maxLength: 3,
      })
      .map((s) => s.join('/'))
      .filter((p) => globProblem(p) === null);
    fc.assert(
      fc.property(small, small, (a, b) => {
        const [ga, gb] = [compileGlob(a), compileGlob(b)];
        const shared = universe.find((p) => globMatches(ga, p) && globMatches(gb, p));
        const witness = globOverlap(ga, gb);
        if (shared !== undefined) expect(witness, `${a} ∩ ${b} holds ${shared}`).not.toBeNull();
        if (witness !== null) expect(globMatches(ga, witness) && globMatches(gb, witness)).toBe(true);
      }),
      { numRuns: 400, seed: 3 },
    );
  });
});
