import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, GlobError, globProblem } from '../../src/core/glob.js';
import { globPatterns } from '../helpers/globs.js';
import { GLOBSTAR, GlobIndex, globMatches, SEGMENT_ANY, SEGMENT_CLASS, SEGMENT_STAR, toMatchForm } from '../../src/core/globIndex.js';
import { globReason } from '../../src/messages/validation.js';

describe('globProblem', () => {
  const rejected: Array<[string, string]> = [
    ['', 'is empty'],
    ['/src', 'is absolute (starts with "/")'],
    ['/', 'is absolute'],
    ['!src/**', 'starts with "!" (negation is not supported)'],
    ['..', 'has a ".." segment'],
    ['src/../x', 'has a ".." segment'],
    ['src/..', 'has a ".." segment'],
    ['.', 'has a "." segment'],
    ['./src', 'has a "." segment'],
    ['src/./x', 'has a "." segment'],
    ['a//b', 'has an empty path segment ("//")'],
    ['src//', 'has an empty path segment'],
    ['a\0b', 'contains a NUL character'],
    ['src/a**', '"**" must be a whole path segment'],
    ['src/q**', 'write "**/*.c" for any depth, "src/a*/**" for everything below'],
    ['**.c', 'has "**" inside the segment "**.c"'],
    ['a/**b/c', '"**" must be a whole path segment'],
    ['a/***/b', '"**" must be a whole path segment'],
    ['***', '"**" must be a whole path segment'],
    ['a\\***', '"**" must be a whole path segment'],
    ['src/[ab', 'has an unclosed "[" in "[ab"'],
    ['[', 'has an unclosed "["'],
    ['[!]', 'has an unclosed "["'],
    ['[]', 'has an unclosed "["'],
    ['[a\\', 'has an unclosed "["'],
    ['x[/]y', 'a class cannot contain "/"'],
    ['[[:foo:]]', 'has an unknown character class "[:foo:]"'],
    ['[[::]]', 'has an unknown character class "[::]"'],
    ['[[:ALPHA:]]', 'unknown character class'],
    ['src\\', 'ends the segment "src\\" with a "\\" that escapes nothing'],
    ['a\\/b', '"/" cannot be escaped'],
    ['{a,/b}', 'brace alternative "/b" is absolute'],
    ['{,a}', 'brace alternative "" is empty'],
    ['src/{a,..}/x', 'brace alternative "src/../x" has a ".." segment'],
    ['{src,!test}', 'brace alternative "!test" starts with "!"'],
    ['x/{a,b}**', 'brace alternative "x/a**" has "**" inside the segment "a**"'],
    ['{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}', 'has more than 256 brace alternatives'],
    ['café/ü**', 'has "**" inside the segment "ü**"'],
  ];
  it.each(rejected)('rejects %j: %s', (pattern, reason) => {
    const problem = globProblem(pattern);
    expect(globReason(problem!)).toContain(reason);
    let thrown: unknown;
    try {
      compileGlob(pattern);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GlobError);
    expect(thrown).toMatchObject({ pattern, problem });
  });

  it('reports problems as data: a code, the part at fault, the brace alternative', () => {
    expect(globProblem('/src')).toEqual({ code: 'absolute' });
    expect(globProblem('src/../x')).toEqual({ code: 'dot-segment', segment: '..' });
    expect(globProblem('src/{a,b}**')).toEqual({ code: 'star-star-in-segment', segment: 'a**', alternative: 'src/a**' });
    expect(globProblem('[[:foo:]]')).toEqual({ code: 'unknown-class', name: 'foo' });
    expect(globProblem('{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}')).toEqual({ code: 'too-many-alternatives', limit: 256 });
  });

  it('compileGlob throws a GlobError whose message is the code and the pattern, not prose', () => {
    expect(() => compileGlob('!x')).toThrow('negation: "!x"');
  });

  const accepted = [
    'src', 'src/', 'src/auth/**', '**', '**/', '**/*.md', 'src/**/z', '*', '.env', '.github/**', '...', 'a../b',
    'src/*/', 'a\\**', 'a\\*\\*', '[]]', '[!]a]', '[^a]', '[a-]', '[[:alpha:][:digit:]]', '[[:]', '[\\]]',
    '{a,b}', '{a}', '{', '}', 'a,b', '}{', 'docs/my file.md', ' lead', 'trail ', 'i18n/日本/*', '#x', 'x!',
    '-a', 'a!b', 'odd/new\nline', 'src/{a,b}/**', '{src,test}/{a,{b,c}}/', '{**/*.snap,docs/}',
  ];
  it.each(accepted)('accepts %j', (pattern) => {
    expect(globProblem(pattern)).toBeNull();
    expect(compileGlob(pattern).pattern).toBe(pattern);
  });
});

