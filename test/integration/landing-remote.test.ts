/**
 * Landing across machines: `.swarmrc` names the shared remote (coordination.remote), agents mark
 * their work ready from their own clones, and leads in two other clones land at once through the
 * one remote: one `push --atomic` with --force-with-lease on every ref moved; a lost race rebuilds.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, copyRepo, removeTempDirs, swarmRepo, tempDir, TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

const MANIFEST = {
  version: 1,
  agents: {
    lead: { role: 'lead' },
    lead2: { role: 'lead' },
    alice: { task: 'auth', claims: ['src/auth/**'] },
    bob: { claims: ['src/db/**'], after: ['alice'] },
    erin: { claims: ['docs/**'] },
  },
};
const FILES: Record<string, string> = { alice: 'src/auth/a.ts', bob: 'src/db/b.ts', erin: 'docs/e.md' };
const as = (agent: string) => ({ SWARM_AGENT: agent });

/** A bare remote holding main with the manifest and `.swarmrc` naming origin as the coordination remote. */
function sharedRemote(): TestRepo {
  const seed = swarmRepo(MANIFEST, 'coordination:\n  remote: origin\n');
  const dir = tempDir('swarm-remote-');
  seed.run('git', ['init', '-q', '--bare', '-b', 'main', dir]);
  seed.git('push', '-q', dir, 'main');
  return new TestRepo(dir);
}

/** `n` other machines: a clone with git-swarm installed, and copies of it (cheaper than cloning and installing again). */
function machines(remote: TestRepo, n: number): TestRepo[] {
  const first = new TestRepo(tempDir('swarm-clone-'));
  first.git('clone', '-q', remote.dir, '.');
  first.git('config', 'user.name', 'Test User');
  first.git('config', 'user.email', 'test@example.com');
  const init = first.swarm(['init']);
  expect(init.code, init.stderr).toBe(0);
  return [first, ...Array.from({ length: n - 1 }, () => copyRepo(first.dir))];
}

/** The agent's work committed on its branch in its own clone, and marked ready there. */
function readyFrom(clone: TestRepo, agent: string): void {
  clone.git('checkout', '-q', '-B', `swarm/${agent}`, 'origin/main');
  const c = clone.commit(`${agent} work`, { [FILES[agent]!]: `${agent}\n` }, as(agent));
  expect(c.code, c.stderr).toBe(0);
  const r = clone.swarm(['ready'], as(agent));
  expect(r.code, r.stderr + r.stdout).toBe(0);
}

const refs = (repo: TestRepo, prefix: string) => repo.git('for-each-ref', '--format=%(refname)', prefix).trim().split('\n').filter(Boolean);
const lands = (repo: TestRepo, from: string) => repo.git('log', '--first-parent', '--format=%s', `${from}..main`).trim().split('\n').filter(Boolean);

