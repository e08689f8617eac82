/**
 * Every message a person or an agent reads. Each refusal says what was refused, why, who holds it,
 * and the command or action that resolves it.
 */
import type { Identity } from './core/identity.js';
import { agentSpec } from './core/model.js';
import type { CompiledPolicy } from './core/policy.js';
import type { Violation } from './core/ownership.js';

const MAX_LISTED = 20;

const CONTROL = /[\x00-\x1f\x7f]/;

/** A path as one shell word; control characters (a newline in a name) in bash's $'…' form. */
function quote(path: string): string {
  if (/^[\w./@+-]+$/.test(path)) return path;
  if (!CONTROL.test(path)) return `'${path.replace(/'/g, `'\\''`)}'`;
  const escaped = path.replace(/[\\']/g, '\\$&').replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `$'${escaped}'`;
}

function list(items: readonly string[]): string {
  return items.length === 0 ? '(none)' : items.join(', ');
}

/** Printable form of a path: control characters (a newline in a name) escaped. */
export function showPath(path: string): string {
  return CONTROL.test(path) ? JSON.stringify(path).replace(/\x7f/g, '\\u007f') : path;
}

export interface ViolationContext {
  policy: CompiledPolicy;
  /** Where the manifest was read from, e.g. "main:.swarm/manifest.json". */
  manifestSource: string;
  /** Violations in commits that already exist (check, pre-push) rather than in the staged index. */
  history?: boolean;
}

/** One line explaining a violation: what and why. */
export function violationReason(v: Violation, ctx: ViolationContext): string {
  const { manifest, settings } = ctx.policy;
  const agent = v.agent ?? 'an unidentified committer';
  const claimsOf = (name: string, exclusiveOnly = false) => {
    const spec = agentSpec(manifest, name);
    return spec ? list(exclusiveOnly ? spec.claims : [...spec.claims, ...spec.shared]) : '(none)';
  };
  switch (v.code) {
    case 'reader':
      return `${agent} is a reader (read-only) and may not commit`;
    case 'outside-claims':
      return `outside ${agent}'s claims (${claimsOf(v.agent ?? '')})`;
    case 'held-by-other': {
      const waiting = v.waitFor.length > 0 ? `; ${list(v.waitFor)} must land first (${agent} comes after ${list(v.waitFor)})` : '';
      return `held exclusively by ${v.holders.map((h) => `${h} (${claimsOf(h, true)})`).join(' and ')}${waiting}`;
    }
    case 'lead-only':
      return `only a lead may change ${v.path}`;
    case 'unknown-agent':
      return `agent "${v.agent}" is not in ${ctx.manifestSource}; known agents: ${list(Object.keys(manifest.agents))}`;
    case 'unidentified':
      return `the commit has no agent identity and ${'.swarmrc'} sets unidentified: deny`;
    case 'attribution':
      return v.agent === null
        ? `the commit has no Swarm-Agent trailer but is on ${v.holders[0]}'s branch ${settings.branchPattern.replace('{agent}', v.holders[0] ?? '')}`
        : `the commit is attributed to ${v.agent} but is on ${v.holders[0]}'s branch ${settings.branchPattern.replace('{agent}', v.holders[0] ?? '')}`;
  }
}

function leads(policy: CompiledPolicy): string {
  const names = Object.entries(policy.manifest.agents).filter(([, a]) => a.role === 'lead').map(([n]) => n);
  return names.length > 0 ? `a lead (${names.join(', ')})` : 'a lead';
}

/** What resolves a kind of violation, as commands where one exists. */
export function violationFix(v: Violation, ctx: ViolationContext, paths: readonly string[]): string {
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
      return `${unstage}\n    or ask ${leads(policy)} to add the path to agents.${v.agent}.claims in ${file} on ${policy.settings.integration}`;
    case 'held-by-other':
      return v.waitFor.length > 0
        ? `wait until ${list(v.waitFor)} has landed, or ${unstage}`
        : `leave it to ${list(v.holders)}; ${unstage}\n    or ask ${leads(policy)} to move the claim in ${file}`;
    case 'lead-only':
      return `${unstage}\n    and ask ${leads(policy)} to make the change on ${policy.settings.integration}`;
    case 'unknown-agent':
      return `use a known name (SWARM_AGENT=<name>, git config swarm.agent <name>, or a ${policy.settings.branchPattern} branch), or ask ${leads(policy)} to add "${v.agent}" to ${file}`;
    case 'unidentified':
      return `identify yourself: SWARM_AGENT=<name>, git config swarm.agent <name>, or work on a ${policy.settings.branchPattern} branch`;
    case 'attribution':
      return `recommit as ${v.holders[0]} (SWARM_AGENT=${v.holders[0]}), or move the commit off this branch`;
  }
}

