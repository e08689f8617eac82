import type { Change, ChangeStatus } from '../core/model.js';

const NULL_MODE = /^0+$/;

/**
 * One `--raw -z` header token (`:100644 100644 <oid> <oid> M`, or `::...` for a combined merge
 * diff) to a change status. Combined entries list a mode per parent and then the result's mode.
 */
export function rawStatus(meta: string): ChangeStatus {
  const body = meta.replace(/^\n/, '');
  const parents = /^:+/.exec(body)![0].length;
  const fields = body.slice(parents).split(' ');
  const modes = fields.slice(0, parents + 1);
  const status = fields[fields.length - 1] ?? '';
  if (parents === 1) {
    const letter = status[0];
    return letter === 'A' || letter === 'D' || letter === 'T' ? letter : 'M';
  }
  if (NULL_MODE.test(modes[parents] ?? '')) return 'D';
  if (modes.slice(0, parents).every((m) => NULL_MODE.test(m))) return 'A';
  return 'M';
}

export function isRawMeta(token: string): boolean {
  return token.startsWith(':') || token.startsWith('\n:');
}

/** Parses `git diff --raw -z --no-renames` output: pairs of header token and path. */
export function parseRawChanges(tokens: readonly string[]): Change[] {
  const changes: Change[] = [];
  for (let i = 0; i + 1 < tokens.length; i += 2) {
    changes.push({ status: rawStatus(tokens[i]!), path: tokens[i + 1]! });
  }
  return changes;
}
