import { agentSpec } from '../core/model.js';
import { identify, integrationPolicy, openWorkspace } from '../orchestration/workspace.js';
import { whoamiMessages } from '../messages/whoami.js';
import { parseFormat, parseOptions } from './args.js';

export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions('whoami', args, { format: { type: 'string', default: 'text' } });
  const format = parseFormat('whoami', values.format, ['text', 'json']);
  const ws = await openWorkspace();
  const identity = identify(ws);
  const { policy } = await integrationPolicy(ws);
  const spec = identity.agent && policy ? agentSpec(policy.manifest, identity.agent) : undefined;
  const known = policy ? Object.keys(policy.manifest.agents) : [];
  if (format === 'json') {
    process.stdout.write(
      `${JSON.stringify({ agent: identity.agent, source: identity.source, role: spec?.role ?? null, known: identity.agent ? Boolean(spec) : null })}\n`,
    );
  } else {
    process.stdout.write(`${whoamiMessages.text(identity, spec, known, policy !== null)}\n`);
  }
  // A name the manifest does not know gets every commit refused: say so with the exit code too.
  return identity.agent && policy && !spec ? 1 : 0;
}
