/**
 * A lander killed with SIGKILL at each named step of a landing through coordination.remote:
 * after the fetch, before and after the push, and while its own branch follows the remote's. The
 * remote's branch is at the old tip or the new, its marks agree, the lander's own main is at
 * either, and the next land succeeds.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { AGENTS, branches, consistent, killedAt, LEAD, MANIFEST, nothingLeft, refNames } from '../helpers/landingCrash.js';
import { removeTempDirs, swarmRepo, tempDir, TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

describe('a lander killed at any step of a landing through a remote (SIGKILL)', () => {
  it('before and after the push, and while its own branch follows: the old state or the new', () => {
    const seed = swarmRepo(MANIFEST, 'coordination:\n  remote: origin\n');
    const remote = new TestRepo(tempDir('swarm-remote-'));
    seed.run('git', ['init', '-q', '--bare', '-b', 'main', remote.dir]);
    seed.git('push', '-q', remote.dir, 'main');
    const before = remote.head('main');
    const tips = branches(seed);
    seed.git('push', '-q', remote.dir, ...AGENTS.map((a) => `swarm/${a}`));
    const lander = new TestRepo(tempDir('swarm-clone-'));
    lander.git('clone', '-q', remote.dir, '.');
    lander.git('config', 'user.name', 'Test User');
    lander.git('config', 'user.email', 'test@example.com');
    expect(lander.swarm(['init']).code).toBe(0);
    const points = ['fetched', 'planned', 'judged', 'merged:alice', 'built', 'recorded', 'pushed', 'published', 'followed'];
    const pushedYet = (point: string) => points.indexOf(point) >= points.indexOf('pushed');
    for (const point of points) {
      for (const [agent, tip] of tips) remote.git('update-ref', `refs/swarm/ready/${agent}`, tip);
      killedAt(point, () => lander.swarm(['land', '--all'], { ...LEAD, SWARM_TEST_CRASH_AT: point }));
      expect(remote.head('main') === before, `${point}: the remote's branch is at the old tip or the new`).toBe(!pushedYet(point));
      expect(consistent(remote, before, point)).toEqual(pushedYet(point) ? AGENTS : []);
      expect([before, remote.head('main')], `${point}: the lander's own main is at either`).toContain(lander.head('main'));
      const again = lander.swarm(['land', '--all'], LEAD);
      expect(again.code, `${point}: ${again.stderr}${again.stdout}`).toBe(0);
      expect(consistent(remote, before, point)).toEqual(AGENTS);
      nothingLeft(lander, point);
      expect(lander.git('status', '--porcelain').trim(), point).toBe('');
      remote.git('update-ref', 'refs/heads/main', before);
      for (const ref of refNames(remote, 'refs/swarm/')) remote.git('update-ref', '-d', ref);
      lander.git('reset', '-q', '--hard', before);
    }
  }, 120_000);
});
