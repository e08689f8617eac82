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

