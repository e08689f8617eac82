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

