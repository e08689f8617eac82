import { landingMessages as m } from '../messages/landing.js';
import { landingLog } from '../orchestration/landing.js';
import { openTarget } from '../orchestration/landingTarget.js';
import { openWorkspace } from '../orchestration/workspace.js';
import { parseCount, parseFormat, parseOptions } from './args.js';

/** The landing log, newest first. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions('landings', args, { limit: { type: 'string' }, format: { type: 'string', default: 'text' } });
  const format = parseFormat('landings', values.format, ['text', 'json']);
  const limit = values.limit === undefined ? 50 : parseCount('landings', '--limit', values.limit);
  const ws = await openWorkspace();
  if (ws.settings.coordination.remote !== null) await openTarget(ws);
  const records = await landingLog(ws, limit);
  if (format === 'json') process.stdout.write(`${JSON.stringify({ landings: records })}\n`);
  else process.stdout.write(`${records.length === 0 ? m.noLandings : records.map(m.landingLine).join('\n')}\n`);
  return 0;
}
