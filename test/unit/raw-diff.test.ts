import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isRawMeta, parseRawChanges, rawStatus } from '../../src/git/rawDiff.js';
import { splitZ } from '../../src/git/run.js';
import { cleanEnv } from '../helpers/repo.js';

const Z40 = '0'.repeat(40);
const OID_A = 'a'.repeat(40);
const OID_B = 'b'.repeat(40);
const OID_C = 'c'.repeat(40);
const OID_D = 'd'.repeat(40);

/** A non-merge `--raw` header as git prints it. */
const raw = (srcMode: string, dstMode: string, status: string, src = OID_A, dst = OID_B) => `:${srcMode} ${dstMode} ${src} ${dst} ${status}`;

describe('rawStatus: plain (two-sided) headers', () => {
  it('added, modified, deleted and type-changed entries', () => {
    expect(rawStatus(raw('000000', '100644', 'A', Z40, OID_B))).toBe('A');
    expect(rawStatus(raw('100644', '100644', 'M'))).toBe('M');
    expect(rawStatus(raw('100644', '000000', 'D', OID_A, Z40))).toBe('D');
    expect(rawStatus(raw('100644', '120000', 'T'))).toBe('T');
  });

  it('a mode-only change (chmod +x) is a modification', () => {
    expect(rawStatus(raw('100644', '100755', 'M', OID_A, OID_A))).toBe('M');
  });

  it('symlinks and submodules (gitlinks) are ordinary entries', () => {
    expect(rawStatus(raw('000000', '120000', 'A', Z40))).toBe('A');
    expect(rawStatus(raw('160000', '160000', 'M'))).toBe('M');
    expect(rawStatus(raw('160000', '000000', 'D', OID_A, Z40))).toBe('D');
    expect(rawStatus(raw('100644', '160000', 'T'))).toBe('T');
  });

  it('other letters (unmerged, unknown, scored renames or copies) count as modifications', () => {
    expect(rawStatus(raw('100644', '100644', 'U'))).toBe('M');
    expect(rawStatus(raw('100644', '100644', 'X'))).toBe('M');
    expect(rawStatus(raw('100644', '100644', 'R100'))).toBe('M');
    expect(rawStatus(raw('100644', '100644', 'C075'))).toBe('M');
  });

  it('accepts the leading newline git log -z puts before the first header of a commit', () => {
    expect(rawStatus(`\n${raw('100644', '100644', 'M')}`)).toBe('M');
    expect(rawStatus(`\n${raw('000000', '100644', 'A', Z40)}`)).toBe('A');
    expect(rawStatus(`\n${raw('100644', '000000', 'D', OID_A, Z40)}`)).toBe('D');
  });

  it('accepts abbreviated object names', () => {
    expect(rawStatus(':100644 000000 abc1234 0000000 D')).toBe('D');
    expect(rawStatus(':000000 100644 0000000 abc1234 A')).toBe('A');
  });
});

describe('rawStatus: combined (-c) headers of merges', () => {
  /** `::mode1 mode2 result oid1 oid2 result MM` for two parents, and so on. */
  const combined = (modes: string[], oids: string[], status: string) => `${':'.repeat(modes.length - 1)}${modes.join(' ')} ${oids.join(' ')} ${status}`;

  it('a path changed against both parents is a modification', () => {
    expect(rawStatus(combined(['100755', '100644', '100755'], [OID_A, OID_B, OID_C], 'MM'))).toBe('M');
  });

  it('a path deleted by the merge (result mode 0) is a deletion', () => {
    expect(rawStatus(combined(['100644', '100644', '000000'], [OID_A, OID_B, Z40], 'DD'))).toBe('D');
  });

  it('a path absent from every parent is an addition', () => {
    expect(rawStatus(combined(['000000', '000000', '100644'], [Z40, Z40, OID_C], 'AA'))).toBe('A');
  });

  it('a path present in only some parents is a modification', () => {
    expect(rawStatus(combined(['100644', '000000', '100644'], [OID_A, Z40, OID_C], 'MA'))).toBe('M');
    expect(rawStatus(combined(['000000', '100644', '100644'], [Z40, OID_B, OID_C], 'AM'))).toBe('M');
  });

  it('octopus merges (three parents)', () => {
    expect(rawStatus(combined(['100644', '100644', '100644', '100644'], [OID_A, OID_B, OID_C, OID_D], 'MMM'))).toBe('M');
    expect(rawStatus(combined(['000000', '000000', '000000', '100644'], [Z40, Z40, Z40, OID_D], 'AAA'))).toBe('A');
    expect(rawStatus(combined(['100644', '100644', '100644', '000000'], [OID_A, OID_B, OID_C, Z40], 'DDD'))).toBe('D');
    expect(rawStatus(combined(['000000', '100644', '000000', '100644'], [Z40, OID_B, Z40, OID_D], 'AMA'))).toBe('M');
  });

  it('a type change in a merge is a modification', () => {
    expect(rawStatus(combined(['100644', '100644', '120000'], [OID_A, OID_B, OID_C], 'TT'))).toBe('M');
  });

  it('a combined header after the newline of git log -z', () => {
    expect(rawStatus(`\n${combined(['100644', '100644', '000000'], [OID_A, OID_B, Z40], 'DD')}`)).toBe('D');
  });
});

