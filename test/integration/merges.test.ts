/**
 * A merge is charged with every path where its tree differs from git's own merge of its parents
 * (`git merge-tree --write-tree`): honest merges cost nothing; `-s ours`, evil resolutions and
 * fabricated parents are charged to the merger, in the hooks and in check.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyOf, removeTempDirs, swarmRepo, type Run, type TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

function violations(r: Run): Array<[string | null, string]> {
  return (JSON.parse(r.stdout) as { violations: Array<{ path: string | null; code: string }> }).violations.map((v) => [v.path, v.code]);
}

/** main gets bob's work in src/db while alice works on her branch (built once, then copied). */
function diverged(): TestRepo {
  return copyOf('merges.test diverged', () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('alice works', ['src/auth/login.ts']).code).toBe(0);
    repo.git('checkout', '-q', 'main');
    expect(repo.commit('bob lands on main', { 'src/db/schema.sql': 'create table t;\n' }, { SWARM_AGENT: 'bob' }).code).toBe(0);
    repo.git('checkout', '-q', 'swarm/alice');
    return repo;
  });
}

describe('merges are charged with what they really change', () => {
  it('an honest merge of main into an agent branch costs nothing, in the hooks and in check', () => {
    const repo = diverged();
    const merge = repo.tryGit(['merge', '--no-edit', 'main']);
    expect(merge.stderr).not.toContain('refused');
    expect(merge.code).toBe(0);
    const check = repo.swarm(['check', '--format', 'json']);
    expect(check.code).toBe(0);
  });

  it('git merge -s ours (discarding landed work) is refused by the hooks and flagged by check', () => {
    const repo = diverged();
    const ours = repo.tryGit(['merge', '-s', 'ours', '--no-edit', 'main']);
    expect(ours.code).not.toBe(0);
    expect(ours.stderr).toContain('src/db/schema.sql');
    expect(ours.stderr).toContain("outside alice's claims");
    // git keeps the merge in progress: conclude it with the checks skipped, for CI to judge.
    expect(repo.tryGit(['commit', '--no-edit'], { SWARM_SKIP: '1' }).code).toBe(0);
    const check = repo.swarm(['check', '--format', 'json']);
    expect(check.code).toBe(1);
    expect(violations(check)).toEqual([['src/db/schema.sql', 'outside-claims']]);
  });

  it('an evil resolution outside the claims is charged; the clean rest of the merge is not', () => {
    const repo = diverged();
    expect(repo.tryGit(['merge', '--no-commit', 'main']).code).toBe(0);
    repo.write('README.md', 'rewritten in the merge\n');
    repo.git('add', 'README.md');
    const evil = repo.tryGit(['commit', '--no-edit']);
    expect(evil.code).not.toBe(0);
    expect(evil.stderr).toContain('README.md');
    expect(evil.stderr).not.toContain('schema.sql');
  });

  it('a fabricated parent (commit-tree with the root commit) that deletes the manifest and .swarmrc is flagged', () => {
    const repo = diverged();
    const root = repo.git('rev-list', '--max-parents=0', 'HEAD').trim();
    repo.git('rm', '-q', '--cached', '.swarm/manifest.json', '.swarmrc');
    const tree = repo.git('write-tree').trim();
    repo.git('reset', '-q');
    const forged = repo.git('commit-tree', tree, '-p', 'HEAD', '-p', root, '-m', 'merge\n\nSwarm-Agent: alice').trim();
    repo.git('reset', '-q', '--hard', forged);
    const check = repo.swarm(['check', '--format', 'json']);
    expect(check.code).toBe(1);
    expect(violations(check)).toEqual(
      expect.arrayContaining([
        ['.swarm/manifest.json', 'lead-only'],
        ['.swarmrc', 'lead-only'],
      ]),
    );
  });

  it('a hand-written MERGE_HEAD naming the root commit does not hide a deletion from the hooks', () => {
    const repo = diverged();
    const root = repo.git('rev-list', '--max-parents=0', 'HEAD').trim();
    writeFileSync(repo.git('rev-parse', '--path-format=absolute', '--git-path', 'MERGE_HEAD').trim(), `${root}\n`);
    repo.git('rm', '-q', '.swarm/manifest.json');
    const commit = repo.tryGit(['commit', '-m', 'merge']);
    expect(commit.code).not.toBe(0);
    expect(commit.stderr).toContain('only a lead may change .swarm/manifest.json');
  });
});

describe('renames followed by the merge', () => {
  /** docs/** is open to all; bob edits a guide that alice, on main, moves into her claim (built once, then copied). */
  function movedIntoAlice(): TestRepo {
    return copyOf('merges.test movedIntoAlice', () => {
      const repo = swarmRepo(undefined, 'integration: main\nalwaysAllowed: ["docs/**"]\n');
      expect(repo.commit('a guide', { 'docs/guide.md': 'guide\n', 'docs/tools/a.md': 'a\n' }, { SWARM_AGENT: 'lead' }).code).toBe(0);
      repo.git('checkout', '-q', '-b', 'swarm/bob');
      repo.git('checkout', '-q', 'main');
      mkdirSync(join(repo.dir, 'src', 'auth'), { recursive: true });
      repo.git('mv', 'docs/guide.md', 'src/auth/guide.md');
      repo.git('mv', 'docs/tools', 'src/auth/tools');
      expect(repo.tryGit(['commit', '-q', '-m', 'alice moves them into her claim'], { SWARM_AGENT: 'alice' }).code).toBe(0);
      repo.git('checkout', '-q', 'swarm/bob');
      return repo;
    });
  }

  it("an edit that git's rename detection carries into another agent's path is charged to the merger", () => {
    const repo = movedIntoAlice();
    expect(repo.commit('bob edits the guide', { 'docs/guide.md': 'guide\nBOB WAS HERE\n' }).code).toBe(0);
    const merge = repo.tryGit(['merge', '--no-edit', 'main']);
    expect(merge.code).not.toBe(0);
    expect(merge.stderr).toContain('src/auth/guide.md');
    expect(repo.tryGit(['commit', '--no-edit'], { SWARM_SKIP: '1' }).code).toBe(0);
    const check = repo.swarm(['check', '--format', 'json']);
    expect(check.code).toBe(1);
    expect(violations(check)).toContainEqual(['src/auth/guide.md', 'held-by-other']);
  });

  it("a file added under a directory another agent moved into its claim is charged to the merger", () => {
    const repo = movedIntoAlice();
    expect(repo.commit('bob adds a tool', { 'docs/tools/evil.md': 'evil\n' }).code).toBe(0);
    repo.tryGit(['merge', '--no-edit', 'main']);
    repo.git('add', '-A');
    expect(repo.tryGit(['commit', '--no-edit'], { SWARM_SKIP: '1' }).code).toBe(0);
    expect(repo.git('ls-files', 'src/auth/tools').trim().split('\n')).toContain('src/auth/tools/evil.md');
    const check = repo.swarm(['check', '--format', 'json']);
    expect(check.code).toBe(1);
    expect(violations(check)).toContainEqual(['src/auth/tools/evil.md', 'held-by-other']);
  });
});
