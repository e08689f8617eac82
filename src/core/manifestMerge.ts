/**
 * The manifest's three-way merge, shared by the merge driver and landing. Agents and their fields
 * merge by meaning rather than by line: lists as sets, a scalar from the side that changed it, and
 * the result must still be a manifest the rules accept, with no pair of writers newly set against
 * each other.
 *
 * It works on the documents as written (validated, defaults not filled in), so a merge keeps what
 * each side wrote: `$schema`, keys left to their defaults, the order of keys and agents.
 */
import { compilePolicy } from './compilePolicy.js';
import { conflicts, type PairReport } from './conflicts.js';
import { compileGlob } from './glob.js';
import { GlobOverlap } from './globOverlap.js';
import { manifestProblems, type Problem } from './manifestRules.js';
import type { AgentSpec, Manifest, Role, Settings } from './model.js';

/** An agent as written: a key left out takes its default (a writer with no globs and no `after`). */
export interface AgentDocument {
  role?: Role;
  task?: string;
  claims?: string[];
  shared?: string[];
  after?: string[];
  group?: string;
  signingKey?: string;
}

/** A manifest as written, once it has validated. */
export interface ManifestDocument {
  $schema?: string;
  version: 1;
  agents: Record<string, AgentDocument>;
}

export type Side = 'ours' | 'theirs';
export type ScalarField = 'role' | 'task' | 'group' | 'signingKey';

export type MergeConflict =
  /**
   * Both sides set a scalar to different values (`undefined`: not set; a role not set is a
   * writer). `agent` is null for the top-level `$schema`; `added`: the base had no such agent.
   */
  | { kind: 'field'; agent: string | null; field: ScalarField | '$schema'; added: boolean; base: string | undefined; ours: string | undefined; theirs: string | undefined }
  /** One side deleted the agent, the other changed it. */
  | { kind: 'deleted'; agent: string; deletedBy: Side }
  /**
   * One side took a glob away from the agent (a revocation), the other gave it one that covers
   * some of the same paths: a set union would keep what one side meant to revoke.
   */
  | { kind: 'revoked'; agent: string; field: 'claims' | 'shared'; removedBy: Side; removed: string; added: string; witness: string }
  /** The merge sets two writers in conflict (conflicts.ts) that no input had in conflict. */
  | { kind: 'writers'; pair: PairReport }
  /** The merge breaks a rule across agents (manifestRules.ts). */
  | { kind: 'rule'; problem: Problem };

export interface ManifestMerge {
  clean: boolean;
  /**
   * The merged manifest (2-space JSON, trailing newline); on a conflict, the same with each agent
   * in conflict (or `$schema`) shown as ours and theirs between git's conflict markers, which no
   * JSON parser accepts, so it cannot be committed unresolved.
   */
  text: string;
  conflicts: MergeConflict[];
}

/** The base of what both sides added: equal to nothing, so neither side counts as unchanged. */
const NONE: unique symbol = Symbol('none');
type Base<T> = T | undefined | typeof NONE;

const SCALARS: readonly ScalarField[] = ['role', 'task', 'group', 'signingKey'];
const LISTS = ['claims', 'shared', 'after'] as const;
type AgentKey = keyof AgentDocument;

const written = (value: unknown): string => (value === undefined ? '' : JSON.stringify(value));
const same = (a: unknown, b: unknown): boolean => a !== NONE && b !== NONE && written(a) === written(b);

/** What a field means: a role not set is a writer; a list not set is empty, and its order does not count. */
function meaning(key: AgentKey, value: Base<unknown>): Base<string> {
  if (value === NONE) return NONE;
  if (key === 'role') return (value as Role | undefined) ?? 'writer';
  if ((LISTS as readonly string[]).includes(key)) return JSON.stringify([...((value as string[] | undefined) ?? [])].sort());
  return value as string | undefined;
}

const sameAgent = (a: AgentDocument, b: AgentDocument): boolean =>
  ([...SCALARS, ...LISTS] as AgentKey[]).every((key) => meaning(key, a[key]) === meaning(key, b[key]));

type Merged<T> = { ok: true; value: T } | { ok: false };

/**
 * One value, three ways. A side that left it as written takes the other's, as written. Else by
 * meaning: the side whose meaning changed, when the other changed at most its form (ours when
 * both mean the same); both meaning something new and different: no merge.
 */
