/** Shared by the landing crash tests: the swarm, its branches, and what a consistent state is. */
import { expect } from 'vitest';
import type { Run, TestRepo } from './repo.js';

export const MANIFEST = {
  version: 1,
  agents: {
    lead: { role: 'lead' },
    alice: { claims: ['src/auth/**'] },
    bob: { claims: ['src/db/**'], after: ['alice'] },
    erin: { claims: ['docs/**'] },
    dave: { claims: ['src/css/**'] },
  },
};
export const AGENTS = ['alice', 'bob', 'dave', 'erin'];
export const FILES: Record<string, string> = { alice: 'src/auth/a.ts', bob: 'src/db/b.ts', erin: 'docs/e.md', dave: 'src/css/d.css' };
export const LEAD = { SWARM_AGENT: 'lead' };

/** Each agent's branch with one commit (made once; the ready marks are set again before each run). */
export function branches(repo: TestRepo): Map<string, string> {
  const tips = new Map<string, string>();
  for (const agent of AGENTS) {
    repo.git('checkout', '-q', '-B', `swarm/${agent}`, 'main');
    const c = repo.commit(`${agent} work`, { [FILES[agent]!]: `${agent}\n` }, { SWARM_AGENT: agent });
    expect(c.code, c.stderr).toBe(0);
    tips.set(agent, repo.head());
  }
  repo.git('checkout', '-q', 'main');
  return tips;
}

export const refNames = (repo: TestRepo, prefix: string) => repo.git('for-each-ref', '--format=%(refname)', prefix).trim().split('\n').filter(Boolean);

/** `where` (the repository holding the truth) agrees with its branch: each agent landed (mark, no ready mark, its merge) or not at all. */
export function consistent(where: TestRepo, before: string, point: string): string[] {
  const onMain = where.git('log', '--first-parent', '--format=%s', `${before}..main`).trim().split('\n').filter(Boolean);
  const landed: string[] = [];
  for (const agent of AGENTS) {
    const merged = onMain.filter((s) => s === `Land ${agent}`).length;
    expect(merged, `${point}: ${agent} merged at most once`).toBeLessThanOrEqual(1);
    const mark = where.tryGit(['rev-parse', '--verify', '-q', `refs/swarm/landed/${agent}`]).code === 0;
    const ready = where.tryGit(['rev-parse', '--verify', '-q', `refs/swarm/ready/${agent}`]).code === 0;
    expect([agent, mark, ready], `${point}: marks agree with the branch`).toEqual([agent, merged === 1, merged === 0]);
    if (merged === 1) landed.push(agent);
  }
  const records = where.tryGit(['log', '--format=%s', 'refs/swarm/landings']);
  expect(records.code === 0 ? records.stdout.trim().split('\n').length : 0, `${point}: one record per landing on the branch`).toBe(landed.length > 0 ? 1 : 0);
  return landed;
}

/** Nothing a dead lander leaves behind: no lock file, no registered temporary worktree. */
export function nothingLeft(repo: TestRepo, point: string): void {
  const common = repo.git('rev-parse', '--path-format=absolute', '--git-common-dir').trim();
  expect(repo.run('find', [common, '-name', '*.lock']).stdout.trim(), point).toBe('');
  expect(repo.git('worktree', 'list', '--porcelain'), point).not.toMatch(/\/swarm\/(land|undo)-/);
}

export function killedAt(point: string, run: () => Run): void {
  const killed = run();
  expect(killed.code, `${point}: killed (${killed.stderr})`).not.toBe(0);
}
