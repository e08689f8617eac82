/**
 * Leases as the ownership rule counts them (see LeaseRules in src/core/ownership.ts): the live
 * ledger for the hooks, read through the one probe every hook makes and a cache keyed by the
 * document's blob id; every grant in the ledger's history for `check` and pre-push.
 */
import { compileGlob, type CompiledGlob } from '../core/glob.js';
import { grantsInHistory, type Lease, type LeaseDocument } from '../core/leases.js';
import { leaseRules, type LeaseRules } from '../core/ownership.js';
import { isSwarmError, SwarmError } from '../errors.js';
import { readBlob } from '../git/blob.js';
import { resolveObject, type RepoPaths } from '../git/repo.js';
import { errorText } from '../messages/errors.js';
import { hookMessages } from '../messages/hook.js';
import { ledgerMessages } from '../messages/ledger.js';
import { refFileExists } from '../git/refs.js';
import { cacheKey } from './cache.js';
import { LeaseLedger } from './ledger.js';
import { LEASES_FILE, LEASES_REF } from './ledgerNames.js';
import type { Workspace } from './workspace.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** The cache's copy of a validated document's leases (the hook bundle does not load zod). */
function isLeaseList(v: unknown): v is Lease[] {
  return (
    Array.isArray(v) &&
    v.every(
      (l) =>
        isObject(l) &&
        isTime(l.token) &&
        typeof l.agent === 'string' &&
        typeof l.pattern === 'string' &&
        typeof l.shared === 'boolean' &&
        isTime(l.granted) &&
        isTime(l.expires),
    )
  );
}

/** How far back a corrupt ledger is searched for its last valid version. */
const VALID_LEDGER_SEARCH = 50;

async function validated(id: string, where: string, cwd: string): Promise<LeaseDocument> {
  const { validateLeaseDocument } = await import('./heavy.js');
  return validateLeaseDocument((await readBlob(id, cwd)) ?? new Uint8Array(), where);
}

function compiled(leases: readonly Lease[]): Array<{ lease: Lease; glob: CompiledGlob }> {
  return leases.map((lease) => ({ lease, glob: compileGlob(lease.pattern) }));
}

export interface LiveLeases {
  rules: LeaseRules | null;
  /** Said before judging when the ledger's newest version is corrupt and an older one counts. */
  notice: string | null;
}

/**
 * The ledger now, for the hooks. A corrupt newest version (something other than git-swarm wrote
 * it) is never read as "no leases", which would free every leased path: its last valid version
 * counts, with a notice, as for a broken manifest; with none, the error stands (exit 2).
 */
export async function liveLeaseRules(ws: Workspace, now: number): Promise<LiveLeases> {
  const { commit, document } = ws.ledger;
  if (commit === null) {
    // A ref file that resolves to nothing is corrupt, and hides whatever it held: refuse, with the repair.
    if (!(await refFileExists(ws.paths.commonDir, LEASES_REF))) return { rules: null, notice: null };
    // Created by another writer since the probe looked: read as it is now.
    const created = await resolveObject(LEASES_REF, ws.paths.toplevel);
    if (created === null) throw new SwarmError('ledger', ledgerMessages.unresolvable(LEASES_REF), { ref: LEASES_REF });
    const doc = await resolveObject(`${created}:${LEASES_FILE}`, ws.paths.toplevel);
    return liveLeaseRules({ ...ws, ledger: { commit: created, document: doc } }, now);
  }
  const cwd = ws.paths.toplevel;
  if (document !== null) {
    const key = cacheKey('leases', document);
    const hit = await ws.cache.get('leases', key, isLeaseList);
    if (hit) return { rules: leaseRules('live', compiled(hit), now), notice: null };
    try {
      const doc = await validated(document, `${LEASES_REF}:${LEASES_FILE}`, cwd);
      await ws.cache.set('leases', key, doc.leases);
      return { rules: leaseRules('live', compiled(doc.leases), now), notice: null };
    } catch (error) {
      if (!isSwarmError(error) || error.code !== 'ledger') throw error;
      return lastValid(ws, commit, error, now);
    }
  }
  return lastValid(ws, commit, new SwarmError('ledger', ledgerMessages.notACommit(LEASES_REF, 'ref without a lease document'), { ref: LEASES_REF }), now);
}

async function lastValid(ws: Workspace, commit: string, broken: SwarmError, now: number): Promise<LiveLeases> {
  const cwd = ws.paths.toplevel;
  let next = await resolveObject(`${commit}^1`, cwd);
  for (let i = 0; next !== null && i < VALID_LEDGER_SEARCH; i++) {
    const id = await resolveObject(`${next}:${LEASES_FILE}`, cwd);
    if (id !== null) {
      try {
        const doc = await validated(id, `${LEASES_REF}:${LEASES_FILE}`, cwd);
        return { rules: leaseRules('live', compiled(doc.leases), now), notice: hookMessages.brokenLedger(LEASES_REF, errorText(broken), next) };
      } catch (error) {
        if (!isSwarmError(error) || error.code !== 'ledger') throw error;
      }
    }
    next = await resolveObject(`${next}^1`, cwd);
  }
  throw broken;
}

/** The leases in force now, from the local ledger (none when there is no ledger); a corrupt one is exit 2. */
export async function liveLeases(paths: RepoPaths, now: number): Promise<Lease[]> {
  if ((await resolveObject(LEASES_REF, paths.toplevel)) === null) return [];
  const ledger = await LeaseLedger.open(paths, null, 'plan');
  try {
    const { document } = await ledger.read(false);
    return document.leases.filter((l) => l.expires > now);
  } finally {
    ledger.close();
  }
}

/** Most versions of the ledger `check` reads: far more than a day of a busy swarm's grants. */
const HISTORY_LIMIT = 100_000;

/**
 * Every grant the ledger's history records, for `check` and pre-push: a commit's Swarm-Lease
 * trailer is believed only for a token granted to that agent over that path. No ledger here
 * (CI did not fetch refs/swarm/*): no grants, so commits made under leases fail closed.
 */
export async function historyLeaseRules(ws: { paths: RepoPaths }, now: number): Promise<LeaseRules | null> {
  if ((await resolveObject(LEASES_REF, ws.paths.toplevel)) === null) return null;
  const ledger = await LeaseLedger.open(ws.paths, null, 'check');
  try {
    // A version that does not validate grants nothing; the others still count.
    const versions = await ledger.history(HISTORY_LIMIT, true);
    return leaseRules('history', compiled([...grantsInHistory(versions.flatMap((v) => (v.document ? [v.document] : []))).values()]), now);
  } finally {
    ledger.close();
  }
}
