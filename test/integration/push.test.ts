/**
 * pre-push and check judge the same range (src/orchestration/range.ts): whatever route a push
 * takes, an agent is charged with its own commits only, never with the integration branch's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, swarmRepo, tempDir, type TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

function bareRemote(repo: TestRepo): string {
  const dir = tempDir('swarm-remote-');
  repo.run('git', ['init', '-q', '--bare', dir]);
  return dir;
}

/** A repository whose `origin` has main, with alice's branch holding one clean commit. */
function aliceWithOrigin(): { repo: TestRepo; origin: string } {
  const repo = swarmRepo();
  const origin = bareRemote(repo);
  repo.git('remote', 'add', 'origin', origin);
  repo.git('push', '-q', 'origin', 'main');
  repo.git('checkout', '-q', '-b', 'swarm/alice');
  expect(repo.commit('alice works', ['src/auth/ok.ts']).code).toBe(0);
  return { repo, origin };
}

function addBypassedCommit(repo: TestRepo): void {
  expect(repo.commit('outside the claims, hooks skipped', ['src/db/sneaky.ts'], { SWARM_SKIP: '1' }).code).toBe(0);
}

describe('pre-push judges what the push adds, by any route', () => {
  it('by URL: a clean agent branch passes, a bad commit is still refused', () => {
    const { repo, origin } = aliceWithOrigin();
    const clean = repo.tryGit(['push', '-q', origin, 'swarm/alice']);
    expect(clean.stderr).not.toContain('refused');
    expect(clean.code).toBe(0);
    addBypassedCommit(repo);
    const bad = repo.tryGit(['push', '-q', origin, 'swarm/alice']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('src/db/sneaky.ts');
    expect(bad.stderr).toContain('1 violation in 1 commit');
    expect(bad.stderr).not.toContain('attributed to lead');
  });

  it('by remote name, to a new branch: only the branch\'s own commits are counted', () => {
    const { repo } = aliceWithOrigin();
    addBypassedCommit(repo);
    const bad = repo.tryGit(['push', '-q', 'origin', 'swarm/alice']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('1 violation in 2 commits');
  });

  it('to a new empty remote with no tracking refs: the integration branch is not charged to the agent', () => {
    const { repo } = aliceWithOrigin();
    repo.git('remote', 'add', 'empty', bareRemote(repo));
    addBypassedCommit(repo);
    const bad = repo.tryGit(['push', '-q', 'empty', 'swarm/alice']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('1 violation in 2 commits');
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    const clean = repo.tryGit(['push', '-q', 'empty', 'swarm/alice']);
    expect(clean.stderr).not.toContain('refused');
    expect(clean.code).toBe(0);
  });

  it('a deletion pushes no commits and passes', () => {
    const { repo } = aliceWithOrigin();
    expect(repo.tryGit(['push', '-q', 'origin', 'swarm/alice']).code).toBe(0);
    addBypassedCommit(repo);
    const deletion = repo.tryGit(['push', '-q', 'origin', ':swarm/alice']);
    expect(deletion.code).toBe(0);
    expect(repo.tryGit(['ls-remote', '--heads', 'origin', 'swarm/alice']).stdout.trim()).toBe('');
  });

  it("with unpushed lead commits on the local integration branch: alice's push passes, and so does check", () => {
    const { repo } = aliceWithOrigin();
    repo.git('checkout', '-q', 'main');
    expect(repo.commit('lead edits docs', ['docs/plan.md'], { SWARM_AGENT: 'lead' }).code).toBe(0);
    repo.git('checkout', '-q', 'swarm/alice');
    expect(repo.tryGit(['merge', '-q', '--no-edit', 'main']).code).toBe(0);
    const push = repo.tryGit(['push', '-q', 'origin', 'swarm/alice']);
    expect(push.stderr).not.toContain('attributed to lead');
    expect(push.code).toBe(0);
    const check = repo.swarm(['check', '--format', 'json']);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: true, checked: 2 });
    // The lead's commit is judged when main itself is pushed, as the lead's.
    const main = repo.tryGit(['push', '-q', 'origin', 'main']);
    expect(main.code).toBe(0);
  });

  it('pushing the integration branch judges its new commits by their own trailers', () => {
    const { repo } = aliceWithOrigin();
    repo.git('checkout', '-q', 'main');
    expect(repo.commit('alice on main, hooks skipped', ['README.md'], { SWARM_AGENT: 'alice', SWARM_SKIP: '1' }).code).toBe(0);
    const push = repo.tryGit(['push', '-q', 'origin', 'main']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain("README.md: outside alice's claims");
  });
});
