import { runGit } from './run.js';

/**
 * The bytes of the blob a spec names (`<rev>:<path>` or an object id), null when there is none.
 * Bytes, not text: the validator decides what a file that is not UTF-8 means.
 */
export async function readBlob(spec: string, cwd?: string): Promise<Buffer | null> {
  const result = await runGit(['cat-file', '--batch'], { cwd, input: `${spec}\n` });
  const out = result.stdout;
  const eol = out.indexOf(10);
  if (result.code !== 0 || eol < 0) return null;
  const header = out.subarray(0, eol).toString('utf8').split(' ');
  if (header.length !== 3 || header[1] !== 'blob') return null;
  const size = Number(header[2]);
  return out.subarray(eol + 1, eol + 1 + size);
}
