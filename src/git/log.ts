import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { CommitRecord } from '../core/commitCheck.js';
import { SwarmError } from '../errors.js';
import { isRawMeta, rawStatus } from './rawDiff.js';

const START = '\x01';
const FORMAT = `--format=${START}%H %P%x02%(trailers:key=Swarm-Agent,valueonly,separator=%x1f)`;

/**
 * Streams every commit selected by `revArgs` (e.g. ['base..head']) with its changes, from ONE
 * `git log` process. Merges carry the combined diff (-c): paths that differ from every parent.
 */
export async function* streamCommits(revArgs: readonly string[], cwd?: string): AsyncGenerator<CommitRecord> {
  const child = spawn(
    'git',
    ['log', '-z', '--raw', '-c', '--no-abbrev', '--no-renames', '--no-ext-diff', '--ignore-submodules=none', FORMAT, ...revArgs, '--'],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 128)));

  const decoder = new StringDecoder('utf8');
  let pending = '';
  let current: CommitRecord | null = null;
  let meta: string | null = null;

  const take = (token: string): CommitRecord | null => {
    if (meta !== null) {
      current!.changes.push({ status: rawStatus(meta), path: token });
      meta = null;
      return null;
    }
    if (token === '') return null;
    if (token.startsWith(START)) {
      const done = current;
      const [ids = '', trailers = ''] = token.slice(1).split('\x02');
      const [sha = '', ...parents] = ids.trim().split(' ').filter(Boolean);
      current = { sha, parents, trailerAgents: trailers.split('\x1f').map((t) => t.trim()).filter(Boolean), changes: [] };
      return done;
    }
    if (isRawMeta(token) && current) {
      meta = token;
      return null;
    }
    throw new SwarmError('git', `unexpected git log output near ${JSON.stringify(token.slice(0, 40))}`);
  };

  for await (const chunk of child.stdout) {
    pending += decoder.write(chunk as Buffer);
    const tokens = pending.split('\0');
    pending = tokens.pop()!;
    for (const token of tokens) {
      const done = take(token);
      if (done) yield done;
    }
  }
  pending += decoder.end();
  if (pending) take(pending);
  const code = await exited;
  if (code !== 0) throw new SwarmError('revision', `git log ${revArgs.join(' ')} failed: ${stderr.trim()}`);
  if (current) yield current;
}
