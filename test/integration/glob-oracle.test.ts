// git is the oracle: every claim glob must select exactly the files `git ls-files -- ':(glob)<p>'`
// selects, brace alternatives being the union of their (hand-listed) expansions and a trailing-slash
// alternative P/ being `P/**`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGlob, globProblem, type CompiledGlob } from '../../src/core/glob.js';
import { GlobIndex, globMatches } from '../../src/core/globIndex.js';
import { GlobOverlap } from '../../src/core/globOverlap.js';

const FILES = [
  // case, dotfiles and dot-directories at the root
  'README.md', 'Readme.md', 'readme.md', '.top', '.env', '.hidden/x.txt', '.hidden/.deep/y',
  'Makefile', 'f', 'a', 'b', 'ab', 'abc', 'x.c', 'lib.ts', 'lib/x', 'libx/y', 'other/f/g',
  // src: a directory "auth" next to files sharing its name as a prefix
  'src/index.ts', 'src/auth/login.ts', 'src/auth/token.ts', 'src/auth/deep/a/b/c/d.ts', 'src/authz.ts',
  'src/auth.md', 'src/authz/x.ts', 'src/.dot', 'src/.config/settings.json', 'src/a/y', 'src/a/b/z', 'src/z',
  'src/Z', 'src/q1', 'src/q22', 'src/util/strings.ts', 'src/util/strings.test.ts',
  'src/util/__snapshots__/strings.test.ts.snap', 'src/f',
  'test/auth/x/y', 'test/auth.ts', 'test/authentication/a.ts', 'test/unit/f', 'test/f.snap',
  // spaces
  'docs/guide.md', 'docs/api/index.md', 'docs/api/v2/endpoints.md', 'docs/My Notes.md',
  'docs/with space/file name.txt', 'docs/ lead', 'docs/trail ',
  // unicode (NFC and NFD café differ in bytes)
  'i18n/café.txt', 'i18n/cafe.txt', 'i18n/cafe\u0301.txt', 'i18n/Café.txt', 'i18n/über/grüße.md',
  'i18n/日本/語.txt', 'i18n/emoji/🚀.md', 'i18n/emoji/a🚀b.md', 'i18n/ü',
  // odd characters, including glob syntax in names
  'odd/new\nline.txt', 'odd/tab\tname', 'odd/[ab]', 'odd/[ab]x/inner.txt', 'odd/a', 'odd/b', 'odd/]x',
  'odd/{x,y}', 'odd/{x}', 'odd/x', 'odd/y', 'odd/a*b', 'odd/q?', 'odd/#hash', 'odd/!bang', 'odd/@at',
  'odd/plus+plus', 'odd/com,ma', 'odd/back\\slash', 'odd/-dash', 'odd/^caret', 'odd/$dollar',
  'odd/(paren)', 'odd/.dotx', 'odd/x.c', 'odd/star*', 'odd/src/**/x',
  // one-character names for class semantics ("\v" and "\f" are not [[:space:]] in git)
  'cls/a', 'cls/B', 'cls/7', 'cls/_', 'cls/-', 'cls/]', 'cls/!', 'cls/^', 'cls/ ', 'cls/\t', 'cls/\v',
  'cls/\f', 'cls/\\', 'cls/[', 'cls/é', 'cls/:', 'cls/~', 'cls/.x', 'cls/z', 'cls/m',
  // depth
  'm/b/c/d/e/f.txt', 'm/b/c/d/g.md', 'm/x.snap', 'm/b/x.snap', 'deep/1/2/3/4/5/leaf.ts',
];

interface Case {
  pattern: string;
  /** The brace expansions, listed by hand so the oracle does not depend on the code under test. */
  alts?: string[];
  /** git's own answer, asserted to keep the fixture honest. */
  expect?: string[];
  note?: string;
}