function mergeValue<T>(key: AgentKey | '$schema', base: Base<T>, ours: T | undefined, theirs: T | undefined): Merged<T | undefined> {
  if (same(ours, base)) return { ok: true, value: theirs };
  if (same(theirs, base)) return { ok: true, value: ours };
  const m = key === '$schema' ? (v: Base<unknown>) => (v === NONE ? NONE : written(v)) : (v: Base<unknown>) => meaning(key, v);
  const [mb, mo, mt] = [m(base), m(ours), m(theirs)];
  if (mo === mt || mb === mt) return { ok: true, value: ours };
  if (mb === mo) return { ok: true, value: theirs };
  return { ok: false };
}

/** A list as a set: ours, less what theirs removed, then what theirs added, in their orders. */
function mergeSet(base: Base<string[]>, ours: string[] | undefined, theirs: string[] | undefined): string[] | undefined {
  const had = new Set(base === NONE ? [] : (base ?? []));
  const kept = new Set(theirs ?? []);
  const out = (ours ?? []).filter((item) => !had.has(item) || kept.has(item));
  const present = new Set(out);
  for (const item of theirs ?? []) if (!had.has(item) && !present.has(item)) out.push(item);
  return out.length > 0 || ours !== undefined ? out : undefined;
}

/** Whether `side` keeps the keys it shares with `base` in base's order (adding or deleting keys changes no order). */
function keepsOrder(base: string[], side: string[]): boolean {
  const inBase = new Set(base);
  const inSide = new Set(side);
  return same(
    side.filter((key) => inBase.has(key)),
    base.filter((key) => inSide.has(key)),
  );
}

/**
 * The order of keys (or agents): ours, unless only theirs reordered what it shares with the base.
 * A key only the other side has goes after the key it follows there, past what this side added
 * at that place, so additions at the end on both sides keep both, ours first.
 */
function mergeOrder(base: string[] | undefined, ours: string[], theirs: string[], keep: (key: string) => boolean): string[] {
  const theirsFirst = base !== undefined && keepsOrder(base, ours) && !keepsOrder(base, theirs);
  const [first, second] = theirsFirst ? [theirs, ours] : [ours, theirs];
  const old = new Set([...(base ?? []), ...second]);
  const out = [...first];
  second.forEach((key, i) => {
    if (out.includes(key)) return;
    let at = 0;
    for (let j = i - 1; j >= 0; j--) {
      const anchor = out.indexOf(second[j]!);
      if (anchor !== -1) {
        at = anchor + 1;
        break;
      }
    }
    while (at < out.length && !old.has(out[at]!)) at++;
    out.splice(at, 0, key);
  });
  return out.filter(keep);
}

/** Globs one side removed that overlap globs the other side added (see the 'revoked' conflict). */
function revocations(agent: string, field: 'claims' | 'shared', base: Base<string[]>, ours: string[], theirs: string[]): MergeConflict[] {
  const had = base === NONE ? [] : (base ?? []);
  const overlap = new GlobOverlap();
  const found: MergeConflict[] = [];
  for (const [removedBy, remover, adder] of [['ours', ours, theirs], ['theirs', theirs, ours]] as const) {
    const removed = had.filter((g) => !remover.includes(g));
    const added = adder.filter((g) => !had.includes(g));
    for (const r of removed) {
      for (const a of added) {
        const witness = overlap.witness(compileGlob(r), compileGlob(a));
        if (witness !== null) found.push({ kind: 'revoked', agent, field, removedBy, removed: r, added: a, witness });
      }
    }
  }
  return found;
}

type AgentMerge = { ok: true; agent: AgentDocument | undefined } | { ok: false; conflicts: MergeConflict[] };

function mergeAgent(name: string, base: AgentDocument | undefined, ours: AgentDocument | undefined, theirs: AgentDocument | undefined): AgentMerge {
  if (base !== undefined && same(ours, base)) return { ok: true, agent: theirs };
  if (base !== undefined && same(theirs, base)) return { ok: true, agent: ours };
  if (same(ours, theirs)) return { ok: true, agent: ours };
  if (ours === undefined || theirs === undefined) {
    const kept = ours ?? theirs!;
    if (base === undefined) return { ok: true, agent: kept };
    if (sameAgent(kept, base)) return { ok: true, agent: undefined };
    return { ok: false, conflicts: [{ kind: 'deleted', agent: name, deletedBy: ours === undefined ? 'ours' : 'theirs' }] };
  }
  const fields: AgentDocument = {};
  const found: MergeConflict[] = [];
  for (const key of [...SCALARS, ...LISTS]) {
    const b: Base<unknown> = base === undefined ? NONE : base[key];
    const merged = mergeValue(key, b, ours[key], theirs[key]);
    if (merged.ok) Object.assign(fields, { [key]: merged.value });
    else if (key === 'claims' || key === 'shared' || key === 'after') {
      fields[key] = mergeSet(b as Base<string[]>, ours[key], theirs[key]);
      if (key !== 'after') found.push(...revocations(name, key, b as Base<string[]>, ours[key] ?? [], theirs[key] ?? []));
    }
    else {
      const shown = (v: Base<unknown>) => (v === NONE ? undefined : (meaning(key, v) as string | undefined));
      found.push({ kind: 'field', agent: name, field: key, added: base === undefined, base: shown(b), ours: shown(ours[key]), theirs: shown(theirs[key]) });
    }
  }
  if (found.length > 0) return { ok: false, conflicts: found };
  const order = mergeOrder(base && Object.keys(base), Object.keys(ours), Object.keys(theirs), (key) => fields[key as AgentKey] !== undefined);
  return { ok: true, agent: Object.fromEntries(order.map((key) => [key, fields[key as AgentKey]])) };
}

