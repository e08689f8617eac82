/**
 * Every message about a violation of the ownership rule. Each refusal says what was refused, why,
 * who holds it, and the command or action that resolves it.
 */
import type { HeldGlob, PairReport } from '../core/conflicts.js';
import type { Identity } from '../core/identity.js';
import { agentSpec } from '../core/model.js';
import type { CompiledPolicy } from '../core/policy.js';
import type { Violation } from '../core/ownership.js';
import { identifyHint, identityOrigin, list, MAX_LISTED, plural, quote, showPath } from './common.js';
import { at, span } from './ledger.js';

export interface ViolationContext {
  policy: CompiledPolicy;
  /** Where the manifest was read from, e.g. "main:.swarm/manifest.json". */
  manifestSource: string;
  /** Violations in commits that already exist (check, pre-push) rather than in the staged index. */
  history?: boolean;
  /** The clock the leases were judged by (ms), for "lapsed 3m ago". */
  now?: number;
}

const heldGlob = (agent: string, g: HeldGlob) => `${agent}'s ${showPath(g.pattern)}${g.kind === 'shared' ? ' (shared)' : ''}`;

/** The detail of a manifest-conflict: the pair's first overlapping globs and a path both match. */
export function conflictDetail({ a, b, overlaps }: PairReport): string {
  const [first, ...rest] = overlaps;
  if (!first) return '';
  const more = rest.length > 0 ? ` (and ${plural(rest.length, 'more overlapping glob pair')})` : '';
  return `${heldGlob(a, first.a)} and ${heldGlob(b, first.b)} both match ${showPath(first.witness)}${more}`;
}

/** One line explaining a violation: what and why. */
export function violationReason(v: Violation, ctx: ViolationContext): string {
  const { manifest, settings } = ctx.policy;
  const agent = v.agent ?? 'an unidentified committer';
  const claimsOf = (name: string, exclusiveOnly = false) => {
    const spec = agentSpec(manifest, name);
    return spec ? list(exclusiveOnly ? spec.claims : [...spec.claims, ...spec.shared]) : '(none)';
  };
  const heldBy = () =>
    v.holders
      .map((h) => {
        const leases = (v.leases ?? []).filter((l) => l.agent === h);
        return leases.length > 0 ? `${h} (lease ${leases.map((l) => `${l.token} on ${showPath(l.pattern)} until ${at(l.expires)}`).join(', ')})` : `${h} (${claimsOf(h, true)})`;
      })
      .join(' and ');
  const waiting = () => (v.waitFor.length > 0 ? `; ${list(v.waitFor)} must land first (${agent} comes after ${list(v.waitFor)})` : '');
  switch (v.code) {
    case 'reader':
      return `${agent} is a reader (read-only) and may not commit`;
    case 'outside-claims':
      return v.detail?.startsWith('lease-unproven:')
        ? `outside ${agent}'s claims (${claimsOf(v.agent ?? '')}), and its Swarm-Lease ${v.detail.slice('lease-unproven:'.length)} proves no lease of ${agent}'s over the path in refs/swarm/leases (a token of another agent, for other paths, or ended by a later grant to someone else)`
        : `outside ${agent}'s claims (${claimsOf(v.agent ?? '')})`;
    case 'held-by-other':
      return `held exclusively by ${heldBy()}${waiting()}`;
    case 'lease-expired': {
      const lapsed = v.leases ?? [];
      const last = Math.max(...lapsed.map((l) => l.expires));
      return `${agent}'s lease ${lapsed.map((l) => `${l.token} on ${showPath(l.pattern)}`).join(', ')} lapsed at ${at(last)}${ctx.now === undefined ? '' : ` (${span(ctx.now - last)} ago)`}; nobody else holds the path now`;
    }
    case 'case-collision':
      return `differs only in letter case from ${v.twin ? `${showPath(v.twin)}, ` : 'a path '}held exclusively by ${heldBy()}: the same file on case-insensitive file systems (macOS, Windows)${waiting()}`;
    case 'lead-only':
      return `only a lead may change ${v.path}`;
    case 'unknown-agent':
      return `agent "${v.agent}" is not in ${ctx.manifestSource}; known agents: ${list(Object.keys(manifest.agents))}`;
    case 'unidentified':
      return `the commit has no agent identity and ${'.swarmrc'} sets unidentified: deny`;
    case 'unsafe-path':
      return `the path is longer than any checkout can hold (4096 bytes, or a name over 255 bytes)`;
    case 'manifest-removed':
      return `${v.path} is deleted: nothing would be enforced after it`;
    case 'invalid-file':
      return `${v.path} is invalid, so every later commit would be refused: ${v.detail ?? ''}`;
    case 'manifest-conflict':
      return `${v.holders.join(' and ')} hold overlapping claims and neither comes after the other, so each would refuse the other's commits: ${v.detail ?? ''}`;
    case 'attribution':
      return v.agent === null
        ? `the commit has no Swarm-Agent trailer but is on ${v.holders[0]}'s branch ${settings.branchPattern.replace('{agent}', v.holders[0] ?? '')}`
        : `the commit is attributed to ${v.agent} but is on ${v.holders[0]}'s branch ${settings.branchPattern.replace('{agent}', v.holders[0] ?? '')}`;
    case 'no-signing-key':
      return `${agent} has no signingKey in ${ctx.manifestSource}, and .swarmrc sets identity: signed`;
    case 'unsigned':
      return `the commit claims ${agent} but is not signed (identity: signed)`;
    case 'wrong-signer':
      return v.signer?.agent
        ? `the commit claims ${agent} but is signed with ${v.signer.agent}'s key (${v.signer.key})`
        : `the commit claims ${agent} but is signed with a key that is no agent's in ${ctx.manifestSource} (${v.signer?.key ?? 'unknown'})`;
    case 'bad-signature':
      return `the commit claims ${agent} but its signature does not verify${v.signer?.key ? ` (key ${v.signer.key})` : ''}: the commit was changed after signing, or the signature is not git's`;
  }
}