function landAsync(clone: TestRepo, lead: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'land', '--all', '--format', 'json'], { cwd: clone.dir, env: clone.env(as(lead)) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('landing through coordination.remote', () => {
  it('two clones land at once through one remote: each agent lands exactly once, and the marks on the remote agree', async () => {
    const remote = sharedRemote();
    const before = remote.head('main');
    const [agents, one, two] = machines(remote, 3) as [TestRepo, TestRepo, TestRepo];
    for (const agent of ['alice', 'bob', 'erin']) readyFrom(agents, agent);
    // ready published the marks, and the commits they name, on the remote.
    expect(refs(remote, 'refs/swarm/ready/')).toEqual(['refs/swarm/ready/alice', 'refs/swarm/ready/bob', 'refs/swarm/ready/erin']);
    const results = await Promise.all([landAsync(one, 'lead'), landAsync(two, 'lead2')]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const landed = results.map((r) => JSON.parse(r.stdout) as { landed: Array<{ agent: string }>; published: boolean; remote: string; local: string });
    // Nothing lands twice, nothing is lost: between them the two landers landed each agent once.
    expect(landed.flatMap((l) => l.landed.map((x) => x.agent)).sort()).toEqual(['alice', 'bob', 'erin']);
    expect(lands(remote, before).sort()).toEqual(['Land alice: auth', 'Land bob', 'Land erin']);
    expect(lands(remote, before).indexOf('Land bob')).toBeLessThan(lands(remote, before).indexOf('Land alice: auth'));
    expect(refs(remote, 'refs/swarm/ready/')).toEqual([]);
    expect(refs(remote, 'refs/swarm/landed/')).toEqual(['refs/swarm/landed/alice', 'refs/swarm/landed/bob', 'refs/swarm/landed/erin']);
    const records = remote.git('log', '--format=%s', 'refs/swarm/landings').trim().split('\n');
    expect(records).toHaveLength(landed.filter((l) => l.published).length);
    // A lander's own main follows the remote's (it had nothing of its own): the last one to publish is at the remote's tip.
    const publishers = [one, two].filter((_, i) => landed[i]!.published);
    expect(publishers.length).toBeGreaterThan(0);
    for (const l of landed) if (l.published) expect(l.local).toBe('moved');
    expect(publishers.some((c) => c.head('main') === remote.head('main'))).toBe(true);
    for (const c of publishers) expect(c.git('status', '--porcelain')).toBe('');
    expect(remote.git('fsck', '--no-dangling').trim()).toBe('');
  }, 60_000);

  it('keeps a local main that has commits of its own, says how to catch up; undo goes through the remote too', () => {
    const remote = sharedRemote();
    const [agents, lead, other] = machines(remote, 3) as [TestRepo, TestRepo, TestRepo];
    readyFrom(agents, 'erin');
    lead.commit('local only', { 'NOTES.md': 'mine\n' }, as('lead'));
    const mine = lead.head('main');
    const r = lead.swarm(['land', 'erin'], as('lead'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('landed through origin');
    expect(r.stdout).toContain('your local main has commits origin does not: it was left as it is; bring it up to date with git pull --rebase origin main');
    expect(lead.head('main')).toBe(mine);
    expect(lands(remote, remote.head('main^'))).toEqual(['Land erin']);
    // Another clone's lead undoes it; that clone's main follows the remote.
    const id = (JSON.parse(other.swarm(['landings', '--format', 'json']).stdout) as { landings: Array<{ id: string }> }).landings[0]!.id;
    const undo = other.swarm(['undo', id], as('lead2'));
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toContain(`undid landing ${id} on main through origin`);
    expect(remote.git('log', '-1', '--format=%s', 'main').trim()).toBe(`Undo landing ${id}: erin`);
    expect(refs(remote, 'refs/swarm/landed/')).toEqual([]);
    expect(other.head('main')).toBe(remote.head('main'));
    expect(existsSync(join(other.dir, 'docs/e.md'))).toBe(false);
  }, 60_000);

  it('a host that refuses the landing: exit 2 naming the remote and what it said; nothing moved', () => {
    const remote = sharedRemote();
    const [agents, lead] = machines(remote, 2) as [TestRepo, TestRepo];
    readyFrom(agents, 'erin');
    const hook = join(remote.dir, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\nwhile read old new ref; do [ "$ref" = refs/heads/main ] && { echo "main is protected here" >&2; exit 1; }; done\nexit 0\n');
    chmodSync(hook, 0o755);
    const before = remote.head('main');
    const r = lead.swarm(['land', 'erin'], as('lead'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the remote "origin" (coordination.remote) refused the landing; nothing landed there.');
    expect(r.stderr).toContain('main is protected here');
    expect(remote.head('main')).toBe(before);
    expect(refs(remote, 'refs/swarm/ready/')).toEqual(['refs/swarm/ready/erin']);
    expect(refs(remote, 'refs/swarm/landed/')).toEqual([]);
  }, 60_000);
});
