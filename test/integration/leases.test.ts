import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, removeTempDirs, swarmRepo, type TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

const MANIFEST = {
  version: 1,
  agents: {
    lead: { role: 'lead' },
    alice: { claims: ['src/auth/**'] },
    bob: { claims: ['src/db/**'], after: ['alice'] },
    dave: { claims: [] },
    rita: { role: 'reader' },
  },
};

const SETTINGS = 'leases:\n  defaultTtl: 30m\n  maxTtl: 1h\nlimits:\n  maxClaimsPerAgent: 3\n';

function repo(): TestRepo {
  return swarmRepo(MANIFEST, SETTINGS);
}

const as = (agent: string) => ({ SWARM_AGENT: agent });

interface Ledger {
  nextToken: number;
  leases: Array<{ token: number; agent: string; pattern: string; shared: boolean; expires: number }>;
  queue: Array<{ ticket: number; agent: string; patterns: string[] }>;
}

function ledger(r: TestRepo): Ledger {
  return JSON.parse(r.git('show', 'refs/swarm/leases:leases.json')) as Ledger;
}

describe('git swarm claim', () => {
  it('grants all globs with increasing fencing tokens, lists them, and records who did it in the audit trail', () => {
    const r = repo();
    const first = r.swarm(['claim', 'docs/**', 'README.md', '--format', 'json'], as('alice'));
    expect(first.code, first.stderr).toBe(0);
    const granted = JSON.parse(first.stdout) as { ok: boolean; granted: Array<{ token: number; pattern: string }> };
    expect(granted.ok).toBe(true);
    expect(granted.granted.map((l) => [l.pattern, l.token])).toEqual([['docs/**', 1], ['README.md', 2]]);
    expect(r.swarm(['release', 'README.md'], as('alice')).code).toBe(0);
    const again = r.swarm(['claim', 'README.md', '--format', 'json'], as('dave'));
    expect(JSON.parse(again.stdout).granted[0].token).toBe(3);
    const list = r.swarm(['claims']);
    expect(list.stdout).toMatch(/alice +docs\/\*\* +token 1 +until/);
    expect(list.stdout).toMatch(/dave +README\.md +token 3/);
    const log = r.git('log', '--format=%an|%s', 'refs/swarm/leases').trim().split('\n');
    expect(log).toHaveLength(3);
    expect(log[0]).toMatch(/^dave\|claim dave: README\.md #3 until /);
    expect(log[1]).toBe('alice|release alice: README.md #2');
    const json = JSON.parse(r.swarm(['claims', '--format', 'json']).stdout) as { leases: unknown[]; ledger: string };
    expect(json.leases).toHaveLength(2);
    expect(json.ledger).toBe(r.head('refs/swarm/leases'));
  });

  it('refuses (exit 3) a glob overlapping a live lease or an unlanded exclusive claim, naming holder, pattern, path and expiry; takes nothing', () => {
    const r = repo();
    expect(r.swarm(['claim', 'docs/**'], as('alice')).code).toBe(0);
    const before = r.head('refs/swarm/leases');
    const refused = r.swarm(['claim', 'notes.md', 'docs/api/*.md', 'src/auth/login.ts'], as('dave'));
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('nothing was taken');
    expect(refused.stderr).toMatch(/docs\/api\/\*\.md: alice holds docs\/\*\* \(lease 1, until .* UTC, in \d+m\), e\.g\. docs\/api\/.*\.md/);
    expect(refused.stderr).toContain('src/auth/login.ts: alice claims src/auth/** in the manifest until it lands, e.g. src/auth/login.ts');
    expect(refused.stderr).toContain("git swarm claim notes.md 'docs/api/*.md' src/auth/login.ts --wait=10m");
    expect(r.head('refs/swarm/leases')).toBe(before);
    // bob comes after alice: alice may lease inside bob's claim, bob not inside alice's.
    expect(r.swarm(['claim', 'src/db/x.ts'], as('alice')).code).toBe(0);
    expect(r.swarm(['claim', 'src/auth/y.ts'], as('bob')).code).toBe(3);
  });

  it('lets shared leases overlap each other but not an exclusive one', () => {
    const r = repo();
    expect(r.swarm(['claim', '--shared', 'CHANGELOG.md'], as('alice')).code).toBe(0);
    expect(r.swarm(['claim', '--shared', 'CHANGELOG.md'], as('dave')).code).toBe(0);
    expect(r.swarm(['claim', 'CHANGELOG.md'], as('bob')).code).toBe(3);
  });

  it('refuses a reader, a TTL over maxTtl and too many claims with exit 1, and bad input with exit 2 naming it', () => {
    const r = repo();
    const reader = r.swarm(['claim', 'docs/**'], as('rita'));
    expect(reader.code).toBe(1);
    expect(reader.stderr).toContain('rita is a reader');
    const ttl = r.swarm(['claim', 'docs/**', '--ttl', '2h'], as('dave'));
    expect(ttl.code).toBe(1);
    expect(ttl.stderr).toContain('longer than leases.maxTtl (1h)');
    const many = r.swarm(['claim', 'a', 'b', 'c', 'd'], as('dave'));
    expect(many.code).toBe(1);
    expect(many.stderr).toContain('over limits.maxClaimsPerAgent (3)');
    const glob = r.swarm(['claim', '../etc'], as('dave'));
    expect(glob.code).toBe(2);
    expect(glob.stderr).toContain('"../etc" is not a claim glob');
    const badTtl = r.swarm(['claim', 'x', '--ttl', 'soon'], as('dave'));
    expect(badTtl.code).toBe(2);
    expect(badTtl.stderr).toContain('--ttl needs a duration');
    const nobody = r.swarm(['claim', 'x']);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain('who is claiming?');
    expect(r.swarm(['claim'], as('dave')).code).toBe(2);
    expect(r.tryGit(['rev-parse', '--verify', '-q', 'refs/swarm/leases']).code).not.toBe(0);
  });

  it('releases by pattern or --all, renews, and lets only a lead force-release', () => {
    const r = repo();
    expect(r.swarm(['claim', 'docs/**', 'notes/**', '--ttl', '5m'], as('dave')).code).toBe(0);
    const unknown = r.swarm(['release', 'other/**'], as('dave'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("dave holds no lease on 'other/**'; it holds: 'docs/**', 'notes/**'");
    const renewed = r.swarm(['renew', '--ttl', '45m', '--format', 'json'], as('dave'));
    expect(renewed.code).toBe(0);
    const expiries = ledger(r).leases.map((l) => l.expires - Date.now());
    expect(Math.min(...expiries)).toBeGreaterThan(40 * 60_000);
    expect(r.swarm(['claim', '--force-release', 'dave'], as('alice')).code).toBe(1);
    const forced = r.swarm(['claim', '--force-release', 'dave'], as('lead'));
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain("lead force-released dave's 2 leases");
    expect(ledger(r).leases).toEqual([]);
    expect(r.git('log', '-1', '--format=%an|%s', 'refs/swarm/leases')).toMatch(/^lead\|force-release dave by lead: docs\/\*\* #1, notes\/\*\* #2/);
    expect(r.swarm(['renew'], as('dave')).code).toBe(1);
    expect(r.swarm(['release', '--all'], as('dave')).code).toBe(0);
  });

  it('lets a lapsed lease go: another agent takes it, and the new token is larger', async () => {
    const r = repo();
    expect(r.swarm(['claim', 'docs/**', '--ttl', '1s'], as('alice')).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const taken = r.swarm(['claim', 'docs/**', '--format', 'json'], as('dave'));
    expect(taken.code, taken.stderr).toBe(0);
    expect(JSON.parse(taken.stdout).granted[0].token).toBe(2);
    expect(ledger(r).leases.map((l) => l.agent)).toEqual(['dave']);
  });

  it('counts live leases in plan: a manifest edit giving a leased path to another writer is a conflict', () => {
    const r = repo();
    expect(r.swarm(['claim', 'docs/api/**'], as('dave')).code).toBe(0);
    expect(r.swarm(['plan']).code).toBe(0);
    r.write('.swarm/manifest.json', JSON.stringify({ ...MANIFEST, agents: { ...MANIFEST.agents, bob: { claims: ['src/db/**', 'docs/**'] } } }));
    const plan = r.swarm(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('with 1 live lease (refs/swarm/leases)');
    expect(plan.stdout).toMatch(/bob × dave: docs\/\*\* vs docs\/api\/\*\* e\.g\. docs\/api\//);
  });

  it('refuses a corrupt or foreign ledger with exit 2 naming the ref, never as an empty one', () => {
    const r = repo();
    const blob = r.run('git', ['hash-object', '-w', '--stdin'], { input: '{"version":1}' }).stdout.trim();
    r.git('update-ref', 'refs/swarm/leases', blob);
    const asBlob = r.swarm(['claim', 'docs/**'], as('dave'));
    expect(asBlob.code).toBe(2);
    expect(asBlob.stderr).toContain('refs/swarm/leases is a blob, not a ledger commit');
    const tree = r.run('git', ['mktree'], { input: `100644 blob ${blob}\tleases.json\n` }).stdout.trim();
    const commit = r.git('commit-tree', tree, '-m', 'forged').trim();
    r.git('update-ref', 'refs/swarm/leases', commit);
    const invalid = r.swarm(['claim', 'docs/**', '--format', 'json'], as('dave'));
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/refs\/swarm\/leases \([0-9a-f]{10}\):leases\.json: invalid/);
    expect(JSON.parse(invalid.stdout).error.code).toBe('ledger');
    expect(r.swarm(['claims']).code).toBe(2);
  });
});

function start(r: TestRepo, args: string[], agent: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: r.dir, env: r.env(as(agent)) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(check()).toBe(true);
}

describe('git swarm claim --wait', () => {
  it('queues in the ledger, keeps newcomers behind the waiter, and grants when the holder releases', async () => {
    const r = repo();
    expect(r.swarm(['claim', 'docs/**'], as('alice')).code).toBe(0);
    const waiting = start(r, ['claim', 'docs/api/**', '--wait=30s'], 'dave');
    await until(() => r.tryGit(['show', 'refs/swarm/leases:leases.json']).stdout.includes('"queue": [\n  {'));
    expect(ledger(r).queue.map((t) => t.agent)).toEqual(['dave']);
    const newcomer = r.swarm(['claim', 'docs/api/v1.md'], as('bob'));
    expect(newcomer.code).toBe(3);
    expect(newcomer.stderr).toContain('dave is waiting for docs/api/** ahead of you');
    expect(r.swarm(['claims']).stdout).toMatch(/1 waiter, in order:\n +1\. dave +'docs\/api\/\*\*'/);
    expect(r.swarm(['release', 'docs/**'], as('alice')).code).toBe(0);
    const done = await waiting;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain('dave is waiting (ticket 1) for:');
    expect(done.stdout).toContain('dave holds:\n  docs/api/**  token 2');
    expect(ledger(r).queue).toEqual([]);
  });

  it('gives up after the wait (exit 3, saying who still holds what) and leaves the queue', async () => {
    const r = repo();
    expect(r.swarm(['claim', 'docs/**'], as('alice')).code).toBe(0);
    const gaveUp = await start(r, ['claim', 'docs/x', '--wait=1s'], 'dave');
    expect(gaveUp.code).toBe(3);
    expect(gaveUp.stderr).toContain('gave up waiting: dave cannot take docs/x');
    expect(gaveUp.stderr).toContain('alice holds docs/**');
    expect(ledger(r).queue).toEqual([]);
    expect(r.git('log', '-1', '--format=%s', 'refs/swarm/leases').trim()).toBe('leave dave: ticket 1');
  });
});
