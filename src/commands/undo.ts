import { agentSpec } from '../core/model.js';
import { SwarmError } from '../errors.js';
import { errorMessages } from '../messages/errors.js';
import { landingMessages as m } from '../messages/landing.js';
import { undoLanding } from '../orchestration/landing.js';
import { identify, integrationPolicy, openWorkspace } from '../orchestration/workspace.js';
import { parseFormat, parseOptions } from './args.js';

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions('undo', args, { format: { type: 'string', default: 'text' } }, 1);
  const format = parseFormat('undo', values.format, ['text', 'json']);
  const id = positionals[0];
  if (id === undefined) throw new SwarmError('usage', errorMessages.badOption('undo', m.unknownLanding('', [])), { argument: 'landing-id' });
  const ws = await openWorkspace();
  const lander = identify(ws).agent;
  const { policy } = await integrationPolicy(ws);
  if (!lander || !policy || agentSpec(policy.manifest, lander)?.role !== 'lead') throw new SwarmError('refused', m.needsLead(lander), {});
  const result = await undoLanding(id, lander);
  process.stdout.write(`${format === 'json' ? JSON.stringify({ ok: true, ...result }) : m.undone(result)}\n`);
  return 0;
}
