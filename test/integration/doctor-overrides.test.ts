import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, swarmRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

describe('doctor names the layer that overrides git-swarm\'s core.hooksPath, with its fix', () => {
  it('catches worktree config, the command line and a hooks path written after the include', () => {
    const repo = swarmRepo();
    const common = repo.git('rev-parse', '--path-format=absolute', '--git-common-dir').trim();

    repo.git('config', 'extensions.worktreeConfig', 'true');
    repo.git('config', '--worktree', 'core.hooksPath', '/dev/null');
    expect(repo.commit('bob in auth', ['src/auth/x.ts'], { SWARM_AGENT: 'bob' }).code).toBe(0);
    const worktree = repo.swarm(['doctor']);
    expect(worktree.code).toBe(1);
    expect(worktree.stdout).toContain(`core.hooksPath is "/dev/null" in this worktree's own config (${join(common, 'config.worktree')})`);
    expect(worktree.stdout).toContain('fix: run: git config --worktree --unset core.hooksPath');
    repo.git('config', '--worktree', '--unset', 'core.hooksPath');

    const command = repo.swarm(['doctor'], { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.hooksPath', GIT_CONFIG_VALUE_0: '/dev/null' });
    expect(command.code).toBe(1);
    expect(command.stdout).toContain('core.hooksPath is "/dev/null" on the command line or in the environment');
    expect(repo.swarm(['doctor']).code).toBe(0);

    // A hand-written section after the include has the last word; init appends the include again.
    appendFileSync(join(common, 'config'), '[core]\n\thooksPath = .husky/_\n');
    const after = repo.swarm(['doctor']);
    expect(after.code).toBe(1);
    expect(after.stdout).toContain("a core.hooksPath set after the include of git-swarm's config file overrides git-swarm's");
    expect(after.stdout).toContain('core.hooksPath is ".husky/_", so git-swarm\'s hooks');
    expect(repo.swarm(['init']).code).toBe(0);
    expect(repo.swarm(['doctor']).code).toBe(0);
    expect(repo.commit('bob in auth again', ['src/auth/y.ts'], { SWARM_AGENT: 'bob' }).code).not.toBe(0);
  });
});
