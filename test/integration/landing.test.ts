import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, removeTempDirs, swarmRepo, tempDir, TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

const MANIFEST = {
  version: 1,
  agents: {
    lead: { role: 'lead' },
    alice: { task: 'auth', claims: ['src/auth/**'], shared: ['CHANGELOG.md'] },
    bob: { claims: ['src/db/**', 'src/auth/db.ts'], after: ['alice'], shared: ['CHANGELOG.md'] },
    carol: { claims: ['src/ui/**'], group: 'front', shared: ['CHANGELOG.md'] },
    dave: { claims: ['src/css/**'], group: 'front', shared: ['CHANGELOG.md'] },
    erin: { claims: ['docs/**'] },
  },
};

const as = (agent: string) => ({ SWARM_AGENT: agent });

/** The repository and a spawned worktree per agent. */
function setup(): { repo: TestRepo; wt: (agent: string) => TestRepo } {
  const repo = swarmRepo(MANIFEST);
  const trees = new Map<string, TestRepo>();
  const wt = (agent: string) => {
    let tree = trees.get(agent);
    if (!tree) {
      const path = join(tempDir(), agent);
      const r = repo.swarm(['spawn', agent, '--path', path]);
      if (r.code !== 0) throw new Error(r.stderr);
      trees.set(agent, (tree = new TestRepo(path, repo.home)));
    }
    return tree;
  };
  return { repo, wt };
}

function work(t: TestRepo, files: Record<string, string>): void {
  const r = t.commit('work', files);
  expect(r.code, r.stderr).toBe(0);
}

function ready(t: TestRepo): void {
  const r = t.swarm(['ready']);
  expect(r.code, r.stderr + r.stdout).toBe(0);
}

const landJson = (repo: TestRepo, args: string[]) => {
  const r = repo.swarm(['land', ...args, '--format', 'json'], as('lead'));
  return { code: r.code, stderr: r.stderr, result: JSON.parse(r.stdout || '{}') as { landed: Array<{ agent: string }>; failed: Array<{ agent: string; reason: string; detail: string[] }>; refused: Array<{ agent: string; reason: string; missing: string[] }>; published: boolean } };
};

