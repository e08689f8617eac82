import { EXIT, SwarmError } from '../errors.js';
import { errorMessages } from '../messages/errors.js';
import { ledgerMessages as m } from '../messages/ledger.js';
import { openLeases, releaseLeases } from '../orchestration/leases.js';
import { openWorkspace } from '../orchestration/workspace.js';
import { parseFormat, parseOptions } from './args.js';
import { actingAgent, parseGlobs } from './leaseArgs.js';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions('release', args, { all: { type: 'boolean' }, format: { type: 'string', default: 'text' } }, Number.MAX_SAFE_INTEGER);
  const format = parseFormat('release', values.format, ['text', 'json']);
  if ((positionals.length === 0) === (values.all !== true)) throw new SwarmError('usage', errorMessages.badOption('release', m.releaseWhat), {});
  const patterns = values.all ? null : parseGlobs('release', positionals);
  const ws = await openWorkspace();
  const agent = actingAgent(ws);
  const scope = await openLeases(ws, agent);
  try {
    const released = await releaseLeases(scope, agent, patterns);
    if (format === 'json') process.stdout.write(`${JSON.stringify({ ok: true, agent, released })}\n`);
    else process.stdout.write(`${m.released(agent, released)}\n`);
    return EXIT.ok;
  } finally {
    scope.ledger.close();
  }
}
