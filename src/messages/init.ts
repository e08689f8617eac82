import type { ChainInfo } from '../git/hooks.js';
import { identifyHint } from './common.js';

/** The chained hooks, as init and uninstall report them. */
export function chained(chain: ChainInfo): string {
  const where = chain.husky ? `husky's hooks (${chain.dir})` : `the hooks in ${chain.dir}`;
  return `chained: ${where} keep running: pre-commit, prepare-commit-msg and commit-msg before git-swarm's, pre-push after its check`;
}

export const initMessages = {
  settingsFile: (integration: string) =>
    `# git-swarm settings (YAML; plain JSON works too). Every key is optional: see .swarmrc.example\n# in the git-swarm package for all of them and their defaults.\nintegration: ${integration}\n`,
  manifestFile: () =>
    `${JSON.stringify({ version: 1, agents: { lead: { role: 'lead', task: 'coordinates the swarm and edits this manifest' } } }, null, 2)}\n`,
  settingsKept: (integration: string) =>
    `git-swarm: notice: .swarmrc already exists and was kept; --integration ${integration} was not applied (edit .swarmrc to change it).`,
  done: (r: { toplevel: string; hooksPath: string; created: readonly string[]; chain: ChainInfo; integration: string; manifest: string; guard: boolean }) =>
    [
      `git-swarm is installed in ${r.toplevel}.`,
      `  hooks: ${r.hooksPath} (core.hooksPath, set by git-swarm's config file, included last; runs in every worktree of this repository)`,
      `  ${chained(r.chain)}`,
      ...(r.guard ? [`  guard: only a lead (git swarm land) may move ${r.integration} (guardIntegration: a reference-transaction hook)`] : []),
      r.created.length > 0 ? `  created: ${r.created.join(', ')}` : `  nothing new to create (already set up)`,
      `Next:`,
      `  1. Describe the agents and their claims in ${r.manifest}.`,
      `  2. Commit the setup on ${r.integration}: git add .swarmrc ${r.manifest} .gitattributes && git commit -m "Set up git-swarm"`,
      `  3. Run git swarm check in CI (README: CI recipes).`,
      `  4. Verify this clone: git swarm doctor`,
      `Agents identify with ${identifyHint('swarm/<name>')}.`,
    ].join('\n'),
} as const;