/** How an agent signs its commits, and how a range already made is signed again. */
const RESIGN = 'git rebase --force-rebase --rebase-merges --gpg-sign <base>';
const SIGN_SETUP = (agent: string) =>
  `configure signing as ${agent} (git config gpg.format ssh; git config user.signingKey <${agent}'s private key>; git config commit.gpgSign true), then re-sign: ${RESIGN}`;

function leads(policy: CompiledPolicy): string {
  const names = Object.entries(policy.manifest.agents).filter(([, a]) => a.role === 'lead').map(([n]) => n);
  return names.length > 0 ? `a lead (${names.join(', ')})` : 'a lead';
}

/**
 * What resolves a kind of violation, as commands where one exists. `commit`: where a violation
 * judged on a range's head was found ("staged" for the index).
 */
export function violationFix(v: Violation & { commit?: string }, ctx: ViolationContext, paths: readonly string[]): string {
  const { policy } = ctx;
  const file = policy.settings.manifest;
  const unstage = ctx.history
    ? 'rewrite the commit without the path (git rebase -i <base>, drop or edit it)'
    : paths.length > 0
      ? `unstage: git restore --staged -- ${paths.slice(0, MAX_LISTED).map(quote).join(' ')}`
      : '';
  switch (v.code) {
    case 'reader':
      return `hand the change to a writer, or ask ${leads(policy)} to change agents.${v.agent}.role in ${file}`;
    case 'outside-claims':
      if (v.detail?.startsWith('lease-unproven:')) {
        return `fetch the ledger before checking (git fetch origin '+refs/swarm/*:refs/swarm/*'); if it is there, ${unstage}\n    or ask ${leads(policy)} to add the path to agents.${v.agent}.claims in ${file}`;
      }
      return `${unstage}\n    or ask ${leads(policy)} to add the path to agents.${v.agent}.claims in ${file} on ${policy.settings.integration}`;
    case 'lease-expired':
      return `take it again before committing: git swarm claim ${[...new Set((v.leases ?? []).map((l) => quote(l.pattern)))].join(' ')}`;
    case 'held-by-other':
      if (v.leases?.length && v.waitFor.length === 0) {
        return `wait for the lease: git swarm claim ${paths.slice(0, MAX_LISTED).map(quote).join(' ')} --wait=10m; or ${unstage}`;
      }
      return v.waitFor.length > 0
        ? `wait until ${list(v.waitFor)} has landed, or ${unstage}`
        : `leave it to ${list(v.holders)}; ${unstage}\n    or ask ${leads(policy)} to move the claim in ${file}`;
    case 'case-collision': {
      const instead = v.waitFor.length > 0 ? `wait until ${list(v.waitFor)} has landed` : `leave the change to ${list(v.holders)}`;
      return `${unstage}\n    then use a name that differs from the paths of ${list(v.holders)} by more than letter case, or ${instead}`;
    }
    case 'lead-only':
      return `${unstage}\n    and ask ${leads(policy)} to make the change on ${policy.settings.integration}`;
    case 'unknown-agent':
      return `use a known name (${identifyHint(policy.settings.branchPattern)}), or ask ${leads(policy)} to add "${v.agent}" to ${file}`;
    case 'unidentified':
      return `identify yourself: ${identifyHint(policy.settings.branchPattern)}`;
    case 'unsafe-path':
      return `${unstage}: use a shorter path`;
    case 'manifest-removed':
      return `restore it (git checkout <base> -- ${v.path ?? file}); only a lead edits it, on ${policy.settings.integration}, and never deletes it`;
    case 'invalid-file':
      return `correct ${v.path ?? file} (git swarm doctor shows every problem) before this lands`;
    case 'manifest-conflict': {
      const [a = '<agent>', b = '<agent>'] = v.holders;
      const plan = ctx.history && v.commit ? `git swarm plan --rev ${v.commit}` : 'git swarm plan';
      return `order them (add "${a}" to agents.${b}.after in ${v.path ?? file}: ${b} then waits until ${a} has landed), or narrow a claim so no path matches both; every conflicting pair: ${plan}`;
    }
    case 'attribution':
      return `recommit as ${v.holders[0]} (SWARM_AGENT=${v.holders[0]}), or move the commit off this branch`;
    case 'no-signing-key':
      return `ask ${leads(policy)} to add agents.${v.agent}.signingKey (the agent's SSH public key line) to ${file} on ${policy.settings.integration}`;
    case 'unsigned':
      return SIGN_SETUP(v.agent ?? '<agent>');
    case 'wrong-signer':
      return `commit as the agent whose key signs, or ${SIGN_SETUP(v.agent ?? '<agent>')}; a new key needs ${leads(policy)} to update agents.${v.agent}.signingKey`;
    case 'bad-signature':
      return `re-sign it (${RESIGN}); if git verify-commit accepts it locally, check that ssh-keygen works where the check runs`;
  }
}

