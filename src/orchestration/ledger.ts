/**
 * The ledger (refs/swarm/*): documents kept as chains of commits, each version one commit whose
 * message says what changed and who did it, so `git log refs/swarm/leases` is the audit trail.
 * Every write is a compare-and-swap of the ref against the version read: locally one
 * `update-ref` transaction (worktrees share refs, so this is a mutex for every agent on the
 * machine), with `coordination.remote` a `push --atomic --force-with-lease` to the shared remote.
 * A lost race re-reads, re-decides and retries after a jittered pause.
 */
import { join } from 'node:path';
import { EMPTY_LEDGER, type LeaseDocument } from '../core/leases.js';
import { isSwarmError, SwarmError } from '../errors.js';
import { GitSession, type LedgerAuthor } from '../git/gitSession.js';
import { fetchLedger, pushLedger } from '../git/remoteRefs.js';
import type { RepoPaths } from '../git/repo.js';
import { ledgerMessages } from '../messages/ledger.js';
import { refFileExists } from '../git/refs.js';

import { LEASES_FILE, LEASES_REF } from './ledgerNames.js';

export { LEASES_FILE, LEASES_REF };

/** The longest a write keeps retrying a ref that keeps moving before it reports contention. */
const WRITE_BUDGET_MS = 30_000;
const MAX_PAUSE_MS = 100;

export interface LedgerState {
  /** The version read (null: no ledger yet): the expected old value of the next write. */
  commit: string | null;
  document: LeaseDocument;
}

/** What a step decides on the state it was shown: write a new version, or nothing. */
export type LedgerStep<T> = { write: LeaseDocument; message: string; result: T } | { done: T };

