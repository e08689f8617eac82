import { afterAll, describe, expect, it } from 'vitest';
import { initRepo, removeTempDirs, swarmRepo, tempDir, TestRepo } from '../helpers/repo.js';

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
