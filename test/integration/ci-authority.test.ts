/**
 * `check` is the authority: nothing in the head it judges may steer it — not its settings, not an
 * executable it commits, not replace objects.
 */
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyOf, removeTempDirs, swarmRepo, tempDir, TestRepo, type Run } from '../helpers/repo.js';

afterAll(removeTempDirs);

function report(r: Run): { ok: boolean; checked: number; violations: Array<{ path: string | null; code: string }> } {
  return JSON.parse(r.stdout);
}

/** alice's branch, with a commit (hooks skipped) that reaches outside her claims (built once, then copied). */
function aliceOutside(): TestRepo {
  return copyOf('ci-authority.test aliceOutside', () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('outside', ['src/db/sneaky.ts'], { SWARM_SKIP: '1' }).code).toBe(0);
    return repo;
  });
}

describe('check takes nothing from the head it judges', () => {
  it("a head whose .swarmrc names another integration branch is judged against the base's settings", () => {
    const repo = aliceOutside();
    repo.git('branch', 'swarm/bob', 'main');
    expect(repo.commit('steer CI', { '.swarmrc': 'integration: swarm/alice\n' }, { SWARM_SKIP: '1' }).code).toBe(0);
    const r = repo.swarm(['check', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(report(r).checked).toBe(2);
    expect(report(r).violations.map((v) => [v.path, v.code])).toEqual([
      ['.swarmrc', 'lead-only'],
      ['src/db/sneaky.ts', 'outside-claims'],
    ]);
  });

  it("a pull request aimed at another agent's branch is judged from the integration branch its base names", () => {
    const repo = aliceOutside();
    repo.git('branch', 'swarm/bob', 'main');
    const r = repo.swarm(['check', '--format', 'json'], { GITHUB_BASE_REF: 'swarm/bob', GITHUB_HEAD_REF: 'swarm/alice' });
    expect(r.code).toBe(1);
    expect(report(r).violations.map((v) => v.path)).toEqual(['src/db/sneaky.ts']);
  });

  it('an explicit --integration is binding; an unknown one is exit 2 naming the branches there are', () => {
    const repo = aliceOutside();
    const r = repo.swarm(['check', '--integration', 'main', '--format', 'json']);
    expect(r.code).toBe(1);
    const unknown = repo.swarm(['check', '--integration', 'mian']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('cannot find the integration branch "mian"');
    expect(unknown.stderr).toContain('branches here: main, swarm/alice');
    const empty = repo.swarm(['check', '--integration', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--integration needs a value');
  });

  it('a git committed inside the checkout (node_modules/.bin/git) is never run, even first on PATH', () => {
    const repo = aliceOutside();
    const marker = join(repo.dir, 'fake-git-ran');
    repo.write('node_modules/.bin/git', `#!/bin/sh\ntouch '${marker}'\nexit 0\n`);
    chmodSync(join(repo.dir, 'node_modules/.bin/git'), 0o755);
    repo.git('add', '-f', 'node_modules/.bin/git');
    expect(repo.tryGit(['commit', '-q', '-m', 'ship a git'], { SWARM_SKIP: '1' }).code).toBe(0);
    // Locally the agent owns its shell (husky even puts node_modules/.bin first for hooks): only CI must resist.
    repo.run('rm', ['-f', marker]);
    const path = `${join(repo.dir, 'node_modules/.bin')}:node_modules/.bin:${process.env.PATH}`;
    const r = repo.swarm(['check', '--format', 'json'], { PATH: path });
    expect(existsSync(marker)).toBe(false);
    expect(r.code).toBe(1);
    expect(report(r).checked).toBe(2);
    expect(report(r).violations.map((v) => v.path)).toEqual(expect.arrayContaining(['node_modules/.bin/git', 'src/db/sneaky.ts']));
  });

  it('replace objects do not change what check or pre-push see', () => {
    const repo = aliceOutside();
    const bad = repo.head();
    // An innocent-looking stand-in for the bad commit: same parent, a tree with alice's path only.
    repo.write('src/auth/innocent.ts', 'x\n');
    repo.git('add', 'src/auth/innocent.ts');
    repo.git('rm', '-q', '--cached', 'src/db/sneaky.ts');
    const tree = repo.git('write-tree').trim();
    repo.git('reset', '-q', '--hard');
    const standIn = repo.git('commit-tree', tree, '-p', 'HEAD~1', '-m', 'innocent\n\nSwarm-Agent: alice').trim();
    repo.git('replace', bad, standIn);
    expect(repo.git('log', '-1', '--name-only', '--format=', bad).trim()).not.toContain('sneaky');
    const r = repo.swarm(['check', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(report(r).violations.map((v) => v.path)).toEqual(['src/db/sneaky.ts']);
    const remote = join(repo.dir, '..', `${repo.dir.split('/').pop()}-remote.git`);
    repo.run('git', ['init', '-q', '--bare', remote]);
    repo.git('remote', 'add', 'origin', remote);
    expect(repo.tryGit(['push', '-q', 'origin', 'main']).code).toBe(0);
    const push = repo.tryGit(['push', '-q', 'origin', 'swarm/alice']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('src/db/sneaky.ts');
  });

  it("a tag named like the base (origin/main, refs/heads/main) cannot stand in for it", () => {
    const repo = swarmRepo();
    const origin = `${repo.dir}-origin.git`;
    repo.run('git', ['init', '-q', '--bare', origin]);
    repo.git('remote', 'add', 'origin', origin);
    repo.git('push', '-q', 'origin', 'main');
    repo.git('checkout', '-q', '-b', 'swarm/bob');
    expect(repo.commit('evil', ['src/auth/a.ts'], { SWARM_SKIP: '1' }).code).toBe(0);
    repo.git('push', '-q', '--no-verify', 'origin', 'swarm/bob', 'swarm/bob:refs/tags/origin/main', 'swarm/bob:refs/tags/refs/heads/main');
    // CI's clone, as actions/checkout makes it: remote-tracking branches, tags, the head detached.
    const ci = new TestRepo(tempDir('swarm-ci-'), repo.home);
    ci.git('init', '-q');
    ci.git('remote', 'add', 'origin', origin);
    ci.git('fetch', '-q', 'origin', '+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*');
    ci.git('checkout', '-q', '--detach', 'refs/remotes/origin/swarm/bob');
    const env = { GITHUB_HEAD_REF: 'swarm/bob', GITHUB_BASE_REF: 'main' };
    const byName = ci.swarm(['check', '--base', 'origin/main', '--format', 'json'], env);
    expect(byName.code).toBe(2);
    expect(byName.stderr).toContain('"origin/main" names both a tag and a branch');
    for (const args of [[], ['--integration', 'main'], ['--base', 'refs/remotes/origin/main']]) {
      const r = ci.swarm(['check', ...args, '--format', 'json'], env);
      expect(r.code, args.join(' ')).toBe(1);
      expect(report(r).violations.map((v) => v.path)).toEqual(['src/auth/a.ts']);
    }
  });

  it('a head forked before the manifest existed (or before a claim was revoked) is judged by the tip of the integration branch', () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/bob', 'main~1');
    expect(repo.commit('evil from before the rules', ['src/auth/a.ts'], { SWARM_AGENT: 'bob', SWARM_SKIP: '1' }).code).toBe(0);
    const r = repo.swarm(['check', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(report(r).violations.map((v) => v.path)).toEqual(['src/auth/a.ts']);
  });

  it("a pull request's target branch cannot certify its own rules: its .swarmrc naming itself is not enough", () => {
    const repo = swarmRepo();
    // bob's branch "trap" makes him a lead and names itself the integration branch.
    repo.git('checkout', '-q', '-b', 'trap');
    const mine = { version: 1, agents: { bob: { role: 'lead' } } };
    expect(repo.commit('trap', { '.swarmrc': 'integration: trap\n', '.swarm/manifest.json': JSON.stringify(mine) }, { SWARM_AGENT: 'bob', SWARM_SKIP: '1' }).code).toBe(0);
    repo.git('checkout', '-q', '-b', 'feat');
    expect(repo.commit('into alice', ['src/auth/a.ts'], { SWARM_AGENT: 'bob', SWARM_SKIP: '1' }).code).toBe(0);
    const r = repo.swarm(['check', '--format', 'json'], { GITHUB_BASE_REF: 'trap', GITHUB_HEAD_REF: 'feat' });
    expect(r.code).toBe(1);
    expect(report(r).violations.map((v) => v.path)).toContain('src/auth/a.ts');
  });
});

