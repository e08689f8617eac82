// Lease throughput: contending processes (dist/lease-worker.js, each looping in-process on the lease
// API) claim and release, on the same path and on disjoint ones, in one repository and then through
// a file:// remote from separate clones. On disjoint paths workers write back to back: the
// ledger's capacity with every write racing for one ref. On the same path a refused worker comes
// back after the pause `claim --wait` polls at (150 ms locally, 1 s through a remote, jittered), and
// so does one that just released, so the path changes hands instead of staying with whoever holds
// it: the load sixteen agents polling offer (about 107 claims a second locally), which the ledger
// must keep up with; not a capacity. Every run is judged afterwards from the audit trail: every write a worker reported must be a
// version of refs/swarm/leases, and no version may break a rule.
// The baseline is what a plain implementation does: one process, no contention, the same decisions
// (src/core/leases.ts), but each write spawning git for every step: read the ref and its document,
// hash-object, mktree, commit-tree, update-ref <ref> <new> <old>.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GlobOverlap } from '../src/core/globOverlap.js';
import { EMPTY_LEDGER, grant, release, type LeaseContext, type LeaseDocument } from '../src/core/leases.js';
import type { Manifest } from '../src/core/model.js';
import { auditTrail } from '../test/helpers/leaseTrail.js';
import { type Figure } from './figure.js';
import { BenchRepo, benchEnv, newRepo } from './fixture.js';
import type { WorkerReport } from './leaseWorker.js';

const LOCAL_WORKERS = 16;
const REMOTE_CLONES = 8;
const SECONDS = 6;
const BASELINE_CYCLES = 60;
const REF = 'refs/swarm/leases';
const TARGET_OPS = 100;
/** The pauses between polls of `claim --wait` (src/commands/claim.ts), locally and through a remote. */
const LOCAL_POLL_MS = 150;
const REMOTE_POLL_MS = 1000;

const agent = (i: number) => `w${String(i).padStart(2, '0')}`;
const manifest = (n: number): Manifest => ({
  version: 1,
  agents: Object.fromEntries([['lead', { role: 'lead', claims: [], shared: [], after: [] }], ...Array.from({ length: n }, (_, i) => [agent(i), { role: 'writer', claims: [], shared: [], after: [] }])]),
});

/** A repository with git-swarm installed and the bench's agents on main; `settings` is its .swarmrc. */
function seeded(cli: string, settings: string): BenchRepo {
  const repo = newRepo();
  repo.write('.swarm/manifest.json', `${JSON.stringify(manifest(LOCAL_WORKERS), null, 2)}\n`);
  repo.write('.swarmrc', settings);
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'agents');
  repo.run(process.execPath, [cli, 'init']);
  return repo;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Job {
  repo: BenchRepo;
  agent: string;
  pattern: string;
  pauseMs: number;
}

interface Run {
  writes: number;
  opsPerSecond: number;
  writeMs: number[];
  refused: number;
  /** The fewest and the most leases one worker was granted: how evenly the path changed hands. */
  spread: [number, number];
  /** Writes reported and not found in the trail (or found and not reported). */
  lost: number;
  problems: string[];
}

/** Starts every worker, lets them all go at once, and judges the run from the trail in `gitDir`. */
async function contend(worker: string, jobs: readonly Job[], gitDir: string): Promise<Run> {
  const children = jobs.map((job) => {
    const child = spawn(process.execPath, [worker, job.agent, job.pattern, String(SECONDS), String(job.pauseMs)], { cwd: job.repo.dir, env: benchEnv(job.repo.home) });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const ready = new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.startsWith('ready\n')) resolve();
      });
    });
    const done = new Promise<WorkerReport>((resolve, reject) =>
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout.slice('ready\n'.length)) as WorkerReport) : reject(new Error(`lease worker ${job.agent} failed (${code}): ${stderr}`)))),
    );
    return { child, ready, done };
  });
  await Promise.all(children.map((c) => c.ready));
  for (const c of children) c.child.stdin.end('go\n');
  const reports = await Promise.all(children.map((c) => c.done));
  // Throughput counts the writes done within the window: a starved worker's last call may end long after it.
  const inWindow = reports.reduce((n, r) => n + r.writeAt.filter((t) => t <= SECONDS * 1000).length, 0);
  const writes = reports.reduce((n, r) => n + r.claims + r.releases, 0);
  const trail = auditTrail(gitDir, REF);
  const reported = reports.flatMap((r) => r.tokens.map((t) => [t, r.agent] as const));
  const missing = reported.filter(([t, a]) => trail.grants.get(t)?.agent !== a).length;
  return {
    writes,
    opsPerSecond: inWindow / SECONDS,
    writeMs: reports.flatMap((r) => r.writeMs),
    refused: reports.reduce((n, r) => n + r.refused, 0),
    spread: [Math.min(...reports.map((r) => r.claims)), Math.max(...reports.map((r) => r.claims))],
    lost: Math.abs(trail.versions - writes) + missing + Math.abs(trail.grants.size - reported.length),
    problems: trail.problems,
  };
}