describe('isRawMeta', () => {
  it('recognises plain and combined headers, with or without the leading newline', () => {
    expect(isRawMeta(raw('100644', '100644', 'M'))).toBe(true);
    expect(isRawMeta(`\n${raw('100644', '100644', 'M')}`)).toBe(true);
    expect(isRawMeta(`::100644 100644 100644 ${OID_A} ${OID_B} ${OID_C} MM`)).toBe(true);
  });

  it('rejects paths and commit headers', () => {
    expect(isRawMeta('src/a.ts')).toBe(false);
    expect(isRawMeta('')).toBe(false);
    expect(isRawMeta('\x01abc def')).toBe(false);
    expect(isRawMeta('\nsrc/a.ts')).toBe(false);
  });
});

describe('parseRawChanges', () => {
  it('pairs each header with the path that follows it', () => {
    const tokens = [
      raw('000000', '100644', 'A', Z40),
      'src/new.ts',
      raw('100644', '100644', 'M'),
      'src/changed.ts',
      raw('100644', '000000', 'D', OID_A, Z40),
      'src/gone.ts',
      raw('100644', '120000', 'T'),
      'src/now-a-link',
    ];
    expect(parseRawChanges(tokens)).toEqual([
      { status: 'A', path: 'src/new.ts' },
      { status: 'M', path: 'src/changed.ts' },
      { status: 'D', path: 'src/gone.ts' },
      { status: 'T', path: 'src/now-a-link' },
    ]);
  });

  it('returns nothing for no output', () => {
    expect(parseRawChanges([])).toEqual([]);
    expect(parseRawChanges(splitZ(''))).toEqual([]);
  });

  it('keeps paths byte for byte: newlines, spaces, unicode, leading colons, quotes, backslashes', () => {
    const paths = ['dir/we\nird.txt', ' lead and trail ', 'ünï/cødé/файл 日本.md', ':looks-like-a-header', '\nnew\nline', 'tab\there', 'q"uote\\back'];
    const tokens = paths.flatMap((p) => [raw('100644', '100644', 'M'), p]);
    expect(parseRawChanges(tokens)).toEqual(paths.map((path) => ({ status: 'M', path })));
  });

  it('reads real -z output split on NUL', () => {
    const out = `${raw('000000', '100644', 'A', Z40)}\0a b\0${raw('100644', '000000', 'D', OID_A, Z40)}\0c\nd\0`;
    expect(parseRawChanges(splitZ(out))).toEqual([
      { status: 'A', path: 'a b' },
      { status: 'D', path: 'c\nd' },
    ]);
    expect(parseRawChanges(splitZ(Buffer.from(out, 'utf8')))).toEqual(parseRawChanges(splitZ(out)));
  });

  it('ignores a trailing header with no path', () => {
    expect(parseRawChanges([raw('100644', '100644', 'M'), 'a', raw('100644', '100644', 'M')])).toEqual([{ status: 'M', path: 'a' }]);
  });

  it('round-trips any list of changes (property)', () => {
    const header: Record<string, string> = {
      A: raw('000000', '100644', 'A', Z40),
      M: raw('100644', '100755', 'M'),
      D: raw('120000', '000000', 'D', OID_A, Z40),
      T: raw('100644', '120000', 'T'),
    };
    const path = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => !s.includes('\0'));
    fc.assert(
      fc.property(fc.array(fc.record({ status: fc.constantFrom('A', 'M', 'D', 'T' as const), path })), (changes) => {
        const out = changes.map((c) => `${header[c.status]}\0${c.path}\0`).join('');
        expect(parseRawChanges(splitZ(out))).toEqual(changes);
      }),
    );
  });
});

