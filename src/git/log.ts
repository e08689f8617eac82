import { StringDecoder } from 'node:string_decoder';
import type { CommitRecord } from '../core/commitCheck.js';
import { SwarmError } from '../errors.js';
import { mergeCharge, unionOfChanges } from './merges.js';
import { isRawMeta, rawStatus } from './rawDiff.js';
import { spawnGit } from './run.js';
import { sshVerification } from './signing.js';

const START = '\x01';
const TRAILERS = '%(trailers:key=Swarm-Lease,valueonly,separator=%x1f)%x02%(trailers:key=Swarm-Agent,valueonly,separator=%x1f)';
const FORMAT = `--format=${START}%H %P%x02${TRAILERS}`;
/**
 * With the signature's status (%G?) and key (%GK) before the trailers, which the commit's author
 * writes: a trailer holding the separator cannot shift the fields git computed.
 */
const SIGNED_FORMAT = `--format=${START}%H %P%x02%G?%x02%GK%x02${TRAILERS}`;

/**
 * Which commits a range holds: those reachable from `include` and from none of the rest. Built
 * into git's revision arguments here only, so no other layer writes `--not` or `--remotes=`.
 */
export interface CommitSelection {
  /** Commit ids (or full ref names) whose history is selected. */
  include: readonly string[];
  /** Commit ids (or full ref names) whose history is already judged. */
  exclude: readonly string[];
  /** A remote's name: everything its remote-tracking refs reach is already judged. */
  excludeRemote?: string | undefined;
  /** A branch name: every remote's copy of it is already judged. */
  excludeRemoteCopies?: string | undefined;
}

export function selectionArgs(selection: CommitSelection): string[] {
  const args = [...selection.include, '--not', ...selection.exclude];
  if (selection.excludeRemote) args.push(`--remotes=${selection.excludeRemote.replace(/[*?[\\]/g, '\\$&')}`);
  // Branch names cannot hold glob characters; a pattern without one would mean "<pattern>/*".
  if (selection.excludeRemoteCopies) args.push(`--glob=refs/remotes/*/${selection.excludeRemoteCopies}`);
  return args;
}

/**
 * Streams every selected commit with its changes, from ONE `git log` process. A merge carries
 * what it authored: where its tree differs from git's own merge of its parents (mergeCharge,
 * two more git processes per merge). With `signers` (agent name and SSH public key line), each
 * commit also carries its signature as verified against exactly those keys; git runs ssh-keygen
 * for each signed commit, but no git process is started per commit.
 */
export async function* streamCommits(
  selection: CommitSelection,
  cwd?: string,
  signers?: ReadonlyArray<readonly [agent: string, keyLine: string]>,
): AsyncGenerator<CommitRecord> {
  const verification = signers ? await sshVerification(signers, cwd) : null;
  try {
    yield* readLog(selection, cwd, verification?.config ?? null);
  } finally {
    await verification?.dispose();
  }
}

async function* readLog(selection: CommitSelection, cwd: string | undefined, verifyConfig: string[] | null): AsyncGenerator<CommitRecord> {
  const revArgs = selectionArgs(selection);
  // --root: a root commit in the range shows what it adds whatever log.showRoot says.
  // --no-show-signature: log.showSignature would print gpg's prose into the stream.
  const child = spawnGit(
    [
      ...(verifyConfig ?? []),
      'log',
      '-z',
      '--raw',
      // A merge lists the paths that differ from every parent (see charged).
      '-c',
      '--root',
      '--no-abbrev',
      '--no-renames',
      '--no-ext-diff',
      '--ignore-submodules=none',
      '--no-show-signature',
      verifyConfig ? SIGNED_FORMAT : FORMAT,
      ...revArgs,
      '--',
    ],
    { cwd, stdin: 'ignore' },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
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
      const fields = token.slice(1).split('\x02');
      const [sha = '', ...parents] = fields.shift()!.trim().split(' ').filter(Boolean);
      const signature = verifyConfig ? { status: fields.shift() ?? '', key: fields.shift() || null } : null;
      const leaseTokens = leaseTrailerTokens(fields.shift() ?? '');
      const trailers = fields.join('\x02');
      current = { sha, parents, trailerAgents: trailers.split('\x1f').map((t) => t.trim()).filter(Boolean), leaseTokens, changes: [], ...(signature ? { signature } : {}) };
      return done;
    }
    if (isRawMeta(token) && current) {
      meta = token;
      return null;
    }
    throw new SwarmError('git', '', { command: ['log', ...revArgs], stderr: `unexpected output near ${JSON.stringify(token.slice(0, 40))}` });
  };

  for await (const chunk of child.stdout!) {
    pending += decoder.write(chunk as Buffer);
    const tokens = pending.split('\0');
    pending = tokens.pop()!;
    for (const token of tokens) {
      const done = take(token);
      if (done) yield await charged(done, cwd);
    }
  }
  pending += decoder.end();
  if (pending) take(pending);
  const code = await exited;
  if (code !== 0) throw new SwarmError('revision', '', { command: ['log', ...revArgs], exitCode: code, stderr });
  if (current) yield await charged(current, cwd);
}

/** The fencing tokens a commit's Swarm-Lease trailers name ("3, 7"); anything else in them names none. */
function leaseTrailerTokens(values: string): number[] {
  return values
    .split(/[\x1f,\s]+/)
    .filter((t) => /^[1-9]\d{0,14}$/.test(t))
    .map(Number);
}

/** A merge is charged with both what differs from every parent and what mergeCharge finds. */
async function charged(commit: CommitRecord, cwd: string | undefined): Promise<CommitRecord> {
  if (commit.parents.length < 2) return commit;
  return { ...commit, changes: unionOfChanges(commit.changes, await mergeCharge(commit.sha, commit.parents, cwd)) };
}
