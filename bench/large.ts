// A warm commit against a very large manifest (2,300 agents × 200 claims: 460,000 globs) against
// the same commit under the bench's small manifest (50 agents, 500 claims): what a warm commit
// pays for the manifest's size.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { type Figure, median } from './figure.js';
import { AGENTS, agentName, benchEnv, benchManifest, filePath, FILES, newRepo, seedTree, type BenchRepo } from './fixture.js';

const HUGE_AGENTS = 2_300;
const HUGE_CLAIMS = 200;
const STAGED = 100;
const ROUNDS = 7;
const WARMUP = 2;
const AGENT_INDEX = 7;

/** The bench manifest's claims for the first 50 agents, then the same shapes up to 200 claims and 2,300 agents. */
function hugeManifest(): object {
  const agents: Record<string, object> = { lead: { role: 'lead' } };
  for (let a = 0; a < HUGE_AGENTS; a++) {
    const claims = Array.from({ length: HUGE_CLAIMS }, (_, p) =>
      p % 3 === 0 ? `mod-${a}/part-${p}/**` : p % 3 === 1 ? `mod-${a}/part-${p}/` : `mod-${a}/part-${p}/*.ts`,
    );
    agents[agentName(a)] = { claims, shared: [`docs/${agentName(a)}.md`] };
  }
  return { version: 1, agents };
}

function swarmRepo(cli: string, manifest: object): BenchRepo {
  const repo = newRepo();
  seedTree(repo, manifest);
  repo.run(process.execPath, [cli, 'init']);
  return repo;
}

function stagedCommit(repo: BenchRepo, round: number): number {
  const mine = Array.from({ length: FILES / AGENTS }, (_, k) => filePath(k * AGENTS + AGENT_INDEX)).slice(0, STAGED);
  for (const p of mine) repo.write(p, `export const changed = ${round};\n`);
  repo.git('add', '--', ...mine);
  const start = performance.now();
  const r = spawnSync('git', ['commit', '-q', '-m', `round ${round}`], {
    cwd: repo.dir,
    env: benchEnv(repo.home, { SWARM_AGENT: agentName(AGENT_INDEX) }),
    encoding: 'utf8',
  });
  const elapsed = performance.now() - start;
  if (r.status !== 0) throw new Error(`bench commit failed: ${r.stderr}`);
  return elapsed;
}

export async function largeBench(cli: string): Promise<{ figure: Figure; detail: string }> {
  const small = swarmRepo(cli, benchManifest());
  const huge = swarmRepo(cli, hugeManifest());
  const times = { small: [] as number[], huge: [] as number[] };
  let round = 0;
  for (let r = 0; r < ROUNDS + WARMUP; r++) {
    for (const config of ['small', 'huge'] as const) {
      const t = stagedCommit(config === 'small' ? small : huge, ++round);
      if (r >= WARMUP) times[config].push(t);
    }
  }
  const [s, h] = [median(times.small), median(times.huge)];
  return {
    figure: {
      name: `warm commit of ${STAGED} staged files, manifest of ${HUGE_AGENTS.toLocaleString('en')} agents × ${HUGE_CLAIMS} claims`,
      unit: 'ms',
      value: h,
      baselineName: `the same commit with ${AGENTS} agents × 10 claims`,
      baseline: s,
      target: '≤ 1.3× the small manifest',
      pass: h <= 1.3 * s,
    },
    detail: `      median commit: small manifest ${s.toFixed(1)} ms, huge ${h.toFixed(1)} ms (${ROUNDS} rounds after ${WARMUP} warm-up)`,
  };
}
