// Added latency of `git commit` with git-swarm's hooks, against no hooks and against the floor:
// the same husky hooks (pre-commit, prepare-commit-msg) doing nothing but starting node.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Figure, median } from './figure.js';
import { agentName, AGENTS, benchEnv, filePath, FILES, newRepo, seedTree, type BenchRepo } from './fixture.js';

const STAGED = 100;
const ROUNDS = 15;
const WARMUP = 2;
const AGENT_INDEX = 7;

type Config = 'none' | 'floor' | 'swarm' | 'leased';

const LIVE_LEASES = 200;

/**
 * A ledger version holding LIVE_LEASES leases of other agents (none touching the staged files),
 * written with plumbing: the figure is the hooks' cost of reading and matching them, not of
 * taking them.
 */
function ledgerWithLeases(repo: BenchRepo): string {
  const now = Date.now();
  const leases = Array.from({ length: LIVE_LEASES }, (_, i) => ({
    token: i + 1,
    agent: agentName((AGENT_INDEX + 1 + (i % (AGENTS - 1))) % AGENTS),
    pattern: `leased/${i}/**`,
    shared: false,
    granted: now,
    expires: now + 24 * 3600_000,
  }));
  const doc = { version: 1, nextToken: LIVE_LEASES + 1, nextTicket: 1, leases, queue: [] };
  const blob = repo.run('git', ['hash-object', '-w', '--stdin'], {}, JSON.stringify(doc)).trim();
  const tree = repo.run('git', ['mktree'], {}, `100644 blob ${blob}\tleases.json\n`).trim();
  return repo.git('commit-tree', tree, '-m', `bench: ${LIVE_LEASES} leases`).trim();
}

function floorHooks(swarmHooksPath: string): string {
  const home = mkdtempSync(join(tmpdir(), 'swarm-bench-floor-'));
  mkdirSync(join(home, '_'));
  for (const f of readdirSync(swarmHooksPath)) cpSync(join(swarmHooksPath, f), join(home, '_', f));
  for (const hook of ['pre-commit', 'prepare-commit-msg']) writeFileSync(join(home, hook), `'${process.execPath}' -e 0\n`, { mode: 0o755 });
  return join(home, '_');
}

function stage(repo: BenchRepo, round: number): void {
  const mine = Array.from({ length: FILES / AGENTS }, (_, k) => filePath(k * AGENTS + AGENT_INDEX)).slice(0, STAGED);
  for (const p of mine) repo.write(p, `export const changed = ${round};\n`);
  repo.git('add', '--', ...mine);
}

/** `-c` outranks git-swarm's included config, which would otherwise win over a hooks path set in .git/config. */
function timeCommit(repo: BenchRepo, round: number, hooksPath: string): number {
  const start = performance.now();
  const r = spawnSync('git', ['-c', `core.hooksPath=${hooksPath}`, 'commit', '-q', '-m', `round ${round}`], {
    cwd: repo.dir,
    env: benchEnv(repo.home, { SWARM_AGENT: `agent-${String(AGENT_INDEX).padStart(2, '0')}` }),
    encoding: 'utf8',
  });
  const elapsed = performance.now() - start;
  if (r.status !== 0) throw new Error(`bench commit failed: ${r.stderr}`);
  return elapsed;
}

export async function commitBench(cli: string): Promise<{ figures: Figure[]; detail: string }> {
  const repo = newRepo();
  seedTree(repo);
  repo.run(process.execPath, [cli, 'init']);
  const swarmPath = repo.git('config', 'core.hooksPath').trim();
  const paths: Record<Config, string> = {
    none: mkdtempSync(join(tmpdir(), 'swarm-bench-nohooks-')),
    floor: floorHooks(swarmPath),
    swarm: swarmPath,
    leased: swarmPath,
  };
  const ledger = ledgerWithLeases(repo);
  const times: Record<Config, number[]> = { none: [], floor: [], swarm: [], leased: [] };
  let round = 0;
  for (let r = 0; r < ROUNDS + WARMUP; r++) {
    for (const config of ['none', 'floor', 'swarm', 'leased'] as const) {
      if (config === 'leased') repo.git('update-ref', 'refs/swarm/leases', ledger);
      else repo.git('update-ref', '-d', 'refs/swarm/leases');
      stage(repo, ++round);
      const t = timeCommit(repo, round, paths[config]);
      if (r >= WARMUP) times[config].push(t);
    }
  }
  const [none, floor, swarm, leased] = [median(times.none), median(times.floor), median(times.swarm), median(times.leased)];
  const added = swarm - none;
  const floorAdded = floor - none;
  return {
    figures: [
      {
        name: `commit of ${STAGED} staged files (10,000 files, 50 agents, 500 claims): added latency of git-swarm's hooks`,
        unit: 'ms',
        value: added,
        baselineName: 'added latency of the same hooks running only `node -e 0` (the floor)',
        baseline: floorAdded,
        target: '≤ 1.3× the floor',
        pass: added <= 1.3 * floorAdded,
      },
      {
        name: `the same commit with ${LIVE_LEASES} live leases in the ledger (refs/swarm/leases)`,
        unit: 'ms',
        value: leased,
        baselineName: 'the same commit with no ledger',
        baseline: swarm,
        target: '≤ 1.1×',
        pass: leased <= 1.1 * swarm,
      },
    ],
    detail: `      median commit: no hooks ${none.toFixed(1)} ms, floor ${floor.toFixed(1)} ms, git-swarm ${swarm.toFixed(1)} ms, with ${LIVE_LEASES} leases ${leased.toFixed(1)} ms (${ROUNDS} rounds after ${WARMUP} warm-up)`,
  };
}
