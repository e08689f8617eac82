import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initRepo, removeTempDirs, swarmRepo, tempDir, TestRepo } from '../helpers/repo.js';
import { HOOK_LIBRARY } from '../../src/git/hookProtocol.js';

afterAll(removeTempDirs);

function onBranch(repo: TestRepo, branch: string): TestRepo {
  repo.git('checkout', '-q', '-B', branch, 'main');
  return repo;
}

describe('commit hooks enforce the ownership rule', () => {
  it('lets a writer commit inside its claims and adds the Swarm-Agent trailer', () => {
    const repo = onBranch(swarmRepo(), 'swarm/alice');
    const r = repo.commit('auth work', ['src/auth/login.ts', 'test/auth/login.test.ts', 'CHANGELOG.md']);
    expect(r.code).toBe(0);
    expect(repo.message()).toMatch(/^auth work\n\nSwarm-Agent: alice\n/);
  });

  it('refuses a path outside the claims, naming the path and the command that fixes it', () => {
    const repo = onBranch(swarmRepo(), 'swarm/alice');
    const r = repo.commit('db work', ['src/db/schema.ts']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("outside alice's claims");
    expect(r.stderr).toContain('src/db/schema.ts');
    expect(r.stderr).toContain('git restore --staged -- src/db/schema.ts');
    expect(repo.git('log', '--format=%s')).not.toContain('db work');
  });

  it('refuses a path another agent holds and names the holder', () => {
    const repo = onBranch(swarmRepo(), 'swarm/bob');
    const r = repo.commit('touch auth', ['src/auth/session.ts']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('held exclusively by alice');
    expect(r.stderr).toMatch(/alice must land first/);
  });

  it('refuses a path that differs only in case from one another agent holds, for a writer and for the lead', () => {
    // alice shares every TypeScript file, so only bob's claim can stop her (she comes after him: a
    // manifest leaving them unordered is refused); the lead may write anything unheld
    const repo = swarmRepo({
      version: 1,
      agents: { lead: { role: 'lead' }, alice: { claims: ['src/auth/**'], shared: ['**/*.ts'], after: ['bob'] }, bob: { claims: ['src/db/**'] } },
    });
    onBranch(repo, 'swarm/alice');
    expect(repo.commit('shared work', ['lib/util.ts']).code).toBe(0);
    const alice = repo.commit('upper-case db', ['SRC/db/x.ts']);
    expect(alice.code).not.toBe(0);
    expect(alice.stderr).toContain('commit refused for alice');
    expect(alice.stderr).toContain('differs only in letter case from a path held exclusively by bob (src/db/**)');
    expect(alice.stderr).toContain('SRC/db/x.ts (collides with src/db/x.ts)');
    expect(alice.stderr).toContain('git restore --staged -- SRC/db/x.ts');
    expect(repo.git('log', '--format=%s')).not.toContain('upper-case db');
    repo.git('reset', '-q', '--hard');

    repo.git('checkout', '-q', 'main');
    const lead = repo.commit('lead db', ['src/DB/y.ts'], { SWARM_AGENT: 'lead' });
    expect(lead.code).not.toBe(0);
    expect(lead.stderr).toContain('commit refused for lead');
    expect(lead.stderr).toContain('src/DB/y.ts (collides with src/db/y.ts)');
    repo.git('reset', '-q', '--hard');

    // past the hooks, CI reports it under its own code
    onBranch(repo, 'swarm/alice');
    expect(repo.commit('skipped', ['SRC/db/x.ts'], { SWARM_SKIP: '1' }).code).toBe(0);
    const check = repo.swarm(['check', '--format', 'json']);
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout).violations).toMatchObject([{ agent: 'alice', path: 'SRC/db/x.ts', code: 'case-collision' }]);
  });

  it('refuses any commit by a reader', () => {
    const repo = swarmRepo();
    const r = repo.commit('notes', ['notes.md'], { SWARM_AGENT: 'carol' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('carol is a reader');
  });

  it('refuses --no-verify too: prepare-commit-msg repeats the check', () => {
    const repo = onBranch(swarmRepo(), 'swarm/alice');
    const r = repo.commit('sneaky', ['src/db/schema.ts'], {}, ['--no-verify']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("outside alice's claims");
    expect(repo.git('log', '--format=%s')).not.toContain('sneaky');
  });

  it('keeps the manifest and .swarmrc for leads', () => {
    const repo = onBranch(swarmRepo(), 'swarm/alice');
    repo.write('.swarm/manifest.json', readFileSync(join(repo.dir, '.swarm/manifest.json'), 'utf8').replace('src/auth/**', '**'));
    repo.git('add', '-A');
    const r = repo.tryGit(['commit', '-m', 'grant myself everything']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('only a lead may change .swarm/manifest.json');
    const lead = repo.tryGit(['commit', '-m', 'lead edit'], { SWARM_AGENT: 'lead' });
    expect(lead.code).toBe(0);
    expect(repo.message()).toMatch(/Swarm-Agent: lead/);
  });

  it('refuses an agent name that is not in the manifest and lists the known ones', () => {
    const repo = swarmRepo();
    const r = repo.commit('who am i', ['x.txt'], { SWARM_AGENT: 'zed' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('agent "zed" is not in main:.swarm/manifest.json');
    expect(r.stderr).toContain('lead, alice, bob, carol');
  });

  it('allows unidentified commits by default and refuses them under unidentified: deny', () => {
    const repo = swarmRepo();
    expect(repo.commit('human work', ['docs/guide.md']).code).toBe(0);
    expect(repo.message()).not.toContain('Swarm-Agent');
    const strict = swarmRepo(undefined, 'integration: main\nunidentified: deny\n');
    const r = strict.commit('human work', ['docs/guide.md']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unidentified: deny');
  });

  it('judges both sides of a rename, deletions and case-only renames', () => {
    const repo = swarmRepo();
    expect(repo.commit('seed', ['src/auth/a.ts', 'src/db/b.ts', 'src/auth/Case.ts'], { SWARM_SKIP: '1' }).code).toBe(0);
    onBranch(repo, 'swarm/alice');
    repo.git('mv', 'src/auth/a.ts', 'src/db/a.ts');
    const out = repo.tryGit(['commit', '-m', 'move out']);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('src/db/a.ts');
    repo.git('reset', '-q', '--hard');
    repo.git('rm', '-q', 'src/db/b.ts');
    const del = repo.tryGit(['commit', '-m', 'delete bob file']);
    expect(del.code).not.toBe(0);
    expect(del.stderr).toContain('src/db/b.ts');
    repo.git('reset', '-q', '--hard');
    repo.git('mv', 'src/auth/Case.ts', 'src/auth/case.ts');
    expect(repo.tryGit(['commit', '-m', 'case rename']).code).toBe(0);
  });

  it('judges symlinks, submodule entries and names with newlines by their path', () => {
    const repo = onBranch(swarmRepo(), 'swarm/alice');
    repo.write('src/auth/placeholder');
    expect(repo.run('ln', ['-s', '../../README.md', 'src/auth/link']).code).toBe(0);
    repo.git('add', '-A');
    expect(repo.tryGit(['commit', '-m', 'symlink inside claims']).code).toBe(0);
    repo.git('update-index', '--add', '--cacheinfo', `160000,${repo.head()},src/db/vendored`);
    const gitlink = repo.tryGit(['commit', '-m', 'submodule entry in bob\'s claims']);
    expect(gitlink.code).not.toBe(0);
    expect(gitlink.stderr).toContain('src/db/vendored');
    repo.git('reset', '-q');
    repo.write('docs/odd\nname.md');
    repo.git('add', '-A', 'docs');
    const odd = repo.tryGit(['commit', '-m', 'newline']);
    expect(odd.code).not.toBe(0);
    expect(odd.stderr).toContain('"docs/odd\\nname.md"');
    expect(odd.stderr).toContain("git restore --staged -- $'docs/odd\\x0aname.md'");
  });

  it('checks a partial commit (git commit <paths>) on the paths it commits', () => {
    const repo = onBranch(swarmRepo(), 'swarm/alice');
    repo.write('src/auth/ok.ts');
    repo.write('src/db/not-mine.ts');
    repo.git('add', '-A');
    const r = repo.tryGit(['commit', '-m', 'only mine', '--', 'src/auth/ok.ts']);
    expect(r.code).toBe(0);
    expect(repo.git('show', '--name-only', '--format=', 'HEAD').trim()).toBe('src/auth/ok.ts');
  });

  it('replaces a forged trailer with the real identity', () => {
    const repo = onBranch(swarmRepo(), 'swarm/alice');
    const r = repo.commit('forged\n\nSwarm-Agent: bob', ['src/auth/x.ts']);
    expect(r.code).toBe(0);
    expect(repo.message()).toMatch(/Swarm-Agent: alice/);
    expect(repo.message()).not.toMatch(/Swarm-Agent: bob/);
  });

  it('lets prepare-commit-msg trust pre-commit for the very same index, read by the shell alone', () => {
    const repo = onBranch(swarmRepo(), 'swarm/alice');
    repo.write('src/auth/stamped.ts');
    repo.git('add', '-A');
    const gitDir = repo.git('rev-parse', '--path-format=absolute', '--git-dir').trim();
    const library = join(repo.git('rev-parse', '--path-format=absolute', '--git-common-dir').trim(), 'swarm', 'hooks', HOOK_LIBRARY);
    const env = { GIT_INDEX_FILE: join(gitDir, 'index') };
    const verified = () => repo.run('sh', ['-c', `. '${library}'; verified_agent`], { env });
    expect(verified().code).not.toBe(0);
    expect(repo.swarm(['hook', 'pre-commit'], env).code).toBe(0);
    expect(verified()).toMatchObject({ code: 0, stdout: 'alice\n' });
    repo.write('src/auth/another.ts');
    repo.git('add', '-A');
    expect(verified().code).not.toBe(0);
  });

  it('never lets a left-over stamp vouch for another identity', () => {
    const repo = swarmRepo();
    // The hooks that were in effect before init (git-swarm chains them); --git-path hooks now names git-swarm's.
    const hooksDir = join(repo.git('rev-parse', '--path-format=absolute', '--git-common-dir').trim(), 'hooks');
    const once = join(repo.home, 'failed-once');
    // A hook chained after git-swarm's check fails once: the commit aborts after pre-commit passed.
    writeFileSync(join(hooksDir, 'prepare-commit-msg'), `#!/bin/sh\n[ -f '${once}' ] && exit 0\ntouch '${once}'; exit 1\n`);
    chmodSync(join(hooksDir, 'prepare-commit-msg'), 0o755);
    repo.git('config', 'extensions.worktreeConfig', 'true');
    repo.git('config', '--worktree', 'swarm.agent', 'alice');
    expect(repo.commit('as alice', ['src/auth/x.ts']).code).not.toBe(0);
    repo.git('config', '--worktree', 'swarm.agent', 'bob');
    const r = repo.tryGit(['commit', '--no-verify', '-m', 'as bob']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('held exclusively by alice');
  });

  it('keeps an empty editor message empty (git aborts it) and trails a message written in the editor', () => {
    const repo = onBranch(swarmRepo(), 'swarm/alice');
    repo.write('src/auth/e.ts');
    repo.git('add', '-A');
    const empty = repo.tryGit(['commit'], { GIT_EDITOR: 'true' });
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toMatch(/empty commit message/);
    const editor = join(repo.home, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nprintf "written in the editor\\n" > "$1"\n');
    chmodSync(editor, 0o755);
    const written = repo.tryGit(['commit'], { GIT_EDITOR: editor });
    expect(written.code).toBe(0);
    expect(repo.message()).toMatch(/^written in the editor\n\nSwarm-Agent: alice\n/);
  });

  it('charges a merge only with what differs from every parent', () => {
    const repo = swarmRepo();
    onBranch(repo, 'swarm/alice');
    expect(repo.commit('alice work', ['src/auth/a.ts']).code).toBe(0);
    repo.git('checkout', '-q', 'main');
    expect(repo.commit('lead work on main', ['docs/main.md'], { SWARM_AGENT: 'lead' }).code).toBe(0);
    repo.git('checkout', '-q', 'swarm/alice');
    const merge = repo.tryGit(['merge', '--no-edit', 'main']);
    expect(merge.code).toBe(0);
    expect(repo.message()).toMatch(/^Merge branch 'main' into swarm\/alice\n\nSwarm-Agent: alice\n/);
  });

  it('escape hatches skip the hooks (SWARM_SKIP=1, HUSKY=0)', () => {
    const repo = onBranch(swarmRepo(), 'swarm/alice');
    const skip = repo.commit('skipped', ['src/db/one.ts'], { SWARM_SKIP: '1' });
    expect(skip.code).toBe(0);
    expect(skip.stderr).toContain('SWARM_SKIP=1');
    expect(repo.commit('husky off', ['src/db/two.ts'], { HUSKY: '0' }).code).toBe(0);
  });
});

describe('hooks in every worktree', () => {
  it('guards a worktree made later with plain git worktree add', () => {
    const repo = swarmRepo();
    const wt = join(tempDir(), 'bob-wt');
    repo.git('worktree', 'add', '-q', '-b', 'swarm/bob', wt, 'main');
    const bob = new TestRepo(wt, repo.home);
    const refused = bob.commit('bob touches auth', ['src/auth/x.ts']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('held exclusively by alice');
    bob.git('reset', '-q');
    const allowed = bob.commit('bob db', ['src/db/y.ts']);
    expect(allowed.code).toBe(0);
    expect(bob.message()).toMatch(/Swarm-Agent: bob/);
    const doctor = bob.swarm(['doctor']);
    expect(doctor.code).toBe(0);
  });
});

/** The repository with a bare `origin` that already has main. */
function withRemote(repo: TestRepo): TestRepo {
  const remote = tempDir();
  repo.run('git', ['init', '-q', '--bare', remote]);
  repo.git('remote', 'add', 'origin', remote);
  repo.git('push', '-q', 'origin', 'main');
  return repo;
}

describe('pre-push', () => {
  it('refuses commits the remote lacks that break the rule, even ones made with hooks off', () => {
    const repo = withRemote(swarmRepo());
    onBranch(repo, 'swarm/alice');
    expect(repo.commit('fine', ['src/auth/ok.ts']).code).toBe(0);
    expect(repo.commit('bad', ['src/db/bad.ts'], { SWARM_SKIP: '1' }).code).toBe(0);
    const push = repo.tryGit(['push', '-q', 'origin', 'swarm/alice']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('src/db/bad.ts');
    expect(push.stderr).toContain('in 2 commits');
    expect(repo.tryGit(['ls-remote', '--heads', 'origin', 'swarm/alice']).stdout.trim()).toBe('');
  });

  it('lets a clean push through', () => {
    const repo = withRemote(swarmRepo());
    onBranch(repo, 'swarm/alice');
    expect(repo.commit('fine', ['src/auth/ok.ts']).code).toBe(0);
    const push = repo.tryGit(['push', '-q', 'origin', 'swarm/alice']);
    expect(push.code).toBe(0);
  });
});

describe('init', () => {
  it('is idempotent and keeps pre-existing hooks running after its own', () => {
    const repo = initRepo();
    repo.commit('initial', ['README.md']);
    const hooksDir = repo.git('rev-parse', '--path-format=absolute', '--git-path', 'hooks').trim();
    const marker = join(repo.home, 'old-hook-ran');
    for (const hook of ['pre-commit', 'post-commit', 'reference-transaction']) {
      writeFileSync(join(hooksDir, hook), `#!/bin/sh\necho ${hook} >> '${marker}'\n`);
      chmodSync(join(hooksDir, hook), 0o755);
    }
    expect(repo.swarm(['init']).code).toBe(0);
    const config = repo.git('config', '--list', '--local');
    const second = repo.swarm(['init']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('nothing new to create');
    expect(repo.git('config', '--list', '--local')).toBe(config);
    expect(readFileSync(join(repo.dir, '.gitattributes'), 'utf8').match(/merge=swarm-manifest/g)).toHaveLength(1);
    expect(repo.commit('with hooks', ['a.txt']).code).toBe(0);
    const ran = readFileSync(marker, 'utf8').split('\n');
    expect(ran).toContain('pre-commit');
    expect(ran).toContain('post-commit');
    expect(ran).toContain('reference-transaction');
  });

  it('keeps a foreign core.hooksPath running through the chain, and has no --chain-hooks any more', () => {
    const repo = initRepo();
    repo.commit('initial', ['README.md']);
    repo.write('.githooks/pre-commit', '#!/bin/sh\necho foreign > foreign-ran.txt\n');
    chmodSync(join(repo.dir, '.githooks/pre-commit'), 0o755);
    repo.git('config', 'core.hooksPath', '.githooks');
    const init = repo.swarm(['init']);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`chained: the hooks in ${join(repo.dir, '.githooks')} keep running: pre-commit, prepare-commit-msg and commit-msg before git-swarm's`);
    expect(repo.git('config', '--local', 'core.hooksPath').trim()).toBe('.githooks');
    expect(repo.git('config', 'core.hooksPath').trim()).toBe(join(repo.git('rev-parse', '--path-format=absolute', '--git-common-dir').trim(), 'swarm', 'hooks', '_'));
    expect(repo.commit('chained', ['b.txt']).code).toBe(0);
    expect(existsSync(join(repo.dir, 'foreign-ran.txt'))).toBe(true);
    const flag = repo.swarm(['init', '--chain-hooks']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--chain-hooks');
  });

  it('moves an older install (core.hooksPath and merge driver in .git/config) into its own config file', () => {
    const repo = swarmRepo();
    const common = repo.git('rev-parse', '--path-format=absolute', '--git-common-dir').trim();
    repo.write('.githooks/pre-commit', `#!/bin/sh\necho ran >> '${join(repo.home, 'foreign-ran')}'\n`);
    chmodSync(join(repo.dir, '.githooks/pre-commit'), 0o755);
    repo.git('config', 'core.hooksPath', join(common, 'swarm', 'hooks', '_'));
    repo.git('config', 'swarm.chainHooks', join(repo.dir, '.githooks'));
    repo.git('config', 'merge.swarm-manifest.driver', 'old');
    expect(repo.swarm(['init']).code).toBe(0);
    expect(repo.git('config', '--local', '--get-regexp', '^(core\\.hookspath|swarm\\.|merge\\.)').trim()).toBe(`core.hookspath ${join(repo.dir, '.githooks')}`);
    expect(repo.commit('bob in auth', ['src/auth/x.ts'], { SWARM_AGENT: 'bob' }).code).not.toBe(0);
    expect(readFileSync(join(repo.home, 'foreign-ran'), 'utf8')).toContain('ran');
    expect(repo.swarm(['doctor']).code).toBe(0);
  });

  it('works in a repository with no commits and no package.json, honouring --integration', () => {
    const repo = initRepo(undefined, 'trunk');
    const r = repo.swarm(['init', '--integration', 'trunk']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(repo.dir, '.swarmrc'), 'utf8')).toContain('integration: trunk');
    expect(JSON.parse(readFileSync(join(repo.dir, '.swarm/manifest.json'), 'utf8')).agents.lead.role).toBe('lead');
    const doctor = repo.swarm(['doctor']);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('because the integration branch has none');
    expect(doctor.stdout).toContain('commit it on trunk');
  });
});

describe('doctor', () => {
  it('reports each problem with its fix and exits 1', () => {
    const repo = swarmRepo();
    expect(repo.swarm(['doctor']).code).toBe(0);
    repo.git('config', '--unset-all', 'include.path');
    const r = repo.swarm(['doctor'], { SWARM_AGENT: 'nobody' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("the repository's config does not include");
    expect(r.stdout).toContain('merge driver "swarm-manifest" is not registered');
    expect(r.stdout).toContain('fix: run: git swarm init');
    expect(r.stdout).toContain('identity "nobody" (from SWARM_AGENT) is not in the manifest');
    expect(repo.swarm(['init']).code).toBe(0);
    const stub = join(repo.git('config', 'core.hooksPath').trim(), 'pre-commit');
    writeFileSync(stub, '#!/bin/sh\necho another tool\n');
    const overwritten = repo.swarm(['doctor']);
    expect(overwritten.code).toBe(1);
    expect(overwritten.stdout).toContain('was overwritten by another tool');
    expect(repo.swarm(['init']).code).toBe(0);
    expect(repo.swarm(['doctor']).code).toBe(0);
    const skip = repo.swarm(['doctor', '--format', 'json'], { SWARM_SKIP: '1' });
    const report = JSON.parse(skip.stdout);
    expect(report.ok).toBe(false);
    expect(report.findings.some((f: { title: string }) => f.title.includes('SWARM_SKIP=1'))).toBe(true);
  });
});

describe('whoami', () => {
  it("resolves SWARM_AGENT, then the worktree's own git config swarm.agent, then the branch", () => {
    const repo = onBranch(swarmRepo(), 'swarm/bob');
    expect(JSON.parse(repo.swarm(['whoami', '--format', 'json']).stdout)).toMatchObject({ agent: 'bob', source: 'branch' });
    repo.git('config', 'extensions.worktreeConfig', 'true');
    repo.git('config', '--worktree', 'swarm.agent', 'alice');
    expect(JSON.parse(repo.swarm(['whoami', '--format', 'json']).stdout)).toMatchObject({ agent: 'alice', source: 'config' });
    expect(JSON.parse(repo.swarm(['whoami', '--format', 'json'], { SWARM_AGENT: 'carol' }).stdout)).toMatchObject({
      agent: 'carol',
      source: 'env',
      role: 'reader',
    });
    repo.git('config', '--worktree', '--unset', 'swarm.agent');
    repo.git('checkout', '-q', 'main');
    expect(JSON.parse(repo.swarm(['whoami', '--format', 'json']).stdout)).toEqual({ agent: null, source: null, role: null, known: null });
  });

  it('exits 1 for a name the manifest does not know, listing the known agents', () => {
    const repo = swarmRepo();
    const text = repo.swarm(['whoami'], { SWARM_AGENT: 'zed' });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('zed (from SWARM_AGENT) is not in the manifest; known agents: lead, alice, bob, carol');
    const json = repo.swarm(['whoami', '--format', 'json'], { SWARM_AGENT: 'zed' });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ agent: 'zed', source: 'env', role: null, known: false });
    expect(repo.swarm(['whoami'], { SWARM_AGENT: 'alice' }).code).toBe(0);
  });
});
