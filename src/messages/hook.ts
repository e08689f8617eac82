/** What the hooks print besides refusals. */
export const hookMessages = {
  manifestFromWorkingTree: (integration: string, file: string) =>
    `git-swarm: notice: ${integration} has no ${file} yet; using the working tree's copy until it is committed there.`,
  noManifest: (file: string) => `git-swarm: notice: no ${file} found; nothing to enforce (run: git swarm init).`,
  /** Printed by every hook, in one line, when what it calls by absolute path has gone since init. */
  runtimeMissing: (what: 'node' | 'git-swarm', path: string) =>
    `git-swarm: refused: the hooks call ${what} at ${path}, which is gone: reinstall git-swarm if it was removed, then run: git swarm init`,
  skipped: (variable: string) => `git-swarm: ${variable} is set, not checking (CI will: git swarm check).`,
} as const;