/** The validated shape the rules work on: each key left out at its default (as the schema fills it in). */
export function manifestOf(document: ManifestDocument): Manifest {
  const spec = (a: AgentDocument): AgentSpec => ({
    ...a,
    role: a.role ?? 'writer',
    claims: a.claims ?? [],
    shared: a.shared ?? [],
    after: a.after ?? [],
  });
  return { version: 1, agents: Object.fromEntries(Object.entries(document.agents).map(([name, a]) => [name, spec(a)])) };
}

/** The agents named by a problem: where it is, and whom it refers to. */
function problemAgents(problem: Problem): string[] {
  const at = typeof problem.path[1] === 'string' ? [problem.path[1]] : [];
  switch (problem.code) {
    case 'unknown-agent':
      return [...at, problem.data.agent];
    case 'after-cycle':
      return [...at, ...problem.data.cycle];
    case 'shared-signing-key':
      return [...at, problem.data.first];
    default:
      return at;
  }
}

function involvedAgents(conflict: MergeConflict): string[] {
  switch (conflict.kind) {
    case 'field':
      return conflict.agent === null ? [] : [conflict.agent];
    case 'deleted':
    case 'revoked':
      return [conflict.agent];
    case 'writers':
      return [conflict.pair.a, conflict.pair.b];
    case 'rule':
      return problemAgents(conflict.problem);
  }
}

/** Rules broken and writers set in conflict by the merged manifest; pairs some input already had are not the merge's doing. */
function validityConflicts(merged: ManifestDocument, inputs: ManifestDocument[], settings: Settings): MergeConflict[] {
  const manifest = manifestOf(merged);
  const found: MergeConflict[] = manifestProblems(manifest).map((problem) => ({ kind: 'rule', problem }));
  const overlap = new GlobOverlap();
  const conflicting = (m: Manifest) => conflicts(compilePolicy(settings, m), new Set(), overlap, false).filter((p) => p.status === 'conflict');
  const pairs = conflicting(manifest);
  if (pairs.length === 0) return found;
  const key = ({ a, b }: PairReport) => [a, b].sort().join('\0');
  const known = new Set(inputs.flatMap((input) => conflicting(manifestOf(input)).map(key)));
  return [...found, ...pairs.filter((pair) => !known.has(key(pair))).map((pair): MergeConflict => ({ kind: 'writers', pair }))];
}

type Clean = { kind: 'value'; key: string; value: unknown } | { kind: 'object'; key: string; members: Member[] };
/** `ours`/`theirs` undefined: that side has no such member. */
type Member = Clean | { kind: 'conflict'; key: string; ours: unknown; theirs: unknown };

/**
 * The members of an object, one per line group, at `depth`. A member in conflict shows each side's
 * version between markers. Keeping either side of every block must leave valid JSON, so a run of
 * conflicts at the end of the object takes the member before it into one block, where each side
 * places its own commas.
 */
