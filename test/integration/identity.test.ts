/**
 * Who commits: the worktree's own config only, the rebased branch during a rebase, the amended
 * commit replaced whole by --amend, and the commands that run no commit hooks at all.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, swarmRepo, tempDir, TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

describe('identity that cannot be borrowed', () => {
  it('a shared git config swarm.agent is ignored, and doctor says how to set it per worktree', () => {
    const repo = swarmRepo();
    repo.git('config', 'swarm.agent', 'alice');
    const who = repo.swarm(['whoami', '--format', 'json']);
    expect(JSON.parse(who.stdout)).toMatchObject({ agent: null });
    const doctor = repo.swarm(['doctor']);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('git config swarm.agent=alice is in the local config, shared by every worktree: it is ignored');
    expect(doctor.stdout).toContain('git config --worktree swarm.agent alice');
    const wt = join(tempDir(), 'alice-wt');
    repo.git('worktree', 'add', '-q', '-b', 'work', wt, 'main');
    const alice = new TestRepo(wt, repo.home);
    alice.git('config', 'extensions.worktreeConfig', 'true');
    alice.git('config', '--worktree', 'swarm.agent', 'alice');
    expect(JSON.parse(alice.swarm(['whoami', '--format', 'json']).stdout)).toMatchObject({ agent: 'alice', source: 'config' });
    // The main worktree is still nobody: the value lives in alice's worktree only.
    expect(JSON.parse(repo.swarm(['whoami', '--format', 'json']).stdout)).toMatchObject({ agent: null });
  });

  it("during a rebase the agent is the rebased branch's: an amend into another agent's file is refused", () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('alice one', ['src/auth/one.ts']).code).toBe(0);
    expect(repo.commit('alice two', ['src/auth/two.ts']).code).toBe(0);
    const editFirst = "sed -i '1s/^pick/edit/'";
    expect(repo.tryGit(['rebase', '-q', '-i', 'main'], { GIT_SEQUENCE_EDITOR: editFirst }).code).toBe(0);
    expect(repo.git('rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('HEAD');
    repo.write('src/db/sneaky.ts');
    repo.git('add', 'src/db/sneaky.ts');
    const amend = repo.tryGit(['commit', '--amend', '--no-edit']);
    expect(amend.code).not.toBe(0);
    expect(amend.stderr).toContain('commit refused for alice (from branch swarm/alice)');
    expect(amend.stderr).toContain('src/db/sneaky.ts');
    repo.git('reset', '-q', 'HEAD', '--', 'src/db/sneaky.ts');
    expect(repo.tryGit(['rebase', '--continue']).code).toBe(0);
  });

  it("--amend is judged against the amended commit's parent: amending the lead's commit takes over its paths", () => {
    const repo = swarmRepo();
    expect(repo.commit('lead edits the readme', { 'README.md': 'by the lead\n' }, { SWARM_AGENT: 'lead' }).code).toBe(0);
    repo.write('src/auth/mine.ts');
    repo.git('add', 'src/auth/mine.ts');
    const amend = repo.tryGit(['commit', '--amend', '--no-edit'], { SWARM_AGENT: 'alice' });
    expect(amend.code).not.toBe(0);
    expect(amend.stderr).toContain('README.md');
    expect(repo.message()).toContain('Swarm-Agent: lead');
    // A plain commit of the same file is fine.
    expect(repo.tryGit(['commit', '-m', 'alice adds her file'], { SWARM_AGENT: 'alice' }).code).toBe(0);
  });

  it('git am runs no commit hooks: pre-push and check catch what it applies', () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('reach into bob', ['src/db/patched.ts'], { SWARM_SKIP: '1' }).code).toBe(0);
    const patch = join(tempDir(), 'p.patch');
    writeFileSync(patch, repo.git('format-patch', '-1', '--stdout'));
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    expect(repo.tryGit(['am', '-q', patch]).code).toBe(0);
    const check = repo.swarm(['check', '--format', 'json']);
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout).violations).toEqual([expect.objectContaining({ path: 'src/db/patched.ts', code: 'outside-claims' })]);
    const remote = tempDir('swarm-remote-');
    repo.run('git', ['init', '-q', '--bare', remote]);
    const push = repo.tryGit(['push', '-q', remote, 'swarm/alice']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('src/db/patched.ts');
  });

  it('unidentified: deny does not break rebase, merge or pull by an identified agent', () => {
    const repo = swarmRepo(undefined, 'integration: main\nunidentified: deny\n');
    const remote = tempDir('swarm-remote-');
    repo.run('git', ['init', '-q', '--bare', remote]);
    repo.git('remote', 'add', 'origin', remote);
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    expect(repo.commit('alice', ['src/auth/a.ts']).code).toBe(0);
    repo.git('checkout', '-q', 'main');
    expect(repo.commit('lead', ['docs/a.md'], { SWARM_AGENT: 'lead' }).code).toBe(0);
    expect(repo.tryGit(['push', '-q', 'origin', 'main'], { SWARM_AGENT: 'lead' }).code).toBe(0);
    expect(repo.commit('lead again', ['docs/b.md'], { SWARM_AGENT: 'lead' }).code).toBe(0);
    repo.git('checkout', '-q', 'swarm/alice');
    const rebase = repo.tryGit(['rebase', '-q', 'origin/main']);
    expect(rebase.stderr).not.toContain('refused');
    expect(rebase.code).toBe(0);
    expect(repo.tryGit(['merge', '-q', '--no-edit', 'main']).code).toBe(0);
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    expect(repo.tryGit(['pull', '-q', '--no-rebase', '--no-edit', 'origin', 'main']).code).toBe(0);
  });

  it('a trailer rewritten in the editor is put back: only the agent the hooks found names the committer', () => {
    const repo = swarmRepo();
    repo.git('checkout', '-q', '-b', 'swarm/alice');
    repo.write('src/auth/e.ts');
    repo.git('add', '-A');
    const editor = join(tempDir(), 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/^Swarm-Agent: .*/Swarm-Agent: lead/" "$1"\nprintf "swarm-agent : lead\\n" >> "$1"\n');
    chmodSync(editor, 0o755);
    expect(repo.tryGit(['commit', '-m', 'edited trailer', '--edit'], { GIT_EDITOR: editor }).code).toBe(0);
    expect(repo.git('log', '-1', '--format=%(trailers:key=Swarm-Agent,valueonly,separator=%x2c)').trim()).toBe('alice');
    expect(repo.message()).not.toMatch(/lead/i);
  });

  it('a case variant of .swarmrc or the manifest is lead-only too', () => {
    const repo = swarmRepo();
    const r = repo.commit('sneak settings in', { '.SWARMRC': 'alwaysAllowed: ["**"]\n' }, { SWARM_AGENT: 'alice' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('only a lead may change .SWARMRC');
  });
});
