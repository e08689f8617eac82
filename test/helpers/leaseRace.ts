/**
 * Agents racing through the built CLI (claim, then release what was granted), and what every race
 * must leave in the audit trail: the verdict is the trail's, the processes' words are checked
 * against it.
 */
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { auditTrail } from './leaseTrail.js';
import { CLI } from './repo.js';

interface Granted {
  token: number;
  agent: string;
  pattern: string;
  shared: boolean;
}

interface Blocker {
  holder: string;
  token: number | null;
  held: string;
  kind: string;
}

type ClaimJson =
  | { ok: true; agent: string; granted: Granted[] }
  | { ok: false; agent: string; refusal: { reason: string; blockers: Blocker[] } }
  | { ok: false; error: { code: string; message: string } };

export interface RaceReport {
  grants: Granted[];
  /** Claims that granted: one ledger version each, however many globs. */
  claims: number;
  /** Releases that ended what their claim granted: one version each. */
  releases: number;
  refusals: Blocker[];
  /** Anything a process said that was neither a grant nor a refusal for held paths. */
  failures: string[];
}

export const newReport = (): RaceReport => ({ grants: [], claims: 0, releases: 0, refusals: [], failures: [] });

/** Overlapping asks: the whole of shared/, one level of it, the agent's own file in it, a shared hold, and two globs at once. */
export function overlappingAsk(agent: string, round: number): string[] {
  switch ((round + Number(agent.replace(/\D/g, ''))) % 5) {
    case 0:
      return ['shared/**'];
    case 1:
      return ['shared/x/*'];
    case 2:
      return [`shared/x/${agent}.txt`];
    case 3:
      return ['--shared', 'shared/**'];
    default:
      return [`own/${agent}/**`, 'shared/x/*'];
  }
}

export function cli(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const tokens = (ls: readonly Granted[]) => ls.map((l) => l.token).sort((x, y) => x - y).join();

/** One agent's loop in the checkout `cwd`: claim with `--format json`, and release what was granted. */
export async function raceLoop(cwd: string, env: NodeJS.ProcessEnv, agent: string, rounds: number, report: RaceReport): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const claim = await cli(cwd, env, ['claim', ...overlappingAsk(agent, round), '--format', 'json']);
    let out: ClaimJson;
    try {
      out = JSON.parse(claim.stdout) as ClaimJson;
    } catch {
      report.failures.push(`${agent} claim exit ${claim.code}: ${claim.stderr}`);
      continue;
    }
    if ('error' in out) {
      report.failures.push(`${agent} claim exit ${claim.code}: ${out.error.code}: ${out.error.message}`);
    } else if (!out.ok) {
      if (out.refusal.reason === 'held' && claim.code === 3) report.refusals.push(...out.refusal.blockers);
      else report.failures.push(`${agent} refused (${out.refusal.reason}) with exit ${claim.code}`);
    } else {
      report.claims++;
      report.grants.push(...out.granted);
      const release = await cli(cwd, env, ['release', ...out.granted.map((l) => l.pattern), '--format', 'json']);
      const released = release.code === 0 ? (JSON.parse(release.stdout) as { released: Granted[] }).released : [];
      if (claim.code === 0 && release.code === 0 && tokens(released) === tokens(out.granted)) report.releases++;
      else report.failures.push(`${agent}: claim exit ${claim.code}, release exit ${release.code}: ${release.stderr}${release.stdout}`);
    }
  }
}

/** The trail of the repository at `gitDir` is sound and holds exactly what the racers reported. */
export function expectSoundTrail(gitDir: string, report: RaceReport): void {
  expect(report.failures).toEqual([]);
  const trail = auditTrail(gitDir);
  expect(trail.problems).toEqual([]);
  // Every grant reported is the trail's, to the same agent and pattern, and the trail has no other.
  expect(new Set(report.grants.map((g) => g.token)).size).toBe(report.grants.length);
  expect(trail.grants.size).toBe(report.grants.length);
  for (const g of report.grants) {
    const recorded = trail.grants.get(g.token);
    expect(recorded && [recorded.agent, recorded.pattern, recorded.shared], `token ${g.token}`).toEqual([g.agent, g.pattern, g.shared]);
  }
  // One version per successful write, none lost and none extra.
  expect(trail.versions).toBe(report.claims + report.releases);
  expect(trail.releases).toBe(report.releases);
  // Whoever a refusal named held that path under that token, as the trail recorded it.
  for (const b of report.refusals.filter((r) => r.kind === 'lease')) {
    const held = trail.grants.get(b.token!);
    expect(held && [held.agent, held.pattern], `blocker #${b.token}`).toEqual([b.holder, b.held]);
  }
}