type Validate = (content: Uint8Array, where: string) => LeaseDocument;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class LeaseLedger {
  readonly #session: GitSession;
  readonly #commonDir: string;
  readonly #documents = new Map<string, LeaseDocument>();

  private constructor(
    paths: RepoPaths,
    readonly remote: string | null,
    readonly author: LedgerAuthor,
    readonly validate: Validate,
  ) {
    this.#session = new GitSession(paths.toplevel, join(paths.commonDir, 'swarm', 'tmp'));
    this.#commonDir = paths.commonDir;
  }

  /** `who`: the agent the versions it writes are attributed to. */
  static async open(paths: RepoPaths, remote: string | null, who: string): Promise<LeaseLedger> {
    const { validateLeaseDocument } = await import('./heavy.js');
    return new LeaseLedger(paths, remote, { name: who, email: `${who}@git-swarm.invalid` }, validateLeaseDocument);
  }

  /** The current version; with a remote, its copy fetched first. */
  async read(fetch = true): Promise<LedgerState> {
    if (this.remote !== null && fetch) await fetchLedger(this.remote, this.#session.cwd);
    let commit = await this.#session.read(LEASES_REF);
    // A ref that exists but names nothing readable is corrupt, never "no ledger yet". Another
    // writer may have created it between the two looks: only a file that still reads as nothing
    // on a second look is corrupt.
    if (commit === null && (await refFileExists(this.#commonDir, LEASES_REF))) {
      commit = await this.#session.read(LEASES_REF);
      if (commit === null) throw new SwarmError('ledger', ledgerMessages.unresolvable(LEASES_REF), { ref: LEASES_REF });
    }
    if (commit === null) return { commit: null, document: EMPTY_LEDGER };
    if (commit.type !== 'commit') throw new SwarmError('ledger', ledgerMessages.notACommit(LEASES_REF, commit.type), { ref: LEASES_REF });
    return { commit: commit.oid, document: await this.#documentAt(commit.oid) };
  }

  async #documentAt(commit: string): Promise<LeaseDocument> {
    const where = `${LEASES_REF} (${commit.slice(0, 10)}):${LEASES_FILE}`;
    const blob = await this.#session.read(`${commit}:${LEASES_FILE}`);
    if (blob === null || blob.type !== 'blob') throw new SwarmError('ledger', ledgerMessages.noDocument(where), { ref: LEASES_REF, file: where });
    // Versions often share a document (a refreshed ticket rewrites little): parsed once per blob.
    const known = this.#documents.get(blob.oid);
    if (known) return known;
    const document = this.validate(blob.content, where);
    this.#documents.set(blob.oid, document);
    return document;
  }

  /**
   * Reads, lets `step` decide on what it read, and writes its document only if the ref still
   * holds the version read; otherwise reads again. `step` must be pure: it may run many times.
   */
  async update<T>(step: (state: LedgerState, now: number) => LedgerStep<T>): Promise<T> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const state = await this.read();
      const now = Date.now();
      const decided = step(state, now);
      if ('done' in decided) return decided.done;
      const content = Buffer.from(`${JSON.stringify(decided.write, null, 1)}\n`);
      // What this process writes must read back: a counter driven past its bound stops here, not in every later reader.
      this.validate(content, `${LEASES_REF}:${LEASES_FILE} (as it would be written)`);
      const commit = await this.#session.commitFile(LEASES_FILE, content, state.commit, decided.message, this.author, now);
      const update = { ref: LEASES_REF, next: commit, expected: state.commit };
      const outcome = this.remote === null ? await this.#session.swap([update]) : await this.#publish(this.remote, update);
      if (outcome.ok) {
        // The local copy follows at once, so this process and the hooks here see the write.
        if (this.remote !== null) await this.#session.swap([{ ...update, expected: (await this.#session.read(LEASES_REF))?.oid ?? null }]);
        return decided.result;
      }
      if (Date.now() - started > WRITE_BUDGET_MS) {
        throw new SwarmError('contention', ledgerMessages.keptMoving(LEASES_REF, attempt + 1, WRITE_BUDGET_MS), { ref: LEASES_REF });
      }
      await pause(Math.random() * Math.min(MAX_PAUSE_MS, 2 ** Math.min(attempt, 7)));
    }
  }

  /** One write through the shared remote; a host that refuses it is named with what it said and the choices. */
  async #publish(remote: string, update: { ref: string; next: string; expected: string | null }) {
    try {
      return await pushLedger(remote, [update], this.#session.cwd);
    } catch (error) {
      if (!isSwarmError(error) || error.code !== 'git') throw error;
      throw new SwarmError('git', ledgerMessages.remoteRefused(remote, update.ref, error.data.stderr ?? ''), { ...error.data, ref: update.ref });
    }
  }

  /**
   * Every version's document, newest first, at most `limit`: the audit trail `check` reads. Every
   * parent is followed (a version with two parents, or a second root, cannot hide the real chain
   * behind a first parent); a version with more than one parent, or with `skipInvalid` one that
   * does not validate, comes back with a null document. More versions than `limit` is an error:
   * a trail cut short could drop a grant without a word.
   */
  async history(limit: number, skipInvalid = false): Promise<Array<{ commit: string; document: LeaseDocument | null }>> {
    const out: Array<{ commit: string; document: LeaseDocument | null }> = [];
    const head = await this.#session.read(LEASES_REF);
    const queue = head === null ? [] : [head.oid];
    const seen = new Set(queue);
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (out.length >= limit) throw new SwarmError('ledger', ledgerMessages.historyTooLong(LEASES_REF, limit), { ref: LEASES_REF });
      const commit = await this.#session.read(next);
      if (commit === null || commit.type !== 'commit') throw new SwarmError('ledger', ledgerMessages.notACommit(LEASES_REF, commit?.type ?? 'missing object'), { ref: LEASES_REF });
      const parents = [...commit.content.toString('utf8').matchAll(/^parent ([0-9a-f]+)$/gm)].map((p) => p[1]!);
      for (const p of parents) if (!seen.has(p)) (seen.add(p), queue.push(p));
      let document: LeaseDocument | null = null;
      try {
        if (parents.length > 1) throw new SwarmError('ledger', ledgerMessages.mergedVersion(next), { ref: LEASES_REF });
        document = await this.#documentAt(next);
      } catch (error) {
        if (!skipInvalid || !isSwarmError(error) || error.code !== 'ledger') throw error;
      }
      out.push({ commit: next, document });
    }
    return out;
  }

  close(): void {
    this.#session.close();
  }
}