describe('git swarm ready', () => {
  it('records the exact commit once the work passes; later commits do not change what lands', () => {
    const { repo, wt } = setup();
    work(wt('alice'), { 'src/auth/a.ts': 'a\n' });
    const head = wt('alice').head();
    ready(wt('alice'));
    expect(repo.head('refs/swarm/ready/alice')).toBe(head);
    work(wt('alice'), { 'src/auth/b.ts': 'b\n' });
    expect(repo.head('refs/swarm/ready/alice')).toBe(head);
  });

  it('refuses work that breaks the rules, with the violations (exit 1), and records nothing', () => {
    const { repo, wt } = setup();
    wt('alice').write('src/db/x.ts', 'x\n');
    wt('alice').git('add', '-A');
    wt('alice').run('git', ['commit', '-q', '-m', 'sneaky'], { env: { HUSKY: '0' } });
    const r = wt('alice').swarm(['ready']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('src/db/x.ts');
    expect(repo.tryGit(['rev-parse', '--verify', '-q', 'refs/swarm/ready/alice']).code).not.toBe(0);
  });
});

describe('git swarm land', () => {
  it('lands in dependency order in one transaction: branch, landed marks, cleared ready marks, landing record', () => {
    const { repo, wt } = setup();
    work(wt('alice'), { 'src/auth/a.ts': 'a\n' });
    work(wt('bob'), { 'src/db/b.ts': 'b\n' });
    ready(wt('alice'));
    ready(wt('bob'));
    const before = repo.head('main');
    const alone = landJson(repo, ['bob']);
    expect(alone.code).toBe(1);
    expect(alone.result.refused).toEqual([{ agent: 'bob', reason: 'waits-for', missing: ['alice'] }]);
    expect(repo.head('main')).toBe(before);
    const both = landJson(repo, ['bob', 'alice']);
    expect(both.code, both.stderr).toBe(0);
    expect(both.result.landed.map((l) => l.agent)).toEqual(['alice', 'bob']);
    expect(repo.git('log', '--first-parent', '--format=%s', `${before}..main`).trim().split('\n')).toEqual(['Land bob', 'Land alice: auth']);
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/swarm/ready/').trim()).toBe('');
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/swarm/landed/').trim().split('\n')).toEqual(['refs/swarm/landed/alice', 'refs/swarm/landed/bob']);
    const record = JSON.parse(repo.git('show', 'refs/swarm/landings:landing.json')) as { from: string; to: string; landed: Array<{ agent: string }> };
    expect([record.from, record.to]).toEqual([before, repo.head('main')]);
    // The checked-out main followed, and CI accepts what landed.
    expect(existsSync(join(repo.dir, 'src/db/b.ts'))).toBe(true);
    expect(repo.git('status', '--porcelain').trim()).toBe('');
    const check = repo.swarm(['check', '--base', before, '--head', 'main', '--integration', 'main']);
    expect(check.code, check.stdout).toBe(0);
    const log = repo.swarm(['landings']);
    expect(log.stdout.trim()).toMatch(new RegExp(`^[0-9a-f]{12}  .* UTC  lead  main ${before.slice(0, 10)} → ${repo.head('main').slice(0, 10)}  alice, bob$`));
    expect((JSON.parse(repo.swarm(['landings', '--format', 'json']).stdout) as { landings: unknown[] }).landings).toHaveLength(1);
  });

  it('lands a group whole or not at all, and a failing unit does not hold back independent ones', () => {
    const { repo, wt } = setup();
    work(wt('carol'), { 'src/ui/a.ts': 'a\n', 'CHANGELOG.md': 'carol\n' });
    work(wt('dave'), { 'src/css/a.css': 'a\n', 'CHANGELOG.md': 'dave\n' });
    work(wt('erin'), { 'docs/x.md': 'x\n' });
    for (const a of ['carol', 'dave', 'erin']) ready(wt(a));
    const before = repo.head('main');
    const r = landJson(repo, ['--all']);
    expect(r.code).toBe(1);
    expect(r.result.landed.map((l) => l.agent)).toEqual(['erin']);
    expect(r.result.failed).toEqual([expect.objectContaining({ agent: 'dave', reason: 'conflict', detail: ['CHANGELOG.md'] })]);
    expect(repo.git('log', '--first-parent', '--format=%s', `${before}..main`).trim()).toBe('Land erin');
    expect(repo.head('refs/swarm/ready/carol')).toBe(wt('carol').head());
  });

  it('publishes nothing on --dry-run; refuses a non-lead (exit 1), no choice of agents (exit 2), and a dirty checked-out main before doing anything', () => {
    const { repo, wt } = setup();
    work(wt('erin'), { 'docs/x.md': 'x\n' });
    ready(wt('erin'));
    const before = repo.head('main');
    const dry = landJson(repo, ['erin', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.result.published).toBe(false);
    expect(repo.head('main')).toBe(before);
    expect(repo.swarm(['land', 'erin'], as('erin')).code).toBe(1);
    expect(repo.swarm(['land'], as('lead')).code).toBe(2);
    repo.write('docs/x.md', 'an untracked file where a landed one would go\n');
    const inTheWay = repo.swarm(['land', 'erin'], as('lead'));
    expect(inTheWay.code).toBe(1);
    expect(inTheWay.stderr).toContain('untracked files stand where landed ones would go: docs/x.md');
    expect(repo.head('main')).toBe(before);
    rmSync(join(repo.dir, 'docs/x.md'));
    repo.write('README.md', 'edited\n');
    const dirty = repo.swarm(['land', 'erin'], as('lead'));
    expect(dirty.code).toBe(1);
    expect(dirty.stderr).toContain('uncommitted changes, which landing would overwrite');
    expect(repo.head('main')).toBe(before);
  });

  it('two landers at once: each agent lands exactly once', async () => {
    const { repo, wt } = setup();
    work(wt('erin'), { 'docs/x.md': 'x\n' });
    work(wt('alice'), { 'src/auth/a.ts': 'a\n' });
    ready(wt('erin'));
    ready(wt('alice'));
    const before = repo.head('main');
    const run = () =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [CLI, 'land', '--all'], { cwd: repo.dir, env: repo.env(as('lead')) });
        child.on('close', (code) => resolve(code ?? -1));
      });
    await Promise.all([run(), run()]);
    const lands = repo.git('log', '--first-parent', '--format=%s', `${before}..main`).trim().split('\n').sort();
    expect(lands).toEqual(['Land alice: auth', 'Land erin']);
  });

  it("holds an agent's claims until it lands, then frees them; a forged landed mark frees nothing", () => {
    const { repo, wt } = setup();
    const early = wt('bob').commit('too early', { 'src/auth/db.ts': 'x\n' });
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('alice must land first');
    wt('bob').git('reset', '-q', '--hard');
    // A mark written by hand, at a commit that is not alice's, frees nothing.
    repo.git('update-ref', 'refs/swarm/landed/alice', repo.head('main'));
    expect(wt('bob').commit('forged', { 'src/auth/db.ts': 'x\n' }).code).toBe(1);
    wt('bob').git('reset', '-q', '--hard');
    repo.git('update-ref', '-d', 'refs/swarm/landed/alice');
    work(wt('alice'), { 'src/auth/a.ts': 'a\n' });
    ready(wt('alice'));
    expect(landJson(repo, ['alice']).code).toBe(0);
    const after = wt('bob').commit('after alice landed', { 'src/auth/db.ts': 'x\n' });
    expect(after.code, after.stderr).toBe(0);
  });

  it('runs the check on the result in a temporary worktree and narrows a failure down to the unit that causes it', () => {
    const { repo, wt } = setup();
    work(wt('alice'), { 'src/auth/a.ts': 'a\n' });
    work(wt('bob'), { 'src/db/b.ts': 'b\n' });
    work(wt('carol'), { 'src/ui/c.ts': 'c\n' });
    work(wt('dave'), { 'src/css/d.css': 'd\n' });
    work(wt('erin'), { 'docs/BAD': 'breaks the build\n' });
    for (const a of ['alice', 'bob', 'carol', 'dave', 'erin']) ready(wt(a));
    const r = repo.swarm(['land', '--all', '--check', 'printf "checking "; ls docs; test -e src/auth/a.ts && test ! -e docs/BAD', '--progress', '--format', 'json'], as('lead'));
    expect(r.code).toBe(1);
    // --progress: each step, and the check's output as it comes, on stderr (stdout stays the JSON record).
    expect(r.stderr).toContain('land: 5 agents in 4 units onto');
    expect(r.stderr).toContain('land: check run 1 on alice, bob, carol, dave, erin');
    expect(r.stderr).toMatch(/\n {2}│ checking BAD\n/);
    expect(r.stderr).toContain('land: check run 1 failed');
    expect(r.stderr).toContain('land: publishing alice, bob, carol, dave');
    const result = JSON.parse(r.stdout) as { landed: Array<{ agent: string }>; failed: Array<{ agent: string; reason: string }>; checkRuns: number };
    expect(result.landed.map((l) => l.agent)).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(result.failed.map((f) => [f.agent, f.reason])).toEqual([['erin', 'check']]);
    // Four units (alice, bob, the group, erin): the batch, then halves, not one run per unit plus one.
    expect(result.checkRuns).toBeLessThanOrEqual(5);
    expect(repo.git('worktree', 'list', '--porcelain')).not.toContain('land-');
    expect(existsSync(join(repo.dir, 'docs/BAD'))).toBe(false);
  });

  it("undo reverts a landing in one commit and reopens its agents' claims; refuses an unknown id, a landing others depend on, and a second undo", () => {
    const { repo, wt } = setup();
    work(wt('alice'), { 'src/auth/a.ts': 'a\n' });
    work(wt('erin'), { 'docs/x.md': 'x\n' });
    ready(wt('alice'));
    ready(wt('erin'));
    const first = landJson(repo, ['alice', 'erin']);
    expect(first.code, first.stderr).toBe(0);
    const id = (JSON.parse(repo.git('show', 'refs/swarm/landings:landing.json')) as { id: string }).id;
    work(wt('bob'), { 'src/db/b.ts': 'b\n' });
    ready(wt('bob'));
    expect(landJson(repo, ['bob']).code).toBe(0);
    const bobId = (JSON.parse(repo.git('show', 'refs/swarm/landings:landing.json')) as { id: string }).id;
    const blocked = repo.swarm(['undo', id], as('lead'));
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('bob landed since and comes after an agent of landing');
    expect(repo.swarm(['undo', 'nope'], as('lead')).code).toBe(2);
    const undoBob = repo.swarm(['undo', bobId], as('lead'));
    expect(undoBob.code, undoBob.stderr).toBe(0);
    const undone = repo.swarm(['undo', id, '--format', 'json'], as('lead'));
    expect(undone.code, undone.stderr).toBe(0);
    expect((JSON.parse(undone.stdout) as { reopened: string[] }).reopened).toEqual(['alice', 'erin']);
    expect(existsSync(join(repo.dir, 'src/auth/a.ts'))).toBe(false);
    expect(existsSync(join(repo.dir, 'docs/x.md'))).toBe(false);
    expect(repo.git('log', '-1', '--format=%s', 'main')).toBe(`Undo landing ${id}: alice, erin\n`);
    expect(repo.tryGit(['rev-parse', '--verify', '-q', 'refs/swarm/landed/alice']).code).not.toBe(0);
    // alice's claims hold again: bob (after alice) may not commit inside them.
    wt('bob').git('reset', '-q', '--hard');
    expect(wt('bob').commit('again', { 'src/auth/db.ts': 'x\n' }).code).toBe(1);
    expect(repo.swarm(['undo', id], as('lead')).code).toBe(1);
  });

  it('refuses to land an agent again while its undone changes would be silently left out, and lands it once they are restored as the message says', () => {
    const { repo, wt } = setup();
    work(wt('erin'), { 'docs/x.md': 'x\n' });
    ready(wt('erin'));
    expect(landJson(repo, ['erin']).code).toBe(0);
    const id = (JSON.parse(repo.git('show', 'refs/swarm/landings:landing.json')) as { id: string }).id;
    expect(repo.swarm(['undo', id], as('lead')).code).toBe(0);
    // More work on top of the undone commit: git would merge only docs/y.md and drop docs/x.md.
    work(wt('erin'), { 'docs/y.md': 'y\n' });
    ready(wt('erin'));
    const refused = repo.swarm(['land', 'erin'], as('lead'));
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('erin: an earlier landing of erin was undone, and git counts its commits as merged: landing now would leave out what the undo reverted in 1 path (docs/x.md).');
    const fix = /In erin's worktree, bring them back, then ready again: (.*)$/m.exec(refused.stdout)?.[1];
    expect(fix).toBeDefined();
    // The printed command, run as printed (git swarm being this build), in erin's worktree.
    const ran = wt('erin').run('sh', ['-c', fix!.replace('git swarm ', `"${process.execPath}" "${CLI}" `)], { env: as('erin') });
    expect(ran.code, ran.stderr + ran.stdout).toBe(0);
    expect(landJson(repo, ['erin']).code).toBe(0);
    expect(repo.git('show', 'main:docs/x.md')).toBe('x\n');
    expect(repo.git('show', 'main:docs/y.md')).toBe('y\n');
  });

  it('refuses a ready mark that names no commit for that agent alone, and an unknown --group (exit 2)', () => {
    const { repo, wt } = setup();
    work(wt('erin'), { 'docs/x.md': 'x\n' });
    ready(wt('erin'));
    repo.git('update-ref', 'refs/swarm/ready/alice', repo.git('rev-parse', 'main^{tree}').trim());
    const r = landJson(repo, ['--all']);
    expect(r.result.landed.map((l) => l.agent)).toEqual(['erin']);
    expect(r.result.failed.map((f) => [f.agent, f.reason])).toEqual([['alice', 'invalid-mark']]);
    expect(repo.git('fsck', '--no-dangling').trim()).toBe('');
    const unknown = repo.swarm(['land', '--group', 'nope'], as('lead'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no agent of the manifest is in group "nope"');
  });

  it('lands nothing for a mark the integration branch already contains', () => {
    const { repo } = setup();
    repo.git('update-ref', 'refs/swarm/ready/erin', repo.head('main'));
    const before = repo.head('main');
    const r = landJson(repo, ['erin']);
    expect(r.code).toBe(1);
    expect(r.result.failed.map((f) => [f.agent, f.reason])).toEqual([['erin', 'nothing-new']]);
    expect(repo.head('main')).toBe(before);
  });
});