function git(repo: BenchRepo, args: string[], input?: string): string {
  const r = spawnSync('git', args, { cwd: repo.dir, env: benchEnv(repo.home), input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** One process writing sequentially, with a git process for every step of every write. */
function naive(repo: BenchRepo, cycles: number): { writeMs: number[]; opsPerSecond: number } {
  const overlap = new GlobOverlap();
  const ctx: LeaseContext = { manifest: manifest(LOCAL_WORKERS), maxClaimsPerAgent: 64, maxTtl: 4 * 3600_000, landed: new Set(), overlap: (a, b) => overlap.witness(a, b) };
  const write = (step: (doc: LeaseDocument, now: number) => LeaseDocument, who: string) => {
    const old = spawnSync('git', ['rev-parse', '-q', '--verify', REF], { cwd: repo.dir, env: benchEnv(repo.home), encoding: 'utf8' }).stdout.trim() || null;
    const doc = old ? (JSON.parse(git(repo, ['cat-file', 'blob', `${old}:leases.json`])) as LeaseDocument) : EMPTY_LEDGER;
    const blob = git(repo, ['hash-object', '-w', '--stdin'], `${JSON.stringify(step(doc, Date.now()), null, 1)}\n`);
    const tree = git(repo, ['mktree'], `100644 blob ${blob}\tleases.json\n`);
    const commit = git(repo, ['-c', `user.name=${who}`, '-c', `user.email=${who}@git-swarm.invalid`, 'commit-tree', tree, ...(old ? ['-p', old] : []), '-m', who]);
    git(repo, ['update-ref', REF, commit, old ?? '0'.repeat(40)]);
  };
  const writeMs: number[] = [];
  const start = performance.now();
  for (let i = 0; i < cycles; i++) {
    const who = agent(i % LOCAL_WORKERS);
    const pattern = `own/${who}/**`;
    let t = performance.now();
    write((doc, now) => {
      const result = grant(doc, { agent: who, patterns: [pattern], shared: false, ttl: 30 * 60_000, now }, ctx);
      if (!result.ok) throw new Error(`baseline refused: ${JSON.stringify(result.refusal)}`);
      return result.document;
    }, who);
    writeMs.push(performance.now() - t);
    t = performance.now();
    write((doc, now) => release(doc, who, [pattern], now).document, who);
    writeMs.push(performance.now() - t);
  }
  return { writeMs, opsPerSecond: (writeMs.length / (performance.now() - start)) * 1000 };
}

const perOp = (opsPerSecond: number) => 1000 / opsPerSecond;

function line(label: string, run: Run): string {
  return `      ${label}: ${run.opsPerSecond.toFixed(1)} granted ops/s (${run.writes} writes, ${run.refused} refused attempts, ${run.spread[0]}–${run.spread[1]} grants per worker), per op p50 ${percentile(run.writeMs, 50).toFixed(1)} ms, p99 ${percentile(run.writeMs, 99).toFixed(1)} ms; trail: ${run.lost} lost, ${run.problems.length} problems${run.problems.length ? ` (${run.problems[0]})` : ''}`;
}

export async function leaseBench(cli: string, worker: string): Promise<{ figures: Figure[]; detail: string }> {
  const details: string[] = [];
  const figures: Figure[] = [];
  const local = seeded(cli, 'integration: main\n');
  const gitDir = join(local.dir, '.git');

  const baseline = naive(local, BASELINE_CYCLES);
  const baseAudit = auditTrail(gitDir, REF);
  if (baseAudit.problems.length || baseAudit.versions !== baseline.writeMs.length) throw new Error(`baseline trail unsound: ${baseAudit.problems[0] ?? baseAudit.versions}`);
  details.push(
    `      baseline (1 process, git spawned per step): ${baseline.opsPerSecond.toFixed(1)} ops/s, per op p50 ${percentile(baseline.writeMs, 50).toFixed(1)} ms, p99 ${percentile(baseline.writeMs, 99).toFixed(1)} ms`,
  );
  for (const shape of ['same', 'disjoint'] as const) {
    git(local, ['update-ref', '-d', REF]);
    const jobs = Array.from({ length: LOCAL_WORKERS }, (_, i) =>
      shape === 'same' ? { repo: local, agent: agent(i), pattern: 'shared/**', pauseMs: LOCAL_POLL_MS } : { repo: local, agent: agent(i), pattern: `own/${agent(i)}/**`, pauseMs: 0 },
    );
    const run = await contend(worker, jobs, gitDir);
    details.push(line(`${LOCAL_WORKERS} processes, ${shape} paths`, run));
    figures.push({
      name: `lease claim/release, ${LOCAL_WORKERS} processes on ${shape === 'same' ? `the SAME path (shared/**), polling every ${LOCAL_POLL_MS} ms` : 'DISJOINT paths, back to back'}, one repository: time per granted operation (1/throughput)`,
      unit: 'ms',
      value: perOp(run.opsPerSecond),
      baselineName: 'one process alone, spawning git per step of each write',
      baseline: perOp(baseline.opsPerSecond),
      target: `≥ ${TARGET_OPS} ops/s (≤ ${perOp(TARGET_OPS).toFixed(1)} ms), 0 lost updates in the trail`,
      pass: run.opsPerSecond >= TARGET_OPS && run.lost === 0 && run.problems.length === 0,
    });
  }

  const seed = seeded(cli, 'integration: main\ncoordination:\n  remote: origin\n');
  const bare = mkdtempSync(join(tmpdir(), 'swarm-bench-remote-'));
  git(seed, ['init', '-q', '--bare', '-b', 'main', bare]);
  git(seed, ['push', '-q', bare, 'main']);
  const clones = Array.from({ length: REMOTE_CLONES }, () => {
    const clone = new BenchRepo(mkdtempSync(join(tmpdir(), 'swarm-bench-clone-')));
    clone.git('clone', '-q', `file://${bare}`, '.');
    clone.run(process.execPath, [cli, 'init']);
    return clone;
  });
  const bareRepo = new BenchRepo(bare);
  const alone = await contend(worker, [{ repo: clones[0]!, agent: agent(0), pattern: `own/${agent(0)}/**`, pauseMs: 0 }], bare);
  details.push(line('remote baseline: 1 clone alone through file://', alone));
  for (const shape of ['same', 'disjoint'] as const) {
    git(bareRepo, ['update-ref', '-d', REF]);
    const jobs = clones.map((repo, i) =>
      shape === 'same' ? { repo, agent: agent(i), pattern: 'shared/**', pauseMs: REMOTE_POLL_MS } : { repo, agent: agent(i), pattern: `own/${agent(i)}/**`, pauseMs: 0 },
    );
    const run = await contend(worker, jobs, bare);
    details.push(line(`${REMOTE_CLONES} clones through a file:// remote, ${shape} paths`, run));
    figures.push({
      name: `lease claim/release through a file:// remote, ${REMOTE_CLONES} clones on ${shape === 'same' ? `the SAME path, polling every ${REMOTE_POLL_MS} ms` : 'DISJOINT paths, back to back'}: time per granted operation (1/throughput)`,
      unit: 'ms',
      value: perOp(run.opsPerSecond),
      baselineName: 'one clone alone through the same remote',
      baseline: perOp(alone.opsPerSecond),
      target: '0 lost updates in the remote trail (throughput reported)',
      pass: run.lost === 0 && run.problems.length === 0 && alone.lost === 0,
    });
  }
  return { figures, detail: details.join('\n') };
}
