/**
 * Every ready range of a landing run read at once: ONE `git log` over all the marks (not the
 * integration tip) judges each agent's commits, and shows where each range leaves the tip, which
 * is the merge base landing needs. Ranges that share commits are judged one by one, as before.
 */
import { checkCommit, type CommitRecord, type CommitViolation } from '../core/commitCheck.js';
import type { OwnershipRules } from '../core/ownership.js';
import { independentCommits, mergeInMemory } from '../git/landing.js';
import { streamCommits } from '../git/log.js';
import { isShallow } from '../git/repo.js';
import { sshFingerprint } from '../git/signing.js';
import type { TreeMerger } from '../git/treeMerge.js';
import { judgeRange } from './range.js';

const JUDGE_AT_ONCE = 4;

export interface LandingRanges {
  /** Each agent's violations, as judgeRange finds them in its range alone. */
  judged: Map<string, CommitViolation[]>;
  /** A ready mark's one merge base with the tip, where the ranges prove it (see landingMerge). */
  bases: Promise<Map<string, string>>;
}

/**
 * Judges the range of each of `agents` (its ready mark, not the tip) against `rules`. A mark that
 * names no commit is refused when its unit is built, whatever its range holds: it is not read.
 */
export async function judgeRanges(
  agents: readonly string[],
  marks: ReadonlyMap<string, string>,
  commits: ReadonlySet<string>,
  tip: string,
  rules: OwnershipRules,
  options: { cwd: string; baseLabel: string },
): Promise<LandingRanges> {
  const { cwd } = options;
  const judged = new Map<string, CommitViolation[]>(agents.map((a) => [a, []]));
  const walkable = agents.filter((a) => commits.has(a));
  const keys = rules.policy.settings.identity === 'signed' ? Object.entries(rules.policy.manifest.agents).flatMap(([a, s]) => (s.signingKey ? [[a, s.signingKey] as const] : [])) : undefined;
  // A shallow clone's boundary is judgeRange's to report; a walk git refuses is each mark's own failure.
  const [shallow, read] = await Promise.all([
    isShallow(cwd),
    walkable.length === 0 ? null : readAll({ include: [...new Set(walkable.map((a) => marks.get(a)!))], exclude: [tip] }, cwd, keys).catch(() => null),
  ]);
  const records = shallow ? null : read;
  const alone = records === null ? [] : attribute(walkable, marks, records);
  const fingerprints = new Map(keys?.map(([agent, line]) => [agent, sshFingerprint(line)]));
  for (const { agent, range } of alone) {
    judged.set(agent, records!.filter((r) => range.has(r.sha)).flatMap((r) => checkCommit(rules, r, agent, fingerprints)));
  }
  const separate = walkable.filter((a) => !alone.some((r) => r.agent === a));
  for (let i = 0; i < separate.length; i += JUDGE_AT_ONCE) {
    await Promise.all(
      separate.slice(i, i + JUDGE_AT_ONCE).map(async (agent) => {
        // A mark git cannot walk is refused as invalid when its unit is built.
        const verdict = await judgeRange({ include: [marks.get(agent)!], exclude: [tip] }, rules, agent, { cwd, baseLabel: options.baseLabel }).catch(() => null);
        judged.set(agent, verdict?.violations ?? []);
      }),
    );
  }
  // Proven while the run goes on (it is needed at the first merge); unproven, every merge is git's.
  const bases = records === null ? Promise.resolve(new Map<string, string>()) : provenBases(alone, records, tip, cwd).catch(() => new Map<string, string>());
  return { judged, bases };
}

async function readAll(selection: { include: string[]; exclude: string[] }, cwd: string, keys: ReadonlyArray<readonly [string, string]> | undefined): Promise<CommitRecord[]> {
  const out: CommitRecord[] = [];
  for await (const commit of streamCommits(selection, cwd, keys)) out.push(commit);
  return out;
}

interface Range {
  agent: string;
  mark: string;
  /** The commits its mark reaches and the tip does not. */
  range: Set<string>;
}

/**
 * The ranges that share no commit with another: those commits are exactly what that mark's own
 * `git log` lists, in the same order (each enters git's date-ordered walk only through the range).
 */
function attribute(agents: readonly string[], marks: ReadonlyMap<string, string>, records: readonly CommitRecord[]): Range[] {
  const bySha = new Map(records.map((r) => [r.sha, r]));
  const owners = new Map<string, number>();
  const ranges = agents.map((agent) => {
    const range = new Set<string>();
    const stack = [marks.get(agent)!];
    while (stack.length > 0) {
      const sha = stack.pop()!;
      const record = bySha.get(sha);
      if (record === undefined || range.has(sha)) continue;
      range.add(sha);
      stack.push(...record.parents);
    }
    for (const sha of range) owners.set(sha, (owners.get(sha) ?? 0) + 1);
    return { agent, mark: marks.get(agent)!, range };
  });
  return ranges.filter((r) => [...r.range].every((sha) => owners.get(sha) === 1));
}

/**
 * The merge base of each range's mark with the tip, where one commit proves it: the range leaves
 * the tip's history at exactly one commit. Then every common ancestor lies below that commit, and
 * merging onto the tip plus other ranges (sharing no commit with this one) has the same base.
 * `git log` trusts commit dates to stop its walk; a clock that ran backwards can leave commits the
 * tip reaches in a range, so ONE exact `merge-base --independent` confirms that no range starts
 * at such a commit (none does below them either, then).
 */
async function provenBases(alone: readonly Range[], records: readonly CommitRecord[], tip: string, cwd: string): Promise<Map<string, string>> {
  const listed = new Set(records.map((r) => r.sha));
  const found = new Map<string, string>();
  const bottoms: string[] = [];
  for (const { mark, range } of alone) {
    const boundary = new Set<string>();
    const starts: string[] = [];
    for (const r of records) {
      if (!range.has(r.sha)) continue;
      const outside = r.parents.filter((p) => !listed.has(p));
      for (const p of outside) boundary.add(p);
      if (outside.length === r.parents.length) starts.push(r.sha);
    }
    if (boundary.size !== 1) continue;
    found.set(mark, [...boundary][0]!);
    bottoms.push(...starts);
  }
  if (found.size === 0) return found;
  const independent = await independentCommits([tip, ...bottoms], cwd);
  return bottoms.every((b) => independent.has(b)) ? found : new Map();
}

/**
 * How landing merges `theirs` (a ready mark) onto `ours`: in memory when its merge base is proven
 * and the merge is trivial (see core/treeMerge), otherwise by `git merge-tree`. The first merge
 * reads ahead the trees of every mark that has a base, in a few round trips for all of them.
 */
export function landingMerge(merger: TreeMerger, bases: Promise<ReadonlyMap<string, string>>, cwd: string) {
  let ahead: Promise<void> | null = null;
  return async (ours: string, theirs: string): Promise<{ tree: string; conflicts: string[] }> => {
    const known = await bases;
    const base = known.get(theirs);
    // Only ever an optimization: what it could not read, the merge reads (or fails on) itself.
    if (base !== undefined) await (ahead ??= merger.prefetch(known).catch(() => undefined));
    const tree = base === undefined ? null : await merger.mergeCommits(base, ours, theirs);
    if (tree !== null) return { tree, conflicts: [] };
    // git reads `ours` from the repository: what the run made so far is written first.
    await merger.session.flush();
    return mergeInMemory(ours, theirs, cwd);
  };
}