const CASES: Case[] = [
  // wildcards
  { pattern: '*', note: '* matches root files and dotfiles, never "/"' },
  { pattern: 'src/*', note: 'a wildcard matching a directory does not claim below it' },
  { pattern: 'src/*.ts', expect: ['src/authz.ts', 'src/index.ts'] },
  { pattern: '*.md', expect: ['README.md', 'Readme.md', 'readme.md'] },
  { pattern: '*/*.ts' },
  { pattern: 'src/q?', expect: ['src/q1'] },
  { pattern: 'src/q??', expect: ['src/q22'] },
  { pattern: '?' },
  { pattern: 'a?' },
  { pattern: 'src/a*' },
  { pattern: '*/auth*' },
  { pattern: 'src/*/' , note: 'trailing slash: everything below each directory' },
  { pattern: 'src/*/*' },
  { pattern: '.*' },
  { pattern: 'src/.*', note: 'not below the dot-directory src/.config', expect: ['src/.dot'] },
  { pattern: '*/.*' },
  { pattern: 'odd/.*' },
  { pattern: '*.c', expect: ['x.c'] },
  { pattern: 'docs/* *' },
  { pattern: 'docs/*/file name.txt', expect: ['docs/with space/file name.txt'] },
  { pattern: 'docs/ *' },
  { pattern: 'docs/* ' },
  // globstar
  { pattern: '**', note: 'every file' },
  { pattern: '**/f', note: 'not below the directory other/f', expect: ['f', 'src/f', 'test/unit/f'] },
  { pattern: '**/*.snap', expect: ['m/b/x.snap', 'm/x.snap', 'src/util/__snapshots__/strings.test.ts.snap', 'test/f.snap'] },
  { pattern: 'src/**', note: 'not a file named src' },
  { pattern: 'src/**/z', expect: ['src/a/b/z', 'src/z'] },
  { pattern: 'src/**/*.ts' },
  { pattern: '**/auth/**' },
  { pattern: '**/b/**/*.md' },
  { pattern: 'm/**/f.txt' },
  { pattern: '**/**/f' },
  { pattern: '**/.*' },
  { pattern: '**/deep/**' },
  { pattern: '**/' , note: 'trailing slash after **' },
  { pattern: 'deep/**/leaf.ts', expect: ['deep/1/2/3/4/5/leaf.ts'] },
  // many stars: each piece between two stars at its leftmost place, in a name and across names
  { pattern: '**/a/**/c/**/*.ts', expect: ['src/auth/deep/a/b/c/d.ts'] },
  { pattern: '**/a/**/b/**', note: 'a trailing ** takes one name or more' },
  { pattern: '*/*a*t*h*' },
  { pattern: '**/*.*.*' },
  { pattern: 'src/*u*t*/**/*.ts' },
  { pattern: '**/*e*/**/*e*/*' },
  // classes
  { pattern: '[ab]', expect: ['a', 'b'] },
  { pattern: 'odd/[ab]', note: 'git also matches the literal name "odd/[ab]"', expect: ['odd/[ab]', 'odd/a', 'odd/b'] },
  { pattern: 'odd/[ab]x', expect: ['odd/[ab]x/inner.txt'] },
  { pattern: 'cls/[a-z]' },
  { pattern: 'cls/[!a]' },
  { pattern: 'cls/[^a]' },
  { pattern: 'cls/[[:digit:]]', expect: ['cls/7'] },
  { pattern: 'cls/[[:upper:]]', expect: ['cls/B'] },
  { pattern: 'cls/[[:space:]]', note: 'no \\v or \\f', expect: ['cls/\t', 'cls/ '] },
  { pattern: 'cls/[[:punct:]]' },
  { pattern: 'cls/[[:alnum:]_]' },
  { pattern: 'cls/[[:cntrl:]]' },
  { pattern: 'cls/[[:graph:]]' },
  { pattern: 'cls/[[:print:]]' },
  { pattern: 'cls/[[:blank:]]' },
  { pattern: 'cls/[[:xdigit:]]' },
  { pattern: 'cls/[[:lower:][:digit:]]' },
  { pattern: 'cls/[[:punct:]]x', expect: ['cls/.x'] },
  { pattern: 'cls/[]]', expect: ['cls/]'] },
  { pattern: 'cls/[]a]' },
  { pattern: 'cls/[!]a]' },
  { pattern: 'cls/[a-]' },
  { pattern: 'cls/[-a]' },
  { pattern: 'cls/[!-]' },
  { pattern: 'cls/[\\]]' },
  { pattern: 'cls/[\\\\]', expect: ['cls/\\'] },
  { pattern: 'cls/[Z-\\a]', note: 'escaped range end: Z..a' },
  { pattern: 'cls/[z-a]', note: 'member "z"; the reversed range adds nothing', expect: ['cls/z'] },
  { pattern: 'cls/[!z-a]' },
  { pattern: 'cls/[[]' },
  { pattern: 'cls/[[:]' },
  { pattern: 'cls/[[:a]', note: 'not a class name: members "[", ":", "a"' },
  { pattern: 'cls/[a-c-e]' },
  { pattern: 'cls/[!é]', note: 'bytes: two-byte "é" is never one non-é byte' },
  { pattern: 'cls/[é]' },
  { pattern: 'cls/??', expect: ['cls/.x', 'cls/é'] },
  { pattern: 'i18n/caf[!e].txt' },
  // escapes and glob syntax in names
  { pattern: 'odd/a\\*b', expect: ['odd/a*b'] },
  { pattern: 'odd/\\[ab]', expect: ['odd/[ab]'] },
  { pattern: 'odd/q\\?', expect: ['odd/q?'] },
  { pattern: 'odd/star\\*', expect: ['odd/star*'] },
  { pattern: 'odd/back\\\\slash', expect: ['odd/back\\slash'] },
  { pattern: 'odd/\\x', expect: ['odd/x'] },
  { pattern: 'odd/src/**/x', note: 'literal name "odd/src/**/x" plus the glob' },
  { pattern: 'odd/*star*' },
  // literals: the path itself and everything below it
  { pattern: 'src/auth', expect: ['src/auth/deep/a/b/c/d.ts', 'src/auth/login.ts', 'src/auth/token.ts'] },
  { pattern: 'src/auth/', expect: ['src/auth/deep/a/b/c/d.ts', 'src/auth/login.ts', 'src/auth/token.ts'] },
  { pattern: 'test/auth', expect: ['test/auth/x/y'] },
  { pattern: 'test/auth.ts', expect: ['test/auth.ts'] },
  { pattern: 'lib', expect: ['lib/x'] },
  { pattern: 'src/authz.ts' },
  { pattern: 'Readme.md', expect: ['Readme.md'] },
  { pattern: '.hidden', expect: ['.hidden/.deep/y', '.hidden/x.txt'] },
  { pattern: '.hidden/' },
  { pattern: 'docs/with space', expect: ['docs/with space/file name.txt'] },
  { pattern: 'docs/ lead' },
  { pattern: 'odd/new\nline.txt', expect: ['odd/new\nline.txt'] },
  { pattern: 'odd/{x}', note: 'no comma: literal braces', expect: ['odd/{x}'] },
  { pattern: 'odd/#hash' },
  { pattern: 'odd/!bang' },
  { pattern: 'odd/com,ma' },
  { pattern: 'm/b/c' },
  { pattern: 'nonexistent', expect: [] },
  // case sensitivity
  { pattern: 'readme.md', expect: ['readme.md'] },
  { pattern: 'README.*', expect: ['README.md'] },
  { pattern: 'src/[Z]', expect: ['src/Z'] },
  // unicode: git matches bytes
  { pattern: 'i18n/caf?.txt', expect: ['i18n/cafe.txt'] },
  { pattern: 'i18n/caf??.txt', expect: ['i18n/café.txt'] },
  { pattern: 'i18n/cafe??.txt', note: 'NFD: e + U+0301 (two bytes)', expect: ['i18n/cafe\u0301.txt'] },
  { pattern: 'i18n/*é*' },
  { pattern: 'i18n/?' },
  { pattern: 'i18n/??', expect: ['i18n/ü'] },
  { pattern: 'i18n/über' },
  { pattern: 'i18n/日本/*' },
  { pattern: 'i18n/emoji/????.md', expect: ['i18n/emoji/🚀.md'] },
  { pattern: 'i18n/emoji/a*b.md' },
  { pattern: 'i18n/[Cc]afé.txt', expect: ['i18n/Café.txt', 'i18n/café.txt'] },
  // brace alternatives
  { pattern: '{src,test}/auth', alts: ['src/auth', 'test/auth'] },
  { pattern: 'src/*.{ts,md}', alts: ['src/*.ts', 'src/*.md'], expect: ['src/auth.md', 'src/authz.ts', 'src/index.ts'] },
  { pattern: '{a,{b,c}}', alts: ['a', 'b', 'c'] },
  { pattern: 'src/{auth,util}/', alts: ['src/auth/', 'src/util/'] },
  { pattern: '{**/*.snap,docs/**}', alts: ['**/*.snap', 'docs/**'] },
  { pattern: 'src/{,a/}z', alts: ['src/z', 'src/a/z'] },
  { pattern: 'i18n/{café,über}', alts: ['i18n/café', 'i18n/über'] },
  { pattern: 'odd/[{]x,y}', note: 'braces inside a class are members', alts: ['odd/[{]x,y}'] },
  { pattern: 'odd/\\{x,y}', note: 'an escaped brace opens no group', alts: ['odd/\\{x,y}'], expect: ['odd/{x,y}'] },
  { pattern: 'src/{a,auth}/**/{y,*.ts}', alts: ['src/a/**/y', 'src/a/**/*.ts', 'src/auth/**/y', 'src/auth/**/*.ts'] },
];

