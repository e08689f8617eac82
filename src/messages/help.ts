const COMMAND_HELP: Record<string, string> = {
  init: `git swarm init [--integration <branch>]

Sets git-swarm up in this repository: creates .swarmrc and the manifest if missing, adds the
manifest's merge driver to .gitattributes, and installs the hooks (with husky) for every worktree.
Its core.hooksPath and merge driver live in <git common dir>/swarm/config, included at the end of
the repository's config, so a hook manager that sets core.hooksPath later (husky's prepare) does
not switch it off. The hooks that would run without git-swarm (that core.hooksPath, else
.git/hooks) keep running: pre-commit, prepare-commit-msg and commit-msg before git-swarm's,
pre-push after its check. Idempotent; run it again after moving node or git-swarm.

  --integration <branch>  the branch work lands on (default: the current branch, else main)`,
  uninstall: `git swarm uninstall

Removes git-swarm's hooks from this repository: the include of its config file, its directory in
the git dir (hooks, config, caches) and pre-commit's stamps. The hooks path that was there before
(husky's, for example) is in effect again, or none. Keeps .swarmrc, the manifest and its
.gitattributes line; git merges the manifest with its default merge. Nothing to do: exit 0.`,
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
  uninstall remove git-swarm's hooks and git config from this repository
  doctor    prove the guard runs here, with a fix for each problem
  whoami    which agent this worktree commits as, and why
  check     check a range of commits against the manifest (for CI)

Run git swarm <command> --help for its options.
Exit codes: 0 ok, 1 refused or violations, 2 bad input, 3 contention.`,
  command: (name: string) => COMMAND_HELP[name] ?? `no help for ${name}`,
} as const;
