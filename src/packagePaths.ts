import { realpathSync } from 'node:fs';

/** The running CLI bundle (dist/cli.js), symlinks resolved: hooks call it by this absolute path. */
export function cliPath(): string {
  return realpathSync(process.argv[1]!);
}
