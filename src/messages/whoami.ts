import type { Identity } from '../core/identity.js';

export const whoamiMessages = {
  text: (identity: Identity, spec: { role: string; task?: string | undefined } | undefined, known: readonly string[], hasManifest: boolean) => {
    if (!identity.agent) {
      return `no agent identity (unidentified): set SWARM_AGENT=<name>, git config swarm.agent <name>, or use a swarm/<name> branch${known.length ? `; agents: ${known.join(', ')}` : ''}`;
    }
    if (!hasManifest) return `${identity.agent} (from ${identity.origin}); no manifest yet`;
    if (!spec) return `${identity.agent} (from ${identity.origin}) is not in the manifest; known agents: ${known.join(', ')}`;
    return `${identity.agent} (from ${identity.origin}), role ${spec.role}${spec.task ? `, task: ${spec.task}` : ''}`;
  },
} as const;

