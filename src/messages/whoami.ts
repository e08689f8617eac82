import type { Identity } from '../core/identity.js';
import { identifyHint, identityOrigin } from './common.js';

export const whoamiMessages = {
  text: (identity: Identity, spec: { role: string; task?: string | undefined } | undefined, known: readonly string[], hasManifest: boolean) => {
    if (!identity.agent) {
      return `no agent identity (unidentified): set ${identifyHint('swarm/<name>')}${known.length ? `; agents: ${known.join(', ')}` : ''}`;
    }
    if (!hasManifest) return `${identity.agent} (from ${identityOrigin(identity)}); no manifest yet`;
    if (!spec) return `${identity.agent} (from ${identityOrigin(identity)}) is not in the manifest; known agents: ${known.join(', ')}`;
    return `${identity.agent} (from ${identityOrigin(identity)}), role ${spec.role}${spec.task ? `, task: ${spec.task}` : ''}`;
  },
} as const;

