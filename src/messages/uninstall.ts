import type { ChainInfo, Removed } from '../git/hooks.js';

const WHAT: Record<Removed, string> = {
  include: "the include of git-swarm's config file (core.hooksPath, merge driver)",
  directory: "git-swarm's directory in the git dir (hooks, config, caches)",
  'legacy-config': "git-swarm's hooks path and merge driver in the repository's config (older install)",
  stamps: "pre-commit's stamps",
};

export const uninstallMessages = {
  done: (toplevel: string, removed: readonly Removed[], chain: ChainInfo) =>
    [
      `git-swarm's hooks are uninstalled from ${toplevel}.`,
      ...removed.map((r) => `  removed: ${WHAT[r]}`),
      `  hooks now in effect: ${chain.dir}${chain.husky ? " (husky's)" : ''}`,
      `  kept: .swarmrc, the manifest and its .gitattributes line (versioned; git merges the manifest with its default merge now)`,
      `Install again with: git swarm init`,
    ].join('\n'),
  nothingToDo: (toplevel: string) => `git-swarm is not installed in ${toplevel}: nothing to do.`,
} as const;
