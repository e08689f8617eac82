/**
 * A manifest that leaves two writers unordered with overlapping claims (the conflicts
 * `git swarm plan` reports) would have them refuse each other forever: the commit hooks refuse
 * it, and check and pre-push flag a range whose head brings it (`manifest-conflict`). Conflicts
 * the base already had are not charged to the range.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyOf, EXAMPLE_MANIFEST, removeTempDirs, swarmRepo, tempDir, type Run, type TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

const LEAD = { SWARM_AGENT: 'lead' };
const MANIFEST = '.swarm/manifest.json';

/** The example manifest (alice, then bob after alice) with more agents. */
function withAgents(agents: Record<string, object>): Record<string, string> {
  return { [MANIFEST]: `${JSON.stringify({ ...EXAMPLE_MANIFEST, agents: { ...EXAMPLE_MANIFEST.agents, ...agents } }, null, 2)}\n` };
}

/** dave's claim lies inside bob's, and neither comes after the other. */
const DAVE = { dave: { claims: ['src/db/migrations/**'] } };
const PAIR = 'bob and dave hold overlapping claims and neither comes after the other';
const DETAIL = "bob's src/db/** and dave's src/db/migrations/** both match src/db/migrations/a";

function violations(r: Run): Array<{ path: string | null; code: string; message: string; fix: string }> {
  return (JSON.parse(r.stdout) as { violations: Array<{ path: string | null; code: string; message: string; fix: string }> }).violations;
}

function withOrigin(repo: TestRepo): void {
  const origin = tempDir('swarm-remote-');
  repo.run('git', ['init', '-q', '--bare', origin]);
  repo.git('remote', 'add', 'origin', origin);
}

describe('the commit hooks refuse a manifest that sets two writers in conflict', () => {
  it('pre-commit names the pair, both globs, a path both match, and the fix with git swarm plan', () => {
    const repo = swarmRepo();
    const r = repo.commit('add dave', withAgents(DAVE), LEAD);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('husky - pre-commit script failed');
    expect(r.stderr).toContain(`${PAIR}, so each would refuse the other's commits: ${DETAIL}`);
    expect(r.stderr).toContain('add "bob" to agents.dave.after in .swarm/manifest.json');
    expect(r.stderr).toContain('or narrow a claim so no path matches both; every conflicting pair: git swarm plan\n');
    expect(repo.git('log', '--format=%s')).not.toContain('add dave');
  });

  it('with --no-verify, prepare-commit-msg repeats the check and refuses it', () => {
    const repo = swarmRepo();
    const r = repo.commit('add dave', withAgents(DAVE), LEAD, ['--no-verify']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toContain('pre-commit script failed');
    expect(r.stderr).toContain('husky - prepare-commit-msg script failed');
    expect(r.stderr).toContain(DETAIL);
    expect(repo.git('log', '--format=%s')).not.toContain('add dave');
  });

  it('accepts overlapping claims ordered by after, directly or through another agent', () => {
    const repo = swarmRepo();
    // dave comes after bob, and so after alice (bob comes after alice).
    const ordered = withAgents({ dave: { claims: ['src/db/migrations/**', 'src/auth/legacy/**'], after: ['bob'] } });
    const r = repo.commit('add dave after bob', ordered, LEAD);
    expect(r.stderr).not.toContain('overlapping');
    expect(r.code).toBe(0);
  });

  it('accepts a path shared by two writers, but not one that another holds exclusively', () => {
    const repo = swarmRepo();
    const shared = repo.commit('dave shares the changelog', withAgents({ dave: { shared: ['CHANGELOG.md'] } }), LEAD);
    expect(shared.stderr).not.toContain('overlapping');
    expect(shared.code).toBe(0);
    const held = repo.commit('dave shares a db file', withAgents({ dave: { shared: ['CHANGELOG.md', 'src/db/schema.sql'] } }), LEAD);
    expect(held.code).not.toBe(0);
    expect(held.stderr).toContain("bob's src/db/** and dave's src/db/schema.sql (shared) both match src/db/schema.sql");
  });

  it('charges only the conflicts the commit adds, not those its parent already had', () => {
    const repo = swarmRepo();
    expect(repo.commit('add dave (hooks off)', withAgents(DAVE), { ...LEAD, SWARM_SKIP: '1' }).code).toBe(0);
    const unrelated = repo.commit('add erin', withAgents({ ...DAVE, erin: { claims: ['docs/**'] } }), LEAD);
    expect(unrelated.stderr).not.toContain('overlapping');
    expect(unrelated.code).toBe(0);
    const added = repo.commit('add fay', withAgents({ ...DAVE, erin: { claims: ['docs/**'] }, fay: { claims: ['docs/api/**'] } }), LEAD);
    expect(added.code).not.toBe(0);
    expect(added.stderr).toContain("erin's docs/** and fay's docs/api/** both match docs/api/a");
    expect(added.stderr).not.toContain(PAIR);
  });
});

describe('check and pre-push flag a range whose head brings a conflict', () => {
  /** The lead's branch with the conflicting manifest committed past the hooks (built once, then copied). */
  function leadBranch(): { repo: TestRepo; head: string } {
    const repo = copyOf('manifest-conflicts.test leadBranch', () => {
      const built = swarmRepo();
      built.git('checkout', '-q', '-b', 'swarm/lead');
      expect(built.commit('add dave (hooks skipped)', withAgents(DAVE), { ...LEAD, SWARM_SKIP: '1' }).code).toBe(0);
      return built;
    });
    return { repo, head: repo.head() };
  }

  it('check fails with manifest-conflict, in json and in text, pointing at git swarm plan --rev <head>', () => {
    const { repo, head } = leadBranch();
    const json = repo.swarm(['check', '--format', 'json'], { CI: 'true' });
    expect(json.code).toBe(1);
    const [found, ...rest] = violations(json);
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ path: MANIFEST, code: 'manifest-conflict' });
    expect(found!.message).toContain(DETAIL);
    expect(found!.fix).toContain(`git swarm plan --rev ${head}`);
    const text = repo.swarm(['check'], { CI: 'true' });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${PAIR}, so each would refuse the other's commits: ${DETAIL}`);
    expect(text.stdout).toContain(`fix (manifest-conflict): order them (add "bob" to agents.dave.after`);
    expect(text.stdout).toContain(`git swarm plan --rev ${head}`);
  });

  it('check passes a range that changes the manifest but only keeps a conflict its base already had', () => {
    const repo = swarmRepo();
    expect(repo.commit('add dave (hooks off)', withAgents(DAVE), { ...LEAD, SWARM_SKIP: '1' }).code).toBe(0);
    repo.git('checkout', '-q', '-b', 'swarm/lead');
    expect(repo.commit('add erin', withAgents({ ...DAVE, erin: { claims: ['docs/**'] } }), LEAD).code).toBe(0);
    const r = repo.swarm(['check', '--format', 'json'], { CI: 'true' });
    expect(violations(r)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('pre-push refuses it', () => {
    const { repo, head } = leadBranch();
    withOrigin(repo);
    const r = repo.tryGit(['push', '-q', 'origin', 'swarm/lead']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(DETAIL);
    expect(r.stderr).toContain(`git swarm plan --rev ${head}`);
    expect(repo.tryGit(['ls-remote', '--heads', 'origin', 'swarm/lead']).stdout.trim()).toBe('');
  });
});
