/**
 * The in-process merge of trees (src/core/treeMerge.ts, src/git/treeMerge.ts) against git's own
 * `merge-tree --write-tree` on real repositories: wherever it merges, its tree is git's, byte for
 * byte; where git would detect renames, run a merge driver or meet a conflict, it declines.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitSession } from '../../src/git/gitSession.js';
import { TreeMerger } from '../../src/git/treeMerge.js';
import { initRepo, removeTempDirs, tempDir, TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

const KEYS = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM'] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
beforeAll(() => {
  // The session runs git in this process's environment: nothing may point it elsewhere.
  for (const key of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete process.env[key];
  process.env.GIT_CONFIG_GLOBAL = '/dev/null';
  process.env.GIT_CONFIG_NOSYSTEM = '1';
});
afterAll(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

/** One entry of a tree under construction: a mode and an object id. */
interface Leaf {
  leaf: true;
  mode: string;
  oid: string;
}
interface Dir {
  [name: string]: Leaf | Dir;
}

class Trees {
  constructor(readonly repo: TestRepo) {}

  #git(args: string[], input: string | Buffer = ''): string {
    const r = spawnSync('git', args, { cwd: this.repo.dir, env: this.repo.env(), input });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.toString()}`);
    return r.stdout.toString('latin1').trim();
  }

  blob(content: string): string {
    return this.#git(['hash-object', '-w', '--stdin'], content);
  }
  file(content: string, mode = '100644'): Leaf {
    return { leaf: true, mode, oid: this.blob(content) };
  }
  link(target: string): Leaf {
    return this.file(target, '120000');
  }
  gitlink(oid: string): Leaf {
    return { leaf: true, mode: '160000', oid };
  }

  /** The tree of `dir` (names are latin1: one character per byte), written by `git mktree`, which keeps any mode given. */
  tree(dir: Dir): string {
    const lines = Object.entries(dir).map(([name, e]) => {
      const [mode, type, oid] = 'leaf' in e && e.leaf === true ? [(e as Leaf).mode, (e as Leaf).mode === '160000' ? 'commit' : 'blob', (e as Leaf).oid] : ['040000', 'tree', this.tree(e as Dir)];
      return Buffer.from(`${mode} ${type} ${oid}\t${name}\0`, 'latin1');
    });
    return this.#git(['mktree', '-z', '--missing'], Buffer.concat(lines));
  }

  commit(dir: Dir, parents: string[] = []): string {
    return this.#git(['commit-tree', this.tree(dir), ...parents.flatMap((p) => ['-p', p]), '-m', 'x']);
  }

  /** git's merge: its tree when clean, null when it stops at a conflict. */
  gitMerge(ours: string, theirs: string): string | null {
    const r = spawnSync('git', ['merge-tree', '--write-tree', ours, theirs], { cwd: this.repo.dir, env: this.repo.env() });
    if (r.status !== 0 && r.status !== 1) throw new Error(r.stderr.toString());
    return r.status === 0 ? r.stdout.toString().split('\n')[0]! : null;
  }

  /** The in-process merge (its objects written as landing writes them), or null where it declines. */
  async ownMerge(base: string, ours: string, theirs: string): Promise<string | null> {
    const session = new GitSession(this.repo.dir, join(this.repo.dir, '.git', 'swarm', 'tmp'));
    try {
      const tree = await new TreeMerger(session).mergeCommits(base, ours, theirs);
      await session.flush();
      return tree;
    } finally {
      session.close();
    }
  }

  /** Both merges of the two sides, each a commit on `base`. */
  async both(base: Dir, ours: Dir, theirs: Dir): Promise<{ own: string | null; git: string | null }> {
    const b = this.commit(base);
    const [o, t] = [this.commit(ours, [b]), this.commit(theirs, [b])];
    return { own: await this.ownMerge(b, o, t), git: this.gitMerge(o, t) };
  }
}

type Case = [name: string, expected: 'merged' | 'declined', make: (t: Trees) => { base: Dir; ours: Dir; theirs: Dir }];

const CASES: Case[] = [
  ['adds on each side, in new and existing folders', 'merged', (t) => ({ base: { a: t.file('a'), src: { x: t.file('x') } }, ours: { a: t.file('a'), src: { x: t.file('x'), o: t.file('o') } }, theirs: { a: t.file('a'), src: { x: t.file('x') }, new: { deep: { er: t.file('t') } } } })],
  ['the same new folder added on both sides with different files, nested', 'merged', (t) => ({ base: { a: t.file('a') }, ours: { a: t.file('a'), d: { e: { f: t.file('1') } } }, theirs: { a: t.file('a'), d: { e: { g: t.file('2') }, h: t.file('3') } } })],
  ['a modification on one side, an add on the other', 'merged', (t) => ({ base: { a: t.file('a'), b: t.file('b') }, ours: { a: t.file('a2'), b: t.file('b') }, theirs: { a: t.file('a'), b: t.file('b'), c: t.file('c') } })],
  ['modifications of different files deep in the same folder', 'merged', (t) => ({ base: { d: { e: { x: t.file('x'), y: t.file('y') } } }, ours: { d: { e: { x: t.file('x2'), y: t.file('y') } } }, theirs: { d: { e: { x: t.file('x'), y: t.file('y2') } } } })],
  ['the same change on both sides', 'merged', (t) => ({ base: { a: t.file('a') }, ours: { a: t.file('same') }, theirs: { a: t.file('same') } })],
  ['the same file added on both sides', 'merged', (t) => ({ base: { a: t.file('a') }, ours: { a: t.file('a'), n: t.file('n') }, theirs: { a: t.file('a'), n: t.file('n') } })],
  ['a mode change on one side, content changes elsewhere', 'merged', (t) => ({ base: { s: t.file('#!/bin/sh\n'), b: t.file('b') }, ours: { s: t.file('#!/bin/sh\n', '100755'), b: t.file('b') }, theirs: { s: t.file('#!/bin/sh\n'), b: t.file('b2') } })],
  ['the same mode change on both sides', 'merged', (t) => ({ base: { s: t.file('s') }, ours: { s: t.file('s', '100755') }, theirs: { s: t.file('s', '100755') } })],
  ['a symlink added, a file turned into a symlink', 'merged', (t) => ({ base: { a: t.file('a'), b: t.file('b') }, ours: { a: t.link('b'), b: t.file('b') }, theirs: { a: t.file('a'), b: t.file('b'), l: t.link('../x') } })],
  ['a submodule added on one side, moved on the other', 'merged', (t) => ({ base: { m: t.gitlink('1'.repeat(40)), f: t.file('f') }, ours: { m: t.gitlink('2'.repeat(40)), f: t.file('f') }, theirs: { m: t.gitlink('1'.repeat(40)), f: t.file('f'), n: t.gitlink('3'.repeat(40)) } })],
  ['names git sorts as folders ("foo" before "foo.c" only as a file)', 'merged', (t) => ({ base: { 'foo.c': t.file('c'), 'foo-bar': t.file('b') }, ours: { 'foo.c': t.file('c'), 'foo-bar': t.file('b'), foo: { x: t.file('x') } }, theirs: { 'foo.c': t.file('c'), 'foo-bar': t.file('b'), 'foo0': t.file('0'), fo: t.file('fo') } })],
  ['names with spaces, UTF-8 and bytes that are not UTF-8', 'merged', (t) => ({ base: { 'a b': t.file('1') }, ours: { 'a b': t.file('1'), 'caf\xc3\xa9': t.file('2') }, theirs: { 'a b': t.file('1'), 'bad\xff\xfe': t.file('3'), 'A B': t.file('4') } })],
  ['names that differ only in case', 'merged', (t) => ({ base: { x: t.file('x') }, ours: { x: t.file('x'), Readme: t.file('1') }, theirs: { x: t.file('x'), README: t.file('2') } })],
  ['an empty folder added on one side (kept)', 'merged', (t) => ({ base: { a: t.file('a') }, ours: { a: t.file('a'), empty: {} }, theirs: { a: t.file('a'), b: t.file('b') } })],
  ['the same empty folder added on both sides (git leaves it out)', 'merged', (t) => ({ base: { a: t.file('a') }, ours: { a: t.file('a'), empty: { deeper: {} } }, theirs: { a: t.file('a'), empty: { deeper: {} }, b: t.file('b') } })],
  ['nothing changed on one side', 'merged', (t) => ({ base: { a: t.file('a') }, ours: { a: t.file('a') }, theirs: { a: t.file('a2'), d: { x: t.file('x') } } })],
  ['both sides changed the same file differently (a content merge)', 'declined', (t) => ({ base: { a: t.file('1\n2\n3\n4\n5\n') }, ours: { a: t.file('one\n2\n3\n4\n5\n') }, theirs: { a: t.file('1\n2\n3\n4\nfive\n') } })],
  ['both sides added different files at one path', 'declined', (t) => ({ base: { a: t.file('a') }, ours: { a: t.file('a'), n: t.file('1') }, theirs: { a: t.file('a'), n: t.file('2') } })],
  ['the same content added with different modes', 'declined', (t) => ({ base: { a: t.file('a') }, ours: { a: t.file('a'), n: t.file('1') }, theirs: { a: t.file('a'), n: t.file('1', '100755') } })],
  ['a file on one side where the other adds a folder', 'declined', (t) => ({ base: { a: t.file('a') }, ours: { a: t.file('a'), x: t.file('x') }, theirs: { a: t.file('a'), x: { y: t.file('y') } } })],
  ['a file replaced by a folder', 'declined', (t) => ({ base: { a: t.file('a'), x: t.file('x') }, ours: { a: t.file('a2'), x: t.file('x') }, theirs: { a: t.file('a'), x: { y: t.file('x') } } })],
  ['a deletion the other side did not touch', 'merged', (t) => ({ base: { a: t.file('a'), b: t.file('b') }, ours: { a: t.file('a2'), b: t.file('b') }, theirs: { a: t.file('a') } })],
  ['a folder deleted, another changed', 'merged', (t) => ({ base: { d: { x: t.file('x') }, e: { y: t.file('y') } }, ours: { e: { y: t.file('y') } }, theirs: { d: { x: t.file('x') }, e: { y: t.file('y2') } } })],
  ['a rename the other side did not touch', 'merged', (t) => ({ base: { a: t.file('line\n'.repeat(20)), o: t.file('o') }, ours: { b: t.file('line\n'.repeat(20)), o: t.file('o') }, theirs: { a: t.file('line\n'.repeat(20)), o: t.file('o2') } })],
  ['a rename onto a path the other side added alike', 'merged', (t) => ({ base: { a: t.file('line\n'.repeat(20)) }, ours: { b: t.file('line\n'.repeat(20)) }, theirs: { a: t.file('line\n'.repeat(20)), b: t.file('line\n'.repeat(20)) } })],
  ['a folder renamed, the other side working elsewhere', 'merged', (t) => ({ base: { old: { x: t.file('x'), y: t.file('y') }, o: t.file('o') }, ours: { new: { x: t.file('x'), y: t.file('y') }, o: t.file('o') }, theirs: { old: { x: t.file('x'), y: t.file('y') }, o: t.file('o2'), n: { z: t.file('z') } } })],
  ['a file deleted on one side and changed on the other', 'declined', (t) => ({ base: { a: t.file('a'), b: t.file('b') }, ours: { a: t.file('a') }, theirs: { a: t.file('a'), b: t.file('b2') } })],
  ['a file deleted on both sides (maybe renamed twice)', 'declined', (t) => ({ base: { a: t.file('line\n'.repeat(20)) }, ours: { b: t.file('line\n'.repeat(20)) }, theirs: { c: t.file('line\n'.repeat(20)) } })],
  ['a rename (git moves the other side\'s change along)', 'declined', (t) => ({ base: { a: t.file('line\n'.repeat(20)) }, ours: { b: t.file('line\n'.repeat(20)) }, theirs: { a: t.file(`${'line\n'.repeat(19)}changed\n`) } })],
  ['a folder renamed while the other side adds into it', 'declined', (t) => ({ base: { old: { x: t.file('x'), y: t.file('y') } }, ours: { new: { x: t.file('x'), y: t.file('y') } }, theirs: { old: { x: t.file('x'), y: t.file('y'), z: t.file('z') } } })],
  ['a submodule moved differently on both sides', 'declined', (t) => ({ base: { m: t.gitlink('1'.repeat(40)) }, ours: { m: t.gitlink('2'.repeat(40)) }, theirs: { m: t.gitlink('3'.repeat(40)) } })],
  ['a changed folder holding a mode git would not write (100664)', 'declined', (t) => ({ base: { d: { x: t.file('x') } }, ours: { d: { x: t.file('x'), y: t.file('y', '100664') } }, theirs: { d: { x: t.file('x'), z: t.file('z') } } })],
];

describe('in-process merge of trees against git merge-tree', () => {
  let trees: Trees;
  beforeAll(() => {
    trees = new Trees(initRepo());
  });

  for (const [name, expected, make] of CASES) {
    it(`${expected === 'merged' ? 'merges' : 'leaves to git'}: ${name}`, async () => {
      const { base, ours, theirs } = make(trees);
      const { own, git } = await trees.both(base, ours, theirs);
      if (expected === 'merged') {
        expect(git, 'git merges it cleanly').not.toBeNull();
        expect(own).toBe(git);
      } else {
        expect(own).toBeNull();
      }
    });
  }

  it('a merge driver runs only where both sides changed a file: git merges those', async () => {
    // merge-tree 2.39 reads attributes from the repository, not from the trees it merges.
    trees.repo.git('config', 'merge.shout.driver', 'echo DRIVER > %A');
    writeFileSync(join(trees.repo.dir, '.git', 'info', 'attributes'), '*.txt merge=shout\n');
    const base = { 'a.txt': trees.file('a'), 'b.txt': trees.file('b') };
    const oneSide = await trees.both(base, { ...base, 'a.txt': trees.file('a2') }, { ...base, 'b.txt': trees.file('b2') });
    expect(oneSide.own).not.toBeNull();
    expect(oneSide.own).toBe(oneSide.git);
    const bothSides = await trees.both(base, { ...base, 'a.txt': trees.file('mine') }, { ...base, 'a.txt': trees.file('theirs') });
    expect(bothSides.own).toBeNull();
    expect(trees.repo.git('cat-file', '-p', `${bothSides.git}:a.txt`)).toBe('DRIVER\n');
  });

  it('writes a tree larger than a zlib stored block (64 KiB) that git reads back', async () => {
    const blob = trees.file('x');
    const many = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`file-${i}`, blob]));
    const { own, git } = await trees.both({ big: many }, { big: { ...many, o: trees.file('o') } }, { big: { ...many, t: trees.file('t') } });
    expect(own).not.toBeNull();
    expect(own).toBe(git);
    expect(trees.repo.git('cat-file', '-s', `${own}:big`).trim()).toMatch(/^\d{6}$/);
    expect(trees.repo.git('fsck', '--no-dangling').trim()).toBe('');
  });

  it('merges in a SHA-256 repository', async () => {
    const dir = tempDir();
    const repo = new TestRepo(dir);
    repo.git('init', '-q', '--object-format=sha256');
    repo.git('config', 'user.name', 'Test User');
    repo.git('config', 'user.email', 'test@example.com');
    const t = new Trees(repo);
    const base = { a: t.file('a'), d: { x: t.file('x') } };
    const { own, git } = await t.both(base, { ...base, d: { x: t.file('x'), o: t.file('o') } }, { ...base, d: { x: t.file('x'), n: t.file('n') } });
    expect(own).toMatch(/^[0-9a-f]{64}$/);
    expect(own).toBe(git);
  });

  it('agrees with git on hundreds of generated merges, and merges many of them', async () => {
    // A small deterministic generator: a base of folders and files, then each side adds,
    // changes content or mode, or (now and then) deletes or turns a file into a folder.
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const names = ['a', 'b', 'c', 'd.txt', 'e'];
    const blobs = ['1', '2', '3'].map((c) => trees.file(c));
    const base = (depth: number): Dir => Object.fromEntries(names.filter(() => random() < 0.6).map((n) => [n, depth < 2 && random() < 0.4 ? base(depth + 1) : pick(blobs)]));
    const edit = (dir: Dir, depth: number, deletions: boolean): Dir => {
      const out: Dir = { ...dir };
      for (const n of names) {
        const e = out[n];
        const r = random();
        if (r < 0.5) continue;
        if (e === undefined) out[n] = depth < 2 && random() < 0.3 ? edit({}, depth + 1, false) : pick(blobs);
        else if ('leaf' in e) out[n] = deletions && r > 0.97 ? edit({}, depth + 1, false) : { ...(e as Leaf), ...(r > 0.8 ? { mode: '100755' } : { oid: pick(blobs).oid }) };
        else out[n] = edit(e as Dir, depth + 1, deletions);
        if (deletions && r > 0.95) delete out[n];
      }
      return out;
    };
    let merged = 0;
    let declined = 0;
    for (let i = 0; i < 200; i++) {
      const b = base(0);
      const deletions = i % 3 === 0;
      const { own, git } = await trees.both(b, edit(b, 0, deletions), edit(b, 0, deletions));
      if (own === null) declined++;
      else {
        merged++;
        expect(own, `merge ${i}`).toBe(git);
      }
    }
    expect(merged).toBeGreaterThan(60);
    expect(declined).toBeGreaterThan(20);
  });
});
