/**
 * A lander killed with SIGKILL at each named step (SWARM_TEST_CRASH_AT): after planning, judging,
 * each merge, building, during the check, just before and just after the transaction, and while
 * undoing (landing-crash-remote.test.ts: through a remote). Each time: the integration branch is at
 * the old tip or the new one, every mark agrees with it, nothing (lock, temporary worktree, half
 * ref) is left in the way, and the next run succeeds, landing each agent exactly once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { AGENTS, branches, consistent, killedAt, LEAD, MANIFEST, nothingLeft, refNames } from '../helpers/landingCrash.js';
import { removeTempDirs, swarmRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

describe('a lander killed at any step (SIGKILL)', () => {
  it('on this machine, with a check: the old state or the new, never a mix, and the next land succeeds', () => {
    const repo = swarmRepo(MANIFEST);
    const before = repo.head('main');
    const tips = branches(repo);
    const points = ['planned', 'judged', 'merged:alice', 'merged:bob', 'merged:dave', 'merged:erin', 'built', 'checking', 'checked', 'recorded', 'published'];
    for (const point of points) {
      for (const [agent, tip] of tips) repo.git('update-ref', `refs/swarm/ready/${agent}`, tip);
      killedAt(point, () => repo.swarm(['land', '--all', '--check', 'true'], { ...LEAD, SWARM_TEST_CRASH_AT: point }));
      expect(repo.head('main') === before, `${point}: the branch is at the old tip or the new`).toBe(point !== 'published');
      expect(consistent(repo, before, point)).toEqual(point === 'published' ? AGENTS : []);
      const again = repo.swarm(['land', '--all', '--check', 'true'], LEAD);
      expect(again.code, `${point}: ${again.stderr}${again.stdout}`).toBe(0);
      expect(consistent(repo, before, point)).toEqual(AGENTS);
      nothingLeft(repo, point);
      // The checked-out main holds the landed files, whichever run put them there.
      expect(repo.git('status', '--porcelain').trim(), point).toBe('');
      repo.git('reset', '-q', '--hard', before);
      for (const ref of refNames(repo, 'refs/swarm/')) repo.git('update-ref', '-d', ref);
    }
  }, 120_000);

  it('while undoing: the landing stays or is undone whole', () => {
    const repo = swarmRepo(MANIFEST);
    const tips = branches(repo);
    repo.git('update-ref', 'refs/swarm/ready/erin', tips.get('erin')!);
    expect(repo.swarm(['land', 'erin'], LEAD).code).toBe(0);
    const landed = repo.head('main');
    const id = (JSON.parse(repo.git('show', 'refs/swarm/landings:landing.json')) as { id: string }).id;
    for (const point of ['reverting', 'recorded', 'published']) {
      killedAt(point, () => repo.swarm(['undo', id], { ...LEAD, SWARM_TEST_CRASH_AT: point }));
      const undone = repo.head('main') !== landed;
      expect(undone, point).toBe(point === 'published');
      expect(repo.tryGit(['rev-parse', '--verify', '-q', 'refs/swarm/landed/erin']).code === 0, `${point}: the mark agrees`).toBe(!undone);
      const again = repo.swarm(['undo', id], LEAD);
      expect(again.code, `${point}: ${again.stderr}`).toBe(undone ? 1 : 0);
      expect(repo.git('log', '-1', '--format=%s', 'main').trim(), point).toBe(`Undo landing ${id}: erin`);
      nothingLeft(repo, point);
      expect(repo.git('status', '--porcelain').trim(), point).toBe('');
      // Back to the landed state for the next point.
      repo.git('reset', '-q', '--hard', landed);
      repo.git('update-ref', 'refs/swarm/landed/erin', tips.get('erin')!);
      repo.git('update-ref', 'refs/swarm/landings', 'refs/swarm/landings~1');
    }
  }, 60_000);
});
