import { EXIT } from '../errors.js';
import { ledgerMessages as m } from '../messages/ledger.js';
import { openLeases, renewLeases } from '../orchestration/leases.js';
import { openWorkspace } from '../orchestration/workspace.js';
import { parseFormat, parseOptions } from './args.js';
import { actingAgent, parseTtl } from './leaseArgs.js';

export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions('renew', args, { ttl: { type: 'string' }, format: { type: 'string', default: 'text' } });
  const format = parseFormat('renew', values.format, ['text', 'json']);
  const ws = await openWorkspace();
  const ttl = parseTtl('renew', values.ttl ?? ws.settings.leases.defaultTtl);
  const agent = actingAgent(ws);
  const scope = await openLeases(ws, agent);
  try {
    const { renewed, awaited } = await renewLeases(scope, agent, ttl);
    const now = Date.now();
    if (format === 'json') process.stdout.write(`${JSON.stringify({ ok: renewed.length > 0, agent, renewed, awaited })}\n`);
    else {
      if (renewed.length > 0) process.stdout.write(`${m.renewed(agent, renewed, now)}\n`);
      if (awaited.length > 0) process.stderr.write(`${m.awaited(awaited, now)}\n`);
      if (renewed.length === 0 && awaited.length === 0) process.stderr.write(`${m.nothingToRenew(agent)}\n`);
    }
    return renewed.length > 0 ? EXIT.ok : EXIT.refused;
  } finally {
    scope.ledger.close();
  }
}
