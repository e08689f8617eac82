/** The sentences of `git swarm ready` and `git swarm land`, and the messages of landing commits. */
import type { LandingRefusal } from '../core/landing.js';
import type { LandedAgent, LandingEvent, LandingResult, UnitFailure } from '../orchestration/landing.js';
import { list, plural, quote, showPath } from './common.js';
import type { LandingRecord } from '../schema/ledger.js';

const short = (sha: string) => sha.slice(0, 10);
/** The lines of git's stderr that say why, indented. */
const gitSaid = (stderr: string) => stderr.split('\n').filter((l) => /^(remote:|error:|fatal:|\s*! )/.test(l)).slice(0, 8).map((l) => `  ${l.trim()}`);

function refusal(r: LandingRefusal): string {
  switch (r.reason) {
    case 'unknown-agent':
      return `${r.agent}: not an agent of the manifest`;
    case 'not-ready':
      return `${r.agent}: not ready (in its worktree: git swarm ready)`;
    case 'waits-for':
      return `${r.agent}: comes after ${list(r.missing)}, which neither landed nor land before it in this run`;
    case 'group-incomplete':
      return `${r.agent}: group ${r.group} lands whole, and ${list(r.missing)} cannot land now`;
    case 'batch-limit':
      return `${r.agent}: past limits.maxLandingBatch for one run (or after an agent that is); land again`;
  }
}

function failure(f: UnitFailure, integration: string): string {
  const where = f.unit.group ? `group ${f.unit.name} (none of it landed): ` : '';
  switch (f.reason) {
    case 'conflict':
      return `${where}${f.agent} conflicts with what lands before it in ${plural(f.detail.length, 'path')}: ${f.detail.slice(0, 10).map(showPath).join(', ')}; rebase ${f.agent}'s branch on the integration branch, then git swarm ready again`;
    case 'violations':
      return `${where}${f.agent}'s commits break the ownership rule at the integration tip (${f.detail.slice(0, 10).map(showPath).join(', ')}); see: git swarm check --head refs/swarm/ready/${f.agent}`;
    case 'waits-for':
      return `${where}${f.agent} comes after ${list(f.detail)}, which did not land`;
    case 'invalid-mark':
      return `${where}${f.agent}: refs/swarm/ready/${f.agent} (${short(f.detail[0] ?? '')}) names no commit of this history that git can merge; in its worktree: git swarm ready`;
    case 'undone': {
      const [undo = '', ...paths] = f.detail;
      return (
        `${where}${f.agent}: an earlier landing of ${f.agent} was undone, and git counts its commits as merged: landing now would leave out what the undo reverted in ${plural(paths.length, 'path')} (${paths.slice(0, 10).map(showPath).join(', ')}).\n` +
        `      In ${f.agent}'s worktree, bring them back, then ready again: git merge ${integration} && git checkout ${short(undo)}^ -- ${paths.map(quote).join(' ')} && git commit -m "Restore what the undo reverted" && git swarm ready`
      );
    }
    case 'nothing-new':
      return `${where}${f.agent}: ${short(f.detail[0] ?? '')} is already on the integration branch; nothing to land (commit more, then git swarm ready)`;
    case 'check':
      return [`${where}${f.agent}: the check failed on the result with it${f.detail.length ? '; its last lines:' : ''}`, ...f.detail.map((l) => `      ${l}`)].join('\n');
  }
}

/** One line of the progress display (stderr, on a terminal or with --progress); null for check output, which is shown as it comes. */
function progressLine(e: LandingEvent): string | null {
  switch (e.step) {
    case 'planned':
      return `land: ${e.attempt > 1 ? `attempt ${e.attempt}, ` : ''}${plural(e.agents, 'agent')} in ${plural(e.units, 'unit')} onto ${short(e.tip)}`;
    case 'judged':
      return `land: judged ${plural(e.agents, 'range')} against the tip's rules`;
    case 'merged':
      return `land:   merged ${e.agent}`;
    case 'failed':
      return `land:   ✗ ${e.agent} (${e.reason})`;
    case 'check':
      return `land: check run ${e.run} on ${list(e.agents)}`;
    case 'check-output':
      return null;
    case 'check-done':
      return `land: check run ${e.run} ${e.ok ? 'passed' : 'failed'}`;
    case 'publishing':
      return `land: publishing ${list(e.agents)}${e.remote === null ? '' : ` through ${e.remote}`}`;
    case 'moved':
      return 'land: the integration branch moved meanwhile; building again';
  }
}

