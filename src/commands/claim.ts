import { agentSpec } from '../core/model.js';
import { EXIT, SwarmError } from '../errors.js';
import { errorMessages } from '../messages/errors.js';
import { ledgerMessages as m } from '../messages/ledger.js';
import { claimOnce, claimWaiting, forceRelease, openLeases, type ClaimOutcome } from '../orchestration/leases.js';
import { openWorkspace } from '../orchestration/workspace.js';
import { parseFormat, parseOptions } from './args.js';
import { actingAgent, parseDuration, parseGlobs, parseTtl } from './leaseArgs.js';

const DEFAULT_WAIT = '10m';

/** `--wait` alone means the default wait; parseArgs would otherwise take the next glob as its value. */
function normalizeWait(args: readonly string[]): string[] {
  return args.map((a) => (a === '--wait' ? `--wait=${DEFAULT_WAIT}` : a));
}

function exitFor(outcome: ClaimOutcome): number {
  if (outcome.status === 'granted') return EXIT.ok;
  if (outcome.interrupted) return EXIT.interrupted;
  return outcome.refusal.reason === 'held' ? EXIT.contention : EXIT.refused;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    'claim',
    normalizeWait(args),
    {
      ttl: { type: 'string' },
      shared: { type: 'boolean' },
      wait: { type: 'string' },
      'force-release': { type: 'string' },
      format: { type: 'string', default: 'text' },
    },
    Number.MAX_SAFE_INTEGER,
  );
  const format = parseFormat('claim', values.format, ['text', 'json']);
  const ws = await openWorkspace();
  const agent = actingAgent(ws);
  const forced = values['force-release'];
  if (forced !== undefined) {
    if (positionals.length > 0) throw new SwarmError('usage', errorMessages.badOption('claim', errorMessages.unexpectedArgument(positionals[0]!)), { argument: positionals[0]! });
    const scope = await openLeases(ws, agent);
    try {
      if (agentSpec(scope.ctx.manifest, agent)?.role !== 'lead') throw new SwarmError('refused', m.forceNeedsLead(agent), { holder: forced });
      if (!agentSpec(scope.ctx.manifest, forced)) throw new SwarmError('usage', m.unknownAgent(forced, Object.keys(scope.ctx.manifest.agents)), { argument: forced });
      const released = await forceRelease(scope, agent, forced);
      if (format === 'json') process.stdout.write(`${JSON.stringify({ ok: true, agent: forced, by: agent, released })}\n`);
      else process.stdout.write(`${m.forceReleased(agent, forced, released)}\n`);
      return EXIT.ok;
    } finally {
      scope.ledger.close();
    }
  }
  if (positionals.length === 0) throw new SwarmError('usage', errorMessages.badOption('claim', m.claimWhat), {});
  const patterns = parseGlobs('claim', positionals);
  const ttl = values.ttl === undefined ? parseTtl('claim', ws.settings.leases.defaultTtl) : parseTtl('claim', values.ttl);
  const waitMs = values.wait === undefined ? null : parseDuration('claim', '--wait', values.wait, m.badWait);
  const scope = await openLeases(ws, agent);
  try {
    const ask = { agent, patterns, shared: values.shared === true, ttl };
    const outcome =
      waitMs === null
        ? await claimOnce(scope, ask)
        : await claimWaiting(scope, ask, waitMs, {
            pollMs: ws.settings.coordination.remote === null ? 150 : 1000,
            onQueued: (ticket, blockers, now) => {
              if (format === 'text') process.stderr.write(`${m.waiting(agent, ticket, blockers, now)}\n`);
            },
          });
    if (format === 'json') {
      process.stdout.write(`${JSON.stringify(outcome.status === 'granted' ? { ok: true, agent, granted: outcome.leases, waitedMs: outcome.waitedMs } : { ok: false, agent, refusal: outcome.refusal, waited: outcome.waited })}\n`);
    } else if (outcome.status === 'granted') {
      process.stdout.write(`${m.granted(agent, outcome.leases, outcome.now)}\n`);
    } else {
      process.stderr.write(`${m.refused(agent, patterns, outcome.refusal, outcome.now, outcome.waited)}\n`);
    }
    return exitFor(outcome);
  } finally {
    scope.ledger.close();
  }
}