/** [pattern, paths it matches, paths it does not match] */
type MatchCase = [string, string[], string[]];

function expectMatches([pattern, yes, no]: MatchCase): void {
  const glob = compileGlob(pattern);
  for (const path of yes) expect(globMatches(glob, path), `${pattern} should match ${JSON.stringify(path)}`).toBe(true);
  for (const path of no) expect(globMatches(glob, path), `${pattern} should not match ${JSON.stringify(path)}`).toBe(false);
}

describe('matching', () => {
  const cases: MatchCase[] = [
    ['*', ['a', '.top', 'a b', 'a\nb'], ['a/b', 'src/.dot']],
    ['src/*', ['src/a', 'src/.dot', 'src/a.ts'], ['src', 'src/a/y', 'srcx/a', 'x/src/a']],
    ['src/*.ts', ['src/a.ts', 'src/.ts'], ['src/a.tsx', 'src/a/b.ts', 'src/a.ts/b']],
    ['src/q?', ['src/q1', 'src/q.'], ['src/q', 'src/q12', 'src/q/']],
    ['**', ['a', '.a', 'a/b/c', 'a b/\n'], []],
    ['**/f', ['f', 'a/f', 'a/b/c/f', '.x/f'], ['af', 'a/f/g', 'a/xf']],
    ['src/**', ['src/a', 'src/a/b/c', 'src/.x'], ['src', 'srcx/a', 'x/src/a']],
    ['src/**/z', ['src/z', 'src/a/z', 'src/a/b/z'], ['src/az', 'src/a/z/w', 'z']],
    ['a/**/b/**/c', ['a/b/c', 'a/x/b/y/z/c'], ['a/c', 'a/bc']],
    ['**/*.snap', ['x.snap', 'a/b/x.snap', 'a/.snap'], ['x.snap/y', 'a/x.snapx']],
    ['[ab]', ['a', 'b', '[ab]', '[ab]/x'], ['c', 'ab', 'a/x']],
    ['[!a]', ['b', '.', '-'], ['a', 'bb']],
    ['[^a]', ['b'], ['a']],
    ['[a-c]x', ['ax', 'bx', 'cx'], ['dx', '-x', 'Ax']],
    ['[]a]', [']', 'a'], ['b', '[']],
    ['[!]a]', ['b'], [']', 'a']],
    ['[a-]', ['a', '-'], ['b']],
    // "z" is a member; the reversed range "z-a" adds nothing.
    ['[z-a]', ['z', '[z-a]'], ['a', 'm', '-']],
    ['[!z-a]', ['a', 'm', '-'], ['z']],
    ['[[:digit:]]', ['0', '9'], ['a']],
    ['[[:upper:]]', ['A', 'Z'], ['a', 'É']],
    ['[[:alpha:]]', ['a', 'Z'], ['é', '1']],
    ['[[:space:]]', [' ', '\t', '\n', '\r'], ['\v', '\f', 'a']],
    ['[[:punct:]]', ['.', '!', '~'], ['a', ' ']],
    ['[[:]', ['[', ':'], ['a']],
    ['[\\]-a]', [']', '^', 'a'], ['b', '\\']],
    ['[Z-\\a]', ['Z', '_', 'a'], ['b', 'Y']],
    ['\\*', ['*', '\\*'], ['a']],
    ['a\\[b]', ['a[b]'], ['ab']],
    ['\\q', ['q', '\\q'], ['\\', 'a']],
    ['a\\**', ['a*', 'a*bc'], ['a', 'ab', 'a*/b']],
    ['Makefile', ['Makefile', 'Makefile/x'], ['makefile', 'MAKEFILE']],
    ['README.*', ['README.md'], ['readme.md', 'Readme.md']],
    ['src/[x]', ['src/x', 'src/[x]', 'src/[x]/deep/y'], ['src/y', 'src/x/deep']],
  ];
  it.each(cases)('%j', (...c) => expectMatches(c));
});

