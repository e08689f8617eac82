/** What `spawn`, `spawn --list` and `retire` print: an agent runtime pastes the `cd` line. */
import { didYouMean, list, plural, quote } from './common.js';

/** A worktree `spawn --list` shows. */
export interface SpawnedWorktree {
  agent: string;
  path: string;
  branch: string | null;
  head: string | null;
  /** null when its folder is gone. */
  dirty: boolean | null;
}

export interface SpawnResult {
  agent: string;
  role: string;
  path: string;
  branch: string;
  /** The commit the branch was created at; null for a worktree that already existed. */
  from: string | null;
  /** What --from named, else the integration branch. */
  fromLabel: string;
  signingKey: string | null;
}

function identityLines(r: SpawnResult): string[] {
  return [
    `  agent:  ${r.agent} (role ${r.role}; git config --worktree swarm.agent ${r.agent})`,
    `  branch: ${r.branch}`,
    ...(r.signingKey ? [`  signs:  every commit with ${r.signingKey} (gpg.format ssh)`] : []),
    `cd ${quote(r.path)}`,
  ];
}

export const spawnMessages = {
  spawned: (r: SpawnResult) => [`spawned ${r.agent} from ${r.fromLabel} at ${r.from!.slice(0, 10)}: its worktree is ${r.path}`, ...identityLines(r)].join('\n'),
  existing: (r: SpawnResult) => [`${r.agent} already has a worktree, at ${r.path}:`, ...identityLines(r)].join('\n'),
  list: (worktrees: readonly SpawnedWorktree[]) => {
    if (worktrees.length === 0) return 'no spawned worktrees (start one with: git swarm spawn <agent>)';
    const width = Math.max(...worktrees.map((w) => w.agent.length));
    const branchWidth = Math.max(...worktrees.map((w) => (w.branch ?? '(detached)').length));
    return worktrees
      .map((w) => {
        const state = w.dirty === null ? 'gone' : w.dirty ? 'dirty' : 'clean';
        return `${w.agent.padEnd(width)}  ${(w.branch ?? '(detached)').padEnd(branchWidth)}  ${(w.head ?? '(none)').slice(0, 10).padEnd(10)}  ${state.padEnd(5)}  ${w.path}`;
      })
      .join('\n');
  },

  needAgent: () => 'name the agent to spawn: git swarm spawn <agent>; or list the spawned worktrees: git swarm spawn --list',
  listAlone: (option: string) => `--list takes no agent and no ${option}`,
  noManifest: (file: string, integration: string) =>
    `there is no manifest (${file}) on ${integration} nor in the working tree, so no agent can be spawned: run git swarm init, then a lead commits the manifest on ${integration}`,
  unknownAgent: (agent: string, hint: string | null, known: readonly string[], source: string) =>
    `"${agent}" is not an agent in ${source}${didYouMean(hint)}; known agents: ${list(known)}. Ask the lead to add it to the manifest.`,
  reader: (agent: string) =>
    `${agent} is a reader: readers commit nothing, so they get no worktree or branch; it works in place, in any checkout (SWARM_AGENT=${agent} for its tools).`,
  worktreeGone: (agent: string, path: string) =>
    `${agent}'s worktree ${path} is registered but its folder is gone: run git swarm retire ${agent}, then spawn it again`,
  existingElsewhere: (agent: string, path: string) =>
    `${agent} already has a worktree, at ${path}, not where --path says: use it (cd ${quote(path)}), or git swarm retire ${agent} first`,
  existingFrom: (agent: string, path: string) =>
    `${agent} already has a worktree, at ${path}, so --from cannot apply: use it (cd ${quote(path)}), or git swarm retire ${agent} first`,
  branchCheckedOut: (agent: string, branch: string, path: string, holder: string) =>
    `branch ${branch} is checked out at ${path}, a worktree that is ${holder}'s (git config --worktree swarm.agent), so ${agent} cannot have it: check out another branch there, or git swarm retire ${holder}`,
  branchExists: (agent: string, branch: string, head: string) =>
    `branch ${branch} already exists (at ${head.slice(0, 10)}) with no worktree, so ${agent} cannot start a new one there. Keep its work: git worktree add <path> ${branch} && git -C <path> config --worktree swarm.agent ${agent}; or drop it: git branch -D ${branch}; then spawn again.`,
  noIntegrationTip: (integration: string) => `the integration branch ${integration} has no commit yet to spawn from: commit on it first, or pass --from <rev>`,
  unknownFrom: (rev: string) => `--from: unknown revision "${rev}" (not a commit in this repository)`,
  ambiguousFrom: (rev: string) =>
    `--from: "${rev}" names both a tag and a branch here; give the full name (refs/heads/${rev}, refs/tags/${rev}) or a commit id`,
  nestedPath: (path: string, inside: string) =>
    `${path} lies inside ${inside}: a worktree there would be hidden from it (or, inside the git directory, corrupt the repository). Choose a --path outside every worktree and the git directory, or leave --path out.`,
  pathTaken: (path: string) => `${path} already exists and is not an empty folder: choose another --path, or remove it`,
  tooManyActive: (max: number, active: readonly string[]) =>
    `${plural(active.length, 'agent')} already ${active.length === 1 ? 'has' : 'have'} a worktree, and .swarmrc allows ${max} at once (limits.maxActiveAgents): ${list(active)}. Retire one when its work has landed (git swarm retire <agent>), then spawn again.`,
  raceLost: (max: number, active: readonly string[]) =>
    `other spawns took the last of the ${max} active agents allowed (limits.maxActiveAgents) at the same moment: ${list(active)}. This worktree was removed again; spawn again once one is retired.`,
  keyRequired: (agent: string) =>
    `.swarmrc sets identity: signed, so ${agent}'s commits must be signed: pass the private key whose public half is agents.${agent}.signingKey in the manifest (--signing-key <file>)`,
  keyNotInManifest: (agent: string, source: string) =>
    `${agent} has no signingKey in ${source}, so --signing-key cannot be checked: ask the lead to add the key's public half (ssh-keygen -y -f <file>) as agents.${agent}.signingKey`,
  keyUnreadable: (file: string, detail: string) =>
    `ssh-keygen cannot read a private key from ${file}${detail ? `: ${detail}` : ''}${/passphrase/i.test(detail) ? ' (an agent signs unattended: give it a key without a passphrase)' : ''}`,
  keyMismatch: (agent: string, file: string, found: string, expected: string, source: string) =>
    `the public half of ${file} (${found}) is not ${agent}'s signingKey in ${source} (${expected}): pass ${agent}'s own key, or ask the lead to correct agents.${agent}.signingKey`,

  needRetiree: () => 'name the agent whose worktree to remove (git swarm retire <agent>); git swarm spawn --list shows them',
  notSpawned: (agent: string, spawned: readonly string[]) => `${agent} has no worktree to retire; spawned: ${list(spawned)} (git swarm spawn --list)`,
  mainWorktree: (agent: string, path: string) =>
    `${agent}'s branch is checked out in the repository's main worktree (${path}), which cannot be removed: check out another branch there instead`,
  insideTarget: (agent: string, path: string, elsewhere: string) =>
    `this command runs inside ${agent}'s worktree (${path}), which it would remove: cd ${quote(elsewhere)} && git swarm retire ${agent}`,
  wouldLose: (agent: string, path: string, uncommitted: number, unlanded: number, branch: string | null, integration: string) =>
    [
      `refused: retiring ${agent} would lose work:`,
      ...(uncommitted > 0 ? [`  ${plural(uncommitted, 'uncommitted file')} in ${path} (deleted with the worktree)`] : []),
      ...(unlanded > 0 ? [`  ${plural(unlanded, 'commit')} not on ${integration} (not landed; kept on ${branch ?? 'no branch: HEAD is detached'})`] : []),
      `Commit and land them first, or retire anyway: git swarm retire ${agent} --force`,
    ].join('\n'),
  retired: (agent: string, path: string, branch: string | null, deleted: boolean, unlanded: number, discarded: number, integration: string) =>
    [
      `retired ${agent}: removed its worktree ${path}${discarded > 0 ? `, discarding ${plural(discarded, 'uncommitted file')}` : ''}`,
      ...(branch === null
        ? []
        : deleted
          ? [`  deleted branch ${branch}: everything on it is on ${integration}`]
          : [`  kept branch ${branch}: ${plural(unlanded, 'commit')} not on ${integration}`]),
    ].join('\n'),
} as const;
