import { agentSpec } from '../core/model.js';
import { SwarmError } from '../errors.js';
import { errorMessages } from '../messages/errors.js';
import { landingMessages as m } from '../messages/landing.js';
import { land, type LandingEvent } from '../orchestration/landing.js';
import { identify, integrationPolicy, openWorkspace } from '../orchestration/workspace.js';
import { parseFormat, parseOptions } from './args.js';

/** Exit 0 when everything asked for landed, 1 when something asked for did not. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    'land',
    args,
    { all: { type: 'boolean' }, group: { type: 'string' }, check: { type: 'string' }, 'dry-run': { type: 'boolean' }, progress: { type: 'boolean' }, format: { type: 'string', default: 'text' } },
    Number.MAX_SAFE_INTEGER,
  );
  const format = parseFormat('land', values.format, ['text', 'json']);
  const ws = await openWorkspace();
  const lander = identify(ws).agent;
  const { policy } = await integrationPolicy(ws);
  if (!lander || !policy || agentSpec(policy.manifest, lander)?.role !== 'lead') throw new SwarmError('refused', m.needsLead(lander), {});
  if (values.group !== undefined && !Object.values(policy.manifest.agents).some((a) => a.group === values.group)) {
    throw new SwarmError('usage', errorMessages.badOption('land', m.unknownGroup(values.group, [...new Set(Object.values(policy.manifest.agents).flatMap((a) => (a.group ? [a.group] : [])))])), { argument: '--group' });
  }
  const modes = [positionals.length > 0, values.all === true, values.group !== undefined].filter(Boolean).length;
  if (modes !== 1) {
    throw new SwarmError('usage', errorMessages.badOption('land', m.landWhat), {});
  }
  const asked = positionals.length > 0 ? positionals : null;
  // Long runs show each step on a terminal (or with --progress), never mixed into --format json's stdout.
  const progress = values.progress === true || process.stderr.isTTY ? showProgress : undefined;
  const result = await land({ asked, group: values.group, check: values.check ?? null, dryRun: values['dry-run'] === true, lander, progress });
  if (format === 'json') process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${m.text(result)}\n`);
  return result.failed.length > 0 || result.refused.length > 0 ? 1 : 0;
}

let atLineStart = true;

/** Each step on its own line, and the check's output as it comes, indented, on stderr. */
function showProgress(event: LandingEvent): void {
  if (event.step !== 'check-output') {
    process.stderr.write(`${atLineStart ? '' : '\n'}${m.progressLine(event)}\n`);
    atLineStart = true;
    return;
  }
  // Output comes in chunks that may end mid-line: the bar goes only where a line starts.
  let out = '';
  for (const [i, part] of event.text.split('\n').entries()) {
    if (i > 0) [out, atLineStart] = [`${out}\n`, true];
    if (part !== '') [out, atLineStart] = [`${out}${atLineStart ? '  │ ' : ''}${part}`, false];
  }
  process.stderr.write(out);
}
