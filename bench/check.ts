// `git swarm check` over 10,000 commits (one streamed `git log`) against a loop that spawns
// `git diff-tree` once per commit, which is what a naive checker does.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { type Figure, median } from './figure.js';
import { benchEnv, filePath, newRepo, seedTree, type BenchRepo, AGENTS } from './fixture.js';

const COMMITS = 10_000;
const AGENT_INDEX = 7;

/** 10,000 commits by agent-07 inside its claims, on swarm/agent-07, written by fast-import. */
function seedCommits(repo: BenchRepo): void {
  const agent = `agent-${String(AGENT_INDEX).padStart(2, '0')}`;
  const lines: string[] = [];
  for (let c = 0; c < COMMITS; c++) {
    const message = `change ${c}\n\nSwarm-Agent: ${agent}\n`;
    const path = filePath(((c * 13) % (10_000 / AGENTS)) * AGENTS + AGENT_INDEX);
    const content = `export const c = ${c};\n`;
    lines.push(`commit refs/heads/swarm/${agent}`, `committer Bench <bench@example.com> ${1700000000 + c} +0000`);
    lines.push(`data ${Buffer.byteLength(message)}`, message);
    if (c === 0) lines.push('from refs/heads/main^0');
    lines.push(`M 100644 inline ${path}`, `data ${Buffer.byteLength(content)}`, content);
  }
  repo.run('git', ['fast-import', '--quiet'], {}, `${lines.join('\n')}\n`);
  repo.git('checkout', '-q', `swarm/${agent}`);
}

export async function checkBench(cli: string): Promise<Figure[]> {
  const repo = newRepo();
  seedTree(repo);
  seedCommits(repo);
  const env = benchEnv(repo.home);
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json'], { cwd: repo.dir, env, encoding: 'utf8', maxBuffer: 1 << 28 });
    runs.push(performance.now() - start);
    const report = JSON.parse(r.stdout) as { ok: boolean; checked: number };
    if (r.status !== 0 || report.checked !== COMMITS) throw new Error(`bench check failed (${r.status}): ${r.stderr}`);
  }
  const shas = repo.git('rev-list', 'main..HEAD').trim().split('\n');
  const start = performance.now();
  for (const sha of shas) {
    spawnSync('git', ['diff-tree', '-r', '-z', '--no-renames', '--no-commit-id', sha], { cwd: repo.dir, env });
  }
  const baseline = performance.now() - start;
  const value = median(runs);
  return [
    {
      name: `check over ${COMMITS.toLocaleString('en')} commits (one streamed git log, CLI start-up included)`,
      unit: 'ms',
      value,
      baselineName: `spawning git diff-tree per commit (${shas.length} spawns, no checking at all)`,
      baseline,
      target: '≥ 50× faster',
      pass: baseline / value >= 50,
    },
  ];
}
