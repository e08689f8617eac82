import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, type CompiledGlob } from '../../src/core/glob.js';
import { countMatchSteps, foldCase, GlobIndex, globMatches, toMatchForm } from '../../src/core/globIndex.js';
import { referenceMatches, referenceRegExps } from '../helpers/globRegExp.js';
import { globPatterns } from '../helpers/globs.js';

/**
 * The matcher's work on one path: at most a constant times the path's length times the pattern's,
 * for each brace alternative (`literal` is an alternative's pattern in match form).
 */
function bound(glob: CompiledGlob, path: string): number {
  return 4 * (toMatchForm(path).length + 2) * glob.alternatives.reduce((n, a) => n + a.literal.length + 2, 0);
}

function steps(glob: CompiledGlob, path: string): { result: boolean; steps: number } {
  return countMatchSteps(() => globMatches(glob, path));
}

const a = (n: number) => 'a'.repeat(n);

/**
 * Pairs that made the RegExp translation backtrack for about a minute within the path limits
 * (4,096 bytes, names of 255): [pattern, path of a given size, whether it matches]. Each family
 * also has a matching path, so the search cannot stop at a cheap mismatch at the end.
 */
const CRAFTED: Array<[string, (n: number) => string, boolean]> = [
  ['src/*a*a*a*a*b/**', (n) => `src/${a(n)}/x`, false],
  ['src/*a*a*a*a*b/**', (n) => `src/${a(n - 1)}b/x`, true],
  ['**/a/**/a/**/a/**/b', (n) => `${'a/'.repeat(n)}c`, false],
  ['**/a/**/a/**/a/**/b', (n) => `${'a/'.repeat(n)}b`, true],
  // the middle pieces fail late at every place the leftmost search tries
  ['*aaaaaaab*', (n) => a(n), false],
  ['**/a/a/a/a/b/**', (n) => `${'a/'.repeat(n)}c`, false],
  ['**/*a*a*a*b*/**/*a*a*b', (n) => `${a(n)}/`.repeat(4) + a(n), false],
  ['{**/a,**/b}/**/a/**/c', (n) => `${'a/'.repeat(n)}a`, false],
  ['*?*?*?*?*?*?b', (n) => a(n), false],
  ['[a]*[!b]*[[:alpha:]]*?*b', (n) => a(n), false],
  ['**/[a]*[a]*[a]*', (n) => `${'b/'.repeat(n)}${a(n)}`, true],
];

describe('the matcher does bounded work, whatever the pattern', () => {
  it.each(CRAFTED)('%j: within |path| × |pattern| at the size limits, and linear in the path', (pattern, path, matches) => {
    const glob = compileGlob(pattern);
    // the largest size within the limits: names of at most 255 bytes, a path of at most 4,096
    const fits = (q: string) => q.length <= 4096 && q.split('/').every((name) => name.length <= 255);
    let n = 8;
    while (fits(path(n + 1))) n++;
    const large = steps(glob, path(n));
    expect(large.result).toBe(matches);
    expect(large.steps).toBeLessThanOrEqual(bound(glob, path(n)));
    // the same shape at a size the reference RegExp still finishes, with the same answer
    expect(steps(glob, path(8)).result).toBe(referenceMatches(glob, path(8)));
    // doubling the path at most doubles the work (plus a constant): no hidden power of the path
    const half = Math.floor(n / 2);
    expect(large.steps).toBeLessThanOrEqual(2.2 * steps(glob, path(half)).steps + 100);
  });

  it('a GlobIndex over crafted claims stays within the sum of their bounds', () => {
    const globs = [...new Set(CRAFTED.map(([pattern]) => pattern))].map(compileGlob);
    const index = new GlobIndex(globs.map((glob, tag) => ({ glob, tag })));
    for (const path of [`${'a/'.repeat(1000)}c`, `src/${a(255)}/x`, `SRC/${'A'.repeat(254)}B/x`]) {
      const { result, steps: work } = countMatchSteps(() => index.lookup(path));
      expect(result.exact).toEqual(globs.flatMap((glob, tag) => (globMatches(glob, path) ? [tag] : [])));
      // the exact pass after a folded hit costs as much again at most
      expect(work).toBeLessThanOrEqual(2 * globs.reduce((n, glob) => n + bound(glob, path), 0));
    }
  });

  it('property: random patterns of stars, "**" and classes against long paths of few letters', () => {
    const pattern = globPatterns(['a', 'b', '*', '?', '[ab]', '[!b]', 'aa', '*a*', '{a,*b}']);
    const name = fc.oneof(
      fc.stringMatching(/^[ab]{1,6}$/),
      fc.integer({ min: 1, max: 255 }).map((n) => a(n)),
      fc.integer({ min: 1, max: 200 }).map((n) => `${a(n)}b`),
    );
    const path = fc.array(name, { minLength: 1, maxLength: 40 }).map((names) => names.join('/'));
    fc.assert(
      fc.property(pattern, path, (p, q) => {
        const glob = compileGlob(p);
        expect(steps(glob, q).steps).toBeLessThanOrEqual(bound(glob, q));
      }),
      { numRuns: 1000 },
    );
  });
});