/** Against git itself: what `git diff --cached --raw -z --no-renames` and `git log -z --raw -c` print. */
describe('parsing real git output', () => {
  const dirs: string[] = [];
  const home = mkdtempSync(join(tmpdir(), 'swarm-rawdiff-home-'));
  dirs.push(home);
  // Without the caller's GIT_DIR, GIT_INDEX_FILE… (a hook running the tests sets them) or git config.
  const env = cleanEnv(home, {
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@e',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@e',
  });

  /** A fresh repository with one base commit. */
  function repo() {
    const dir = mkdtempSync(join(tmpdir(), 'swarm-rawdiff-'));
    dirs.push(dir);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const write = (path: string, text: string) => {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    git('init', '-q', '-b', 'main');
    write('keep.txt', 'k\n');
    write('modify.txt', 'm\n');
    write('delete.txt', 'd\n');
    write('old/name.txt', 'rename me\n');
    write('to-link.txt', 't\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    return { dir, git, write };
  }

  /** Raw tokens of the last commit in `git log -z --raw -c` output (commit header tokens dropped). */
  function lastCommitTokens(git: (...args: string[]) => Buffer): string[] {
    const out = git('log', '-z', '--raw', '-c', '--no-abbrev', '--no-renames', '--format=%x01%H', '-1');
    return splitZ(out).filter((t) => t !== '' && !t.startsWith('\x01'));
  }

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('staged changes: add, modify, delete, type change, rename as delete plus add, awkward names', () => {
    const { dir, git, write } = repo();
    write('modify.txt', 'm2\n');
    unlinkSync(join(dir, 'delete.txt'));
    unlinkSync(join(dir, 'to-link.txt'));
    symlinkSync('keep.txt', join(dir, 'to-link.txt'));
    mkdirSync(join(dir, 'new'));
    renameSync(join(dir, 'old/name.txt'), join(dir, 'new/name.txt'));
    write('we\nird name é.txt', 'w\n');
    write('added.txt', 'a\n');
    git('add', '-A');
    const out = git('diff', '--cached', '-z', '--raw', '--no-renames', '--no-ext-diff');
    const changes = parseRawChanges(splitZ(out));
    expect(Object.fromEntries(changes.map((c) => [c.path, c.status]))).toEqual({
      'added.txt': 'A',
      'delete.txt': 'D',
      'modify.txt': 'M',
      'new/name.txt': 'A',
      'old/name.txt': 'D',
      'to-link.txt': 'T',
      'we\nird name é.txt': 'A',
    });
    expect(changes).toHaveLength(7);
  });

  it('merge commits from git log -z --raw -c: only the paths the merge itself authored', () => {
    const { git, write } = repo();
    git('checkout', '-q', '-b', 'side');
    write('keep.txt', 'side\n');
    write('side-only.txt', 's\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'side');
    git('checkout', '-q', 'main');
    write('keep.txt', 'main\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'main');
    try {
      git('merge', '-q', '--no-commit', 'side');
    } catch {
      // keep.txt conflicts: resolved below
    }
    write('keep.txt', 'resolved\n');
    git('rm', '-q', 'modify.txt');
    write('merge-added.txt', 'x\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'merge');
    const tokens = lastCommitTokens(git);
    expect(tokens.length % 2).toBe(0);
    for (let i = 0; i < tokens.length; i += 2) expect(isRawMeta(tokens[i]!)).toBe(true);
    expect(tokens[0]!.startsWith('::')).toBe(true);
    const changes = parseRawChanges(tokens);
    expect(Object.fromEntries(changes.map((c) => [c.path, c.status]))).toEqual({
      'keep.txt': 'M',
      'merge-added.txt': 'A',
      'modify.txt': 'D',
    });
    expect(changes).toHaveLength(3);
  });

  it('non-merge commits from git log -z --raw -c, whose first header follows a newline', () => {
    const { git, write } = repo();
    write('late.txt', 'l\n');
    git('rm', '-q', 'delete.txt');
    git('add', '-A');
    git('commit', '-q', '-m', 'late');
    const tokens = lastCommitTokens(git);
    expect(tokens[0]!.startsWith('\n:')).toBe(true);
    expect(parseRawChanges(tokens)).toEqual([
      { status: 'D', path: 'delete.txt' },
      { status: 'A', path: 'late.txt' },
    ]);
  });
});