/** The refusal a hook prints for the staged changes of one commit. */
export function refusal(what: string, identity: Identity, violations: readonly Violation[], ctx: ViolationContext): string {
  const who = identity.agent ? `${identity.agent} (from ${identity.origin})` : 'an unidentified committer';
  const lines = [`git-swarm: ${what} refused for ${who}, against ${ctx.manifestSource}:`];
  const byCode = new Map<string, Violation[]>();
  for (const v of violations) {
    const key = `${v.code}\0${v.holders.join(',')}`;
    byCode.set(key, [...(byCode.get(key) ?? []), v]);
  }
  for (const group of byCode.values()) {
    const first = group[0]!;
    const paths = group.map((v) => v.path).filter((p): p is string => p !== null);
    lines.push(`  ✗ ${violationReason(first, ctx)}${paths.length > 0 ? ':' : ''}`);
    for (const p of paths.slice(0, MAX_LISTED)) lines.push(`      ${showPath(p)}`);
    if (paths.length > MAX_LISTED) lines.push(`      … and ${paths.length - MAX_LISTED} more`);
    lines.push(`    fix: ${violationFix(first, ctx, paths)}`);
  }
  lines.push('  (the same rule runs in prepare-commit-msg, pre-push and CI: --no-verify does not get past it)');
  return lines.join('\n');
}

export const messages = {
  invalidSyntax: (file: string, where: string, detail: string) => `${file}: ${where}: ${detail}`,
  invalidFile: (file: string, lines: readonly string[]) => `${file}: invalid\n${lines.map((l) => `  ${l}`).join('\n')}`,
  gitTooOld: (found: string, needed: string) =>
    `git-swarm needs git ${needed} or newer; this machine has ${found}. Upgrade git, then run the command again.`,
  gitMissing: () => 'git-swarm needs git on PATH, and none was found.',
  notARepository: (cwd: string) => `${cwd} is not inside a git work tree. Run git-swarm from a repository (git init first).`,
  manifestFromWorkingTree: (integration: string, file: string) =>
    `git-swarm: notice: ${integration} has no ${file} yet; using the working tree's copy until it is committed there.`,
  noManifest: (file: string) => `git-swarm: notice: no ${file} found; nothing to enforce (run: git swarm init).`,
  skipped: (variable: string) => `git-swarm: ${variable} is set, not checking (CI will: git swarm check).`,
  unknownCommand: (name: string, hint: string | null, all: readonly string[]) =>
    `unknown command "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}; commands: ${all.join(', ')}. See: git swarm --help`,
  badOption: (command: string, detail: string) => `${command}: ${detail}. See: git swarm ${command} --help`,
  internal: (detail: string) => `git-swarm: internal error: ${detail}\nThis is a bug in git-swarm; please report it with the command you ran.`,
} as const;

export const checkMessages = {
  unknownRevision: (option: string, rev: string) => `${option}: unknown revision "${rev}" (not a commit in this repository)`,
  noIntegration: (integration: string, remote: string) =>
    `check: cannot find the integration branch "${integration}" (neither refs/heads/${integration} nor refs/remotes/${remote}/${integration}). Fetch it (git fetch ${remote} ${integration}) or pass --base <rev>.`,
  noMergeBase: (integration: string, head: string) => `check: ${head} shares no history with ${integration}; pass --base <rev>.`,
  shallowMissing: (what: string) =>
    `check: this clone is shallow and lacks the history between ${what} and the head. Fetch it: git fetch --unshallow (or a larger git fetch --deepen=<n>); on GitHub Actions use actions/checkout with fetch-depth: 0; on GitLab CI set GIT_DEPTH: 0.`,
  noManifestAtBase: (source: string) => `git-swarm: notice: no manifest at ${source}; nothing to enforce for this range.`,
} as const;

