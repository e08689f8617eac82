/**
 * A manifest or .swarmrc that breaks fails closed without taking the swarm down: staged ones are
 * validated before they land, a range that breaks or deletes them fails check, and a broken
 * manifest that landed anyway leaves the hooks enforcing its last valid version.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_MANIFEST, removeTempDirs, swarmRepo, type Run } from '../helpers/repo.js';

afterAll(removeTempDirs);

const LEAD = { SWARM_AGENT: 'lead' };
const BROKEN = '{"version": 1, "agents": {"bob": {"after": ["nobody"]}}}\n';

function codes(r: Run): Array<[string | null, string]> {
  return (JSON.parse(r.stdout) as { violations: Array<{ path: string | null; code: string }> }).violations.map((v) => [v.path, v.code]);
}

describe('a broken manifest or .swarmrc', () => {
  it('is refused at commit, naming the file, the key and the fix; a valid edit by the lead passes', () => {
    const repo = swarmRepo();
    const bad = repo.commit('break the manifest', { '.swarm/manifest.json': BROKEN }, LEAD);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('.swarm/manifest.json is invalid');
    expect(bad.stderr).toContain('agents.bob.after[0]: unknown agent "nobody"');
    expect(bad.stderr).toContain('fix: correct .swarm/manifest.json');
    repo.git('reset', '-q', '--hard');
    const settings = repo.commit('break the settings', { '.swarmrc': 'integation: main\n' }, LEAD);
    expect(settings.code).not.toBe(0);
    expect(settings.stderr).toContain('.swarmrc is invalid');
    repo.git('reset', '-q', '--hard');
    const manifest = { ...EXAMPLE_MANIFEST, agents: { ...EXAMPLE_MANIFEST.agents, dave: { claims: ['docs/**'] } } };
    expect(repo.commit('add dave', { '.swarm/manifest.json': `${JSON.stringify(manifest, null, 2)}\n` }, LEAD).code).toBe(0);
  });

  it('deleting the manifest is refused at commit, even for the lead, and fails check', () => {
    const repo = swarmRepo();
    repo.git('rm', '-q', '.swarm/manifest.json');
    const deletion = repo.tryGit(['commit', '-m', 'drop the manifest'], LEAD);
    expect(deletion.code).not.toBe(0);
    expect(deletion.stderr).toContain('.swarm/manifest.json is deleted: nothing would be enforced after it');
    expect(repo.tryGit(['commit', '-m', 'drop the manifest'], { ...LEAD, SWARM_SKIP: '1' }).code).toBe(0);
    const check = repo.swarm(['check', '--base', 'HEAD~1', '--format', 'json']);
    expect(check.code).toBe(1);
    expect(codes(check)).toEqual([['.swarm/manifest.json', 'manifest-removed']]);
  });

  it('a range that leaves an invalid manifest or .swarmrc at its head fails check and pre-push', () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/lead');
    expect(repo.commit('break both', { '.swarm/manifest.json': BROKEN, '.swarmrc': 'limits: {maxActiveAgents: 0}\n' }, { ...LEAD, SWARM_SKIP: '1' }).code).toBe(0);
    const check = repo.swarm(['check', '--format', 'json']);
    expect(check.code).toBe(1);
    expect(codes(check)).toEqual([
      ['.swarm/manifest.json', 'invalid-file'],
      ['.swarmrc', 'invalid-file'],
    ]);
    const remote = `${repo.dir}-remote.git`;
    repo.run('git', ['init', '-q', '--bare', remote]);
    repo.git('remote', 'add', 'origin', remote);
    const push = repo.tryGit(['push', '-q', 'origin', 'swarm/lead']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('.swarm/manifest.json is invalid');
  });

  it('once landed anyway, the hooks enforce the last valid version, say so, and let the lead repair it', () => {
    const repo = swarmRepo();
    expect(repo.commit('break it (hooks off)', { '.swarm/manifest.json': BROKEN }, { ...LEAD, HUSKY: '0' }).code).toBe(0);
    const inside = repo.commit('alice works', ['src/auth/ok.ts'], { SWARM_AGENT: 'alice' });
    expect(inside.code).toBe(0);
    expect(inside.stderr).toContain('main:.swarm/manifest.json is invalid, so the hooks enforce its last valid version');
    expect(inside.stderr).toContain('repair: a lead (lead) corrects the manifest');
    const outside = repo.commit('alice strays', ['src/db/x.ts'], { SWARM_AGENT: 'alice' });
    expect(outside.code).not.toBe(0);
    expect(outside.stderr).toContain("outside alice's claims");
    repo.git('reset', '-q', '--hard');
    const repair = repo.commit('repair', { '.swarm/manifest.json': `${JSON.stringify(EXAMPLE_MANIFEST, null, 2)}\n` }, LEAD);
    expect(repair.code).toBe(0);
    const after = repo.commit('alice again', ['src/auth/two.ts'], { SWARM_AGENT: 'alice' });
    expect(after.code).toBe(0);
    expect(after.stderr).not.toContain('invalid');
  });
});

describe('a broken .swarmrc that landed anyway', () => {
  it('leaves the hooks on its last valid version, with a warning, and lets the lead repair it', () => {
    const repo = swarmRepo();
    expect(repo.commit('break the settings (hooks off)', { '.swarmrc': 'integration: main\nlimits: {maxActiveAgents: 0}\n' }, { ...LEAD, HUSKY: '0' }).code).toBe(0);
    const inside = repo.commit('alice works', ['src/auth/ok.ts'], { SWARM_AGENT: 'alice' });
    expect(inside.code).toBe(0);
    expect(inside.stderr).toContain('main:.swarmrc is invalid, so the hooks use its last valid version');
    const outside = repo.commit('alice strays', ['src/db/x.ts'], { SWARM_AGENT: 'alice' });
    expect(outside.code).not.toBe(0);
    repo.git('reset', '-q', '--hard');
    const doctor = repo.swarm(['doctor'], { SWARM_AGENT: 'alice' });
    expect(doctor.stdout).toContain('main:.swarmrc is invalid');
    expect(repo.commit('repair', { '.swarmrc': 'integration: main\n' }, LEAD).code).toBe(0);
    expect(repo.commit('alice again', ['src/auth/two.ts'], { SWARM_AGENT: 'alice' }).stderr).not.toContain('invalid');
  });
});

describe('where the binding settings and manifest come from', () => {
  it("a writer's working-tree .swarmrc changes nothing its hooks enforce", () => {
    const repo = swarmRepo();
    repo.write('.swarmrc', 'integration: main\nalwaysAllowed: ["**"]\n');
    const r = repo.commit('everything is allowed now?', ['src/db/x.ts'], { SWARM_AGENT: 'alice' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("outside alice's claims");
  });

  it('an integration branch that exists nowhere is exit 2 naming the key and the branches there are', () => {
    const repo = swarmRepo();
    repo.git('branch', '-m', 'main', 'trunk');
    const r = repo.commit('work', ['src/auth/x.ts'], { SWARM_AGENT: 'alice' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('the integration branch "main" (git config swarm.integration, set by git swarm init) does not exist here');
    expect(r.stderr).toContain('branches here: trunk');
  });

  it("without a local integration branch, a remote's copy binds", () => {
    const repo = swarmRepo();
    const remote = `${repo.dir}-remote.git`;
    repo.run('git', ['init', '-q', '--bare', remote]);
    repo.git('remote', 'add', 'origin', remote);
    repo.git('push', '-q', 'origin', 'main');
    repo.git('fetch', '-q', 'origin');
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    repo.git('branch', '-D', 'main');
    expect(repo.commit('inside', ['src/auth/ok.ts']).code).toBe(0);
    const outside = repo.commit('outside', ['src/db/x.ts']);
    expect(outside.code).not.toBe(0);
    expect(outside.stderr).toMatch(/against main:\.swarm\/manifest\.json/);
  });
});
