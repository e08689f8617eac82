/**
 * The landing check as a runaway or an impatient person meets it: a check past land.checkTimeout
 * is stopped with everything it started and counts as failed; a Ctrl-C during the check stops it,
 * removes its temporary worktree and lands nothing (exit 130).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, removeTempDirs, swarmRepo, tempDir, type TestRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

const MANIFEST = { version: 1, agents: { lead: { role: 'lead' }, erin: { claims: ['docs/**'] } } };
const LEAD = { SWARM_AGENT: 'lead' };

/** erin's work committed on its branch and marked ready. */
function readyErin(settings: string): TestRepo {
  const repo = swarmRepo(MANIFEST, settings);
  repo.git('checkout', '-q', '-b', 'swarm/erin');
  expect(repo.commit('docs', { 'docs/e.md': 'e\n' }, { SWARM_AGENT: 'erin' }).code).toBe(0);
  expect(repo.swarm(['ready'], { SWARM_AGENT: 'erin' }).code).toBe(0);
  repo.git('checkout', '-q', 'main');
  return repo;
}

/** Whether a process runs (signal 0 only asks); a zombie nobody reaped yet has ended. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !existsSync(`/proc/${pid}/stat`) || !/^\d+ \([^)]*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(check()).toBe(true);
}

// The check backgrounds a long sleep and records its pid: stopping only `sh` would leave it running.
const slowCheck = (pidFile: string) => `sleep 60 & echo $! > ${pidFile}; wait`;

describe('the landing check', () => {
  it('is stopped after land.checkTimeout, with what it started, and counts as failed', () => {
    const repo = readyErin('land:\n  checkTimeout: 1s\n');
    const pidFile = join(tempDir(), 'pid');
    const before = repo.head('main');
    const r = repo.swarm(['land', 'erin', '--check', slowCheck(pidFile)], LEAD);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('erin: the check failed on the result with it');
    expect(r.stdout).toContain('(stopped after land.checkTimeout, 1s: counted as failed)');
    expect(repo.head('main')).toBe(before);
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
    expect(repo.git('worktree', 'list', '--porcelain')).not.toContain('/swarm/land-');
  });

  it('stops on Ctrl-C: the check and its children end, the temporary worktree is removed, nothing lands (exit 130)', async () => {
    const repo = readyErin('land:\n  checkTimeout: 10m\n');
    const pidFile = join(tempDir(), 'pid');
    const before = repo.head('main');
    const child = spawn(process.execPath, [CLI, 'land', 'erin', '--check', slowCheck(pidFile)], { cwd: repo.dir, env: repo.env(LEAD) });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await until(() => {
      try {
        return readFileSync(pidFile, 'utf8').trim() !== '';
      } catch {
        return false;
      }
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('interrupted during the check: it was stopped, its temporary worktree removed, and nothing landed.');
    expect(repo.head('main')).toBe(before);
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/swarm/ready/')).toContain('refs/swarm/ready/erin');
    expect(repo.git('worktree', 'list', '--porcelain')).not.toContain('/swarm/land-');
    await until(() => !alive(Number(readFileSync(pidFile, 'utf8'))));
  });
});
