// One contender of the lease benchmark (dist/lease-worker.js): opens the ledger once and loops
// in-process on the lease API (claim, then release what was granted), so the figures measure the
// ledger and not node's start-up. After each round it pauses `pauseMs` (jittered ×0.5–1.5; 0: none),
// as `claim --wait` pauses between polls. Speaks lines: "ready" once open, starts on "go" (stdin),
// then reports every write it made and how long each ledger call took, as JSON.
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { claimOnce, openLeases, releaseLeases } from '../src/orchestration/leases.js';
import { openWorkspace } from '../src/orchestration/workspace.js';

export interface WorkerReport {
  agent: string;
  /** Tokens granted to this worker. */
  tokens: number[];
  /** Claims that granted (one ledger version each) and releases (one each). */
  claims: number;
  releases: number;
  /** Claims refused because another agent held the paths: reads, no write. */
  refused: number;
  /** Milliseconds of each call that wrote a version (a grant or a release), retries included. */
  writeMs: number[];
  /** When each of those calls returned, in milliseconds since "go". */
  writeAt: number[];
}

const TTL_MS = 30 * 60_000;

async function main(): Promise<void> {
  const [agent, pattern, seconds, pause] = process.argv.slice(2) as [string, string, string, string];
  const pauseMs = Number(pause);
  const ws = await openWorkspace();
  const scope = await openLeases(ws, agent);
  const lines = createInterface({ input: process.stdin });
  const go = new Promise<void>((resolve) => lines.once('line', () => resolve()));
  process.stdout.write('ready\n');
  await go;
  lines.close();
  const report: WorkerReport = { agent, tokens: [], claims: 0, releases: 0, refused: 0, writeMs: [], writeAt: [] };
  const began = performance.now();
  const deadline = began + Number(seconds) * 1000;
  const wrote = (start: number) => {
    const end = performance.now();
    report.writeMs.push(end - start);
    report.writeAt.push(end - began);
  };
  try {
    while (performance.now() < deadline) {
      let start = performance.now();
      const outcome = await claimOnce(scope, { agent, patterns: [pattern], shared: false, ttl: TTL_MS });
      if (outcome.status === 'granted') {
        wrote(start);
        report.claims++;
        report.tokens.push(...outcome.leases.map((l) => l.token));
        start = performance.now();
        await releaseLeases(scope, agent, [pattern]);
        wrote(start);
        report.releases++;
      } else {
        report.refused++;
      }
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs * (0.5 + Math.random())));
    }
  } finally {
    scope.ledger.close();
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`lease worker failed: ${error instanceof Error ? `${error.stack ?? error.message} ${JSON.stringify(error)}` : String(error)}\n`);
  process.exitCode = 1;
});
