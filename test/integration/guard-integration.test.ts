/**
 * guardIntegration: the reference-transaction hook lets only a lead (git swarm land) move the
 * integration branch, in every worktree, and leaves every other ref alone without starting node.
 * One repository runs through the whole story, in order: the tests share it.
 */
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, swarmRepo, tempDir, TestRepo, type Run } from '../helpers/repo.js';

afterAll(removeTempDirs);

const MANIFEST = {
  version: 1,
  agents: {
    lead: { role: 'lead' },
    alice: { claims: ['src/auth/**'] },
  },
};

const alice = { SWARM_AGENT: 'alice' };
const lead = { SWARM_AGENT: 'lead' };

const repo = swarmRepo(MANIFEST, 'integration: main\nguardIntegration: true\n');
const guard = join(repo.dir, '.git/swarm/hooks/_/reference-transaction');
const aliceTree = (() => {
  const path = join(tempDir(), 'alice');
  const r = repo.swarm(['spawn', 'alice', '--path', path]);
  if (r.code !== 0) throw new Error(r.stderr);
  return new TestRepo(path, repo.home);
})();

/** git in the main worktree (main checked out) as `env` says. */
const gitAs = (env: Record<string, string>, ...args: string[]): Run => repo.tryGit(args, env);

/** A refusal by the guard: non-zero, git-swarm's lines, and main where it was. */
function expectRefused(r: Run, main: string): void {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.stderr).toMatch(/^git-swarm: refused: refs\/heads\/main /im);
  expect(r.stderr).toContain('fatal: ref updates aborted by hook');
  expect(repo.head('main')).toBe(main);
}

