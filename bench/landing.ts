// `git swarm land` of 50 independent ready branches (no check) over a 10,000-file tree, against a
// baseline in the same run: the integration branch checked out in a worktree and `git merge` run
// for each branch. And 16 groups with one failing check: check runs against one run per group.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Figure } from './figure.js';
import { newRepo, type BenchRepo } from './fixture.js';

const BRANCHES = 50;
const FILES = 10_000;
const GROUPS = 16;

/** main with FILES files and a manifest of `agents` (each claiming its own folder, grouped by `group`), and each agent's branch with one commit and its ready mark. */
function seed(repo: BenchRepo, agents: string[], group: (i: number) => string | undefined, bad: number | null): void {
  const manifest = {
    version: 1,
    agents: Object.fromEntries([['lead', { role: 'lead' }], ...agents.map((a, i) => [a, { claims: [`work/${a}/**`], ...(group(i) ? { group: group(i) } : {}) }])]),
  };
  const lines: string[] = ['commit refs/heads/main', 'committer Bench <bench@example.com> 1700000000 +0000', 'data 5', 'seed'];
  const add = (path: string, content: string) => lines.push(`M 100644 inline ${path}`, `data ${Buffer.byteLength(content)}`, content);
  for (let i = 0; i < FILES; i++) add(`src/m${i % 100}/f${i}.ts`, `export const v${i} = ${i};\n`);
  add('.swarm/manifest.json', `${JSON.stringify(manifest)}\n`);
  // One run lands them all (the default limits.maxLandingBatch is 20).
  add('.swarmrc', 'integration: main\nlimits:\n  maxLandingBatch: 100\n');
  agents.forEach((a, i) => {
    const file = i === bad ? `work/${a}/BAD` : `work/${a}/done.txt`;
    lines.push(`commit refs/heads/swarm/${a}`, 'committer Bench <bench@example.com> 1700000001 +0000', `data ${`${a}\n\nSwarm-Agent: ${a}\n`.length}`, `${a}\n\nSwarm-Agent: ${a}\n`, 'from refs/heads/main');
    lines.push(`M 100644 inline ${file}`, `data ${a.length + 1}`, a);
    lines.push(`reset refs/swarm/ready/${a}`, `from refs/heads/swarm/${a}`);
  });
  repo.run('git', ['fast-import', '--quiet'], {}, `${lines.join('\n')}\n`);
}

function setupRepo(cli: string, agents: string[], group: (i: number) => string | undefined, bad: number | null): BenchRepo {
  const repo = newRepo();
  seed(repo, agents, group, bad);
  // A bare-like main: nothing checked out, so land touches no working tree.
  repo.git('checkout', '-q', '--detach', 'main');
  repo.run(process.execPath, [cli, 'init', '--integration', 'main']);
  return repo;
}

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export async function landingBench(cli: string): Promise<Figure[]> {
  const agents = Array.from({ length: BRANCHES }, (_, i) => `a${i}`);
  const repo = setupRepo(cli, agents, () => undefined, null);
  const landed = time(() => {
    const r = spawnSync(process.execPath, [cli, 'land', '--all', '--format', 'json'], { cwd: repo.dir, env: { ...process.env, SWARM_AGENT: 'lead' }, encoding: 'utf8' });
    const out = JSON.parse(r.stdout) as { landed: unknown[] };
    if (out.landed.length !== BRANCHES) throw new Error(`land: ${r.stderr}${r.stdout.slice(0, 2000)}`);
  });
  const base = setupRepo(cli, agents, () => undefined, null);
  const wt = join(mkdtempSync(join(tmpdir(), 'swarm-bench-merge-')), 'wt');
  base.git('worktree', 'add', '-q', wt, 'main');
  const merged = time(() => {
    for (const a of agents) base.run('git', ['-C', wt, '-c', 'core.hooksPath=/dev/null', 'merge', '-q', '--no-ff', '--no-edit', `swarm/${a}`]);
  });
  const groups = Array.from({ length: GROUPS * 2 }, (_, i) => `g${i}`);
  const checked = setupRepo(cli, groups, (i) => `group${Math.floor(i / 2)}`, 5);
  const r = spawnSync(process.execPath, [cli, 'land', '--all', '--check', 'test -z "$(ls work/*/BAD 2>/dev/null)"', '--format', 'json'], { cwd: checked.dir, env: { ...process.env, SWARM_AGENT: 'lead' }, encoding: 'utf8' });
  const result = JSON.parse(r.stdout) as { checkRuns: number; landed: unknown[] };
  return [
    {
      name: `land ${BRANCHES} independent ready branches (10,000-file tree, no check): time per branch`,
      unit: 'ms',
      value: landed / BRANCHES,
      baselineName: 'the integration branch checked out in a worktree and git merge run for each',
      baseline: merged / BRANCHES,
      target: '≥ 10× faster',
      pass: merged / landed >= 10,
    },
    {
      name: `land ${GROUPS} groups of 2 with one failing check (${result.landed.length} agents landed): check runs`,
      unit: 'runs',
      value: result.checkRuns,
      baselineName: 'one run per group',
      baseline: GROUPS,
      target: 'fewer runs than groups (about 2·log2 N + 1)',
      pass: result.checkRuns < GROUPS && result.landed.length === GROUPS * 2 - 2,
    },
  ];
}