/** The refusal a hook prints for the staged changes of one commit. */
export function refusal(what: string, identity: Identity, violations: readonly Violation[], ctx: ViolationContext): string {
  const who = identity.agent ? `${identity.agent} (from ${identityOrigin(identity)})` : 'an unidentified committer';
  const lines = [`git-swarm: ${what} refused for ${who}, against ${ctx.manifestSource}:`];
  const byCode = new Map<string, Violation[]>();
  for (const v of violations) {
    const key = `${v.code}\0${v.holders.join(',')}\0${v.detail ?? ''}`;
    byCode.set(key, [...(byCode.get(key) ?? []), v]);
  }
  for (const group of byCode.values()) {
    const first = group[0]!;
    const paths = group.map((v) => v.path).filter((p): p is string => p !== null);
    // A group shares its reason, so each path names its own case twin.
    lines.push(`  ✗ ${violationReason({ ...first, twin: null }, ctx)}${paths.length > 0 ? ':' : ''}`);
    for (const v of group.slice(0, MAX_LISTED)) {
      if (v.path !== null) lines.push(`      ${showPath(v.path)}${v.twin ? ` (collides with ${showPath(v.twin)})` : ''}`);
    }
    if (paths.length > MAX_LISTED) lines.push(`      … and ${paths.length - MAX_LISTED} more`);
    lines.push(`    fix: ${violationFix(first, ctx, paths)}`);
  }
  lines.push(
    violations.some((v) => v.leases?.length)
      ? "  (the same rule runs in prepare-commit-msg: --no-verify does not get past it; CI proves leases from refs/swarm/leases but cannot know which were live when a commit was made)"
      : '  (the same rule runs in prepare-commit-msg, pre-push and CI: --no-verify does not get past it)',
  );
  return lines.join('\n');
}