describe('guardIntegration', () => {
  it('is reported missing by doctor until init installs it (the setting was committed after init)', () => {
    expect(existsSync(guard)).toBe(false);
    const before = repo.swarm(['doctor']);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('main:.swarmrc sets guardIntegration, but the guard is not installed in this clone');
    const init = repo.swarm(['init']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('guard: only a lead (git swarm land) may move main');
    const after = repo.swarm(['doctor']);
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain('✓ guard: only a lead moves main here');
  });

  it("refuses an agent's or a person's moves of main, whatever the command, and main stays where it was", () => {
    expect(aliceTree.commit('work', { 'src/auth/a.ts': 'a\n' }).code).toBe(0);
    const work = aliceTree.head();
    const main = repo.head('main');

    const commit = repo.commit('on main', { 'src/auth/b.ts': 'b\n' }, alice);
    expectRefused(commit, main);
    expect(commit.stderr).toContain(`refs/heads/main ${main.slice(0, 10)} → `);
    expect(commit.stderr).toContain('.swarmrc sets guardIntegration, so only a lead (lead) moves main');
    expect(commit.stderr).toContain('you are alice (from SWARM_AGENT), not a lead');
    expect(commit.stderr).toContain('fix: commit on your own branch swarm/alice, run git swarm ready there, then a lead runs: git swarm land alice');
    // Putting the files back is no move of main: it passes for anyone.
    expect(gitAs(alice, 'reset', '-q', '--hard').code).toBe(0);

    expectRefused(gitAs(alice, 'update-ref', 'refs/heads/main', work), main);
    expectRefused(gitAs(alice, 'reset', '-q', '--hard', 'HEAD~1'), main);
    expect(gitAs(alice, 'reset', '-q', '--hard').code).toBe(0);
    expectRefused(gitAs(alice, 'fetch', '-q', '--update-head-ok', '.', 'swarm/alice:main'), main);
    // On a case-insensitive file system this is main's own file.
    expectRefused(gitAs(alice, 'update-ref', 'refs/heads/MAIN', work), main);
    const person = gitAs({}, 'update-ref', 'refs/heads/main', work);
    expectRefused(person, main);
    expect(person.stderr).toContain('you are not identified as any agent');

    // From alice's own worktree (identified by its config), with main checked out nowhere.
    repo.git('checkout', '-q', '--detach');
    try {
      expectRefused(aliceTree.tryGit(['branch', '-f', 'main', work]), main);
      const deletion = aliceTree.tryGit(['update-ref', '-d', 'refs/heads/main']);
      expectRefused(deletion, main);
      expect(deletion.stderr).toContain(`refs/heads/main ${main.slice(0, 10)} → (deleted)`);
    } finally {
      repo.git('checkout', '-q', 'main');
    }
    expect(repo.git('status', '--porcelain').trim()).toBe('');
  });

  it("lets git's bookkeeping of main (pack-refs) and every other ref through, the latter without starting node", () => {
    const main = repo.head('main');
    expect(readFileSync(join(repo.dir, '.git/refs/heads/main'), 'utf8').trim()).toBe(main);
    const pack = aliceTree.tryGit(['pack-refs', '--all']);
    expect(pack.code, pack.stderr).toBe(0);
    expect(existsSync(join(repo.dir, '.git/refs/heads/main'))).toBe(false);

    // With the CLI unreachable, only main fails, closed: nothing else ever needed node.
    const library = join(repo.dir, '.git/swarm/hooks/lib.sh');
    const text = readFileSync(library, 'utf8');
    writeFileSync(library, text.replace(/^swarm_cli=.*$/m, "swarm_cli='/nonexistent/git-swarm/cli.js'"));
    try {
      const work = aliceTree.head();
      for (const args of [
        ['branch', 'other', work],
        ['tag', 'v1', work],
        ['update-ref', 'refs/swarm/scratch', work],
        ['fetch', '-q', '.', '+refs/heads/*:refs/remotes/self/*'],
      ]) {
        const r = aliceTree.tryGit(args);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      }
      const gone = gitAs(lead, 'update-ref', 'refs/heads/main', work);
      expect(gone.code).not.toBe(0);
      expect(gone.stderr).toMatch(/^git-swarm: refused: the hooks call git-swarm at .*, which is gone/m);
      expect(repo.head('main')).toBe(main);
    } finally {
      writeFileSync(library, text);
    }
    expect(repo.head('refs/remotes/self/swarm/alice')).toBe(aliceTree.head());
  });

  it('lets a lead move main by hand, and git swarm land and undo through', () => {
    const main = repo.head('main');
    expect(repo.commit('lead edit', { 'README.md': 'lead\n' }, lead).code).toBe(0);
    expect(gitAs(lead, 'reset', '-q', '--hard', main).code).toBe(0);
    expect(gitAs(lead, 'update-ref', 'refs/heads/main', aliceTree.head()).code).toBe(0);
    expect(gitAs(lead, 'update-ref', 'refs/heads/main', main).code).toBe(0);
    expect(repo.head('main')).toBe(main);

    expect(aliceTree.swarm(['ready']).code).toBe(0);
    const land = repo.swarm(['land', 'alice', '--format', 'json'], lead);
    expect(land.code, land.stderr).toBe(0);
    const { id, to } = JSON.parse(land.stdout) as { id: string; to: string };
    expect(repo.head('main')).toBe(to);
    expect(existsSync(join(repo.dir, 'src/auth/a.ts'))).toBe(true);
    const undo = repo.swarm(['undo', id], lead);
    expect(undo.code, undo.stderr).toBe(0);
    expect(repo.git('rev-parse', 'main^').trim()).toBe(to);
  });

  it('chains a reference-transaction hook of the repository, which sees every transaction', () => {
    const marker = join(repo.home, 'chained-ran');
    const chained = join(repo.dir, '.git/hooks/reference-transaction');
    writeFileSync(chained, `#!/bin/sh\nwhile read -r line; do echo "$1 $line" >> '${marker}'; done\n`);
    chmodSync(chained, 0o755);
    expect(repo.swarm(['init']).code).toBe(0);
    const main = repo.head('main');
    expect(aliceTree.tryGit(['update-ref', 'refs/swarm/chained', main]).code).toBe(0);
    expectRefused(gitAs(alice, 'update-ref', 'refs/heads/main', aliceTree.head()), main);
    const ran = readFileSync(marker, 'utf8');
    expect(ran).toContain(`prepared 0000000000000000000000000000000000000000 ${main} refs/swarm/chained`);
    expect(ran).toContain(`committed 0000000000000000000000000000000000000000 ${main} refs/swarm/chained`);
    // The guard refused first; git then tells every hook the transaction was aborted.
    expect(ran).not.toMatch(/^prepared .* refs\/heads\/main$/m);
    expect(ran).toMatch(/^aborted .* refs\/heads\/main$/m);
  });

  it('is removed by uninstall; switched off on the tip it lets everything through, and init then removes it', () => {
    expect(repo.swarm(['uninstall']).code).toBe(0);
    expect(existsSync(guard)).toBe(false);
    expect(repo.swarm(['init']).code).toBe(0);
    expect(existsSync(guard)).toBe(true);

    repo.write('.swarmrc', 'integration: main\nguardIntegration: false\n');
    repo.git('add', '.swarmrc');
    expect(repo.tryGit(['commit', '-q', '-m', 'guard off'], lead).code).toBe(0);
    const main = repo.head('main');
    expect(gitAs(alice, 'update-ref', 'refs/heads/main', `${main}~1`).code).toBe(0);
    expect(gitAs(lead, 'update-ref', 'refs/heads/main', main).code).toBe(0);
    expect(repo.swarm(['doctor']).stdout).toContain('the guard on the integration branch is installed, but main:.swarmrc does not set guardIntegration');

    rmSync(join(repo.dir, '.git/hooks/reference-transaction'));
    expect(repo.swarm(['init']).code).toBe(0);
    expect(existsSync(guard)).toBe(false);
    expect(gitAs(alice, 'update-ref', 'refs/heads/main', `${main}~1`).code).toBe(0);
  });
});