export const initMessages = {
  settingsFile: (integration: string) =>
    `# git-swarm settings (YAML; plain JSON works too). Every key is optional: see .swarmrc.example\n# in the git-swarm package for all of them and their defaults.\nintegration: ${integration}\n`,
  manifestFile: () =>
    `${JSON.stringify({ version: 1, agents: { lead: { role: 'lead', task: 'coordinates the swarm and edits this manifest' } } }, null, 2)}\n`,
  settingsKept: (integration: string) =>
    `git-swarm: notice: .swarmrc already exists and was kept; --integration ${integration} was not applied (edit .swarmrc to change it).`,
  foreignHooksPath: (configured: string) =>
    [
      `git-swarm: init refused: core.hooksPath is already set to "${configured}" (another hook manager?).`,
      `  git-swarm must own core.hooksPath to guard every worktree. Either:`,
      `  - keep those hooks running after git-swarm's: git swarm init --chain-hooks`,
      `  - or drop them: git config --unset core.hooksPath && git swarm init`,
    ].join('\n'),
  done: (toplevel: string, hooksPath: string, created: readonly string[], chain: string, integration: string, manifest: string) =>
    [
      `git-swarm is installed in ${toplevel}.`,
      `  hooks: ${hooksPath} (core.hooksPath; runs in every worktree of this repository)`,
      chain ? `  chained: hooks in ${chain} still run after git-swarm's` : null,
      created.length > 0 ? `  created: ${created.join(', ')}` : `  nothing new to create (already set up)`,
      `Next:`,
      `  1. Describe the agents and their claims in ${manifest}.`,
      `  2. Commit the setup on ${integration}: git add .swarmrc ${manifest} .gitattributes && git commit -m "Set up git-swarm"`,
      `  3. Run git swarm check in CI (README: CI recipes).`,
      `  4. Verify this clone: git swarm doctor`,
      `Agents identify with SWARM_AGENT=<name>, git config swarm.agent <name>, or a swarm/<name> branch.`,
    ]
      .filter((l): l is string => l !== null)
      .join('\n'),
} as const;

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

export interface Finding {
  ok: boolean;
  title: string;
  fix: string | null;
}

export const doctorMessages = {
  fixInit: 'run: git swarm init',
  gitOk: () => 'git is recent enough',
  upgradeGit: () => 'upgrade git to 2.38 or newer',
  hooksPathOk: (path: string) => `core.hooksPath points at git-swarm's hooks (${path}), shared by every worktree`,
  hooksPathWrong: (configured: string | undefined, expected: string) =>
    `core.hooksPath is ${configured ? `"${configured}"` : 'not set'}, so git-swarm's hooks (${expected}) do not run here`,
  stubMissing: (hook: string, file: string) => `the ${hook} hook is missing, not executable, or was overwritten by another tool (${file})`,
  scriptMissing: (hook: string, file: string) => `the ${hook} script is missing or does not call git-swarm (${file})`,
  nodeMissing: (hook: string, node: string) => `the ${hook} hook calls node at ${node}, which is gone`,
  cliMissing: (hook: string, cli: string) => `the ${hook} hook calls git-swarm at ${cli}, which is gone`,
  hookOk: (hook: string, cli: string) => `${hook} hook calls ${cli}`,
  driverOk: (name: string) => `merge driver "${name}" is registered`,
  driverMissing: (name: string) => `merge driver "${name}" is not registered in git config`,
  attrOk: (manifest: string) => `.gitattributes routes ${manifest} to the manifest merge driver`,
  attrMissing: (manifest: string, name: string) => `.gitattributes has no "${manifest} merge=${name}"`,
  settingsOk: () => '.swarmrc is valid',
  fixSettings: () => 'correct the file named above, then run: git swarm doctor',
  noManifest: (file: string) => `no ${file}: nothing is enforced`,
  manifestUncommitted: (source: string) => `the manifest is read from the ${source} because the integration branch has none`,
  commitManifest: (integration: string, file: string) => `commit it on ${integration}: git add ${file} && git commit -m "Add swarm manifest"`,
  manifestOk: (source: string) => `manifest ${source} is valid`,
  fixManifest: (file: string) => `correct ${file} on the integration branch (a lead's job), then run: git swarm doctor`,
  unknownAgent: (agent: string, origin: string) => `identity "${agent}" (from ${origin}) is not in the manifest: every commit will be refused`,
  knownAgents: (agents: readonly string[]) => `use one of: ${agents.join(', ')} (or ask the lead to add the agent)`,
  unidentifiedDenied: () => 'no agent identity, and .swarmrc sets unidentified: deny: every commit will be refused',
  identify: () => 'set SWARM_AGENT=<name>, git config swarm.agent <name>, or use a swarm/<name> branch',
  identityOk: (agent: string, origin: string, role: string) => `identity: ${agent} (from ${origin}), role ${role}`,
  unidentifiedAllowed: () => 'no agent identity: commits are allowed as a person\'s (unidentified: allow)',
  bypassSet: (variable: string, value: string) => `${variable}=${value} is set in this environment: the hooks check nothing`,
  unsetBypass: (variable: string) => `unset ${variable}`,
  render: (findings: readonly Finding[]) => {
    const lines = findings.map((f) => (f.ok ? `✓ ${f.title}` : `✗ ${f.title}\n    fix: ${f.fix}`));
    const bad = findings.filter((f) => !f.ok).length;
    lines.push(bad === 0 ? 'git-swarm doctor: the guard will run here.' : `git-swarm doctor: ${bad} problem${bad === 1 ? '' : 's'} found.`);
    return lines.join('\n');
  },
} as const;

