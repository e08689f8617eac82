import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_MANIFEST, initRepo, removeTempDirs, ROOT, tempDir, TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

const HUSKY = join(ROOT, 'node_modules', 'husky');

/** husky's own prepare, as every `npm install` runs it: sets core.hooksPath to .husky/_ in .git/config. */
function npmInstall(repo: TestRepo, cwd = repo.dir): void {
  const r = repo.run('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd });
  if (r.code !== 0) throw new Error(`npm install failed: ${r.stderr}`);
}

/** A Node project using the real husky, with a .husky/pre-commit that records where it ran. */
function huskyProject(): { repo: TestRepo; marker: string } {
  const repo = initRepo();
  const marker = join(repo.home, 'husky-pre-commit-ran');
  repo.write('package.json', `${JSON.stringify({ name: 'app', version: '1.0.0', private: true, scripts: { prepare: 'husky' }, devDependencies: { husky: `file:${HUSKY}` } }, null, 2)}\n`);
  repo.write('.gitignore', 'node_modules/\n');
  repo.write('.husky/pre-commit', `echo "$PWD" >> '${marker}'\n`);
  chmodSync(join(repo.dir, '.husky/pre-commit'), 0o755);
  npmInstall(repo);
  expect(repo.git('config', 'core.hooksPath').trim()).toBe('.husky/_');
  return { repo, marker };
}

const ran = (marker: string) => (existsSync(marker) ? readFileSync(marker, 'utf8').trim().split('\n') : []);

describe('a repository whose hooks husky manages', () => {
  it("stays guarded through husky's prepare, in a new worktree too, and husky's pre-commit still runs", () => {
    const { repo, marker } = huskyProject();
    expect(repo.swarm(['init']).code).toBe(0);
    repo.write('.swarm/manifest.json', `${JSON.stringify(EXAMPLE_MANIFEST, null, 2)}\n`);
    repo.git('add', '-A');
    expect(repo.tryGit(['commit', '-m', 'set up'], { SWARM_AGENT: 'lead' }).code).toBe(0);
    expect(ran(marker)).toEqual([repo.dir]);

    // The next npm install rewrites core.hooksPath in .git/config: git-swarm's include still wins.
    npmInstall(repo);
    expect(repo.git('config', '--local', 'core.hooksPath').trim()).toBe('.husky/_');
    const ours = join(repo.git('rev-parse', '--path-format=absolute', '--git-common-dir').trim(), 'swarm', 'hooks', '_');
    expect(repo.git('config', 'core.hooksPath').trim()).toBe(ours);
    const doctor = repo.swarm(['doctor']);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain(`chained: husky's hooks (${join(repo.dir, '.husky', '_')}) run before git-swarm's pre-commit check`);

    const wtDir = join(tempDir(), 'bob');
    repo.git('worktree', 'add', '-q', '-b', 'swarm/bob', wtDir, 'main');
    const bob = new TestRepo(wtDir, repo.home);
    expect(bob.git('config', 'core.hooksPath').trim()).toBe(ours);
    // husky's .husky/_ is untracked: until its prepare runs in this worktree there is nothing to chain.
    expect(bob.swarm(['doctor']).stdout).toContain(`chained: ${join(wtDir, '.husky', '_')} does not exist in this worktree`);
    const refused = bob.commit('bob touches auth', ['src/auth/x.ts']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('held exclusively by alice');

    npmInstall(bob);
    const refusedAgain = bob.commit('bob touches auth again', ['src/auth/x.ts']);
    expect(refusedAgain.code).not.toBe(0);
    expect(refusedAgain.stderr).toContain('held exclusively by alice');
    // husky's hook ran first, in the worktree (it leaves the index the check then judges).
    expect(ran(marker)).toEqual([repo.dir, wtDir]);
    bob.git('reset', '-q');
    expect(bob.commit('bob db', ['src/db/y.ts']).code).toBe(0);
    expect(bob.message()).toContain('Swarm-Agent: bob');
    expect(ran(marker)).toEqual([repo.dir, wtDir, wtDir]);
  });

  it('hands the hooks back to husky on uninstall', () => {
    const { repo, marker } = huskyProject();
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'project');
    expect(repo.swarm(['init']).code).toBe(0);
    repo.write('.swarm/manifest.json', `${JSON.stringify(EXAMPLE_MANIFEST, null, 2)}\n`);
    repo.git('add', '-A');
    expect(repo.tryGit(['commit', '-m', 'set up'], { SWARM_AGENT: 'lead' }).code).toBe(0);
    expect(repo.commit('as bob', ['src/auth/x.ts'], { SWARM_AGENT: 'bob' }).code).not.toBe(0);

    const r = repo.swarm(['uninstall']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`hooks now in effect: ${join(repo.dir, '.husky', '_')} (husky's)`);
    expect(repo.git('config', 'core.hooksPath').trim()).toBe('.husky/_');
    const before = ran(marker).length;
    expect(repo.tryGit(['commit', '-m', 'as bob'], { SWARM_AGENT: 'bob' }).code).toBe(0);
    expect(repo.message()).not.toContain('Swarm-Agent');
    expect(ran(marker)).toHaveLength(before + 1);
  });
});
