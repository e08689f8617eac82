/**
 * `spawn` gives an agent its own worktree whose config names it, so the hooks identify it with no
 * environment variable; `retire` removes the worktree only when nothing would be lost.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, EXAMPLE_MANIFEST, removeTempDirs, swarmRepo, tempDir, TestRepo, type Run } from '../helpers/repo.js';

/** The default worktrees folder, ../{repo}.worktrees, lies beside each test repository. */
const siblings: string[] = [];
afterAll(() => {
  for (const dir of siblings) rmSync(dir, { recursive: true, force: true });
  removeTempDirs();
});

function defaultFolder(repo: TestRepo): string {
  const folder = join(dirname(repo.dir), `${basename(repo.dir)}.worktrees`);
  siblings.push(folder);
  return folder;
}

interface Spawned {
  agent: string;
  path: string;
  branch: string;
  from: string | null;
  existing?: boolean;
}

function spawnJson(repo: TestRepo, args: string[]): Spawned {
  const r = repo.swarm(['spawn', ...args, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Spawned;
}

/** The built CLI as a process that runs beside others. */
function swarmAsync(repo: TestRepo, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: repo.dir, env: repo.env() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A manifest of `n` writers w1…wn, each claiming its own folder. */
function writers(n: number): object {
  const agents: Record<string, object> = { lead: { role: 'lead' } };
  for (let i = 1; i <= n; i++) agents[`w${i}`] = { claims: [`w${i}/**`] };
  return { version: 1, agents };
}

const worktreeConfig = (wt: TestRepo, key: string) => wt.tryGit(['config', '--worktree', '--get', key]).stdout.trim();

describe('git swarm spawn', () => {
  it("creates the agent's worktree beside the repository, on its branch at main's tip, named in its own config", () => {
    const repo = swarmRepo();
    const r = repo.swarm(['spawn', 'alice']);
    expect(r.code, r.stderr).toBe(0);
    const path = join(defaultFolder(repo), 'alice');
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`cd ${path}`);
    expect(r.stdout).toContain('agent:  alice');
    expect(r.stdout).toContain('branch: swarm/alice');
    const alice = new TestRepo(path, repo.home);
    expect(alice.head()).toBe(repo.head('main'));
    expect(alice.git('branch', '--show-current').trim()).toBe('swarm/alice');
    expect(worktreeConfig(alice, 'swarm.agent')).toBe('alice');
    expect(repo.git('config', '--local', '--get', 'extensions.worktreeConfig').trim()).toBe('true');
    // The value is alice's worktree's own: the main worktree is nobody still.
    expect(JSON.parse(repo.swarm(['whoami', '--format', 'json']).stdout)).toMatchObject({ agent: null });
    expect(JSON.parse(alice.swarm(['whoami', '--format', 'json']).stdout)).toEqual({ agent: 'alice', source: 'config', role: 'writer', known: true });
    // Outside the work tree: nothing to hide from git.
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('prints JSON with the start commit, from --from or the integration tip', () => {
    const repo = swarmRepo();
    const base = repo.head();
    expect(repo.commit('later', { 'README.md': 'later\n' }, { SWARM_AGENT: 'lead' }).code).toBe(0);
    const folder = tempDir();
    expect(spawnJson(repo, ['bob', '--from', base, '--path', join(folder, 'b')])).toEqual({ agent: 'bob', path: join(folder, 'b'), branch: 'swarm/bob', from: base });
    expect(spawnJson(repo, ['alice', '--path', join(folder, 'a')])).toEqual({ agent: 'alice', path: join(folder, 'a'), branch: 'swarm/alice', from: repo.head('main') });
    const unknown = repo.swarm(['spawn', 'lead', '--from', 'nope', '--path', join(folder, 'l')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--from: unknown revision "nope"');
    expect(existsSync(join(folder, 'l'))).toBe(false);
  });

  it('the hooks identify the agent in its worktree: a commit inside its claims passes, one outside is refused', () => {
    const repo = swarmRepo();
    const alice = new TestRepo(spawnJson(repo, ['alice']).path, repo.home);
    defaultFolder(repo);
    expect(alice.commit('auth work', ['src/auth/login.ts']).code).toBe(0);
    expect(alice.message()).toMatch(/Swarm-Agent: alice/);
    const refused = alice.commit('db work', ['src/db/schema.ts']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('commit refused for alice (from git config --worktree swarm.agent)');
    expect(refused.stderr).toContain("outside alice's claims");
    expect(alice.git('log', '--format=%s')).not.toContain('db work');
  });

  it('doctor passes in the spawned worktree', () => {
    const repo = swarmRepo();
    const path = spawnJson(repo, ['bob', '--path', join(tempDir(), 'bob')]).path;
    const doctor = repo.swarm(['doctor'], {}, path);
    expect(doctor.stdout).toContain('✓ identity: bob (from git config --worktree swarm.agent), role writer');
    expect(doctor.code, doctor.stdout).toBe(0);
  });

  it('refuses a reader (exit 1) and an agent the manifest does not know (exit 2), creating nothing', () => {
    const repo = swarmRepo();
    const reader = repo.swarm(['spawn', 'carol']);
    expect(reader.code).toBe(1);
    expect(reader.stderr).toContain('carol is a reader: readers commit nothing');
    const unknown = repo.swarm(['spawn', 'alcie']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"alcie" is not an agent in main:.swarm/manifest.json (did you mean "alice"?); known agents: lead, alice, bob, carol');
    const json = repo.swarm(['spawn', 'zed', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'usage', argument: 'zed' } });
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(repo.git('branch', '--list', 'swarm/*')).toBe('');
  });

  it("reads the manifest from main's tip, not from the working tree it runs in", () => {
    const repo = swarmRepo();
    const manifest = structuredClone(EXAMPLE_MANIFEST) as { agents: Record<string, object> };
    manifest.agents.dave = { claims: ['dave/**'] };
    repo.write('.swarm/manifest.json', JSON.stringify(manifest));
    const r = repo.swarm(['spawn', 'dave']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"dave" is not an agent in main:.swarm/manifest.json');
  });

  it('spawning again says where the worktree is; another path, or a branch left without a worktree, is refused', () => {
    const repo = swarmRepo();
    const first = spawnJson(repo, ['alice', '--path', join(tempDir(), 'alice')]);
    const again = repo.swarm(['spawn', 'alice']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`alice already has a worktree, at ${first.path}`);
    expect(again.stdout.trim().split('\n').at(-1)).toBe(`cd ${first.path}`);
    expect(spawnJson(repo, ['alice'])).toEqual({ ...first, from: null, existing: true });
    const elsewhere = repo.swarm(['spawn', 'alice', '--path', join(tempDir(), 'other')]);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain(`alice already has a worktree, at ${first.path}, not where --path says`);

    repo.git('branch', 'swarm/bob', 'main');
    const branch = repo.swarm(['spawn', 'bob']);
    expect(branch.code).toBe(2);
    expect(branch.stderr).toContain('branch swarm/bob already exists');
    expect(branch.stderr).toContain('git branch -D swarm/bob');
  });

  it('refuses a path that is not an empty folder', () => {
    const repo = swarmRepo();
    const r = repo.swarm(['spawn', 'alice', '--path', repo.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${repo.dir} already exists and is not an empty folder`);
    expect(repo.git('branch', '--list', 'swarm/*')).toBe('');
  });

  it('refuses with contention (exit 3) when limits.maxActiveAgents agents have a worktree, listing them', () => {
    const repo = swarmRepo(writers(3), 'limits:\n  maxActiveAgents: 2\n');
    const folder = tempDir();
    spawnJson(repo, ['w1', '--path', join(folder, 'w1')]);
    spawnJson(repo, ['w2', '--path', join(folder, 'w2')]);
    const r = repo.swarm(['spawn', 'w3', '--path', join(folder, 'w3')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('2 agents already have a worktree, and .swarmrc allows 2 at once (limits.maxActiveAgents): w1, w2');
    expect(existsSync(join(folder, 'w3'))).toBe(false);
    expect(repo.swarm(['retire', 'w1']).code).toBe(0);
    spawnJson(repo, ['w3', '--path', join(folder, 'w3')]);
  });

  it('six spawns at once all succeed, each worktree naming its own agent', async () => {
    const repo = swarmRepo(writers(6));
    const folder = tempDir();
    const runs = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => swarmAsync(repo, ['spawn', `w${i}`, '--path', join(folder, `w${i}`), '--format', 'json'])));
    for (const [i, r] of runs.entries()) {
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ agent: `w${i + 1}`, branch: `swarm/w${i + 1}` });
      const wt = new TestRepo(join(folder, `w${i + 1}`), repo.home);
      expect(worktreeConfig(wt, 'swarm.agent')).toBe(`w${i + 1}`);
      expect(JSON.parse(wt.swarm(['whoami', '--format', 'json']).stdout)).toMatchObject({ agent: `w${i + 1}`, source: 'config' });
    }
  });

  it('spawns racing for the last slots never exceed limits.maxActiveAgents', async () => {
    const repo = swarmRepo(writers(6), 'limits:\n  maxActiveAgents: 2\n');
    const folder = tempDir();
    const runs = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => swarmAsync(repo, ['spawn', `w${i}`, '--path', join(folder, `w${i}`)])));
    const spawned = runs.filter((r) => r.code === 0).length;
    for (const r of runs) expect([0, 3], r.stderr).toContain(r.code);
    expect(spawned).toBeLessThanOrEqual(2);
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1 + spawned);
    expect(repo.git('branch', '--list', 'swarm/*').trim().split('\n').filter(Boolean)).toHaveLength(spawned);
  });

  it('a worktrees folder inside the work tree is ignored through info/exclude, never a tracked file', () => {
    const repo = swarmRepo(EXAMPLE_MANIFEST, 'worktrees: .agents/{repo}\n');
    const { path } = spawnJson(repo, ['alice']);
    expect(path).toBe(join(repo.dir, '.agents', basename(repo.dir), 'alice'));
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(readFileSync(join(repo.dir, '.git', 'info', 'exclude'), 'utf8')).toContain(`/.agents/${basename(repo.dir)}/\n`);
    expect(existsSync(join(repo.dir, '.gitignore'))).toBe(false);
    spawnJson(repo, ['bob']);
    expect(readFileSync(join(repo.dir, '.git', 'info', 'exclude'), 'utf8').match(/\/\.agents\//g)).toHaveLength(1);
  });

  it("does not pass the spawner's signing settings on to the agent's worktree", () => {
    const repo = swarmRepo();
    repo.git('config', 'extensions.worktreeConfig', 'true');
    repo.git('config', '--worktree', 'user.signingKey', '/keys/lead');
    repo.git('config', '--worktree', 'commit.gpgSign', 'true');
    const alice = new TestRepo(spawnJson(repo, ['alice', '--path', join(tempDir(), 'alice')]).path, repo.home);
    expect(worktreeConfig(alice, 'user.signingKey')).toBe('');
    expect(worktreeConfig(alice, 'commit.gpgSign')).toBe('');
    expect(worktreeConfig(repo, 'user.signingKey')).toBe('/keys/lead');
  });

  it('--list shows each agent worktree with its branch, head and state', () => {
    const repo = swarmRepo();
    expect(repo.swarm(['spawn', '--list']).stdout).toBe('no spawned worktrees (start one with: git swarm spawn <agent>)\n');
    const folder = tempDir();
    const alice = spawnJson(repo, ['alice', '--path', join(folder, 'alice')]);
    const bob = spawnJson(repo, ['bob', '--path', join(folder, 'bob')]);
    new TestRepo(bob.path, repo.home).write('src/db/wip.ts');
    const head = repo.head('main');
    const json = repo.swarm(['spawn', '--list', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual({
      worktrees: [
        { agent: 'alice', path: alice.path, branch: 'swarm/alice', head, dirty: false },
        { agent: 'bob', path: bob.path, branch: 'swarm/bob', head, dirty: true },
      ],
    });
    const text = repo.swarm(['spawn', '--list']).stdout.split('\n');
    expect(text[0]).toBe(`alice  swarm/alice  ${head.slice(0, 10)}  clean  ${alice.path}`);
    expect(text[1]).toBe(`bob    swarm/bob    ${head.slice(0, 10)}  dirty  ${bob.path}`);
    const mixed = repo.swarm(['spawn', '--list', 'alice']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--list takes no agent');
  });
});

describe('git swarm retire', () => {
  function spawned(agent: string): { repo: TestRepo; wt: TestRepo } {
    const repo = swarmRepo();
    return { repo, wt: new TestRepo(spawnJson(repo, [agent, '--path', join(tempDir(), agent)]).path, repo.home) };
  }

  it('removes a clean worktree and deletes its branch when everything on it is on main', () => {
    const { repo, wt } = spawned('alice');
    const r = repo.swarm(['retire', 'alice']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`retired alice: removed its worktree ${wt.dir}\n  deleted branch swarm/alice: everything on it is on main\n`);
    expect(existsSync(wt.dir)).toBe(false);
    expect(repo.git('branch', '--list', 'swarm/alice')).toBe('');
    const none = repo.swarm(['retire', 'alice']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('alice has no worktree to retire');
  });

  it("releases the agent's leases and its place in the queue", () => {
    const { repo, wt } = spawned('alice');
    expect(wt.swarm(['claim', 'docs/**']).code).toBe(0);
    expect(repo.swarm(['claim', 'notes/**'], { SWARM_AGENT: 'bob' }).code).toBe(0);
    const r = repo.swarm(['retire', 'alice'], { SWARM_AGENT: 'lead' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("alice released 'docs/**' (1 lease).");
    const left = JSON.parse(repo.swarm(['claims', '--format', 'json']).stdout) as { leases: Array<{ agent: string }> };
    expect(left.leases.map((l) => l.agent)).toEqual(['bob']);
    expect(repo.git('log', '-1', '--format=%an|%s', 'refs/swarm/leases')).toBe('lead|release alice: docs/** #1\n');
  });

  it('deletes the branch once its commits are on main', () => {
    const { repo, wt } = spawned('alice');
    expect(wt.commit('auth', ['src/auth/a.ts']).code).toBe(0);
    repo.git('merge', '-q', '--ff-only', 'swarm/alice');
    expect(repo.swarm(['retire', 'alice']).stdout).toContain('deleted branch swarm/alice');
    expect(repo.git('branch', '--list', 'swarm/alice')).toBe('');
  });

  it('refuses a worktree with uncommitted files (exit 1), counting them and naming --force', () => {
    const { repo, wt } = spawned('alice');
    wt.write('src/auth/new.ts');
    wt.write('README.md', 'changed\n');
    const r = repo.swarm(['retire', 'alice']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('retiring alice would lose work');
    expect(r.stderr).toContain(`2 uncommitted files in ${wt.dir}`);
    expect(r.stderr).toContain('git swarm retire alice --force');
    expect(existsSync(wt.dir)).toBe(true);
  });

  it('refuses a branch with commits not on main, and --force removes the worktree but keeps the branch', () => {
    const { repo, wt } = spawned('alice');
    expect(wt.commit('one', ['src/auth/1.ts']).code).toBe(0);
    expect(wt.commit('two', ['src/auth/2.ts']).code).toBe(0);
    const tip = wt.head();
    wt.write('src/auth/3.ts');
    const r = repo.swarm(['retire', 'alice']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('1 uncommitted file in');
    expect(r.stderr).toContain('2 commits not on main (not landed; kept on swarm/alice)');
    const forced = repo.swarm(['retire', 'alice', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('discarding 1 uncommitted file');
    expect(forced.stdout).toContain('kept branch swarm/alice: 2 commits not on main');
    expect(existsSync(wt.dir)).toBe(false);
    expect(repo.head('swarm/alice')).toBe(tip);
  });

  it('refuses to remove the worktree it runs in', () => {
    const { repo, wt } = spawned('bob');
    const r = repo.swarm(['retire', 'bob'], {}, wt.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cd ${repo.dir} && git swarm retire bob`);
    expect(existsSync(wt.dir)).toBe(true);
  });
});

describe('git swarm spawn under identity: signed', () => {
  const keyDir = tempDir('swarm-keys-');
  function makeKey(name: string): { file: string; line: string } {
    const file = join(keyDir, name);
    const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@swarm`, '-f', file], { env: cleanEnv(keyDir), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return { file, line: readFileSync(`${file}.pub`, 'utf8').trim() };
  }
  const keys = { lead: makeKey('lead'), alice: makeKey('alice'), mallory: makeKey('mallory') };

  function signedRepo(): TestRepo {
    const manifest = structuredClone(EXAMPLE_MANIFEST) as { agents: Record<string, Record<string, unknown>> };
    manifest.agents.lead!.signingKey = keys.lead.line;
    manifest.agents.alice!.signingKey = keys.alice.line;
    return swarmRepo(manifest, 'integration: main\nidentity: signed\nunidentified: deny\n');
  }

  it("configures signing with the agent's own key: its commits pass check", () => {
    const repo = signedRepo();
    const r = repo.swarm(['spawn', 'alice', '--path', join(tempDir(), 'alice'), '--signing-key', keys.alice.file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`signs:  every commit with ${keys.alice.file}`);
    const alice = new TestRepo(r.stdout.trim().split('\n').at(-1)!.slice('cd '.length), repo.home);
    expect([worktreeConfig(alice, 'gpg.format'), worktreeConfig(alice, 'user.signingKey'), worktreeConfig(alice, 'commit.gpgSign')]).toEqual(['ssh', keys.alice.file, 'true']);
    expect(alice.commit('signed auth', ['src/auth/a.ts']).code).toBe(0);
    const check = alice.swarm(['check', '--format', 'json']);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: true, checked: 1, violations: [] });
  });

  it("refuses a key that is not the agent's, and no key at all (exit 2), creating nothing", () => {
    const repo = signedRepo();
    const wrong = repo.swarm(['spawn', 'alice', '--signing-key', keys.mallory.file]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`the public half of ${keys.mallory.file} (${keys.mallory.line.split(' ').slice(0, 2).join(' ')}) is not alice's signingKey in main:.swarm/manifest.json`);
    const missing = repo.swarm(['spawn', 'alice']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('.swarmrc sets identity: signed');
    expect(missing.stderr).toContain('--signing-key <file>');
    const unreadable = repo.swarm(['spawn', 'alice', '--signing-key', `${keys.alice.file}.pub`]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain(`ssh-keygen cannot read a private key from ${keys.alice.file}.pub`);
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(repo.git('branch', '--list', 'swarm/*')).toBe('');
  });
});

describe('attacks on spawn and retire (found by an adversarial pass)', () => {
  it('never deletes the integration branch, even when the agent worktree has it checked out', () => {
    const repo = swarmRepo();
    const path = join(tempDir(), 'alice');
    expect(repo.swarm(['spawn', 'alice', '--path', path]).code).toBe(0);
    repo.git('checkout', '-q', '-b', 'elsewhere');
    const wt = new TestRepo(path, repo.home);
    wt.git('switch', '-q', 'main');
    const r = repo.swarm(['retire', 'alice']);
    expect(r.code, r.stderr).toBe(0);
    expect(repo.git('branch', '--list', 'main').trim()).not.toBe('');
  });

  it('refuses a --path inside the git directory or inside another worktree', () => {
    const repo = swarmRepo();
    const inGit = repo.swarm(['spawn', 'alice', '--path', '.git/refs/heads/zz']);
    expect(inGit.code).toBe(2);
    expect(inGit.stderr).toContain('corrupt the repository');
    const other = join(tempDir(), 'bob');
    expect(repo.swarm(['spawn', 'bob', '--path', other]).code).toBe(0);
    const nested = repo.swarm(['spawn', 'alice', '--path', join(other, 'nested')]);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toContain('lies inside');
  });

  it("does not pass the spawner's worktree config (a hooks path, an identity) to the new worktree", () => {
    const repo = swarmRepo();
    const first = join(tempDir(), 'alice');
    expect(repo.swarm(['spawn', 'alice', '--path', first]).code).toBe(0);
    const alice = new TestRepo(first, repo.home);
    alice.git('config', '--worktree', 'core.hooksPath', '/dev/null');
    const second = join(tempDir(), 'bob');
    expect(alice.swarm(['spawn', 'bob', '--path', second]).code).toBe(0);
    const bob = new TestRepo(second, repo.home);
    expect(bob.tryGit(['config', '--worktree', '--get', 'core.hooksPath']).code).not.toBe(0);
    expect(bob.git('config', '--worktree', '--get-all', 'swarm.agent').trim()).toBe('bob');
    expect(bob.commit('outside', ['src/auth/x.ts']).code).toBe(1);
  });
});
