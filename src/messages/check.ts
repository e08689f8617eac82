export const checkMessages = {
  unknownRevision: (option: string, rev: string) => `${option}: unknown revision "${rev}" (not a commit in this repository)`,
  noIntegration: (integration: string, remote: string) =>
    `check: cannot find the integration branch "${integration}" (neither refs/heads/${integration} nor refs/remotes/${remote}/${integration}). Fetch it (git fetch ${remote} ${integration}) or pass --base <rev>.`,
  noMergeBase: (integration: string, head: string) => `check: ${head} shares no history with ${integration}; pass --base <rev>.`,
  shallowMissing: (what: string) =>
    `check: this clone is shallow and lacks the history between ${what} and the head. Fetch it: git fetch --unshallow (or a larger git fetch --deepen=<n>); on GitHub Actions use actions/checkout with fetch-depth: 0; on GitLab CI set GIT_DEPTH: 0.`,
  noManifestAtBase: (source: string) => `git-swarm: notice: no manifest at ${source}; nothing to enforce for this range.`,
} as const;