describe('literal paths', () => {
  const cases: MatchCase[] = [
    ['test/auth', ['test/auth', 'test/auth/x', 'test/auth/x/y'], ['test/authz', 'test/auth.ts', 'test', 'x/test/auth']],
    ['src/auth.ts', ['src/auth.ts'], ['src/auth', 'src/auth.tsx']],
    ['.hidden', ['.hidden', '.hidden/x', '.hidden/.y/z'], ['.hiddenx']],
    ['docs/My Notes.md', ['docs/My Notes.md'], ['docs/My', 'docs/My Notes.mdx']],
    ['odd/{x}', ['odd/{x}', 'odd/{x}/y'], ['odd/x']],
    ['a,b', ['a,b'], ['a', 'b']],
  ];
  it.each(cases)('%j', (...c) => expectMatches(c));

  it('compile to their literal alone, with the parent directories as prefix', () => {
    expect(compileGlob('test/auth').alternatives).toEqual([{ literal: 'test/auth', segments: null, prefix: 'test/' }]);
  });
});

describe('trailing slash', () => {
  const cases: MatchCase[] = [
    ['src/auth/', ['src/auth/x', 'src/auth/x/y'], ['src/auth', 'src/authz/x']],
    ['src/*/', ['src/a/x', 'src/a/b/c', 'src/.d/x'], ['src/a', 'src/x.ts']],
    ['**/', ['a', 'a/b'], []],
    ['{src,test}/', ['src/a', 'test/a/b'], ['src', 'lib/a']],
  ];
  it.each(cases)('%j', (...c) => expectMatches(c));

  it('is the same as /**', () => {
    const paths = ['src/a', 'src/a/x', 'src/a/b/c', 'src', 'src/a.ts', 'src/*/**', 'src/*/**/x'];
    const slash = compileGlob('src/*/');
    const stars = compileGlob('src/*/**');
    for (const path of paths) expect(globMatches(slash, path), path).toBe(globMatches(stars, path));
  });
});

describe('brace alternatives', () => {
  const expansions: Array<[string, number]> = [
    ['{a,b}', 2],
    ['{a,{b,c}}', 3],
    ['{a,b}/{c,d}', 4],
    ['x{a,b{c,d}}y', 3],
    ['{a,a}', 1],
    ['{a}', 1],
    ['{a', 1],
    ['a}', 1],
    ['\\{a,b}', 1],
    ['{a\\,b}', 1],
    ['[{]a,b}', 1],
    ['{[,],b}', 2],
    ['x/{,a/}y', 2],
    ['{a{b,c}', 2],
  ];
  it.each(expansions)('%j has %i alternatives', (pattern, count) => {
    expect(compileGlob(pattern).alternatives).toHaveLength(count);
  });

  const cases: MatchCase[] = [
    ['{src,test}/auth', ['src/auth', 'test/auth/x'], ['lib/auth', '{src,test}/auth']],
    ['src/*.{ts,md}', ['src/a.ts', 'src/b.md'], ['src/a.js', 'src/a.{ts,md}']],
    ['{a,{b,c}}', ['a', 'b', 'c/x'], ['d', '{b,c}']],
    ['x{a,b{c,d}}y', ['xay', 'xbcy', 'xbdy'], ['xby', 'xcy']],
    ['x/{,a/}y', ['x/y', 'x/a/y'], ['x/ay', 'x//y']],
    ['\\{a,b}', ['{a,b}'], ['a', 'b']],
    ['[{]a,b}', ['{a,b}'], ['a', 'b']],
    ['{[,],b}', [',', 'b'], ['[', 'a']],
    ['{a{b,c}', ['{ab', '{ac'], ['ab', 'a']],
    ['{**/*.snap,docs/}', ['x.snap', 'a/b.snap', 'docs/a'], ['docs', 'a.snapx']],
    ['i18n/{café,über}', ['i18n/café', 'i18n/über/x'], ['i18n/cafe']],
  ];
  it.each(cases)('%j', (...c) => expectMatches(c));

  it('keeps one prefix per alternative', () => {
    expect(compileGlob('{src/auth,test/**/x}/').alternatives.map((a) => a.prefix)).toEqual(['src/auth/', 'test/']);
  });
});

