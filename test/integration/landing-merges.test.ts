/**
 * What `land` merges in memory, what it leaves to `git merge-tree`, and how it judges every range
 * at once: each landed merge has exactly the tree of git's own merge of its parents.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, swarmRepo, tempDir, TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

const MANIFEST = {
  version: 1,
  agents: {
    lead: { role: 'lead' },
    alice: { claims: ['src/auth/**'] },
    bob: { claims: ['src/db/**'] },
    carol: { claims: ['src/ui/**'] },
    dave: { claims: ['src/css/**'] },
    erin: { claims: ['docs/**'] },
    frank: { claims: ['src/api/**'] },
    gina: { claims: ['src/lib/**'] },
  },
};

interface Landed {
  code: number;
  stderr: string;
  result: { landed: Array<{ agent: string }>; failed: Array<{ agent: string; reason: string; detail: string[] }> };
}

/** `land` as the lead, with git's trace of every process it started. */
function land(repo: TestRepo, args: string[]): Landed & { gitRuns: string[][] } {
  const trace = join(tempDir(), 'trace.json');
  const r = repo.swarm(['land', ...args, '--format', 'json'], { SWARM_AGENT: 'lead', GIT_TRACE2_EVENT: trace });
  const events = readFileSync(trace, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: string; argv?: string[] });
  return { code: r.code, stderr: r.stderr, result: JSON.parse(r.stdout || '{}') as Landed['result'], gitRuns: events.filter((e) => e.event === 'start').map((e) => e.argv!.slice(1)) };
}

/** Every merge the run added to main has the tree git's own merge of its two parents gives. */
function expectGitsTrees(repo: TestRepo, before: string): number {
  const merges = repo.git('log', '--first-parent', '--format=%H %T %P', `${before}..main`).trim().split('\n');
  for (const line of merges) {
    const [commit, tree, ours, theirs] = line.split(' ');
    expect(repo.git('merge-tree', '--write-tree', ours!, theirs!).split('\n')[0], `the merge ${commit}`).toBe(tree);
  }
  return merges.length;
}

