/**
 * The help texts, as data: `git swarm help <command>` (terminal) and the manual pages
 * (src/render/man.ts, written at build time) are both rendered from these, so they cannot drift.
 * Descriptions keep their line breaks in the terminal; a manual page refills them.
 */
export interface CommandHelp {
  /** One line: the command list of `git swarm --help` and the NAME line of its manual page. */
  summary: string;
  /** Run by git or the hooks, not by people: left out of the command list of `git swarm --help`. */
  plumbing?: boolean;
  synopsis: string;
  description: string;
  options?: ReadonlyArray<readonly [flag: string, text: string]>;
}

/** Every command of src/cli.ts, in the order help lists them (cli.ts's COMMANDS is typed by these keys). */
export const COMMAND_HELP = {
  init: {
    summary: 'set git-swarm up in this repository (hooks, settings, manifest)',
    synopsis: 'git swarm init [--integration <branch>]',
    description: `Sets git-swarm up in this repository: creates .swarmrc and the manifest if missing, adds the
manifest's merge driver to .gitattributes, and installs the hooks (with husky) for every worktree.
Its core.hooksPath and merge driver live in <git common dir>/swarm/config, included at the end of
the repository's config, so a hook manager that sets core.hooksPath later (husky's prepare) does
not switch it off. The hooks that would run without git-swarm (that core.hooksPath, else
.git/hooks) keep running: pre-commit, prepare-commit-msg and commit-msg before git-swarm's,
pre-push after its check. Idempotent; run it again after moving node or git-swarm.`,
    options: [['--integration <branch>', 'the branch work lands on (default: the current branch, else main)']],
  },
  uninstall: {
    summary: "remove git-swarm's hooks and git config from this repository",
    synopsis: 'git swarm uninstall',
    description: `Removes git-swarm's hooks from this repository: the include of its config file, its directory in
the git dir (hooks, config, caches) and pre-commit's stamps. The hooks path that was there before
(husky's, for example) is in effect again, or none. Keeps .swarmrc, the manifest and its
.gitattributes line; git merges the manifest with its default merge. Nothing to do: exit 0.`,
  },
  doctor: {
    summary: 'prove the guard runs here, with a fix for each problem',
    synopsis: 'git swarm doctor [--format text|json]',
    description: `Proves the guard will run here: hooks path, hook scripts and the CLI they call, merge driver,
settings, manifest, identity and bypass variables. Each problem comes with its fix. Exit 1 if any.`,
  },
  whoami: {
    summary: 'which agent this worktree commits as, and why',
    synopsis: 'git swarm whoami [--format text|json]',
    description: `Prints the agent name this worktree commits as and where it came from: SWARM_AGENT, then
git config swarm.agent, then the branch pattern (swarm/{agent}). JSON: {"agent","source","role","known"}.
Exit 1 when the name is not in the manifest (every commit would be refused), listing the known agents.`,
  },
  check: {
    summary: 'check a range of commits against the manifest (for CI)',
    synopsis:
      'git swarm check [--base <rev>] [--head <rev>] [--integration <branch>] [--branch <name>] [--format text|json|github|markdown] [--max-violations <n>]',
    description: `Checks every commit in base..head against the settings and manifest at the base (CI is the
authority; nothing is taken from the head under review): the Swarm-Agent trailer (on a
swarm/<agent> branch every commit must be that agent's), claims, readers and manifest edits by
non-leads. A merge is charged with every path where it differs from git's own merge of its parents.
Under identity: signed, every commit (merges too) must be SSH-signed with its agent's signingKey.
Default base: where head left the integration branch, whose name comes from --integration, else
the project's default branch (CI_DEFAULT_BRANCH, origin's HEAD, else main; never a pull request's
target); the rules are that branch's tip's settings and manifest.
Default head: HEAD; default branch: the CI's branch variable, else the checked-out branch.
On GitHub Actions (--format github) at most 10 annotations are printed, one per path, most severe
first, and the job summary ($GITHUB_STEP_SUMMARY) gets a table of every violation.
Exit 0 clean, 1 violations, 2 bad input (unknown revision, invalid manifest, missing history).`,
    options: [
      ['--base <rev>', 'judge from this commit (its settings and manifest bind)'],
      ['--head <rev>', 'the last commit to judge (default HEAD)'],
      ['--integration <branch>', 'the integration branch, binding (default: see above)'],
      ['--branch <name>', 'the branch under review, for attribution (default: the CI variable, else the checked-out one)'],
      ['--format <format>', 'text (default), json, github (workflow annotations) or markdown'],
      ['--max-violations <n>', 'list at most n violations (all are counted; the job summary lists all)'],
    ],
  },
  plan: {
    summary: 'the conflict matrix: which writers could refuse each other, with a path as proof',
    synopsis: 'git swarm plan [--rev <rev>] [--format text|json|markdown]',
    description: `Checks a manifest before it binds: for every pair of writers (and leads), whether some path,
tracked or not, is matched by an exclusive claim of one and a claim or shared path of the other
(shared against shared never conflicts), decided exactly on the globs, with an example path and
the two globs. A pair where one comes after the other (after, directly or transitively) is
serialized, not a conflict. Also lists globs that match no tracked file, writers with no claims,
and shared paths no merge driver covers (their merge gitattribute, from the working tree's
.gitattributes; a shared glob with no tracked file is asked about through one path it matches).
Reads the working tree's .swarmrc and manifest (the ones a lead is editing) and its index, or
with --rev both files and the tree of that commit. Live leases (refs/swarm/leases) count as
their holders' claims: an edit that gives a leased path to another writer is a conflict.
Exit 0 no conflict, 1 conflicts, 2 bad input (unknown revision, invalid or missing manifest).`,
    options: [
      ['--rev <rev>', 'plan the settings, manifest and files of this commit instead of the working tree'],
      ['--format <format>', 'text (default), json (every pair) or markdown'],
    ],
  },
  claim: {
    summary: 'take a lease on paths (all or none), or wait in line for them',
    synopsis: 'git swarm claim <glob>... [--ttl <duration>] [--shared] [--wait[=<duration>]] [--format text|json]\n       git swarm claim --force-release <agent>',
    description: `As the current agent, takes a lease on every glob, or on none: a run-time claim kept in the
ledger (refs/swarm/leases), counted by the hooks and by check like a claim in the manifest. Refused
(exit 3) when a glob overlaps another agent's live lease, an exclusive manifest claim of an agent
that has not landed, or the place of an earlier waiter; the message names the holder, its pattern,
an example path and when the lease ends. Exit 1 for a reader, a TTL over leases.maxTtl, or more
than limits.maxClaimsPerAgent claims and leases. Each lease gets a fencing token that only ever
increases; commits under it carry Swarm-Lease: <token>. With --wait the request joins a first-in,
first-out queue kept in the ledger and is granted when every glob is free, or gives up (exit 3).
--force-release <agent> (leads only) ends another agent's leases; the audit trail records it.
With coordination.remote every write goes through that remote (git push --atomic).`,
    options: [
      ['--ttl <duration>', 'lease length (default leases.defaultTtl; at most leases.maxTtl): 90s, 30m, 4h'],
      ['--shared', 'a shared lease: other shared leases may overlap it, exclusive ones may not'],
      ['--wait[=<duration>]', 'wait in line for the paths, at most this long (default 10m)'],
      ['--force-release <agent>', "a lead ends that agent's leases and its place in the queue"],
      ['--format <format>', 'text (default) or json'],
    ],
  },
  release: {
    summary: 'end leases: the globs given, or --all',
    synopsis: 'git swarm release <glob>... | --all [--format text|json]',
    description: `Ends the current agent's leases on the globs given (as they were claimed), or all of them and its
place in any queue with --all. A glob it holds no lease on is exit 2, listing what it holds.`,
    options: [
      ['--all', 'every lease of this agent, and its place in the queue'],
      ['--format <format>', 'text (default) or json'],
    ],
  },
  renew: {
    summary: "extend this agent's live leases",
    synopsis: 'git swarm renew [--ttl <duration>] [--format text|json]',
    description: `Extends every live lease of the current agent to now + TTL (default leases.defaultTtl, at most
leases.maxTtl); none is shortened. A lease that has lapsed is not revived: another agent may hold
its paths by now; claim it again. Exit 1 when there is nothing to renew.`,
    options: [
      ['--ttl <duration>', 'new length from now (default leases.defaultTtl)'],
      ['--format <format>', 'text (default) or json'],
    ],
  },
  claims: {
    summary: 'the leases in force and the wait queue',
    synopsis: 'git swarm claims [--format text|json]',
    description: `Lists the leases in force (holder, pattern, token, expiry) and the agents waiting, in order. The
history is git log refs/swarm/leases. With coordination.remote the remote's ledger is fetched first.`,
    options: [['--format <format>', 'text (default) or json']],
  },
  spawn: {
    summary: 'give an agent its own worktree and branch, its identity set there',
    synopsis:
      'git swarm spawn <agent> [--path <dir>] [--from <rev>] [--signing-key <private key file>] [--format text|json]\ngit swarm spawn --list [--format text|json]',
    description: `Creates a worktree for an agent of the manifest (the integration tip's, as the hooks read it) on a
new branch (branchPattern, swarm/<agent>) at the integration branch's tip, and sets swarm.agent in
that worktree's own config (git config --worktree; extensions.worktreeConfig is turned on once),
so the hooks know the agent there without any environment variable. The worktree goes in the
worktrees folder of .swarmrc ({repo} is the repository's folder name; a relative folder starts
beside .git's worktree), which info/exclude hides from git when it lies inside a work tree.
Prints the identity and a cd line; JSON: {"agent","path","branch","from"}. Spawning an agent that
has a worktree prints where it is (exit 0; JSON adds "existing": true and "from": null).
Under identity: signed, --signing-key is required: its public half (ssh-keygen -y) must be the
agent's signingKey, and the worktree then signs every commit with it.
--list shows each agent's worktree: agent, branch, head, clean or dirty, path;
JSON: {"worktrees": [{"agent","path","branch","head","dirty"}]}.
Exit 1 for a reader (readers commit nothing and work in place); 2 for an agent not in the
manifest, a branch or path that exists, or a key that is not the agent's; 3 when
limits.maxActiveAgents agents already have a worktree on a branchPattern branch.`,
    options: [
      ['--path <dir>', 'where the worktree goes (default: <worktrees folder>/<agent>)'],
      ['--from <rev>', 'start the branch at this commit (default: the integration branch tip)'],
      ['--signing-key <file>', "the agent's SSH private key: the worktree signs every commit with it"],
      ['--list', 'list the agents\' worktrees instead'],
      ['--format <format>', 'text (default) or json'],
    ],
  },
  retire: {
    summary: "remove an agent's worktree once its work is committed and landed",
    synopsis: 'git swarm retire <agent> [--force]',
    description: `Removes the agent's worktree (git worktree remove). Refused (exit 1) when it has uncommitted
files or its branch has commits that are not on the integration branch, saying how many of each;
--force removes it anyway (the uncommitted files are lost; the branch and its commits are kept).
The branch is deleted when everything on it is on the integration branch, else kept.
Exit 2 when the agent has no worktree, or it is the main worktree or the current one.`,
    options: [['--force', 'remove the worktree even with uncommitted files or unlanded commits']],
  },
  ready: {
    summary: 'record the exact commit of this agent to land, once it passes the checks',
    synopsis: 'git swarm ready [--format text|json]',
    description: `Judges this agent's commits since the integration tip as CI would (the tip's rules; every commit
the agent's), then records HEAD in refs/swarm/ready/<agent>: that exact commit lands, whatever
is committed later, until ready runs again. Exit 1 with the violations when it does not pass.`,
    options: [['--format <format>', 'text (default) or json']],
  },
  land: {
    summary: 'land ready agents on the integration branch, in order, atomically',
    synopsis: 'git swarm land (<agent>... | --group <name> | --all) [--check "<cmd>"] [--dry-run] [--progress] [--format text|json]',
    description: `For a lead. Takes the ready agents asked for, orders them by after (ties: manifest order), judges
their commits again against the integration tip's rules, merges each in memory onto the growing
result (git merge-tree --write-tree: merge drivers apply, no working tree is touched) and
publishes the integration branch, the landed marks, the cleared ready marks and the landing
record (refs/swarm/landings) in one update-ref transaction, whose old values are those it read;
if the branch moved meanwhile, it starts again. A group lands whole or not at all; others land
on their own. An agent whose after dependencies neither landed nor land before it is refused.
A clean worktree with the integration branch checked out is updated; a dirty one makes land
refuse before doing anything. With coordination.remote, the remote's branch and refs/swarm/* are
fetched first and everything is published by one git push --atomic with --force-with-lease on
every ref; this repository's branch follows when it has no commits of its own. Exit 0 when
everything asked for landed, 1 otherwise.`,
    options: [
      ['--group <name>', "that group's members (whole or not at all)"],
      ['--all', 'every ready agent'],
      ['--check <cmd>', 'run this shell command on the result in a temporary worktree (default: land.check); a failure is narrowed down to the units that cause it by bisection'],
      ['--dry-run', 'merge and report, publish nothing'],
      ['--progress', "show each step and the check's output on stderr (the default on a terminal)"],
      ['--format <format>', 'text (default) or json (the landing record)'],
    ],
  },
  landings: {
    summary: 'the landing log, newest first',
    synopsis: 'git swarm landings [--limit <n>] [--format text|json]',
    description: `Lists the landings recorded on refs/swarm/landings, newest first: id, time, lander, the
integration branch's move, what landed and what did not. JSON: {"landings": [record, …]}.`,
    options: [
      ['--limit <n>', 'at most this many (default 50)'],
      ['--format <format>', 'text (default) or json'],
    ],
  },
  undo: {
    summary: 'revert a landing, atomically, and reopen its agents\' claims',
    synopsis: 'git swarm undo <landing-id> [--format text|json]',
    description: `For a lead. Reverts the landing's merges (newest first) with one new commit on the integration
branch, published like a landing: one transaction moves the branch, removes the agents' landed
marks (their claims hold again) and records the undo on refs/swarm/landings. Refused when a later
landing depends on it (an agent landed since comes after one of its agents, or the revert
conflicts with what landed since), or when the checked-out integration branch has changes.`,
    options: [['--format <format>', 'text (default) or json']],
  },
  hook: {
    summary: 'run a git hook (called by the installed hooks)',
    plumbing: true,
    synopsis: 'git swarm hook <pre-commit|prepare-commit-msg|commit-msg|pre-push|reference-transaction> [args]',
    description: `Called by the installed git hooks; not meant to be run by hand. SWARM_SKIP=1 skips the checks
for one command but keeps the Swarm-Agent trailer; CI still checks. reference-transaction is the
guard on the integration branch (guardIntegration), which SWARM_SKIP does not switch off.`,
  },
  'merge-driver': {
    summary: "git's merge driver for the manifest",
    plumbing: true,
    synopsis: 'git swarm merge-driver %O %A %B %P',
    description: `git's merge driver for the manifest (registered by init); git merge, git rebase and git merge-tree
run it. A three-way merge of agents and their fields: agents added on either side are kept;
claims, shared and after merge as sets (additions from both sides, removals from either); role,
task, group and signingKey come from the side that changed them. Exit 1 (a conflict for git) when
both sides changed a field differently, one deleted an agent the other changed, or the result
breaks a manifest rule or sets two writers neither of which comes after the other over the same
paths: stderr says which agent and field, with both values, and the file shows each agent in
conflict twice, ours then theirs, between conflict markers, so it does not validate until a
lead resolves it. An input that is no valid manifest gets git's line merge instead.`,
  },
} as const satisfies Record<string, CommandHelp>;