/** Segments over a small alphabet, with glob syntax, bytes of non-ASCII characters, upper case, and "." names. */
const segment = fc
  .array(fc.constantFrom('a', 'b', 'A', 'z', '.', '-', 'é', ' ', '\n', '*', '[', ']', '?', '\\'), { maxLength: 5 })
  .map((chars) => chars.join(''));
/** Any string of such segments: empty segments and leading or trailing "/" included, where the RegExp answered too. */
const anyPath = fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => s.join('/'));
const pattern = globPatterns([
  'a', 'b', 'A', 'z', '.', 'é', ' ', '*', '?', '[ab]', '[!a]', '[a-z]', '[A-Z]', '[[:alpha:]]', '[[:upper:]]', '[]a]', '[é]',
  '{a,b}', '{,z}', '\\*', '\\[', '*a*', '**',
]);

describe('the matcher agrees with the RegExp translation it replaced', () => {
  it('property: globMatches is the reference RegExp on random patterns and paths', () => {
    fc.assert(
      fc.property(pattern, fc.array(anyPath, { minLength: 1, maxLength: 10 }), (p, paths) => {
        const glob = compileGlob(p);
        for (const q of paths) expect(globMatches(glob, q), `${p} on ${JSON.stringify(q)}`).toBe(referenceMatches(glob, q));
      }),
      { numRuns: 1500 },
    );
  });

  it('property: GlobIndex.lookup is the reference, exact and ASCII-case-folded, glob by glob', () => {
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 8 }), fc.array(anyPath, { minLength: 1, maxLength: 10 }), (patterns, paths) => {
        const globs = patterns.map(compileGlob);
        const index = new GlobIndex(globs.map((glob, tag) => ({ glob, tag })));
        const exactRe = globs.map((g) => referenceRegExps(g));
        const foldedRe = globs.map((g) => referenceRegExps(g, true));
        for (const q of paths) {
          const subject = toMatchForm(q);
          const exact = globs.flatMap((_, tag) => (exactRe[tag]!.some((re) => re.test(subject)) ? [tag] : []));
          const folded = globs.flatMap((_, tag) => (foldedRe[tag]!.some((re) => re.test(foldCase(subject))) ? [tag] : []));
          expect(index.lookup(q), `${patterns.join(' ')} on ${JSON.stringify(q)}`).toEqual({ exact, caseOnly: folded.filter((t) => !exact.includes(t)) });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('agrees on the crafted families at sizes the RegExp still finishes', () => {
    for (const [p, path] of CRAFTED) {
      const glob = compileGlob(p);
      for (let n = 1; n <= 12; n++) expect(globMatches(glob, path(n)), `${p} on ${path(n)}`).toBe(referenceMatches(glob, path(n)));
    }
  });
});
