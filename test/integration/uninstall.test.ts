import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_MANIFEST, initRepo, removeTempDirs, swarmRepo, type TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

const commonDir = (repo: TestRepo) => repo.git('rev-parse', '--path-format=absolute', '--git-common-dir').trim();

/** Two branches change different agents of the manifest; merging them needs the manifest merged. */
function expectManifestMerges(repo: TestRepo): void {
  const edit = (branch: string, agent: string, claim: string) => {
    repo.git('checkout', '-q', '-b', branch, 'main');
    const manifest = JSON.parse(readFileSync(join(repo.dir, '.swarm/manifest.json'), 'utf8'));
    manifest.agents[agent].claims = [claim];
    repo.write('.swarm/manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
    repo.git('commit', '-q', '-am', `${agent} claims ${claim}`);
  };
  edit('one', 'alice', 'one/**');
  edit('two', 'bob', 'two/**');
  const merge = repo.tryGit(['merge', '--no-edit', 'one']);
  expect(merge.stderr).not.toContain('lacks command line');
  expect(merge.code).toBe(0);
  const merged = JSON.parse(readFileSync(join(repo.dir, '.swarm/manifest.json'), 'utf8'));
  expect([merged.agents.alice.claims, merged.agents.bob.claims]).toEqual([['one/**'], ['two/**']]);
}

describe('git swarm uninstall', () => {
  it('removes the hooks and git config, keeps the versioned files and the hooks that were there, and is idempotent', () => {
    const repo = swarmRepo();
    const previous = join(commonDir(repo), 'hooks', 'pre-commit');
    writeFileSync(previous, `#!/bin/sh\necho ran >> '${join(repo.home, 'previous-ran')}'\n`);
    chmodSync(previous, 0o755);
    expect(repo.commit('bob in auth', ['src/auth/x.ts'], { SWARM_AGENT: 'bob' }).code).not.toBe(0);
    repo.git('reset', '-q');

    const r = repo.swarm(['uninstall']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("removed: the include of git-swarm's config file");
    expect(r.stdout).toContain(`hooks now in effect: ${join(commonDir(repo), 'hooks')}`);
    expect(repo.tryGit(['config', 'core.hooksPath']).code).toBe(1);
    expect(repo.tryGit(['config', '--get-regexp', '^(merge\\.swarm|include\\.)']).stdout).toBe('');
    expect(existsSync(join(commonDir(repo), 'swarm'))).toBe(false);
    for (const kept of ['.swarmrc', '.swarm/manifest.json', '.gitattributes']) expect(existsSync(join(repo.dir, kept)), kept).toBe(true);

    expect(repo.commit('bob in auth', ['src/auth/x.ts'], { SWARM_AGENT: 'bob' }).code).toBe(0);
    expect(repo.message()).not.toContain('Swarm-Agent');
    expect(readFileSync(join(repo.home, 'previous-ran'), 'utf8')).toContain('ran');

    const again = repo.swarm(['uninstall']);
    expect(again).toMatchObject({ code: 0, stdout: `git-swarm is not installed in ${repo.dir}: nothing to do.\n` });
    expectManifestMerges(repo);
  });

  it('puts back a foreign hooks path an older install had taken over, and its merge driver config', () => {
    const repo = initRepo();
    repo.commit('initial', ['README.md']);
    repo.write('.githooks/pre-commit', `#!/bin/sh\necho ran >> '${join(repo.home, 'foreign-ran')}'\n`);
    chmodSync(join(repo.dir, '.githooks/pre-commit'), 0o755);
    expect(repo.swarm(['init']).code).toBe(0);
    repo.write('.swarm/manifest.json', `${JSON.stringify(EXAMPLE_MANIFEST, null, 2)}\n`);
    repo.git('add', '-A');
    expect(repo.tryGit(['commit', '-m', 'set up'], { SWARM_AGENT: 'lead' }).code).toBe(0);
    // What git-swarm 0.1.0 wrote before it had a config file of its own.
    repo.git('config', 'core.hooksPath', join(commonDir(repo), 'swarm', 'hooks', '_'));
    repo.git('config', 'swarm.chainHooks', join(repo.dir, '.githooks'));
    repo.git('config', 'merge.swarm-manifest.name', 'git-swarm manifest merge');

    expect(repo.swarm(['uninstall']).stdout).toContain("removed: git-swarm's hooks path and merge driver in the repository's config (older install)");
    expect(repo.git('config', 'core.hooksPath').trim()).toBe(join(repo.dir, '.githooks'));
    expect(repo.tryGit(['config', '--get-regexp', '^(merge\\.swarm|swarm\\.chain)']).stdout).toBe('');
    expect(repo.commit('unguarded', ['src/db/x.ts'], { SWARM_AGENT: 'alice' }).code).toBe(0);
    expect(readFileSync(join(repo.home, 'foreign-ran'), 'utf8')).toContain('ran');
    expectManifestMerges(repo);
  });
});