let repo: string;
let env: NodeJS.ProcessEnv;

function git(args: string[]): Buffer {
  return execFileSync('git', args, { cwd: repo, env, maxBuffer: 1 << 24 });
}

function lsFiles(pathspec?: string): string[] {
  const out = git(['ls-files', '-z', ...(pathspec === undefined ? [] : ['--', pathspec])]).toString('utf8');
  return out.split('\0').filter((p) => p !== '').sort();
}

/** git's answer for one brace alternative; P/ is queried as P/** (git itself matches nothing for P/). */
function gitMatches(alternative: string): string[] {
  return lsFiles(`:(glob)${alternative.endsWith('/') ? `${alternative}**` : alternative}`);
}

function oracle(alternatives: string[]): string[] {
  return [...new Set(alternatives.flatMap(gitMatches))].sort();
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'git-swarm-glob-'));
  // No GIT_DIR, GIT_INDEX_FILE, ... from a surrounding hook, and no user or system config.
  env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GIT_')));
  Object.assign(env, { HOME: repo, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' });
  git(['init', '-q']);
  git(['config', 'user.name', 'glob oracle']);
  git(['config', 'user.email', 'oracle@example.invalid']);
  for (const file of FILES) {
    mkdirSync(join(repo, dirname(file)), { recursive: true });
    writeFileSync(join(repo, file), file);
  }
  git(['add', '-A']);
});

afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
});

function ours(glob: CompiledGlob): string[] {
  return FILES.filter((f) => globMatches(glob, f)).sort();
}

describe('fixture', () => {
  it('git lists exactly the created files', () => {
    expect(lsFiles()).toEqual([...FILES].sort());
  });

  it('has a unique, sizeable corpus', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CASES.map((c) => c.pattern)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(80);
  });
});

describe('claim globs agree with git ls-files', () => {
  it.each(CASES.map((c) => [c.note ? `${JSON.stringify(c.pattern)} (${c.note})` : JSON.stringify(c.pattern), c] as const))(
    '%s',
    (_, c) => {
      expect(globProblem(c.pattern)).toBeNull();
      const expected = oracle(c.alts ?? [c.pattern]);
      if (c.expect) expect(expected).toEqual([...c.expect].sort());
      expect(ours(compileGlob(c.pattern))).toEqual(expected);
    },
  );

  it('a GlobIndex over the whole corpus gives every file the patterns git gives it', () => {
    const index = new GlobIndex(CASES.map((c) => ({ glob: compileGlob(c.pattern), tag: c.pattern })));
    const expected = new Map<string, string[]>(FILES.map((f) => [f, []]));
    for (const c of CASES) for (const f of oracle(c.alts ?? [c.pattern])) expected.get(f)!.push(c.pattern);
    for (const f of FILES) expect(index.match(f), JSON.stringify(f)).toEqual(expected.get(f));
  });

  it('the oracle is not trivially empty', () => {
    const nonEmpty = CASES.filter((c) => oracle(c.alts ?? [c.pattern]).length > 0);
    expect(nonEmpty.length).toBeGreaterThan(CASES.length * 0.8);
  });
});

describe('glob overlap agrees with git ls-files', () => {
  it('every pair of corpus patterns that git matches a common file with overlaps, with a witness both match', () => {
    const overlap = new GlobOverlap();
    const selected = CASES.map((c) => ({ pattern: c.pattern, glob: compileGlob(c.pattern), files: new Set(oracle(c.alts ?? [c.pattern])) }));
    let common = 0;
    for (let i = 0; i < selected.length; i++) {
      for (let j = i; j < selected.length; j++) {
        const [x, y] = [selected[i]!, selected[j]!];
        const shared = [...x.files].find((f) => y.files.has(f));
        const witness = overlap.witness(x.glob, y.glob);
        if (shared !== undefined) {
          common++;
          expect(witness, `${x.pattern} ∩ ${y.pattern} holds ${JSON.stringify(shared)} for git`).not.toBeNull();
        }
        if (witness !== null) expect(globMatches(x.glob, witness) && globMatches(y.glob, witness), `${x.pattern} ∩ ${y.pattern}: ${witness}`).toBe(true);
      }
    }
    expect(common).toBeGreaterThan(500);
  });
});

describe('random brace-free patterns agree with git ls-files', () => {
  const token = fc.constantFrom(
    '*', '?', 'a', 'b', 'x', 'src', 'auth', 'odd', 'cls', 'i18n', '.', 't', 's', 'é', 'caf', '.txt', '.ts',
    '[ab]', '[!a]', '[a-z]', '[[:upper:]]', '[]x]', '\\*', '\\[', ' ', '{x}', 'f',
  );
  const segment = fc.oneof(
    { arbitrary: fc.array(token, { minLength: 1, maxLength: 3 }).map((t) => t.join('')), weight: 5 },
    { arbitrary: fc.constant('**'), weight: 1 },
  );
  const pattern = fc
    .tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([segments, slash]) => segments.join('/') + (slash ? '/' : ''))
    .filter((p) => globProblem(p) === null);

  it('on the fixture', () => {
    fc.assert(
      fc.property(pattern, (p) => {
        expect(ours(compileGlob(p))).toEqual(oracle([p]));
      }),
      { numRuns: 150, seed: 20240501 },
    );
  });
});
