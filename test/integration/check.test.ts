import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyOf, removeTempDirs, swarmRepo, tempDir, TestRepo, type Run } from '../helpers/repo.js';

afterAll(removeTempDirs);

interface JsonReport {
  ok: boolean;
  checked: number;
  violations: Array<{ commit: string; agent: string | null; path: string | null; code: string; message: string; fix: string }>;
}

function json(r: Run): JsonReport {
  return JSON.parse(r.stdout) as JsonReport;
}

/** Alice's branch with one good commit and one made with the hooks off (built once, then copied). */
function branchWithBypass(): TestRepo {
  return copyOf('check.test branchWithBypass', () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('good', ['src/auth/ok.ts']).code).toBe(0);
    expect(repo.commit('bypassed', ['src/db/sneaky.ts'], { SWARM_SKIP: '1' }).code).toBe(0);
    return repo;
  });
}

/** The lead commits `file` on main, then `agent` merges main into its (checked-out) branch. */
function leadCommitsThenAgentMerges(repo: TestRepo, branch: string, file: string): void {
  repo.git('checkout', '-q', 'main');
  expect(repo.commit(`lead ${file}`, [file], { SWARM_AGENT: 'lead' }).code).toBe(0);
  repo.git('checkout', '-q', branch);
  expect(repo.tryGit(['merge', '--no-edit', 'main']).code).toBe(0);
}

