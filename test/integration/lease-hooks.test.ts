import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, initRepo, removeTempDirs, swarmRepo, tempDir, TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

const MANIFEST = {
  version: 1,
  agents: {
    lead: { role: 'lead' },
    alice: { claims: ['src/auth/**'] },
    bob: { claims: ['src/db/**'] },
  },
};

const as = (agent: string) => ({ SWARM_AGENT: agent });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function repo(): TestRepo {
  return swarmRepo(MANIFEST);
}

function claim(r: TestRepo, agent: string, ...args: string[]): void {
  const c = r.swarm(['claim', ...args], as(agent));
  expect(c.code, c.stderr).toBe(0);
}

/** A CI checkout: a fresh clone of `origin`, optionally with the ledger fetched as README says. */
function ciClone(origin: TestRepo, fetchLedger: boolean): TestRepo {
  const ci = new TestRepo(tempDir(), origin.home);
  ci.git('clone', '-q', origin.dir, '.');
  if (fetchLedger) ci.git('fetch', '-q', 'origin', '+refs/swarm/*:refs/swarm/*');
  return ci;
}

describe('leases in the hooks', () => {
  it('lets the holder commit under its lease with a Swarm-Lease trailer, and refuses everybody else naming the lease', () => {
    const r = repo();
    claim(r, 'alice', 'docs/**');
    const ok = r.commit('docs under a lease', ['docs/guide.md'], as('alice'));
    expect(ok.code, ok.stderr).toBe(0);
    expect(r.message()).toMatch(/Swarm-Agent: alice\nSwarm-Lease: 1\n/);
    const refused = r.commit('bob tries', ['docs/other.md'], as('bob'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/held exclusively by alice \(lease 1 on docs\/\*\* until .* UTC\)/);
    expect(refused.stderr).toContain('git swarm claim docs/other.md --wait=10m');
    r.git('reset', '-q', '--hard');
    // A commit inside the agent's manifest claims needs no lease and names none.
    expect(r.commit('auth work', ['src/auth/a.ts'], as('alice')).code).toBe(0);
    expect(r.message()).not.toContain('Swarm-Lease');
  });

  it('refuses the holder once its lease has lapsed, saying when, and warns while it is about to', async () => {
    const r = repo();
    claim(r, 'alice', 'docs/**', '--ttl', '4m');
    const warned = r.commit('soon', ['docs/a.md'], as('alice'));
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toContain('your lease is about to lapse');
    expect(warned.stderr).toContain('git swarm renew');
    claim(r, 'alice', 'notes/**', '--ttl', '1s');
    await sleep(1100);
    const lapsed = r.commit('late', ['notes/n.md'], as('alice'));
    expect(lapsed.code).toBe(1);
    expect(lapsed.stderr).toMatch(/alice's lease 2 on notes\/\*\* lapsed at .* UTC \(\d+s ago\); nobody else holds the path now/);
    expect(lapsed.stderr).toContain("take it again before committing: git swarm claim 'notes/**'");
  });

  it('refuses --no-verify past a lease too: prepare-commit-msg runs the same rule', () => {
    const r = repo();
    claim(r, 'alice', 'docs/**');
    const refused = r.commit('bob skips', ['docs/b.md'], as('bob'), ['--no-verify']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('held exclusively by alice (lease 1');
  });

  it("binds pre-commit's stamp to the ledger: a lease taken after a failed commit is honoured by the next one", () => {
    const r = repo();
    r.write('docs/late.md', 'x\n');
    r.git('add', '-A');
    // pre-commit passes (lead) and leaves its stamp; the empty message then aborts the commit.
    expect(r.tryGit(['commit', '-m', ''], as('lead')).code).not.toBe(0);
    claim(r, 'alice', 'docs/**');
    const refused = r.tryGit(['commit', '--no-verify', '-m', 'lead, late'], as('lead'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('held exclusively by alice (lease 1');
  });

  it('keeps the trailers prepare-commit-msg found: a Swarm-Lease written in the message is replaced or removed', () => {
    const r = repo();
    claim(r, 'alice', 'docs/**');
    expect(r.commit('own work\n\nSwarm-Lease: 99', ['src/auth/z.ts'], as('alice')).code).toBe(0);
    expect(r.message()).not.toContain('Swarm-Lease');
    expect(r.commit('leased work\n\nSwarm-Lease: 99', ['docs/z.md'], as('alice')).code).toBe(0);
    expect(r.message()).toMatch(/Swarm-Lease: 1\n/);
    expect(r.message()).not.toContain('99');
  });

  it('falls back to the last valid ledger version when the newest is corrupt, with a warning; claim refuses it (exit 2)', () => {
    const r = repo();
    claim(r, 'alice', 'docs/**');
    const good = r.head('refs/swarm/leases');
    const blob = r.run('git', ['hash-object', '-w', '--stdin'], { input: '{"version":1,"leases":"none"}' }).stdout.trim();
    const tree = r.run('git', ['mktree'], { input: `100644 blob ${blob}\tleases.json\n` }).stdout.trim();
    r.git('update-ref', 'refs/swarm/leases', r.git('commit-tree', tree, '-p', good, '-m', 'vandalism').trim());
    const refused = r.commit('bob tries', ['docs/b.md'], as('bob'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Leases are read from its last valid version (${good.slice(0, 10)})`);
    expect(refused.stderr).toContain('held exclusively by alice (lease 1');
    r.git('reset', '-q', '--hard');
    expect(r.swarm(['claim', 'x/**'], as('bob')).code).toBe(2);
    const doctor = r.swarm(['doctor'], as('bob'));
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('restore the last good version with git update-ref refs/swarm/leases <commit>');
    r.git('update-ref', 'refs/swarm/leases', good);
    expect(r.swarm(['doctor'], as('alice')).stdout).toMatch(/lease ledger refs\/swarm\/leases is readable: 1 lease in force, 1 of them alice's \(the first lapses at .* UTC\)/);
  });
});

describe('leases in check (CI) and pre-push', () => {
  it('accepts a commit made under a lease when the ledger history shows that agent holding that token over the path', () => {
    const r = repo();
    r.git('checkout', '-q', '-b', 'swarm/alice');
    claim(r, 'alice', 'docs/**');
    expect(r.commit('docs', ['docs/guide.md'], as('alice')).code).toBe(0);
    r.git('checkout', '-q', 'main');
    const ci = ciClone(r, true);
    ci.git('checkout', '-q', 'swarm/alice');
    const passed = ci.swarm(['check', '--integration', 'main', '--base', 'origin/main']);
    expect(passed.code, passed.stdout + passed.stderr).toBe(0);
    // Without refs/swarm/* there is no grant to believe: fail closed.
    const bare = ciClone(r, false);
    bare.git('checkout', '-q', 'swarm/alice');
    const failed = bare.swarm(['check', '--integration', 'main', '--base', 'origin/main']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('outside-claims');
  });

  it("refuses a trailer naming another agent's token, or a token for other paths, in check and pre-push", () => {
    const r = repo();
    claim(r, 'alice', 'docs/**');
    claim(r, 'bob', 'notes/**');
    r.git('checkout', '-q', '-b', 'swarm/bob');
    // Made past the hooks (SWARM_SKIP) with a hand-written trailer: alice's token 1 over docs/**.
    r.write('docs/stolen.md', 'x\n');
    r.git('add', '-A');
    r.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'steal\n\nSwarm-Agent: bob\nSwarm-Lease: 1');
    r.write('src/auth/x.ts', 'x\n');
    r.git('add', '-A');
    r.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'wrong paths\n\nSwarm-Agent: bob\nSwarm-Lease: 2');
    const ci = ciClone(r, true);
    ci.git('checkout', '-q', 'swarm/bob');
    const checked = ci.swarm(['check', '--integration', 'main', '--base', 'origin/main', '--format', 'json']);
    expect(checked.code).toBe(1);
    const report = JSON.parse(checked.stdout) as { violations: Array<{ code: string; path: string }> };
    expect(report.violations.map((v) => [v.code, v.path]).sort()).toEqual([
      ['held-by-other', 'src/auth/x.ts'],
      ['outside-claims', 'docs/stolen.md'],
    ]);
    const remote = initRepo(tempDir());
    r.git('remote', 'add', 'origin', remote.dir);
    const pushed = r.tryGit(['push', 'origin', 'swarm/bob']);
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toContain('docs/stolen.md');
  });
});

/** A ledger version written with plumbing, as an agent with a shell could; returns its commit. */
function forgeVersion(r: TestRepo, doc: object, parents: string[]): string {
  const blob = r.run('git', ['hash-object', '-w', '--stdin'], { input: JSON.stringify(doc) }).stdout.trim();
  const tree = r.run('git', ['mktree'], { input: `100644 blob ${blob}\tleases.json\n` }).stdout.trim();
  return r.git('commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', 'forged').trim();
}

/** A commit made with the hooks off and a hand-written trailer. */
function commitPastHooks(r: TestRepo, path: string, agent: string, token: number): void {
  r.write(path, `${Math.random()}\n`);
  r.git('add', '-A');
  r.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', `work\n\nSwarm-Agent: ${agent}\nSwarm-Lease: ${token}`);
}

describe('attacks on leases (found by an adversarial pass)', () => {
  it('fences out a stale token: once another agent was granted the path, an older token proves nothing in check', async () => {
    const r = repo();
    claim(r, 'alice', 'notes/**', '--ttl', '1s');
    await sleep(1100);
    claim(r, 'bob', 'notes/**');
    r.git('checkout', '-q', '-b', 'swarm/alice');
    commitPastHooks(r, 'notes/a.md', 'alice', 1);
    const ci = ciClone(r, true);
    ci.git('checkout', '-q', 'swarm/alice');
    const checked = ci.swarm(['check', '--integration', 'main', '--base', 'origin/main']);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain('its Swarm-Lease 1 proves no lease of alice');
    expect(checked.stdout).toContain("git fetch origin '+refs/swarm/*:refs/swarm/*'");
  });

  it('walks every parent of the trail: a merged-in forged root cannot lend a token to someone else', () => {
    const r = repo();
    claim(r, 'bob', 'docs/**');
    const real = r.head('refs/swarm/leases');
    const now = Date.now();
    const forged = { version: 1, nextToken: 2, nextTicket: 1, queue: [], leases: [{ token: 1, agent: 'alice', pattern: 'docs/**', shared: false, granted: now, expires: now + 60_000 }] };
    const root = forgeVersion(r, forged, []);
    r.git('update-ref', 'refs/swarm/leases', forgeVersion(r, forged, [root, real]));
    r.git('checkout', '-q', '-b', 'swarm/alice');
    commitPastHooks(r, 'docs/x.md', 'alice', 1);
    const ci = ciClone(r, true);
    ci.git('checkout', '-q', 'swarm/alice');
    expect(ci.swarm(['check', '--integration', 'main', '--base', 'origin/main']).code).toBe(1);
  });

  it('treats a ref file that resolves to nothing as corrupt, never as "no leases"', () => {
    const r = repo();
    claim(r, 'alice', 'docs/**');
    const common = r.git('rev-parse', '--path-format=absolute', '--git-common-dir').trim();
    writeFileSync(join(common, 'refs', 'swarm', 'leases'), 'garbage\n');
    const claims = r.swarm(['claims']);
    expect(claims.code).toBe(2);
    expect(claims.stderr).toContain('refs/swarm/leases exists but names no object git can read');
    const commit = r.commit('lead writes docs', ['docs/x.md'], as('lead'));
    expect(commit.code).not.toBe(0);
    expect(commit.stderr).toContain('git update-ref -d refs/swarm/leases');
  });

  it('refuses a case variant of a path under another agent\'s lease (case-insensitive checkouts)', () => {
    const r = repo();
    claim(r, 'alice', 'docs/**');
    const refused = r.commit('lead', ['Docs/l.md'], as('lead'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('differs only in letter case');
  });

  it('does not let a waiter queue for a manifest claim, nor renew keep a waiter out', async () => {
    const r = repo();
    const hopeless = r.swarm(['claim', 'src/**', '--wait=30s'], as('bob'));
    expect(hopeless.code).toBe(3);
    expect(hopeless.stderr).toContain('alice claims src/auth/** in the manifest until it lands');
    // Refused before joining the queue: nothing was written.
    expect(r.tryGit(['rev-parse', '--verify', '-q', 'refs/swarm/leases']).code).not.toBe(0);
    claim(r, 'alice', 'docs/**', '--ttl', '2m');
    const before = JSON.parse(r.git('show', 'refs/swarm/leases:leases.json')).leases[0].expires as number;
    const waiting = startClaim(r, ['claim', 'docs/x.md', '--wait=20s'], 'bob');
    await until(() => r.git('show', 'refs/swarm/leases:leases.json').includes('"ticket"'));
    const renewed = r.swarm(['renew', '--ttl', '30m'], as('alice'));
    expect(renewed.stderr).toContain('not renewed, somebody is waiting for them');
    expect(JSON.parse(r.git('show', 'refs/swarm/leases:leases.json')).leases[0].expires).toBe(before);
    expect(r.swarm(['release', '--all'], as('alice')).code).toBe(0);
    expect((await waiting).code).toBe(0);
  });

  it('refuses bad local state with exit 2 naming it: a file where the ledger tmp folder belongs, a counter at its bound, an unknown agent to force-release', () => {
    const r = repo();
    const common = r.git('rev-parse', '--path-format=absolute', '--git-common-dir').trim();
    writeFileSync(join(common, 'swarm', 'tmp'), 'not a folder');
    const tmp = r.swarm(['claim', 'docs/**'], as('alice'));
    expect(tmp.code).toBe(2);
    expect(tmp.stderr).toContain(`${join(common, 'swarm', 'tmp')} has a file where git-swarm expects a directory`);
    rmSync(join(common, 'swarm', 'tmp'));
    const full = { version: 1, nextToken: 999_999_999_999_999, nextTicket: 1, queue: [], leases: [] };
    const version = forgeVersion(r, full, []);
    r.git('update-ref', 'refs/swarm/leases', version);
    const overflow = r.swarm(['claim', 'docs/**'], as('alice'));
    expect(overflow.code).toBe(2);
    expect(r.head('refs/swarm/leases')).toBe(version);
    const unknown = r.swarm(['claim', '--force-release', 'nobody'], as('lead'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"nobody" is not an agent of the manifest');
  });
});

function startClaim(r: TestRepo, args: string[], agent: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: r.dir, env: r.env(as(agent)) });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await sleep(50);
  expect(check()).toBe(true);
}
