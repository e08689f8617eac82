import { chmodSync, copyFileSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_MANIFEST, initRepo, removeTempDirs, ROOT, tempDir, TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

/** A copy of the built package that can be deleted after init: dist/ and husky beside it. */
function packageCopy(): { root: string; cli: string } {
  const root = tempDir('swarm-pkg-');
  mkdirSync(join(root, 'dist'));
  mkdirSync(join(root, 'node_modules'));
  for (const file of ['cli.js', 'heavy.js']) copyFileSync(join(ROOT, 'dist', file), join(root, 'dist', file));
  symlinkSync(join(ROOT, 'node_modules', 'husky'), join(root, 'node_modules', 'husky'));
  return { root, cli: join(root, 'dist', 'cli.js') };
}

/** A guarded repository whose hooks call `node` and `cli`, with a remote to push to. */
function guardedBy(node: string, cli: string): TestRepo {
  const repo = initRepo();
  repo.commit('initial', { 'README.md': '# project\n' });
  const init = repo.run(node, [cli, 'init']);
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  repo.write('.swarm/manifest.json', `${JSON.stringify(EXAMPLE_MANIFEST, null, 2)}\n`);
  repo.git('add', '-A');
  expect(repo.tryGit(['commit', '-m', 'set up'], { SWARM_AGENT: 'lead' }).code).toBe(0);
  const remote = tempDir();
  repo.run('git', ['init', '-q', '--bare', remote]);
  repo.git('remote', 'add', 'origin', remote);
  return repo;
}

/** git's stderr from a hook that failed closed: git-swarm's one line, then at most husky's own. */
function expectOneLine(stderr: string, what: string, path: string): void {
  const ours = stderr.split('\n').filter((l) => l.startsWith('git-swarm'));
  expect(ours).toEqual([`git-swarm: refused: the hooks call ${what} at ${path}, which is gone: reinstall git-swarm if it was removed, then run: git swarm init`]);
  expect(stderr).not.toMatch(/Error|node:internal|    at /);
}

describe('hooks whose CLI or node has gone since init', () => {
  it('refuse every commit and push with one line naming the missing CLI and the fix', () => {
    const pkg = packageCopy();
    const repo = guardedBy(process.execPath, pkg.cli);
    rmSync(pkg.root, { recursive: true, force: true });

    const commit = repo.commit('alice work', ['src/auth/a.ts'], { SWARM_AGENT: 'alice' });
    expect(commit.code).not.toBe(0);
    expectOneLine(commit.stderr, 'git-swarm', pkg.cli);
    const noVerify = repo.tryGit(['commit', '--no-verify', '-m', 'alice work'], { SWARM_AGENT: 'alice' });
    expect(noVerify.code).not.toBe(0);
    expectOneLine(noVerify.stderr, 'git-swarm', pkg.cli);
    expect(repo.git('log', '--format=%s')).not.toContain('alice work');

    const push = repo.tryGit(['push', 'origin', 'main']);
    expect(push.code).not.toBe(0);
    expectOneLine(push.stderr, 'git-swarm', pkg.cli);
    expect(repo.tryGit(['ls-remote', '--heads', 'origin', 'main']).stdout.trim()).toBe('');

    const doctor = repo.swarm(['doctor']);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(`the hooks call git-swarm at ${pkg.cli}, which is gone`);
    // init from an installed git-swarm repairs it.
    expect(repo.swarm(['init']).code).toBe(0);
    expect(repo.tryGit(['commit', '-m', 'alice work'], { SWARM_AGENT: 'alice' }).code).toBe(0);
  });

  it('refuse with one line naming node when the node that ran init is gone', () => {
    const node = join(tempDir('swarm-node-'), 'node');
    copyFileSync(process.execPath, node);
    chmodSync(node, 0o755);
    const repo = guardedBy(node, join(ROOT, 'dist', 'cli.js'));
    rmSync(node);
    const commit = repo.commit('alice work', ['src/auth/a.ts'], { SWARM_AGENT: 'alice' });
    expect(commit.code).not.toBe(0);
    expectOneLine(commit.stderr, 'node', node);
    expect(repo.swarm(['doctor']).stdout).toContain(`the hooks call node at ${node}, which is gone`);
  });
});