const COMMAND_HELP: Record<string, string> = {
  init: `git swarm init [--integration <branch>] [--chain-hooks]

Sets git-swarm up in this repository: creates .swarmrc and the manifest if missing, adds the
manifest's merge driver to .gitattributes and git config, and installs the hooks (with husky)
for every worktree. Idempotent. Existing hooks in .git/hooks keep running after git-swarm's.

  --integration <branch>  the branch work lands on (default: the current branch, else main)
  --chain-hooks           core.hooksPath is already set by another tool: keep its hooks running
                          after git-swarm's instead of refusing`,
  doctor: `git swarm doctor [--format text|json]

Proves the guard will run here: hooks path, hook scripts and the CLI they call, merge driver,
settings, manifest, identity and bypass variables. Each problem comes with its fix. Exit 1 if any.`,
  whoami: `git swarm whoami [--format text|json]

Prints the agent name this worktree commits as and where it came from: SWARM_AGENT, then
git config swarm.agent, then the branch pattern (swarm/{agent}). JSON: {"agent","source","role","known"}.`,
  check: `git swarm check [--base <rev>] [--head <rev>] [--branch <name>] [--format text|json|github]

Checks every commit in base..head against the manifest at base (CI is the authority): the
Swarm-Agent trailer (on a swarm/<agent> branch every commit must be that agent's), claims,
readers and manifest edits by non-leads. Merges are charged with what they change relative to
every parent. Default base: the merge-base with the integration branch; default head: HEAD;
default branch: the CI's branch variable, else the checked-out branch.
Exit 0 clean, 1 violations, 2 bad input (unknown revision, invalid manifest, missing history).`,
  hook: `git swarm hook <pre-commit|prepare-commit-msg|commit-msg|pre-push> [args]

Called by the installed git hooks; not meant to be run by hand. SWARM_SKIP=1 skips the checks
for one command but keeps the Swarm-Agent trailer; CI still checks.`,
  'merge-driver': `git swarm merge-driver %O %A %B %P

git's merge driver for the manifest (registered by init). Performs git's line merge for now.`,
};

export const help = {
  main: (version: string) => `git-swarm ${version}: path claims for a swarm of coding agents on one git repository

Usage: git swarm <command> [options]   (git-swarm <command> works too)

Commands:
  init      set git-swarm up in this repository (hooks, settings, manifest)
  doctor    prove the guard runs here, with a fix for each problem
  whoami    which agent this worktree commits as, and why
  check     check a range of commits against the manifest (for CI)

Run git swarm <command> --help for its options.
Exit codes: 0 ok, 1 refused or violations, 2 bad input, 3 contention.`,
  command: (name: string) => COMMAND_HELP[name] ?? `no help for ${name}`,
} as const;
