import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The running CLI bundle (dist/cli.js), symlinks resolved: hooks call it by this absolute path. */
export function cliPath(): string {
  return realpathSync(process.argv[1]!);
}

export function packageRoot(): string {
  return dirname(dirname(cliPath()));
}

export function hookTemplatesDir(): string {
  return join(packageRoot(), 'hooks');
}