export type CommandName = keyof typeof COMMAND_HELP;

export const COMMAND_NAMES = Object.keys(COMMAND_HELP) as CommandName[];

/** `git swarm --help` and the manual page git-swarm(1). */
export const MAIN_HELP = {
  name: 'git-swarm',
  summary: 'path claims for a swarm of coding agents on one git repository',
  synopsis: ['git swarm <command> [options]', 'git-swarm <command> [options]'],
  usage: 'Usage: git swarm <command> [options]   (git-swarm <command> works too)',
  description: `A lead checks in a manifest (.swarm/manifest.json) that says which agent may write which
paths and who waits for whom. Git hooks refuse commits and pushes that break it, and
git swarm check in CI judges every commit of a branch against the manifest of the base.`,
  commandsTitle: 'Commands:',
  moreHelp: 'Run git swarm <command> --help for its options.',
  exitCodes: [
    ['0', 'ok'],
    ['1', 'refused or violations'],
    ['2', 'bad input'],
    ['3', 'contention'],
  ],
} as const;

/** Section titles and the header of the manual pages (man-pages(7) conventions). */
export const MAN = {
  manual: 'git-swarm manual',
  source: (version: string) => `git-swarm ${version}`,
  name: 'NAME',
  synopsis: 'SYNOPSIS',
  description: 'DESCRIPTION',
  commands: 'COMMANDS',
  options: 'OPTIONS',
  exitStatus: 'EXIT STATUS',
  seeAlso: 'SEE ALSO',
} as const;