export const landingMessages = {
  progressLine,
  checkInterrupted: 'interrupted during the check: it was stopped, its temporary worktree removed, and nothing landed.',
  checkTimedOut: (timeout: string) => `(stopped after land.checkTimeout, ${timeout}: counted as failed)`,
  noIntegration: (branch: string) => `the integration branch ${branch} does not exist here: nothing to land onto.`,
  noManifest: (file: string) => `there is no manifest at ${file} on the integration branch: nothing says who may land what.`,
  dirtyIntegration: (branch: string, path: string) =>
    `refused before doing anything: ${branch} is checked out in ${path} with uncommitted changes, which landing would overwrite. Commit or stash them there, then land again.`,
  untrackedInTheWay: (branch: string, path: string, files: readonly string[]) =>
    `refused before publishing: ${branch} is checked out in ${path}, where untracked files stand where landed ones would go: ${files.slice(0, 10).map(showPath).join(', ')}. Move them away, then land again.`,
  noRemoteIntegration: (branch: string, remote: string) =>
    `the remote "${remote}" (coordination.remote) has no branch ${branch}: nothing to land onto. Push it first (git push ${remote} ${branch}).`,
  remoteUnreachable: (remote: string, stderr: string) =>
    [`could not fetch from the remote "${remote}" (coordination.remote); nothing landed.`, ...gitSaid(stderr), 'Check the remote is reachable (git fetch ' + remote + '), or set coordination.remote: null in .swarmrc to land on this machine only.'].join('\n'),
  remoteRefused: (remote: string, stderr: string) =>
    [
      `the remote "${remote}" (coordination.remote) refused the landing; nothing landed there.`,
      ...gitSaid(stderr),
      'The host must accept pushes to the integration branch and to refs/swarm/* from the lander (README: Landing across machines).',
    ].join('\n'),
  localKept: (branch: string, remote: string) =>
    `your local ${branch} has commits ${remote} does not: it was left as it is; bring it up to date with git pull --rebase ${remote} ${branch}`,
  keptMoving: (attempts: number) => `the integration branch kept moving: ${plural(attempts, 'attempt')} each found a new tip before publishing. Nothing landed; try again.`,
  corruptLog: (where: string) => `${where} is missing or not a landing record: something other than git-swarm wrote ${where.split(' ')[0]}. Inspect it with git log.`,
  noLandings: 'no landings yet.',
  landingLine: (r: LandingRecord) =>
    `${r.id}  ${r.at.slice(0, 19).replace('T', ' ')} UTC  ${r.lander}  ${r.integration} ${short(r.from)} → ${short(r.to)}  ${r.landed.map((l) => l.agent).join(', ')}${r.failed.length ? `  (not landed: ${r.failed.map((f) => f.agent).join(', ')})` : ''}`,
  unknownLanding: (id: string, recent: readonly string[]) => `no landing "${id}" to undo; recent landings: ${list(recent)} (git swarm landings)`,
  undoMoved: (id: string, branch: string) => `${branch} moved while landing ${id} was being undone; nothing changed. Run git swarm undo ${id} again.`,
  alreadyUndone: (id: string) => `landing ${id} is already undone (git swarm landings)`,
  undoDependents: (id: string, agents: readonly string[]) => `refused: ${list(agents)} landed since and come${agents.length === 1 ? 's' : ''} after an agent of landing ${id}; undo those landings first (git swarm landings)`,
  undoConflicts: (id: string, paths: readonly string[]) => `refused: reverting landing ${id} conflicts with what landed since in ${plural(paths.length, 'path')}: ${paths.slice(0, 10).map(showPath).join(', ')}`,
  undoMessage: (id: string, agents: readonly string[], undoId: string, lander: string) => `Undo landing ${id}: ${agents.join(', ')}\n\nSwarm-Landing: ${undoId}\nSwarm-Agent: ${lander}\n`,
  undoRecordMessage: (id: string, undoes: string) => `undo ${undoes} (landing ${id})`,
  /** Whether a landing-log subject is an undo's (undoRecordMessage): the log is read whole only then. */
  isUndoRecord: (subject: string) => subject.startsWith('undo '),
  undone: (r: { id: string; undoes: string; integration: string; remote: string | null; from: string; to: string; reopened: readonly string[]; local: string }) =>
    `undid landing ${r.undoes} on ${r.integration}${r.remote === null ? '' : ` through ${r.remote}`} (${short(r.from)} → ${short(r.to)}), recorded as ${r.id}; claims hold again for: ${list(r.reopened)}\n` +
    `  To land that work again, each agent merges ${r.integration} into its branch, restores its own files from before the undo (git checkout ${short(r.to)}^ -- <its paths>), commits, and runs git swarm ready: git counts the reverted commits as merged already, and land names the paths if this is forgotten.` +
    (r.remote !== null && r.local === 'kept' ? `\n${landingMessages.localKept(r.integration, r.remote)}` : ''),
  unknownGroup: (group: string, groups: readonly string[]) => `--group: no agent of the manifest is in group "${group}"; groups: ${list(groups)}`,
  landWhat: 'name the agents to land, or --group <name>, or --all (one of them)',
  needsLead: (agent: string | null) => `refused: only a lead lands; ${agent ? `${agent} is not a lead` : 'no agent identity here'}.`,
  commitMessage: (agent: string, task: string | undefined, id: string, lander: string) =>
    `Land ${agent}${task ? `: ${task}` : ''}\n\nSwarm-Landing: ${id}\nSwarm-Agent: ${lander}\n`,
  recordMessage: (id: string, agents: readonly string[]) => `landing ${id}: ${agents.join(', ')}`,
  // ready
  readyRefused: 'not ready: fix these first (git swarm check shows the same), then run git swarm ready again.',
  ready: (agent: string, commit: string, previous: string | null) =>
    `${agent} is ready at ${short(commit)}${previous && previous !== commit ? ` (was ${short(previous)})` : ''}: that exact commit lands, whatever is committed later (run ready again to move it).\n  land it (a lead): git swarm land ${agent}`,
  readyMoved: (agent: string) => `refs/swarm/ready/${agent} changed while ready ran; run git swarm ready again.`,
  // land
  text: (r: LandingResult): string => {
    const lines: string[] = [];
    const verb = r.published ? `landed${r.remote === null ? '' : ` through ${r.remote}`}` : 'would land';
    if (r.landed.length > 0) {
      lines.push(`${verb} on ${r.integration} (${short(r.from)} → ${short(r.to)}), landing ${r.id}${r.attempts > 1 ? `, after ${r.attempts} attempts` : ''}${r.checkRuns ? `, ${plural(r.checkRuns, 'check run')}` : ''}:`);
      lines.push(...r.landed.map((l: LandedAgent) => `  ✓ ${l.agent} at ${short(l.commit)} (merge ${short(l.merge)})`));
    } else lines.push(`nothing ${r.published ? 'landed' : 'to land'} on ${r.integration}.`);
    if (r.failed.length > 0) lines.push('not landed:', ...r.failed.map((f) => `  ✗ ${failure(f, r.integration)}`));
    if (r.refused.length > 0) lines.push('not landable now:', ...r.refused.map((x) => `  ✗ ${refusal(x)}`));
    if (r.published && r.remote !== null && r.local === 'kept') lines.push(landingMessages.localKept(r.integration, r.remote));
    return lines.join('\n');
  },
};
