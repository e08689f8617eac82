import { afterAll, describe, expect, it } from 'vitest';
import { initRepo, removeTempDirs, type TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

const MANIFEST = {
  version: 1,
  agents: {
    lead: { role: 'lead' },
    alice: { claims: ['src/**'], shared: ['CHANGELOG.md'] },
    bob: { claims: ['src/db/**', 'docs/old/**'], shared: ['CHANGELOG.md'] },
    carol: { claims: ['src/auth/'], after: ['alice'] },
    dave: { shared: ['CHANGELOG.md'] },
    rita: { role: 'reader' },
  },
};

function planRepo(manifest: object = MANIFEST): TestRepo {
  const repo = initRepo();
  repo.commit('files', { '.swarm/manifest.json': JSON.stringify(manifest), 'src/db/a.ts': 'a\n', 'src/auth/x.ts': 'x\n', 'CHANGELOG.md': '# log\n' });
  return repo;
}

interface JsonPlan {
  ok: boolean;
  agents: string[];
  pairs: Array<{ a: string; b: string; status: string; witness: string | null; patterns: [string, string] | null; first: string | null }>;
  unmatched: Array<{ agent: string; pattern: string; kind: string }>;
  noClaims: string[];
  unmergedShared: Array<{ pattern: string; agents: string[]; paths: string[]; representative: boolean }>;
}

describe('git swarm plan', () => {
  it('prints the matrix, one line per conflict and serialized pair, and the other findings; exit 1 on a conflict', () => {
    const repo = planRepo();
    const r = repo.swarm(['plan']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('5 writers, 1 conflicting pair, 1 serialized pair');
    expect(r.stdout).toMatch(/^alice +· +- +1 +\(1\) +·$/m);
    expect(r.stdout).toContain('✗ alice × bob: src/** vs src/db/** e.g. src/db/a');
    expect(r.stdout).toContain('→ carol after alice: src/auth/ vs src/** e.g. src/auth/a');
    expect(r.stdout).toContain('bob: docs/old/**');
    expect(r.stdout).toContain('writers with no claims (they can commit only shared paths): dave');
    expect(r.stdout).toContain('CHANGELOG.md (alice, bob, dave): CHANGELOG.md');
  });

  it('--format json lists every pair with status, witness and patterns, and the findings', () => {
    const repo = planRepo();
    const r = repo.swarm(['plan', '--format', 'json']);
    expect(r.code).toBe(1);
    const plan = JSON.parse(r.stdout) as JsonPlan;
    expect(plan.ok).toBe(false);
    expect(plan.agents).toEqual(['lead', 'alice', 'bob', 'carol', 'dave']);
    expect(plan.pairs).toHaveLength(10);
    expect(plan.pairs.find((p) => p.a === 'alice' && p.b === 'bob')).toMatchObject({ status: 'conflict', witness: 'src/db/a', patterns: ['src/**', 'src/db/**'] });
    expect(plan.pairs.find((p) => p.a === 'alice' && p.b === 'carol')).toMatchObject({ status: 'serialized', first: 'alice', witness: 'src/auth/a' });
    expect(plan.pairs.find((p) => p.a === 'bob' && p.b === 'carol')).toMatchObject({ status: 'clear', witness: null, patterns: null });
    expect(plan.unmatched).toEqual([{ agent: 'bob', pattern: 'docs/old/**', kind: 'claim' }]);
    expect(plan.noClaims).toEqual(['dave']);
    expect(plan.unmergedShared).toEqual([{ pattern: 'CHANGELOG.md', agents: ['alice', 'bob', 'dave'], paths: ['CHANGELOG.md'], representative: false }]);
  });

  it('--format markdown prints a table; a merge driver in .gitattributes covers the shared path', () => {
    const repo = planRepo();
    repo.write('.gitattributes', 'CHANGELOG.md merge=union\n');
    const r = repo.swarm(['plan', '--format', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('| alice | bob | conflict | `src/**` vs `src/db/**` | `src/db/a` |');
    expect(r.stdout).not.toContain('Shared paths no merge driver covers');
  });

  it('exit 0 without conflicts, and reads the working tree manifest (the one being edited) over the committed one', () => {
    const repo = planRepo();
    const fixed = structuredClone(MANIFEST) as typeof MANIFEST & { agents: { bob: { after?: string[] } } };
    fixed.agents.bob.after = ['alice'];
    repo.write('.swarm/manifest.json', JSON.stringify(fixed));
    const r = repo.swarm(['plan', '--format', 'json']);
    expect(r.code, r.stdout).toBe(0);
    expect((JSON.parse(r.stdout) as JsonPlan).pairs.find((p) => p.a === 'alice' && p.b === 'bob')?.status).toBe('serialized');
    // The committed manifest still has the conflict.
    expect(repo.swarm(['plan', '--rev', 'HEAD']).code).toBe(1);
  });

  it('--rev reads the settings, manifest and files of that commit', () => {
    const repo = planRepo();
    repo.write('.swarmrc', 'manifest: plan/agents.json\n');
    repo.write('plan/agents.json', JSON.stringify({ version: 1, agents: { x: { claims: ['src/**'] }, y: { claims: ['lib/**'] } } }));
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'moved manifest');
    repo.git('rm', '-q', 'src/db/a.ts');
    const r = repo.swarm(['plan', '--rev', 'HEAD', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as JsonPlan;
    expect(plan.agents).toEqual(['x', 'y']);
    expect(plan.unmatched).toEqual([{ agent: 'y', pattern: 'lib/**', kind: 'claim' }]);
  });

  it('bad input is exit 2: an unknown revision, an invalid manifest, no manifest, a bad format', () => {
    const repo = planRepo();
    expect(repo.swarm(['plan', '--rev', 'no-such-rev']).code).toBe(2);
    expect(repo.swarm(['plan', '--format', 'github']).code).toBe(2);
    repo.write('.swarm/manifest.json', JSON.stringify({ version: 1, agents: { a: { claims: ['../x'] } } }));
    const invalid = repo.swarm(['plan']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('agents.a.claims[0]');
    repo.git('rm', '-qf', '.swarm/manifest.json');
    const none = repo.swarm(['plan', '--format', 'json']);
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout)).toMatchObject({ ok: false, error: { code: 'manifest' } });
  });
});