describe('land merges in memory only what git would merge the same way', () => {
  it('lands each agent with the tree of git merge: in memory (adds, changes, deletions, a rename, modes, symlinks) or by git (a content merge, a merge in the range, ranges that share commits)', () => {
    const repo = swarmRepo(MANIFEST);
    // The lead seeds files the agents hold, past the hooks.
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}\n`);
    const seeded = repo.commit('seed', { 'src/db/old.ts': 'old\n', 'src/ui/big.ts': lines.join(''), 'src/css/s.sh': '#!/bin/sh\n', 'src/lib/l.ts': lines.join(''), 'docs/a.md': 'a\n' }, { SWARM_SKIP: '1' });
    expect(seeded.code, seeded.stderr).toBe(0);
    const trees = new Map<string, TestRepo>();
    const wt = (agent: string) => {
      if (!trees.has(agent)) {
        const path = join(tempDir(), agent);
        const r = repo.swarm(['spawn', agent, '--path', path]);
        expect(r.code, r.stderr).toBe(0);
        trees.set(agent, new TestRepo(path, repo.home));
      }
      return trees.get(agent)!;
    };
    const commit = (agent: string, files: Record<string, string>) => expect(wt(agent).commit(`${agent} works`, files).code).toBe(0);
    commit('alice', { 'src/auth/a.ts': 'a\n', 'src/auth/deep/x.ts': 'x\n' });
    wt('bob').git('rm', '-q', 'src/db/old.ts');
    commit('bob', { 'src/db/new.ts': 'new\n' });
    wt('carol').git('mv', 'src/ui/big.ts', 'src/ui/large.ts');
    commit('carol', {});
    wt('dave').git('update-index', '--chmod=+x', 'src/css/s.sh');
    wt('dave').git('commit', '-q', '-m', 'executable');
    wt('dave').run('ln', ['-s', 's.sh', 'src/css/link']);
    wt('dave').git('add', 'src/css/link');
    commit('dave', { 'src/css/t.css': 't\n' });
    commit('gina', { 'src/lib/l.ts': [...lines.slice(0, 29), 'gina\n'].join(''), 'src/lib/sub/m.ts': 'm\n' });
    commit('erin', { 'docs/e.md': 'e\n' });
    // main moves on (the lead edits gina's file too): every range now leaves it below its tip.
    expect(repo.commit('lead', { 'docs/lead.md': 'lead\n', 'src/lib/l.ts': ['lead\n', ...lines.slice(1)].join('') }, { SWARM_SKIP: '1' }).code).toBe(0);
    expect(wt('erin').tryGit(['merge', '--no-edit', 'main']).code).toBe(0);
    for (const agent of ['alice', 'bob', 'carol', 'dave', 'gina', 'erin']) expect(wt(agent).swarm(['ready']).code, agent).toBe(0);
    // frank's branch holds alice's commit: his mark (set by hand; ready refuses it) shares her range.
    wt('frank').git('reset', '-q', '--hard', wt('alice').head());
    commit('frank', { 'src/api/f.ts': 'f\n' });
    repo.git('update-ref', 'refs/swarm/ready/frank', wt('frank').head());
    const before = repo.head('main');

    const landed = land(repo, ['--all']);
    expect(landed.result.landed.map((l) => l.agent).sort(), landed.stderr).toEqual(['alice', 'bob', 'carol', 'dave', 'erin', 'gina']);
    // The shared range is judged on its own: frank's range holds alice's commit, which is not his.
    expect(landed.result.failed.map((f) => [f.agent, f.reason, f.detail])).toEqual([['frank', 'violations', [wt('alice').head()]]]);
    expect(expectGitsTrees(repo, before)).toBe(6);
    // git merged alice's range (shared with frank's), the merge in erin's and gina's file, which the lead changed too; the rest were merged here.
    expect(landed.gitRuns.filter((argv) => argv[0] === 'merge-tree' && argv.includes('--name-only'))).toHaveLength(3);
    // ONE log judged the ranges that share nothing; alice's and frank's were judged one by one.
    // (The landing log's subjects, read to find undos, are one more log, not of any range.)
    expect(landed.gitRuns.filter((argv) => argv[0] === 'log' && !argv.includes('refs/swarm/landings'))).toHaveLength(3);
    expect(repo.git('ls-tree', 'main', 'src/css/s.sh', 'src/css/link').trim().split('\n').map((l) => l.split(' ')[0])).toEqual(['120000', '100755']);
    expect(repo.git('ls-tree', '--name-only', 'main', 'src/db/', 'src/ui/').trim().split('\n')).toEqual(['src/db/new.ts', 'src/ui/large.ts']);
    expect(repo.git('show', 'main:src/lib/l.ts')).toBe(['lead\n', ...lines.slice(1, 29), 'gina\n'].join(''));
  });

  it('leaves the merge to git when commit dates make git log list commits the tip already has', () => {
    const repo = swarmRepo(MANIFEST);
    expect(repo.commit('seed', { 'src/auth/f.ts': '1\n' }, { SWARM_SKIP: '1' }).code).toBe(0);
    const p = repo.head('main');
    const now = Number(repo.git('log', '-1', '--format=%ct', p).trim());
    const index = join(tempDir(), 'index');
    /** A commit of `from`'s tree with `files` changed, dated `at`. */
    const make = (from: string, parents: string[], files: Record<string, string>, at: number, message: string) => {
      const env = { GIT_INDEX_FILE: index, GIT_COMMITTER_DATE: `${at} +0000`, GIT_AUTHOR_DATE: `${at} +0000` };
      repo.run('git', ['read-tree', from], { env });
      for (const [path, content] of Object.entries(files)) {
        const blob = repo.run('git', ['hash-object', '-w', '--stdin'], { input: content }).stdout.trim();
        repo.run('git', ['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], { env });
      }
      const tree = repo.run('git', ['write-tree'], { env }).stdout.trim();
      return repo.run('git', ['commit-tree', tree, ...parents.flatMap((x) => ['-p', x]), '-m', message], { env }).stdout.trim();
    };
    const alice = (subject: string) => `${subject}\n\nSwarm-Agent: alice`;
    const r = make(p, [p], { 'src/auth/h.ts': 'h\n' }, now + 100, alice('h'));
    const y = make(r, [r], { 'src/auth/f.ts': '2\n' }, now + 5000, alice('f = 2'));
    // The lead reverts f on main, in commits whose clock ran far behind; main's tip also merges p.
    let c = make(y, [y], { 'src/auth/f.ts': '1\n' }, now - 100000, 'revert f');
    for (let i = 2; i <= 8; i++) c = make(c, [c], { [`docs/n${i}.md`]: `${i}\n` }, now - 100000 + i, `note ${i}`);
    const tip = make(c, [c, p], {}, now - 99990, 'merge');
    const m = make(y, [y], { 'src/auth/g.ts': 'g\n' }, now + 6000, alice('g'));
    repo.git('reset', '-q', '--hard', tip);
    repo.git('update-ref', 'refs/swarm/ready/alice', m);
    // What git log walks: y and r (which main has) in alice's range, leaving main's history at p.
    expect(repo.git('log', '--format=%H', m, `^${tip}`).trim().split('\n')).toEqual([m, y, r]);
    expect(repo.git('merge-base', tip, m).trim()).toBe(y);

    const landed = land(repo, ['alice']);
    expect(landed.result.landed.map((l) => l.agent), landed.stderr).toEqual(['alice']);
    expectGitsTrees(repo, tip);
    // Merged from p, f would be alice's 2 again; from the real base y, the lead's revert holds.
    expect(repo.git('show', 'main:src/auth/f.ts')).toBe('1\n');
  });
});
