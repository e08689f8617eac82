export const checkMessages = {
  ambiguousRevision: (option: string, rev: string) =>
    `${option}: "${rev}" names both a tag and a branch here, and a tag can be pushed by anyone; give the full name (refs/remotes/origin/main, refs/heads/main) or a commit id.`,
  unknownRevision: (option: string, rev: string) => `${option}: unknown revision "${rev}" (not a commit in this repository)`,
  noIntegration: (integration: string, known: readonly string[]) =>
    `check: cannot find the integration branch "${integration}" here, locally or on a remote (branches here: ${known.length > 0 ? known.slice(0, 20).join(', ') : 'none'}). Fetch it (git fetch origin ${integration}), name it (--integration <branch>), or pass --base <rev>.`,
  integrationLoop: (first: string, last: string) =>
    `check: the settings at the bases of "${first}" and "${last}" name each other as the integration branch; pass --integration <branch> or --base <rev>.`,
  noMergeBase: (integration: string, head: string) => `check: ${head} shares no history with ${integration}; pass --base <rev>.`,
  shallowMissing: (what: string) =>
    `check: this clone is shallow and lacks the history between ${what} and the head. Fetch it: git fetch --unshallow (or a larger git fetch --deepen=<n>); on GitHub Actions use actions/checkout with fetch-depth: 0; on GitLab CI set GIT_DEPTH: 0.`,
  noManifestAtBase: (source: string) => `git-swarm: notice: no manifest at ${source}; nothing to enforce for this range.`,
} as const;