describe('bytes, not characters (as git)', () => {
  const cases: MatchCase[] = [
    ['caf?', ['cafe'], ['café']],
    ['caf??', ['café'], ['cafe', 'cafée']],
    ['cafe??', ['cafe\u0301'], ['café']],
    ['????', ['🚀', 'abcd'], ['abc', 'a🚀']],
    ['[é]', [], ['é', 'e']],
    ['[é][é]', ['é'], ['éé']],
    ['[é]?', ['é'], ['e', 'ée']],
    ['[!é]?', ['ab'], ['é', 'éa']],
    ['日本/*', ['日本/語.txt'], ['日/語.txt']],
    ['*é*', ['café', 'é'], ['cafe']],
    ['[[:alpha:]]*', ['über'.slice(1)], ['über']],
  ];
  it.each(cases)('%j', (...c) => expectMatches(c));

  it('converts only non-ASCII strings', () => {
    const ascii = 'src/a b\n.ts';
    expect(toMatchForm(ascii)).toBe(ascii);
    expect(toMatchForm('é')).toBe('\u00c3\u00a9');
    expect(toMatchForm('🚀')).toHaveLength(4);
  });

  it('gives prefixes in match form', () => {
    expect(compileGlob('i18n/é/**').alternatives[0]!.prefix).toBe('i18n/\u00c3\u00a9/');
  });
});

describe('spaces and newlines', () => {
  const cases: MatchCase[] = [
    ['docs/* *', ['docs/My Notes.md', 'docs/ x', 'docs/x '], ['docs/MyNotes.md']],
    ['docs/with space/**', ['docs/with space/file name.txt'], ['docs/with/space']],
    ['odd/new\nline.txt', ['odd/new\nline.txt'], ['odd/new', 'odd/newline.txt']],
    ['odd/*', ['odd/new\nline.txt', 'odd/\n'], ['odd/a\n/b']],
    ['odd/new?line*', ['odd/new\nline.txt'], []],
    ['**/x', ['a\n/x', '\n/\n/x'], ['a\nx']],
  ];
  it.each(cases)('%j', (...c) => expectMatches(c));
});

describe('compiled form', () => {
  it('is plain data that survives a JSON round trip', () => {
    const glob = compileGlob('{src/*.ts,docs/}');
    const cached = JSON.parse(JSON.stringify(glob)) as typeof glob;
    expect(cached).toEqual(glob);
    expect(globMatches(cached, 'src/a.ts')).toBe(true);
    expect(globMatches(cached, 'docs/x/y')).toBe(true);
    expect(globMatches(cached, 'src/a/b.ts')).toBe(false);
  });

  it('spells segments as bytes and opcodes: a whole "**", "?", "*" and a class as its member ranges', () => {
    expect(compileGlob('src/**/q?*.[a-cx]/').alternatives).toEqual([
      {
        literal: 'src/**/q?*.[a-cx]/**',
        segments: ['src', GLOBSTAR, `q${SEGMENT_ANY}${SEGMENT_STAR}.${SEGMENT_CLASS}\x02acxx`, GLOBSTAR],
        prefix: 'src/',
      },
    ]);
    // Escapes become plain bytes; a negated class lists what it holds, never NUL or "/".
    const notLower = String.fromCharCode(3, 0x01, 0x2e, 0x30, 0x60, 0x7b, 0xff);
    expect(compileGlob('a\\*[!a-z]').alternatives[0]!.segments).toEqual([`a*${SEGMENT_CLASS}${notLower}`]);
    expect(compileGlob('é?').alternatives[0]!.segments).toEqual([`\u00c3\u00a9${SEGMENT_ANY}`]);
  });

  const prefixes: Array<[string, string]> = [
    ['src/auth/**', 'src/auth/'],
    ['**/*.md', ''],
    ['src/auth', 'src/'],
    ['auth', ''],
    ['src/auth/', 'src/auth/'],
    ['src/*/x', 'src/'],
    ['src/**/x', 'src/'],
    ['a\\*b/c', ''],
    ['src/[ab]/c', 'src/'],
    ['a/b/c/*.ts', 'a/b/c/'],
  ];
  it.each(prefixes)('%j has prefix %j', (pattern, prefix) => {
    expect(compileGlob(pattern).alternatives[0]!.prefix).toBe(prefix);
  });
});