function renderMembers(members: Member[], depth: number): string[] {
  const pad = '  '.repeat(depth);
  const render = (m: Clean, comma: string): string[] => {
    if (m.kind === 'object') {
      return m.members.length === 0 ? [`${pad}${JSON.stringify(m.key)}: {}${comma}`] : [`${pad}${JSON.stringify(m.key)}: {`, ...renderMembers(m.members, depth + 1), `${pad}}${comma}`];
    }
    const lines = JSON.stringify(m.value, null, 2).split('\n');
    return lines.map((line, i) => `${pad}${i === 0 ? `${JSON.stringify(m.key)}: ` : ''}${line}${i === lines.length - 1 ? comma : ''}`);
  };
  const side = (m: Member, which: Side): Clean[] => (m.kind !== 'conflict' ? [m] : m[which] === undefined ? [] : [{ kind: 'value', key: m.key, value: m[which] }]);
  let lastClean = members.length - 1;
  while (lastClean >= 0 && members[lastClean]!.kind === 'conflict') lastClean--;
  const tailFrom = lastClean === members.length - 1 ? members.length : Math.max(lastClean, 0);
  // Before the tail, a member is followed by another: every side of a block ends with a comma.
  const body = members.slice(0, tailFrom).flatMap((m, i) => {
    const comma = i < members.length - 1 ? ',' : '';
    if (m.kind !== 'conflict') return render(m, comma);
    return ['<<<<<<< ours', ...side(m, 'ours').flatMap((s) => render(s, comma)), '=======', ...side(m, 'theirs').flatMap((s) => render(s, comma)), '>>>>>>> theirs'];
  });
  const tail = members.slice(tailFrom);
  if (tail.length === 0) return body;
  const view = (which: Side) => renderMembers(tail.flatMap((m) => side(m, which)), depth);
  return [...body, '<<<<<<< ours', ...view('ours'), '=======', ...view('theirs'), '>>>>>>> theirs'];
}

/**
 * Merges two manifests that descend from `base` (null: neither had a manifest before, so every
 * agent is added on both sides). Order: the keys and agents of ours, unless only theirs reordered
 * them; what only the other side has goes where it stood there (see mergeOrder). `settings` compile the
 * policy whose writers must stay out of conflict (only their globs count, so any valid settings
 * give the same answer).
 */
export function mergeManifests(base: ManifestDocument | null, ours: ManifestDocument, theirs: ManifestDocument, settings: Settings): ManifestMerge {
  const found: MergeConflict[] = [];
  const agents: Record<string, AgentDocument> = {};
  const baseAgents = base?.agents ?? {};
  const own = (record: Record<string, AgentDocument>, name: string) => (Object.hasOwn(record, name) ? record[name] : undefined);
  const names = new Set([...Object.keys(baseAgents), ...Object.keys(ours.agents), ...Object.keys(theirs.agents)]);
  for (const name of names) {
    const merged = mergeAgent(name, own(baseAgents, name), own(ours.agents, name), own(theirs.agents, name));
    if (!merged.ok) found.push(...merged.conflicts);
    else if (merged.agent !== undefined) agents[name] = merged.agent;
  }
  const schema = mergeValue('$schema', base === null ? NONE : base.$schema, ours.$schema, theirs.$schema);
  if (!schema.ok) found.push({ kind: 'field', agent: null, field: '$schema', added: base === null || base.$schema === undefined, base: base?.$schema, ours: ours.$schema, theirs: theirs.$schema });
  const document: ManifestDocument = { ...(schema.ok && schema.value !== undefined ? { $schema: schema.value } : {}), version: 1, agents };
  if (found.length === 0) found.push(...validityConflicts(document, base === null ? [ours, theirs] : [base, ours, theirs], settings));

  const involved = new Set(found.flatMap(involvedAgents));
  const shownAgents = mergeOrder(
    base ? Object.keys(base.agents) : undefined,
    Object.keys(ours.agents),
    Object.keys(theirs.agents),
    (name) => Object.hasOwn(agents, name) || (involved.has(name) && (Object.hasOwn(ours.agents, name) || Object.hasOwn(theirs.agents, name))),
  );
  const agentMembers = shownAgents.map((name): Member =>
    involved.has(name) ? { kind: 'conflict', key: name, ours: own(ours.agents, name), theirs: own(theirs.agents, name) } : { kind: 'value', key: name, value: agents[name] },
  );
  const schemaConflict = !schema.ok;
  const top = mergeOrder(base ? Object.keys(base) : undefined, Object.keys(ours), Object.keys(theirs), (key) => key === 'version' || key === 'agents' || (key === '$schema' && (schemaConflict || document.$schema !== undefined)));
  const members = top.map((key): Member => {
    if (key === 'agents') return { kind: 'object', key, members: agentMembers };
    if (key === '$schema' && schemaConflict) return { kind: 'conflict', key, ours: ours.$schema, theirs: theirs.$schema };
    return { kind: 'value', key, value: document[key as '$schema' | 'version'] };
  });
  return { clean: found.length === 0, text: `${['{', ...renderMembers(members, 1), '}'].join('\n')}\n`, conflicts: found };
}
