/**
 * Leases across machines: every clone has git-swarm installed and `.swarmrc` names the shared
 * remote (`coordination: {remote: origin}`), so a lease is a push to the remote's refs/swarm/leases.
 * Clones race through file:// and through `git daemon`; the verdict comes from the remote's trail.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, expectSoundTrail, newReport, raceLoop } from '../helpers/leaseRace.js';
import { copyRepo, removeTempDirs, swarmRepo, tempDir, TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

const RACERS = Array.from({ length: 8 }, (_, i) => `a${i + 1}`);
const MANIFEST = {
  version: 1,
  agents: { lead: { role: 'lead' }, alice: { claims: [] }, bob: { claims: [] }, ...Object.fromEntries(RACERS.map((a) => [a, { claims: [] }])) },
};

/** A bare repository holding main with the manifest and `.swarmrc` naming origin as the coordination remote. */
function sharedRemote(dir = tempDir('swarm-remote-')): string {
  const seed = swarmRepo(MANIFEST, 'coordination:\n  remote: origin\n');
  seed.run('git', ['init', '-q', '--bare', '-b', 'main', dir]);
  seed.git('push', '-q', dir, 'main');
  return dir;
}

/** Another machine: a clone of `url` with git-swarm installed. */
function machine(url: string): TestRepo {
  const r = new TestRepo(tempDir('swarm-clone-'));
  r.git('clone', '-q', url, '.');
  r.git('config', 'user.name', 'Test User');
  r.git('config', 'user.email', 'test@example.com');
  const init = r.swarm(['init']);
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  expect(r.git('status', '--porcelain')).toBe('');
  return r;
}

/**
 * `n` machines on `url`: one made as above, the others copies of it, which hold exactly what
 * another clone and init would (nothing in a clone depends on when it was made), for less.
 */
function machines(url: string, n: number): TestRepo[] {
  const first = machine(url);
  return [first, ...Array.from({ length: n - 1 }, () => copyRepo(first.dir))];
}

const as = (agent: string) => ({ SWARM_AGENT: agent });

function remoteLedger(bare: string): { leases: Array<{ agent: string; pattern: string }>; queue: Array<{ agent: string }> } {
  return JSON.parse(new TestRepo(bare).git('show', 'refs/swarm/leases:leases.json'));
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(check()).toBe(true);
}

/** One clone of `url` per agent, racing with overlapping claims; then the remote's trail is judged. */
async function race(url: string, bare: string, agents: readonly string[], rounds: number): Promise<void> {
  const clones = machines(url, agents.length);
  const report = newReport();
  await Promise.all(agents.map((agent, i) => raceLoop(clones[i]!.dir, clones[i]!.env(as(agent)), agent, rounds, report)));
  expect(report.claims).toBeGreaterThan(0);
  expectSoundTrail(bare, report);
  // Each clone's own copy follows the remote: what it read last is on the remote's chain.
  for (const c of clones) expect(new TestRepo(bare).tryGit(['merge-base', '--is-ancestor', c.head('refs/swarm/leases'), 'refs/swarm/leases']).code).toBe(0);
}

describe('leases through a shared remote', () => {
  it('refuses bob on another machine while alice holds the paths, and hands them over to bob --wait when she releases', async () => {
    const bare = sharedRemote();
    const [one, two] = machines(`file://${bare}`, 2) as [TestRepo, TestRepo];
    expect(one.swarm(['claim', 'docs/**'], as('alice')).code).toBe(0);
    expect(remoteLedger(bare).leases).toMatchObject([{ agent: 'alice', pattern: 'docs/**' }]);
    const refused = two.swarm(['claim', 'docs/api/**'], as('bob'));
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/docs\/api\/\*\*: alice holds docs\/\*\* \(lease 1, until/);
    const waiting = cli(two.dir, two.env(as('bob')), ['claim', 'docs/api/**', '--wait=60s']);
    await until(() => remoteLedger(bare).queue.some((t) => t.agent === 'bob'));
    expect(one.swarm(['release', 'docs/**'], as('alice')).code).toBe(0);
    const done = await waiting;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('bob holds:\n  docs/api/**  token 2');
    expect(remoteLedger(bare)).toMatchObject({ leases: [{ agent: 'bob', pattern: 'docs/api/**' }], queue: [] });
    // alice's machine learns of bob's lease from the remote.
    const seen = JSON.parse(one.swarm(['claims', '--format', 'json']).stdout) as { leases: Array<{ agent: string }> };
    expect(seen.leases.map((l) => l.agent)).toEqual(['bob']);
  });

  it('eight clones racing through file:// leave a sound trail on the remote', async () => {
    const bare = sharedRemote();
    await race(`file://${bare}`, bare, RACERS, 3);
  }, 120_000);

  it('a host that refuses refs/swarm/* makes claim fail with exit 2 and git\'s reason, not a stack trace or a hang', async () => {
    const bare = sharedRemote();
    const hook = join(bare, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\nwhile read old new ref; do case "$ref" in refs/swarm/*) echo "refs/swarm/* is reserved on this host" >&2; exit 1;; esac; done\n', { mode: 0o755 });
    const r = machine(`file://${bare}`);
    const refused = await cli(r.dir, r.env(as('alice')), ['claim', 'docs/**']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refs/swarm/* is reserved on this host');
    expect(refused.stderr).toContain('refused the ledger write to refs/swarm/leases; nothing was taken');
    expect(refused.stderr).toContain('or set coordination.remote: null');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(refused.stderr).not.toContain('internal error');
    expect(new TestRepo(bare).tryGit(['rev-parse', '--verify', '-q', 'refs/swarm/leases']).code).not.toBe(0);
  });
});

/** A free port on 127.0.0.1, as the system hands one out. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const gitDaemon = join(new TestRepo(process.cwd()).git('--exec-path').trim(), 'git-daemon');

// git daemon ships with git, but some distributions package it apart (git-daemon-run, git-daemon-sysvinit).
describe.skipIf(!existsSync(gitDaemon))('leases through git daemon (git://)', () => {
  it('four clones racing over the network protocol leave a sound trail on the remote', async () => {
    const base = tempDir('swarm-daemon-');
    const bare = sharedRemote(join(base, 'project.git'));
    const port = await freePort();
    const daemon = spawn('git', ['daemon', '--reuseaddr', `--base-path=${base}`, '--export-all', '--enable=receive-pack', '--listen=127.0.0.1', `--port=${port}`], {
      env: new TestRepo(base).env(),
      stdio: 'ignore',
    });
    const url = `git://127.0.0.1:${port}/project.git`;
    try {
      await until(() => new TestRepo(base).tryGit(['ls-remote', url, 'main']).code === 0);
      await race(url, bare, RACERS.slice(0, 4), 3);
    } finally {
      daemon.kill();
    }
  }, 120_000);
});
