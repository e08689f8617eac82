import { identifyHint } from './common.js';
export interface Finding {
  ok: boolean;
  title: string;
  fix: string | null;
}

export const doctorMessages = {
  fixInit: 'run: git swarm init',
  fixLedger: 'inspect git log refs/swarm/leases; restore the last good version with git update-ref refs/swarm/leases <commit>',
  ledgerOk: (leases: number, agent: string | null, mine: number, firstLapse: number | null) =>
    `lease ledger refs/swarm/leases is readable: ${leases} lease${leases === 1 ? '' : 's'} in force${agent ? `, ${mine} of them ${agent}'s${firstLapse === null ? '' : ` (the first lapses at ${new Date(firstLapse).toISOString().slice(0, 19).replace('T', ' ')} UTC)`}` : ''}`,
  gitOk: () => 'git is recent enough',
  upgradeGit: () => 'upgrade git to 2.38 or newer',
  fixReinstall: 'reinstall git-swarm if it was removed, then run: git swarm init',
  fixWorktreeConfig: 'run: git config --worktree --unset core.hooksPath',
  fixCommand: 'run git without -c core.hooksPath=… (or unset GIT_CONFIG_PARAMETERS / GIT_CONFIG_COUNT)',
  includeOk: (file: string) => `the repository's config includes ${file} last, so its core.hooksPath wins over one set later (husky's prepare)`,
  includeMissing: (file: string) => `the repository's config does not include ${file}: git-swarm's hooks path and merge driver are off`,
  includeNotLast: () => `a core.hooksPath set after the include of git-swarm's config file overrides git-swarm's`,
  hooksPathOk: (path: string) => `core.hooksPath in this worktree is git-swarm's (${path}), shared by every worktree`,
  hooksPathWrong: (configured: string | undefined, expected: string) =>
    `core.hooksPath is ${configured ? `"${configured}"` : 'not set'}, so git-swarm's hooks (${expected}) do not run here`,
  hooksPathOverridden: (configured: string, where: string) => `core.hooksPath is "${configured}" ${where}, so git-swarm's hooks do not run here`,
  scopeWorktree: (file: string) => `in this worktree's own config (${file}), which git reads after the repository's`,
  scopeCommand: 'on the command line or in the environment (git -c, GIT_CONFIG_PARAMETERS, GIT_CONFIG_COUNT)',
  chainOk: (dir: string, husky: boolean) =>
    `chained: ${husky ? `husky's hooks (${dir})` : `hooks in ${dir}`} run before git-swarm's pre-commit check and after its pre-push check`,
  chainAbsent: (dir: string, husky: boolean) =>
    `chained: ${dir} does not exist in this worktree, so no other hooks run here${husky ? " (husky's prepare, e.g. npm install, creates it)" : ''}`,
  stubMissing: (hook: string, file: string) => `the ${hook} hook is missing, not executable, or was overwritten by another tool (${file})`,
  scriptMissing: (hook: string, file: string) => `the ${hook} script is missing or is not git-swarm's (${file})`,
  nodeMissing: (node: string) => `the hooks call node at ${node}, which is gone: every commit and push is refused`,
  cliMissing: (cli: string) => `the hooks call git-swarm at ${cli}, which is gone: every commit and push is refused`,
  hooksOk: (hooks: readonly string[], node: string, cli: string) => `${hooks.join(', ')} hooks call ${node} ${cli}`,
  driverOk: (name: string) => `merge driver "${name}" is registered`,
  driverMissing: (name: string) => `merge driver "${name}" is not registered in git config`,
  attrOk: (manifest: string) => `.gitattributes routes ${manifest} to the manifest merge driver`,
  attrMissing: (manifest: string, name: string) => `.gitattributes has no "${manifest} merge=${name}"`,
  settingsOk: (source: string) => `settings ${source} are valid`,
  settingsUncommitted: (source: string) => `the settings are read from the ${source} because the integration branch has none`,
  commitSettings: (integration: string) => `commit it on ${integration}: git add .swarmrc && git commit -m "Add swarm settings"`,
  brokenFile: (notice: string) => notice.replace(/^git-swarm: warning: /, ''),
  sharedAgent: (value: string, scope: string) =>
    `git config swarm.agent=${value} is in the ${scope} config, shared by every worktree: it is ignored (it would make every worktree "${value}")`,
  fixSharedAgent: (value: string, scope: string) =>
    `git config --${scope === 'local' ? 'local' : scope} --unset swarm.agent; then, in the worktree that is ${value}: git config extensions.worktreeConfig true && git config --worktree swarm.agent ${value}`,
  fixSettings: () => 'correct the file named above, then run: git swarm doctor',
  noManifest: (file: string) => `no ${file}: nothing is enforced`,
  manifestUncommitted: (source: string) => `the manifest is read from the ${source} because the integration branch has none`,
  commitManifest: (integration: string, file: string) => `commit it on ${integration}: git add ${file} && git commit -m "Add swarm manifest"`,
  manifestOk: (source: string) => `manifest ${source} is valid`,
  fixManifest: (file: string) => `correct ${file} on the integration branch (a lead's job), then run: git swarm doctor`,
  unknownAgent: (agent: string, origin: string) => `identity "${agent}" (from ${origin}) is not in the manifest: every commit will be refused`,
  knownAgents: (agents: readonly string[]) => `use one of: ${agents.join(', ')} (or ask the lead to add the agent)`,
  unidentifiedDenied: () => 'no agent identity, and .swarmrc sets unidentified: deny: every commit will be refused',
  identify: (branchPattern: string) => `set ${identifyHint(branchPattern)}`,
  identityOk: (agent: string, origin: string, role: string) => `identity: ${agent} (from ${origin}), role ${role}`,
  unidentifiedAllowed: () => 'no agent identity: commits are allowed as a person\'s (unidentified: allow)',
  guardOk: (integration: string) => `guard: only a lead moves ${integration} here (guardIntegration; a reference-transaction hook, in every worktree)`,
  guardMissing: (source: string, file: string) => `${source} sets guardIntegration, but the guard is not installed in this clone (${file}): anyone can move the integration branch`,
  guardStale: (installed: string, ref: string) => `the guard watches ${installed}, but the integration branch is ${ref}: ${ref} is not guarded`,
  guardIdle: (source: string) => `the guard on the integration branch is installed, but ${source} does not set guardIntegration: it lets every update through (git swarm init removes it)`,
  bypassSet: (variable: string, value: string) => `${variable}=${value} is set in this environment: the hooks check nothing`,
  unsetBypass: (variable: string) => `unset ${variable}`,
  render: (findings: readonly Finding[]) => {
    const lines = findings.map((f) => (f.ok ? `✓ ${f.title}` : `✗ ${f.title}\n    fix: ${f.fix}`));
    const bad = findings.filter((f) => !f.ok).length;
    lines.push(bad === 0 ? 'git-swarm doctor: the guard will run here.' : `git-swarm doctor: ${bad} problem${bad === 1 ? '' : 's'} found.`);
    return lines.join('\n');
  },
} as const;