/** Path segments from a small alphabet that includes glob syntax, unicode, spaces and newlines. */
const segment = fc
  .array(fc.constantFrom('a', 'b', 'z', '.', '-', 'é', '日', ' ', '\n', '*', '[', ']', '{', ',', '?', '\\'), {
    minLength: 1,
    maxLength: 4,
  })
  .map((chars) => chars.join(''))
  .filter((s) => s !== '.' && s !== '..');
const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));
/** Segments of literal patterns: no "*?[\", so the pattern is a plain path. */
const literalSegment = segment.filter((s) => !/[*?[\\]/.test(s) && !/[{}]/.test(s) && !s.startsWith('!'));
const literalPath = fc.array(literalSegment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));

const pattern = globPatterns(['a', 'b', 'z', '.', 'é', ' ', '*', '?', '[ab]', '[!a]', '[a-z]', '[[:alpha:]]', '{a,b}', '{,z}', '\\*']);
/** Paths built from the same alphabet as the patterns, so that matches are common. */
const nearPath = fc
  .array(fc.array(fc.constantFrom('a', 'b', 'z', '.', 'é', ' ', '*'), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 })
  .map((segments) => segments.map((s) => s.join('')).filter((s) => s !== '.' && s !== '..'))
  .filter((segments) => segments.length > 0)
  .map((segments) => segments.join('/'));

describe('properties', () => {
  it('a literal pattern matches itself and everything below, not siblings sharing a string prefix', () => {
    fc.assert(
      fc.property(literalPath, path, (literal, below) => {
        const glob = compileGlob(literal);
        expect(globMatches(glob, literal)).toBe(true);
        expect(globMatches(glob, `${literal}/${below}`)).toBe(true);
        expect(globMatches(glob, `${literal}z`)).toBe(false);
        expect(globMatches(glob, `${literal}.ts/${below}`)).toBe(false);
        expect(globMatches(glob, `other/${literal}`)).toBe(false);
      }),
    );
  });

  it('** matches every path', () => {
    const glob = compileGlob('**');
    fc.assert(fc.property(path, (p) => globMatches(glob, p)));
  });

  it('a/* never matches a path with more segments (except below a directory literally named "*", as in git)', () => {
    const glob = compileGlob('a/*');
    const rest = path.filter((p) => p !== '*' && !p.startsWith('*/'));
    fc.assert(fc.property(rest, (r) => !globMatches(glob, `a/${r}/x`)));
  });

  it('every path an alternative matches starts with its prefix', () => {
    fc.assert(
      fc.property(pattern, nearPath, (p, candidate) => {
        const glob = compileGlob(p);
        for (const alternative of glob.alternatives) {
          const subject = toMatchForm(candidate);
          if (globMatches({ pattern: p, alternatives: [alternative] }, candidate)) expect(subject.startsWith(alternative.prefix)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('GlobIndex.match agrees with globMatches on every glob one by one', () => {
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 12 }), fc.array(nearPath, { maxLength: 20 }), (patterns, paths) => {
        const globs = patterns.map(compileGlob);
        const index = new GlobIndex(globs.map((glob, tag) => ({ glob, tag })));
        for (const p of paths) {
          const expected = globs.flatMap((glob, tag) => (globMatches(glob, p) ? [tag] : []));
          expect(index.match(p)).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
