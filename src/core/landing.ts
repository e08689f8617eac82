/**
 * What a `git swarm land` run lands and in which order: pure, from the manifest, the ready marks
 * and the agents already landed. Units land whole or not at all: a group is one unit, every other
 * agent its own.
 */
import { agentSpec, type Manifest } from './model.js';

export type LandingRefusalReason = 'unknown-agent' | 'not-ready' | 'waits-for' | 'group-incomplete' | 'batch-limit';

export interface LandingRefusal {
  agent: string;
  reason: LandingRefusalReason;
  /** waits-for: the agents it comes after that neither landed nor land before it; group-incomplete: the group's members that cannot land. */
  missing: string[];
  group?: string;
}

export interface LandingUnit {
  /** The group's name, or the agent's own for an agent outside any group. */
  name: string;
  group: boolean;
  /** Members in landing order. */
  agents: string[];
}

export interface LandingPlan {
  units: LandingUnit[];
  refused: LandingRefusal[];
}

export interface LandingAsk {
  manifest: Manifest;
  /** Agents with a ready mark. */
  ready: ReadonlySet<string>;
  landed: ReadonlySet<string>;
  /** The agents asked for; null: every ready agent. */
  asked: readonly string[] | null;
  /** Only this group's members (with --group). */
  group?: string | undefined;
  /** limits.maxLandingBatch: agents one run may land; the units past it wait for the next run. */
  maxBatch?: number;
}

/**
 * Orders the asked agents topologically by `after` (ties: manifest order) and drops, with the
 * reason, each agent whose `after` dependencies neither landed nor land before it in this run,
 * each one not ready, and every member of a group that cannot land whole (a group pulls in its
 * ready members even when one was asked for).
 */
export function planLanding(ask: LandingAsk): LandingPlan {
  const names = Object.keys(ask.manifest.agents);
  const position = new Map(names.map((n, i) => [n, i]));
  const groupOf = (a: string) => agentSpec(ask.manifest, a)?.group;
  const refused = new Map<string, LandingRefusal>();
  const selected = new Set<string>();
  const wanted = ask.asked ?? names.filter((n) => ask.ready.has(n));
  for (const agent of wanted) {
    if (!agentSpec(ask.manifest, agent)) refused.set(agent, { agent, reason: 'unknown-agent', missing: [] });
    else if (ask.group !== undefined && groupOf(agent) !== ask.group) continue;
    else selected.add(agent);
  }
  // A group lands whole: asking for one member asks for all of them.
  for (const agent of [...selected]) {
    const group = groupOf(agent);
    if (group !== undefined) for (const n of names) if (groupOf(n) === group && !ask.landed.has(n)) selected.add(n);
  }
  for (const agent of [...selected]) {
    if (!ask.ready.has(agent)) {
      refused.set(agent, { agent, reason: 'not-ready', missing: [] });
      selected.delete(agent);
    }
  }
  // Drop whatever waits for an agent that will not land, until nothing changes, then whole groups.
  for (let changed = true; changed; ) {
    changed = false;
    for (const agent of [...selected]) {
      const missing = agentSpec(ask.manifest, agent)!.after.filter((d) => !ask.landed.has(d) && !selected.has(d));
      if (missing.length > 0) {
        refused.set(agent, { agent, reason: 'waits-for', missing });
        selected.delete(agent);
        changed = true;
      }
    }
    for (const agent of [...selected]) {
      const group = groupOf(agent);
      if (group === undefined) continue;
      const members = names.filter((n) => groupOf(n) === group && !ask.landed.has(n));
      const out = members.filter((n) => !selected.has(n));
      if (out.length > 0) {
        for (const m of members.filter((n) => selected.has(n))) {
          refused.set(m, { agent: m, reason: 'group-incomplete', missing: out, group });
          selected.delete(m);
        }
        changed = true;
      }
    }
  }
  const unitOf = (a: string) => groupOf(a) ?? `\0${a}`;
  const members = new Map<string, string[]>();
  for (const agent of names.filter((n) => selected.has(n))) members.set(unitOf(agent), [...(members.get(unitOf(agent)) ?? []), agent]);
  // Groups land as one step: order the steps, each group contracted to one node. A group that an
  // outside agent must land in the middle of (it waits for one member, another waits for it) cannot.
  const deps = new Map([...members.keys()].map((u) => [u, new Set<string>()]));
  for (const [unit, agents] of members) {
    for (const a of agents) for (const d of agentSpec(ask.manifest, a)!.after) if (selected.has(d) && unitOf(d) !== unit) deps.get(unit)!.add(unitOf(d));
  }
  const first = (u: string) => Math.min(...members.get(u)!.map((a) => position.get(a)!));
  const ordered = topological([...members.keys()], (u) => [...deps.get(u)!], first);
  for (const stuck of [...members.keys()].filter((u) => !ordered.includes(u))) {
    for (const m of members.get(stuck)!) refused.set(m, { agent: m, reason: 'waits-for', missing: [...deps.get(stuck)!].flatMap((d) => members.get(d)!) });
  }
  const units = ordered.map((u) => {
    const agents = members.get(u)!;
    const inner = new Set(agents);
    return { name: groupOf(agents[0]!) ?? agents[0]!, group: groupOf(agents[0]!) !== undefined, agents: topological(agents, (a) => agentSpec(ask.manifest, a)!.after.filter((d) => inner.has(d)), (a) => position.get(a)!) };
  });
  const kept: LandingUnit[] = [];
  let count = 0;
  for (const unit of units) {
    // Whatever comes after a unit left for the next run is left too: it cannot land before it.
    const blocked = unit.agents.some((a) => agentSpec(ask.manifest, a)!.after.some((d) => refused.get(d)?.reason === 'batch-limit'));
    if (blocked || count + unit.agents.length > (ask.maxBatch ?? Infinity)) {
      for (const a of unit.agents) refused.set(a, { agent: a, reason: 'batch-limit', missing: [] });
      continue;
    }
    kept.push(unit);
    count += unit.agents.length;
  }
  return { units: kept, refused: [...refused.values()] };
}

/** Kahn's algorithm over `before` edges; of the nodes free at once, the one with the lowest rank first. Nodes on a cycle are left out. */
function topological(nodes: readonly string[], before: (n: string) => readonly string[], rank: (n: string) => number): string[] {
  const pending = new Map(nodes.map((n) => [n, new Set(before(n))]));
  const out: string[] = [];
  for (;;) {
    const free = [...pending].filter(([, d]) => d.size === 0).map(([n]) => n);
    if (free.length === 0) return out;
    const next = free.sort((a, b) => rank(a) - rank(b))[0]!;
    pending.delete(next);
    out.push(next);
    for (const d of pending.values()) d.delete(next);
  }
}
