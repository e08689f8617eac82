/**
 * Sixteen CLI processes race for overlapping leases in one repository. The verdict comes from the
 * audit trail (every version of refs/swarm/leases), not from exit codes: no version lets two agents
 * hold overlapping paths, no write is lost, tokens only grow, and every grant a process reported is
 * in the trail exactly once.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectSoundTrail, newReport, raceLoop } from '../helpers/leaseRace.js';
import { removeTempDirs, swarmRepo } from '../helpers/repo.js';

afterAll(removeTempDirs);

const AGENTS = Array.from({ length: 16 }, (_, i) => `a${i + 1}`);
const ROUNDS = 4;

describe('sixteen processes racing for overlapping leases', () => {
  it('never lets two agents hold the same path, loses no write, and reports exactly what the trail holds', async () => {
    const writers = Object.fromEntries(AGENTS.map((a) => [a, { claims: [] }]));
    const r = swarmRepo({ version: 1, agents: { lead: { role: 'lead' }, ...writers } });
    const report = newReport();
    await Promise.all(AGENTS.map((agent) => raceLoop(r.dir, r.env({ SWARM_AGENT: agent }), agent, ROUNDS, report)));
    expect(report.claims).toBeGreaterThan(0);
    expect(report.refusals.length).toBeGreaterThan(0);
    expectSoundTrail(join(r.dir, '.git'), report);
  }, 120_000);
});