describe('git swarm check', () => {
  it('passes a clean range, counting its commits', () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    repo.commit('one', ['src/auth/a.ts']);
    repo.commit('two', ['test/auth/a.test.ts']);
    const r = repo.swarm(['check', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ ok: true, checked: 2, violations: [] });
  });

  it('catches a commit made with the hooks disabled', () => {
    const repo = branchWithBypass();
    const r = repo.swarm(['check', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = json(r);
    expect(report.ok).toBe(false);
    expect(report.checked).toBe(2);
    // SWARM_SKIP skips the check, not the trailer: the commit is still alice's.
    expect(repo.message()).toMatch(/Swarm-Agent: alice/);
    expect(report.violations).toEqual([
      expect.objectContaining({ commit: repo.head(), path: 'src/db/sneaky.ts', code: 'outside-claims', agent: 'alice' }),
    ]);
    expect(report.violations[0]!.message).toContain("outside alice's claims");
    expect(report.violations[0]!.fix).toContain('rewrite the commit without the path');
  });

  it('prints GitHub annotations with the file', () => {
    const repo = branchWithBypass();
    const r = repo.swarm(['check', '--format', 'github']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=src\/db\/sneaky\.ts,title=git-swarm outside-claims::/m);
  });

  it('github: at most ten annotations, one per path, most severe first, and a table of all in the job summary', () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    const many = Array.from({ length: 14 }, (_, i) => `lib/f${String(i).padStart(2, '0')}.ts`);
    expect(repo.commit('many paths outside the claims', many, { SWARM_SKIP: '1' }).code).toBe(0);
    expect(repo.commit('the manifest too', ['.swarm/manifest.json'], { SWARM_SKIP: '1' }).code).toBe(0);
    expect(repo.commit('and again', ['lib/f00.ts'], { SWARM_SKIP: '1' }).code).toBe(0);
    const summary = join(tempDir(), 'summary.md');
    const r = repo.swarm(['check', '--format', 'github'], { GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    const annotations = lines.filter((l) => l.startsWith('::error '));
    expect(annotations).toHaveLength(10);
    // The manifest was overwritten with junk: invalid at the head, the most severe finding for that path.
    expect(annotations[0]).toMatch(/^::error file=\.swarm\/manifest\.json,title=git-swarm invalid-file::/);
    expect(new Set(annotations.map((a) => a.slice(0, a.indexOf(','))))).toHaveProperty('size', 10);
    expect(lines.at(-2)).toBe('git-swarm check: 10 of 17 violations annotated (one per path, most severe first); the job summary and git swarm check list them all');
    expect(lines.at(-1)).toMatch(/^git-swarm check: 17 violations in 3 commits, against [0-9a-f]{10}:\.swarm\/manifest\.json$/);
    const table = readFileSync(summary, 'utf8');
    expect(table).toContain('### git-swarm check: 17 violations in 3 commits');
    expect(table.split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(17);
    expect(table).toContain('| `lib/f13.ts` | outside-claims |');
  });

  it('--max-violations bounds every format and keeps the total', () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('outside', ['lib/a.ts', 'lib/b.ts', 'lib/c.ts'], { SWARM_SKIP: '1' }).code).toBe(0);
    const j = repo.swarm(['check', '--format', 'json', '--max-violations', '2']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, total: 3, omitted: 1 });
    expect(JSON.parse(j.stdout).violations).toHaveLength(2);
    const t = repo.swarm(['check', '--max-violations', '1']);
    expect(t.stdout.split('\n').filter((l) => l.startsWith('  ✗'))).toHaveLength(1);
    expect(t.stdout).toContain('… and 2 more (--max-violations)');
    const g = repo.swarm(['check', '--format', 'github', '--max-violations', '2']);
    expect(g.stdout.split('\n').filter((l) => l.startsWith('::error'))).toHaveLength(2);
    const m = repo.swarm(['check', '--format', 'markdown', '--max-violations', '2']);
    expect(m.stdout.split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(2);
    for (const bad of ['0', '-1', 'ten', '1e3']) {
      const r = repo.swarm(['check', `--max-violations=${bad}`]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--max-violations needs a whole number');
    }
    const empty = repo.swarm(['check', '--max-violations=']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--max-violations needs a value');
  });

  it('prints text for people with the fix', () => {
    const repo = branchWithBypass();
    const r = repo.swarm(['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 violation in 2 commits');
    expect(r.stdout).toContain('src/db/sneaky.ts');
    expect(r.stdout).toContain('fix (outside-claims)');
  });

  it('requires every commit on an agent branch to carry that agent\'s trailer', () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('as bob', ['src/db/b.ts'], { SWARM_AGENT: 'bob' }).code).toBe(0);
    expect(repo.commit('no trailer', ['src/auth/x.ts'], { HUSKY: '0' }).code).toBe(0);
    const report = json(repo.swarm(['check', '--format', 'json']));
    const codes = report.violations.map((v) => `${v.code}:${v.agent}`);
    expect(codes).toContain('attribution:bob');
    expect(codes).toContain('attribution:null');
  });

  it('judges by the manifest at base: a branch cannot grant itself paths', () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    const manifest = JSON.parse(repo.git('show', 'main:.swarm/manifest.json'));
    manifest.agents.alice.claims.push('src/db/**');
    manifest.agents.bob.claims = [];
    repo.write('.swarm/manifest.json', JSON.stringify(manifest));
    repo.write('src/db/mine.ts');
    repo.git('add', '-A');
    expect(repo.tryGit(['commit', '-m', 'grab'], { SWARM_SKIP: '1' }).code).toBe(0);
    const report = json(repo.swarm(['check', '--format', 'json']));
    expect(report.violations.map((v) => `${v.code}:${v.path}`).sort()).toEqual([
      'lead-only:.swarm/manifest.json',
      'outside-claims:src/db/mine.ts',
    ]);
  });

  it('checks explicit --base/--head and --branch, and refuses unknown revisions with exit 2', () => {
    const repo = branchWithBypass();
    const first = repo.head('HEAD~1');
    expect(repo.swarm(['check', '--base', 'main', '--head', first]).code).toBe(0);
    const asBob = json(repo.swarm(['check', '--base', 'main', '--head', first, '--branch', 'swarm/bob', '--format', 'json']));
    expect(asBob.violations.map((v) => v.code)).toContain('attribution');
    const bad = repo.swarm(['check', '--base', 'no-such-rev']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--base: unknown revision "no-such-rev"');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(repo.swarm(['check', '--format', 'xml']).code).toBe(2);
  });

  it('charges merge commits with what differs from every parent', () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/bob');
    expect(repo.commit('bob db', ['src/db/a.ts']).code).toBe(0);
    leadCommitsThenAgentMerges(repo, 'swarm/bob', 'docs/x.md');
    expect(repo.message()).toMatch(/^Merge branch 'main' into swarm\/bob\n\nSwarm-Agent: bob\n/);
    expect(json(repo.swarm(['check', '--format', 'json'])).violations).toEqual([]);
    // An "evil" merge that also edits a path outside bob's claims is caught.
    repo.git('checkout', '-q', 'main');
    expect(repo.commit('more docs', ['docs/y.md'], { SWARM_AGENT: 'lead' }).code).toBe(0);
    repo.git('checkout', '-q', 'swarm/bob');
    expect(repo.tryGit(['merge', '--no-commit', 'main']).code).toBe(0);
    repo.write('README.md', 'evil\n');
    repo.git('add', 'README.md');
    expect(repo.tryGit(['commit', '--no-edit'], { SWARM_SKIP: '1' }).code).toBe(0);
    const report = json(repo.swarm(['check', '--format', 'json']));
    expect(report.violations.map((v) => `${v.code}:${v.path}`)).toEqual(['outside-claims:README.md']);
  });

  it('explains the fetch depth it needs in a shallow clone', () => {
    const repo = branchWithBypass();
    const clone = new TestRepo(join(tempDir(), 'shallow'), repo.home);
    repo.run('git', ['clone', '-q', '--depth', '1', '--branch', 'swarm/alice', `file://${repo.dir}`, clone.dir]);
    clone.git('fetch', '-q', '--depth', '1', 'origin', 'main:refs/remotes/origin/main');
    const r = clone.swarm(['check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('shallow');
    expect(r.stderr).toContain('fetch-depth: 0');
    clone.git('fetch', '-q', '--unshallow', 'origin');
    const full = clone.swarm(['check', '--format', 'json']);
    expect(full.code).toBe(1);
    expect(json(full).checked).toBe(2);
  });

  it('refuses to judge a shallow range whose cut-off commits would look like new files', () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('a1', ['src/auth/a1.ts']).code).toBe(0);
    leadCommitsThenAgentMerges(repo, 'swarm/alice', 'docs/m1.md');
    expect(repo.commit('a2', ['src/auth/a2.ts']).code).toBe(0);
    repo.git('checkout', '-q', 'main');
    expect(repo.commit('m2', ['docs/m2.md'], { SWARM_AGENT: 'lead' }).code).toBe(0);
    const clone = new TestRepo(join(tempDir(), 'shallow'), repo.home);
    repo.run('git', ['clone', '-q', '--depth', '2', '--branch', 'swarm/alice', `file://${repo.dir}`, clone.dir]);
    clone.git('fetch', '-q', '--depth', '1', 'origin', 'main:refs/remotes/origin/main');
    const cut = clone.swarm(['check', '--base', 'origin/main', '--format', 'json']);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toContain('shallow');
    clone.git('fetch', '-q', '--unshallow', 'origin');
    const full = clone.swarm(['check', '--base', 'origin/main', '--format', 'json']);
    expect(full.code).toBe(0);
    expect(json(full).checked).toBe(3);
  });

  it('says so, in text and JSON, when the base has no manifest yet', () => {
    const repo = swarmRepo();
    const base = repo.head('main~1').slice(0, 10);
    const r = repo.swarm(['check', '--base', 'main~1', '--head', 'main', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ ok: true, checked: 1, manifest: null, violations: [] });
    const text = repo.swarm(['check', '--base', 'main~1', '--head', 'main']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(`git-swarm: check: 1 commit seen; no manifest at ${base}:.swarm/manifest.json, so nothing is enforced for this range.\n`);
    expect(text.stdout).not.toContain('checked against');
  });
});
