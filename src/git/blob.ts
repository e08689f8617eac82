import { runGit } from './run.js';

/** The content of `path` at `rev` (e.g. `refs/heads/main`), or null when the revision or path is missing. */
export async function readBlobAt(rev: string, path: string, cwd?: string): Promise<string | null> {
  const result = await runGit(['cat-file', '--batch'], { cwd, input: `${rev}:${path}\n` });
  const out = result.stdout;
  const eol = out.indexOf(10);
  if (result.code !== 0 || eol < 0) return null;
  const header = out.subarray(0, eol).toString('utf8').split(' ');
  if (header.length !== 3 || header[1] !== 'blob') return null;
  const size = Number(header[2]);
  return out.subarray(eol + 1, eol + 1 + size).toString('utf8');
}
