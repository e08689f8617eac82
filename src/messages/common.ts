import type { Identity } from '../core/identity.js';

/** Small helpers every message module shares: paths as shell words, lists, plurals. */
export const MAX_LISTED = 20;

const CONTROL = /[\x00-\x1f\x7f]/;

/** A path as one shell word; control characters (a newline in a name) in bash's $'…' form. */
export function quote(path: string): string {
  if (/^[\w./@+-]+$/.test(path)) return path;
  if (!CONTROL.test(path)) return `'${path.replace(/'/g, `'\\''`)}'`;
  const escaped = path.replace(/[\\']/g, '\\$&').replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `$'${escaped}'`;
}

export function list(items: readonly string[]): string {
  return items.length === 0 ? '(none)' : items.join(', ');
}

/** Printable form of a path: control characters (a newline in a name) escaped. */
export function showPath(path: string): string {
  return CONTROL.test(path) ? JSON.stringify(path).replace(/\x7f/g, '\\u007f') : path;
}

/** The suffix of a name nobody knows: ' (did you mean "x"?)' when one is close, else ''. */
export function didYouMean(hint: string | null): string {
  return hint ? ` (did you mean "${hint}"?)` : '';
}

/** Where an identity came from, as a person would set it. */
export function identityOrigin(identity: Identity): string {
  switch (identity.source) {
    case 'env':
      return 'SWARM_AGENT';
    case 'config':
      return 'git config --worktree swarm.agent';
    case 'branch':
      return `branch ${identity.branch}`;
    default:
      return 'nowhere';
  }
}

/** The ways to say who you are, for messages that ask for it. */
export function identifyHint(branchPattern: string): string {
  return `SWARM_AGENT=<name>, git config --worktree swarm.agent <name> (after git config extensions.worktreeConfig true), or a ${branchPattern} branch`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
