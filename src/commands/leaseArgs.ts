import { durationSeconds, isDuration } from '../core/duration.js';
import { globProblem } from '../core/glob.js';
import { SwarmError } from '../errors.js';
import { identifyHint } from '../messages/common.js';
import { errorMessages } from '../messages/errors.js';
import { ledgerMessages as m } from '../messages/ledger.js';
import { globReason } from '../messages/validation.js';
import { identify, type Workspace } from '../orchestration/workspace.js';

/** Shared by claim, release and renew: arguments checked before the ledger is touched. */

/** Milliseconds of a duration option, or a usage error naming it. */
export function parseDuration(command: string, option: string, value: string, wording: (v: string) => string): number {
  if (!isDuration(value)) throw new SwarmError('usage', errorMessages.badOption(command, wording(value)), { argument: option });
  return durationSeconds(value) * 1000;
}

export const parseTtl = (command: string, value: string) => parseDuration(command, '--ttl', value, m.badTtl);

/** Each glob valid, or a usage error naming the first bad one. */
export function parseGlobs(command: string, globs: readonly string[]): string[] {
  for (const pattern of globs) {
    const problem = globProblem(pattern);
    if (problem) throw new SwarmError('usage', errorMessages.badOption(command, m.badGlob(pattern, globReason(problem))), { argument: pattern });
  }
  return [...globs];
}

/** The agent this worktree acts as; none is bad input, naming the ways to set one. */
export function actingAgent(ws: Workspace): string {
  const { agent } = identify(ws);
  if (!agent) throw new SwarmError('usage', m.unidentified(identifyHint(ws.settings.branchPattern)), {});
  return agent;
}
