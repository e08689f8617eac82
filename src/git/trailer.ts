import { appendFile, readFile } from 'node:fs/promises';
import { git } from './run.js';

export const AGENT_TRAILER = 'Swarm-Agent';

/** True when the message has content besides comments and blank lines (what git would commit). */
export async function messageHasContent(file: string): Promise<boolean> {
  const text = await readFile(file, 'utf8');
  const body = text.split(/^# -+ >8 -+$/m)[0]!;
  return body.split('\n').some((line) => line.trim() !== '' && !line.startsWith('#'));
}

export async function hasAgentTrailer(file: string): Promise<boolean> {
  return new RegExp(`^${AGENT_TRAILER}:`, 'mi').test(await readFile(file, 'utf8'));
}

/**
 * Adds `Swarm-Agent: <agent>` with git's own trailer rules, replacing any other value. git merge
 * writes its message without a final newline, and interpret-trailers then glues the trailer to
 * the subject line (where git no longer reads it as a trailer), so the newline is added first.
 */
export async function addAgentTrailer(file: string, agent: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  if (!text.endsWith('\n')) await appendFile(file, '\n');
  await git(['interpret-trailers', '--in-place', '--if-exists', 'replace', '--trailer', `${AGENT_TRAILER}: ${agent}`, file]);
}