const WIDTH = 100;

/** `text` in lines of at most WIDTH columns, each after `indent` spaces but the first. */
function wrap(text: string, indent: number, firstWidth: number): string {
  const lines: string[] = [];
  let line = '';
  let width = firstWidth;
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
      width = WIDTH - indent;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

function optionsText(options: CommandHelp['options']): string[] {
  if (!options?.length) return [];
  const column = Math.max(...options.map(([flag]) => flag.length)) + 4;
  return ['', ...options.map(([flag, text]) => `  ${flag.padEnd(column - 2)}${wrap(text, column, WIDTH - column)}`)];
}

export const help = {
  main: (version: string) => {
    const listed = COMMAND_NAMES.filter((name) => !(COMMAND_HELP[name] as CommandHelp).plumbing);
    const column = Math.max(...listed.map((name) => name.length)) + 4;
    return [
      `${MAIN_HELP.name} ${version}: ${MAIN_HELP.summary}`,
      '',
      MAIN_HELP.usage,
      '',
      MAIN_HELP.commandsTitle,
      ...listed.map((name) => `  ${name.padEnd(column)}${COMMAND_HELP[name].summary}`),
      '',
      MAIN_HELP.moreHelp,
      `Exit codes: ${MAIN_HELP.exitCodes.map(([code, meaning]) => `${code} ${meaning}`).join(', ')}.`,
    ].join('\n');
  },
  command: (name: CommandName) => {
    const h: CommandHelp = COMMAND_HELP[name];
    return [h.synopsis, '', h.description, ...optionsText(h.options)].join('\n');
  },
} as const;
