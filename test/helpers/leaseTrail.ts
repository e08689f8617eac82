/**
 * The audit trail of refs/swarm/leases, checked version by version from git itself (rev-list and
 * the document of every commit), never from what the writers said: the race tests and the lease
 * benchmark judge a run by what the ledger recorded.
 */
import { spawnSync } from 'node:child_process';
import { compileGlob, type CompiledGlob } from '../../src/core/glob.js';
import { GlobOverlap } from '../../src/core/globOverlap.js';
import type { Lease } from '../../src/core/leases.js';

/** A lease as the trail records it: the ledger's own shape. */
export type TrailLease = Lease;

interface TrailDocument {
  nextToken: number;
  leases: TrailLease[];
}

export interface Trail {
  /** Versions, oldest first. */
  versions: number;
  /** Every token the trail granted, with the lease as first recorded. */
  grants: Map<number, TrailLease>;
  /** Versions that ended at least one lease. */
  releases: number;
  /** Everything wrong with the trail, one line each; empty when it is sound. */
  problems: string[];
}

/** Nothing of the caller's git environment or config reaches the reads below. */
const GIT_ENV = { PATH: process.env.PATH, HOME: '/nonexistent', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

function git(gitDir: string, args: string[], input?: string): string {
  const r = spawnSync('git', [`--git-dir=${gitDir}`, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 30, env: GIT_ENV });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Each commit's leases.json, through one `cat-file --batch`. */
function documents(gitDir: string, commits: readonly string[]): TrailDocument[] {
  const r = spawnSync('git', [`--git-dir=${gitDir}`, 'cat-file', '--batch'], { input: commits.map((c) => `${c}:leases.json\n`).join(''), maxBuffer: 1 << 30, env: GIT_ENV });
  if (r.status !== 0) throw new Error(`git cat-file --batch failed: ${r.stderr.toString()}`);
  const out = r.stdout;
  const docs: TrailDocument[] = [];
  let at = 0;
  for (const commit of commits) {
    const end = out.indexOf(0x0a, at);
    const header = out.subarray(at, end).toString('utf8');
    const size = Number(header.split(' ')[2]);
    if (!/ blob \d+$/.test(header)) throw new Error(`${commit}:leases.json is not a blob: ${header}`);
    docs.push(JSON.parse(out.subarray(end + 1, end + 1 + size).toString('utf8')) as TrailDocument);
    at = end + 1 + size + 1;
  }
  return docs;
}

const key = (l: TrailLease) => `${l.agent}\0${l.pattern}\0${l.shared}\0${l.granted}`;

/** Reads and checks every version of `ref` in the repository at `gitDir` (a bare one, or a `.git`). */
export function auditTrail(gitDir: string, ref = 'refs/swarm/leases'): Trail {
  const problems: string[] = [];
  // %H %P: a merge or a second root would show as a line of another shape.
  const lines = git(gitDir, ['log', '--reverse', '--format=%H %P%x00%an%x00%ct', ref]).trim().split('\n');
  const commits = lines.map((line) => {
    const [ids, author, time] = line.split('\0') as [string, string, string];
    const [id, ...parents] = ids.split(' ');
    return { id: id!, parents, author, time: Number(time) * 1000 };
  });
  const docs = documents(gitDir, commits.map((c) => c.id));
  const overlap = new GlobOverlap();
  const globs = new Map<string, CompiledGlob>();
  const glob = (p: string) => globs.get(p) ?? globs.set(p, compileGlob(p)).get(p)!;
  const grants = new Map<number, TrailLease>();
  let highest = 0;
  let releases = 0;
  let previous: TrailDocument = { nextToken: 1, leases: [] };
  commits.forEach((commit, i) => {
    const doc = docs[i]!;
    const where = `version ${i + 1} (${commit.id.slice(0, 10)}, ${commit.author})`;
    const expectedParents = i === 0 ? [] : [commits[i - 1]!.id];
    if (commit.parents.join(' ') !== expectedParents.join(' ')) problems.push(`${where}: parents ${commit.parents.join(',') || 'none'}, expected ${expectedParents.join(',') || 'none'}`);
    if (doc.nextToken < previous.nextToken) problems.push(`${where}: nextToken went back from ${previous.nextToken} to ${doc.nextToken}`);
    // Live in a version = present in it: every write prunes what had lapsed.
    for (let a = 0; a < doc.leases.length; a++) {
      for (let b = a + 1; b < doc.leases.length; b++) {
        const [x, y] = [doc.leases[a]!, doc.leases[b]!];
        if (x.agent === y.agent || (x.shared && y.shared)) continue;
        const witness = overlap.witness(glob(x.pattern), glob(y.pattern));
        if (witness !== null) problems.push(`${where}: ${x.agent} #${x.token} ${x.pattern} and ${y.agent} #${y.token} ${y.pattern} both hold ${witness}`);
      }
    }
    const before = new Map(previous.leases.map((l) => [l.token, l]));
    const highestBefore = highest;
    for (const l of doc.leases.filter((l) => !before.has(l.token))) {
      if (grants.has(l.token)) problems.push(`${where}: token ${l.token} granted again`);
      if (l.token <= highestBefore) problems.push(`${where}: token ${l.token} is not above every earlier token (${highestBefore})`);
      if (l.token >= doc.nextToken) problems.push(`${where}: token ${l.token} not below nextToken ${doc.nextToken}`);
      if (l.agent !== commit.author) problems.push(`${where}: grants ${l.agent} #${l.token}, but ${commit.author} wrote it (a lost update)`);
      grants.set(l.token, l);
      highest = Math.max(highest, l.token);
    }
    for (const l of doc.leases) {
      const was = before.get(l.token);
      if (was && key(was) !== key(l)) problems.push(`${where}: token ${l.token} changed holder, pattern or grant time`);
    }
    const now = new Set(doc.leases.map((l) => l.token));
    const removed = previous.leases.filter((l) => !now.has(l.token));
    for (const l of removed) {
      // Another agent's lease may only leave by lapsing: commit times are whole seconds.
      if (l.agent !== commit.author && l.expires >= commit.time + 1000) problems.push(`${where}: ${l.agent} #${l.token} vanished while live (a lost update)`);
    }
    if (removed.some((l) => l.agent === commit.author)) releases++;
    previous = doc;
  });
  return { versions: commits.length, grants, releases, problems };
}
