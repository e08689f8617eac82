import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, swarmRepo, type TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

const MANIFEST = {
  version: 1,
  agents: {
    lead: { role: 'lead' },
    alice: { claims: ['src/auth/**'] },
    bob: { claims: ['src/db/**'], after: ['alice'] },
    erin: { claims: ['docs/**'] },
  },
};
const AGENTS = ['alice', 'bob', 'erin'];
const FILES: Record<string, string> = { alice: 'src/auth/a.ts', bob: 'src/db/b.ts', erin: 'docs/e.md' };

/** Each agent's branch with one commit, and its ready mark. */
function prepare(repo: TestRepo): void {
  for (const agent of AGENTS) {
    repo.git('checkout', '-q', '-B', `swarm/${agent}`, 'main');
    const c = repo.commit(`${agent} work`, { [FILES[agent]!]: `${agent}\n` });
    expect(c.code, c.stderr).toBe(0);
    const r = repo.swarm(['ready']);
    expect(r.code, r.stderr).toBe(0);
  }
  repo.git('checkout', '-q', 'main');
}

/** The ledger and the branch agree: an agent is landed (mark set, no ready mark, its merge on main) or not at all. */
function consistent(repo: TestRepo, before: string): string[] {
  const onMain = repo.git('log', '--first-parent', '--format=%s', `${before}..main`).trim().split('\n').filter(Boolean);
  const landed: string[] = [];
  for (const agent of AGENTS) {
    const merged = onMain.includes(`Land ${agent}`);
    const mark = repo.tryGit(['rev-parse', '--verify', '-q', `refs/swarm/landed/${agent}`]).code === 0;
    const ready = repo.tryGit(['rev-parse', '--verify', '-q', `refs/swarm/ready/${agent}`]).code === 0;
    expect([agent, mark, ready], 'marks agree with the branch').toEqual([agent, merged, !merged]);
    if (merged) landed.push(agent);
  }
  // No lock left behind for the next run to trip over.
  const common = repo.git('rev-parse', '--path-format=absolute', '--git-common-dir').trim();
  expect(repo.run('find', [common, '-name', '*.lock']).stdout.trim()).toBe('');
  return landed;
}

describe('a lander killed at any step (SIGKILL)', () => {
  it('leaves the old state or the new, never a mix, and the next land succeeds', () => {
    const repo = swarmRepo(MANIFEST);
    const before = repo.head('main');
    const points = ['planned', 'merged:alice', 'merged:bob', 'merged:erin', 'recorded', 'published'];
    for (const point of points) {
      prepare(repo);
      const killed = repo.swarm(['land', '--all'], { SWARM_AGENT: 'lead', SWARM_TEST_CRASH_AT: point });
      expect(killed.code, point).not.toBe(0);
      expect(repo.head('main') === before, `${point}: the branch is at the old tip or the new`).toBe(point !== 'published');
      const landed = consistent(repo, before);
      expect(landed, point).toEqual(point === 'published' ? AGENTS : []);
      const again = repo.swarm(['land', '--all'], { SWARM_AGENT: 'lead' });
      expect(again.code, `${point}: ${again.stderr}${again.stdout}`).toBe(0);
      expect(consistent(repo, before), point).toEqual(AGENTS);
      // The checked-out main holds the landed files, whichever run put them there.
      expect(repo.git('status', '--porcelain').trim(), point).toBe('');
      const lands = repo.git('log', '--first-parent', '--format=%s', `${before}..main`).trim().split('\n');
      expect(lands.filter((s) => s.startsWith('Land ')).sort(), `each landed once after ${point}`).toEqual(['Land alice', 'Land bob', 'Land erin']);
      // Back to the start for the next point: main, marks and log as before.
      repo.git('reset', '-q', '--hard', before);
      for (const ref of repo.git('for-each-ref', '--format=%(refname)', 'refs/swarm/').trim().split('\n').filter(Boolean)) repo.git('update-ref', '-d', ref);
    }
  });
});
